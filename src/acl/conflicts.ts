/**
 * Where an ACL can be evaluated. HAProxy parses an ACL without knowing where it will be used,
 * then checks each rule's condition against the rule's place and warns (never fails):
 *
 *   acl 'x' will never match because it only involves keywords that are incompatible with '<place>'
 *   anonymous acl will never match because it uses keyword 'res.hdr' which is incompatible with '<place>'
 *   acl 'x' involves keywords 'status' which is incompatible with '<place>'
 *
 * tcp-request / tcp-response rules word it their own way ("will never match in 'tcp-request
 * content' because ...", "involves keyword"): `ConditionWording.rule` selects that form.
 */
import type { AclModel, ConditionModel } from '../config/model/acl.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { SampleUse } from '../sample/types.js';
import { aclLines } from './declare.js';

/** HAProxy's names of the places (sample_ckp_names), in its order (the -dKsmp columns). */
export const USE_LABELS: ReadonlyMap<SampleUse, string> = new Map<SampleUse, string>([
  ['fe-tcp-request-connection', 'frontend tcp-request connection rule'],
  ['fe-tcp-request-session', 'frontend tcp-request session rule'],
  ['fe-tcp-request-content', 'frontend tcp-request content rule'],
  ['fe-http-request', 'frontend http-request header rule'],
  ['fe-http-request-body', 'frontend http-request body rule'],
  ['fe-use-backend', 'frontend use-backend rule'],
  ['be-tcp-request-content', 'backend tcp-request content rule'],
  ['be-http-request', 'backend http-request header rule'],
  ['be-http-request-body', 'backend http-request body rule'],
  ['be-use-server', 'backend use-server, balance or stick-match rule'],
  ['be-server-source', 'server source selection'],
  ['be-tcp-response-content', 'backend tcp-response content rule'],
  ['be-http-response', 'backend http-response header rule'],
  ['be-http-response-body', 'backend http-response body rule'],
  ['be-stick-store', 'backend stick-store rule'],
  ['fe-tcp-response-content', 'frontend tcp-response content rule'],
  ['fe-http-response', 'frontend http-response header rule'],
  ['fe-http-response-body', 'frontend http-response body rule'],
  ['log', 'logs'],
  ['tcp-check', 'backend tcp-check rule'],
  ['config', 'configuration parser'],
  ['cli', 'CLI parser'],
]);

/** The label HAProxy prints for a set of places: the first one in its order. */
export function placeLabel(use: readonly SampleUse[]): string {
  for (const [u, label] of USE_LABELS) if (use.includes(u)) return label;
  return 'unknown sample check place, please report this bug';
}

export interface ConditionWording {
  /** "tcp-request content", ...: the wording of HAProxy's tcp-request/tcp-response rules. */
  readonly rule?: string;
}

/** Can this expression be evaluated at one of `use`? Unknown places count as usable. */
function usable(acl: AclModel, use: readonly SampleUse[]): boolean {
  return acl.uses === undefined || use.some((u) => acl.uses!.includes(u));
}

/**
 * The warning HAProxy gives for a condition used at `use`, if any: first an ACL that cannot
 * match at all there, else an ACL with one expression that cannot be evaluated there.
 * `lines` gives the expressions of a term (the proxy's lines of a named ACL at this point).
 */
export function conditionConflict(proxy: ProxyModel, cond: ConditionModel, use: readonly SampleUse[], wording: ConditionWording = {}): string | undefined {
  const place = placeLabel(use);
  const terms = cond.groups.flat().map((t) => ({ name: t.acl ?? '', lines: t.anonymous ? [t.anonymous] : aclLines(proxy, t.acl ?? '') }));
  const inRule = wording.rule ? ` in '${wording.rule}'` : '';
  for (const t of terms) {
    if (t.lines.some((l) => usable(l, use))) continue;
    if (t.name !== '') return `acl '${t.name}' will never match${inRule} because it only involves keywords that are incompatible with '${place}'`;
    return `anonymous acl will never match${inRule} because it uses keyword '${t.lines[0]!.kw}' which is incompatible with '${place}'`;
  }
  const plural = wording.rule ? '' : 's';
  for (const t of terms) {
    const bad = t.lines.find((l) => !usable(l, use));
    if (!bad) continue;
    if (t.name !== '') return `acl '${t.name}' involves keyword${plural} '${bad.kw}' which is incompatible with '${place}'`;
    return `anonymous acl involves keyword '${bad.kw}' which is incompatible with '${place}'`;
  }
  return undefined;
}

/**
 * The warning HAProxy gives after parsing for a condition that reads the request or response
 * buffer in an HTTP proxy (where those buffers hold no raw data), printed without location:
 *   Proxy 'f': L6 sample fetches ignored on HTTP proxies (declared at t.cfg:9).
 * Checked by haproxy 2.6 for http-request/response, http-after-response, tcp-request and
 * tcp-response rules, use_backend, use-server, stick match/on/store-request; not for redirect,
 * monitor fail, force-persist, ignore-persist nor stick store-response.
 */
export function l6Warning(proxy: ProxyModel, cond: ConditionModel): string | undefined {
  if (proxy.mode !== 'http' || !cond.l6) return undefined;
  return `Proxy '${proxy.name}': L6 sample fetches ignored on HTTP proxies (declared at ${cond.where.file}:${cond.where.line}).`;
}
