/**
 * How the check options and the http-check / tcp-check rules of a section combine, as HAProxy
 * 2.6 combines them (findings by experiment with haproxy -c, and configuration.txt 4.2
 * "option httpchk", "http-check connect", "tcp-check connect"):
 *
 * - Each section has its own http-check rules and its own tcp-check rules. They run only when
 *   the matching option is in force (`option httpchk` / `option tcp-check`); rules written
 *   without it are kept aside and HAProxy warns after parsing that they are ignored. Setting
 *   the option later uses them.
 * - A section copied from a defaults section uses the defaults' rule list until it declares a
 *   rule of its own: from then on it runs only its own rules (the defaults' ones are dropped).
 * - The request of `option httpchk` is an implicit "send" that the first explicit
 *   `http-check send` completes (or that completes it, when the option comes later).
 * - While `option httpchk` is in force, each new http-check rule must follow the right rule: a
 *   send after a connect (or as the first), an expect after a send or an expect, a connect
 *   after an expect ("unable to add http-check send rule at step 2 (missing connect rule).").
 * - A connect rule must come first in its list, after comments and variable actions only.
 *
 * The model is plain data (structuredClone'd into the sections that inherit it), so a copied
 * state is recognised by its `section` and turned into an "inherited" one on first use.
 */
import type { KeywordContext } from '../../keywords.js';
import type { Mutable } from '../../load-state.js';
import type {
  CheckHttpSendRule,
  CheckRuleModel,
  CheckRulesetModel,
  CheckType,
  HealthCheckModel,
} from '../../model/check.js';
import type { ProxyModel } from '../../model/proxy.js';
import type { Where } from '../../types.js';
import type { NewRule } from './checks-rules.js';

const sameWhere = (a: Where, b: Where): boolean => a.file === b.file && a.line === b.line;

const emptyRuleset = (owner: Where): CheckRulesetModel => ({ owner, rules: [] });

/**
 * The health-check state of a proxy, created on first use, and made the proxy's own when it
 * was copied from a defaults section.
 */
export function healthCheckOf(proxy: ProxyModel): HealthCheckModel {
  let hc = proxy.healthCheck;
  if (!hc) {
    hc = {
      section: proxy.where,
      type: 'tcp',
      args: {},
      http: emptyRuleset(proxy.where),
      tcp: emptyRuleset(proxy.where),
      unusedHttp: false,
      unusedTcp: false,
      disableOn404: false,
      sendState: false,
    };
    proxy.healthCheck = hc;
    return hc;
  }
  if (!sameWhere(hc.section, proxy.where)) {
    // Copied from a defaults section: the list the defaults ran is now shared, the section's
    // own lists start empty, and the "unused rules" marks are not inherited.
    const running = activeRules(hc);
    hc.inherited = running ? [...running] : undefined;
    hc.uses = running ? 'inherited' : undefined;
    hc.http = emptyRuleset(proxy.where);
    hc.tcp = emptyRuleset(proxy.where);
    hc.unusedHttp = false;
    hc.unusedTcp = false;
    hc.section = proxy.where;
  }
  return hc;
}

/** The rule list HAProxy would run now (undefined for the built-in protocol checks). */
export function activeRules(hc: HealthCheckModel): CheckRuleModel[] | undefined {
  if (hc.type !== 'http' && hc.type !== 'tcp-check' && hc.type !== 'external') return undefined;
  const proto = rulesProto(hc);
  if (hc.uses === 'inherited') return hc.inherited;
  if (hc.uses === 'own') return proto === 'http' ? hc.http.rules : proto === 'tcp' ? hc.tcp.rules : undefined;
  return undefined;
}

/** Which rule list the state refers to (`option external-check` keeps the previous one). */
function rulesProto(hc: HealthCheckModel): 'http' | 'tcp' | undefined {
  const t = hc.type === 'external' ? hc.rulesFor : hc.type;
  return t === 'http' ? 'http' : t === 'tcp-check' ? 'tcp' : undefined;
}

/** `option httpchk`, `option tcp-check`, `option ldap-check`, ...: the new check type. */
export function setCheckType(ctx: KeywordContext<ProxyModel>, type: CheckType, args: HealthCheckModel['args']): HealthCheckModel {
  const hc = healthCheckOf(ctx.state);
  const previous = hc.type === 'external' ? hc.rulesFor : hc.type;
  hc.where = ctx.where;
  if (type === 'external') {
    if (hc.type !== 'external') hc.rulesFor = hc.type;
    hc.type = 'external';
    return hc;
  }
  delete hc.rulesFor;
  hc.type = type;
  hc.args = args;
  if (type === 'tcp-check') {
    // A tcp-check list already in use is kept (and the "unused" marks with it).
    if (previous === 'tcp-check' && hc.uses !== undefined) return hc;
    hc.uses = 'own';
  } else if (type === 'http') {
    hc.uses = 'own';
  } else {
    hc.uses = undefined;
  }
  hc.unusedHttp = false;
  hc.unusedTcp = false;
  return hc;
}

const isStep = (r: CheckRuleModel): boolean => r.action !== 'comment' && r.action !== 'set-var' && r.action !== 'set-var-fmt' && r.action !== 'unset-var';
const firstStep = (rules: readonly CheckRuleModel[]): CheckRuleModel | undefined => rules.find(isStep);
const lastStep = (rules: readonly CheckRuleModel[]): CheckRuleModel | undefined => rules.findLast(isStep);
const nextStep = (rules: readonly CheckRuleModel[], after: CheckRuleModel): CheckRuleModel | undefined =>
  rules.slice(rules.indexOf(after) + 1).find(isStep);
const isOptionSend = (r: CheckRuleModel | undefined): boolean => r?.action === 'send' && r.type === 'http' && r.fromOption === true;

/**
 * "connect" must start the list (after comments and variable actions; the request of
 * `option httpchk` does not count). Returns HAProxy's message when it does not.
 */
export function connectPlacementError(rules: readonly CheckRuleModel[]): string | undefined {
  for (const r of rules) {
    if (r.action === 'connect') return undefined;
    if (!isStep(r) || isOptionSend(r)) continue;
    return "first step MUST also be a 'connect', optionally preceded by a 'set-var', an 'unset-var' or a 'comment', when there is a 'connect' step in the tcp-check ruleset";
  }
  return undefined;
}

/** The section's own list for http-check or tcp-check rules. */
export function ownRules(hc: HealthCheckModel, kind: 'http' | 'tcp'): CheckRuleModel[] {
  return kind === 'http' ? hc.http.rules : hc.tcp.rules;
}

/** Adds a tcp-check rule to the section's list; it runs if `option tcp-check` is in force. */
export function addTcpCheckRule(hc: HealthCheckModel, rule: NewRule): void {
  const rules = hc.tcp.rules;
  const last = rules[rules.length - 1];
  rules.push({ ...rule, index: last ? last.index + 1 : 0 } as CheckRuleModel);
  if (hc.type === 'tcp-check') {
    hc.uses = 'own';
    hc.unusedTcp = false;
  } else {
    hc.unusedTcp = true;
  }
}

/**
 * Adds an http-check rule. With `option httpchk` in force, checks its place in the list and
 * merges a send with the option's request; returns HAProxy's message when it is misplaced.
 */
export function addHttpCheckRule(hc: HealthCheckModel, rule: NewRule): string | undefined {
  const rules = hc.http.rules;
  const last = rules[rules.length - 1];
  const index = last && !isOptionSend(last) ? last.index + 1 : 0;
  const chk = { ...rule, index } as CheckRuleModel;
  if (hc.type !== 'http') {
    hc.unusedHttp = true;
    rules.push(chk);
    return undefined;
  }
  hc.uses = 'own';
  hc.unusedHttp = false;
  return insertHttpRule(rules, chk);
}

/** Adds the request of an `option httpchk` line to the section's http-check rules. */
export function addOptionRequest(hc: HealthCheckModel, request: NewRule<CheckHttpSendRule>): string | undefined {
  return insertHttpRule(hc.http.rules, { ...request, index: 0, fromOption: true } as CheckHttpSendRule);
}

function insertHttpRule(rules: CheckRuleModel[], chk: CheckRuleModel): string | undefined {
  if (isOptionSend(chk)) {
    // The option's request goes first (after a leading connect, see the post check), replaces
    // a previous option request, or completes the first explicit send.
    let r = firstStep(rules);
    if (r?.action === 'connect') r = nextStep(rules, r);
    if (!r || r.action !== 'send') rules.unshift(chk);
    else if (isOptionSend(r)) rules.splice(rules.indexOf(r), 1, chk);
    else rules.splice(rules.indexOf(r), 1, mergeSend(r as CheckHttpSendRule, chk as CheckHttpSendRule, false));
    return undefined;
  }
  const r = lastStep(rules);
  if (r && !isOptionSend(r)) {
    const step = chk.index + 1;
    if (r.action !== 'connect' && chk.action === 'send') return `unable to add http-check send rule at step ${step} (missing connect rule).`;
    if (r.action !== 'send' && r.action !== 'expect' && chk.action === 'expect') return `unable to add http-check expect rule at step ${step} (missing send rule).`;
    if (r.action !== 'expect' && chk.action === 'connect') return `unable to add http-check connect rule at step ${step} (missing expect rule).`;
  }
  let add: CheckRuleModel = chk;
  if (chk.action === 'send') {
    const first = firstStep(rules);
    if (first && isOptionSend(first)) {
      // The first explicit send completes the option's request, and takes its place.
      rules.splice(rules.indexOf(first), 1);
      add = mergeSend(first as CheckHttpSendRule, chk as CheckHttpSendRule, true);
    }
  }
  rules.push(add);
  return undefined;
}

/**
 * `base` updated with what `over` sets (method, URI, version, body); the headers of `over`
 * replace those of `base` (HAProxy's tcpcheck_overwrite_send_http_rule). The result keeps
 * `base`'s position (and comment); `keepOverWhere` takes the location of `over`.
 */
function mergeSend(base: CheckHttpSendRule, over: CheckHttpSendRule, keepOverWhere: boolean): CheckHttpSendRule {
  const m: Mutable<CheckHttpSendRule> = { ...base, fromOption: false };
  if (over.method !== undefined) m.method = over.method;
  if (over.uri !== undefined) [m.uri, m.uriFormat] = [over.uri, undefined];
  if (over.uriFormat !== undefined) [m.uri, m.uriFormat] = [undefined, over.uriFormat];
  if (over.version !== undefined) m.version = over.version;
  m.headers = over.headers;
  if (over.body !== undefined) [m.body, m.bodyFormat] = [over.body, undefined];
  if (over.bodyFormat !== undefined) [m.body, m.bodyFormat] = [undefined, over.bodyFormat];
  // HAProxy keeps the comment of the rule it completes (a comment on the explicit send is lost).
  if (keepOverWhere) m.where = over.where;
  if (!m.fromOption) delete m.fromOption;
  return m;
}

/**
 * For a server with `check` but neither a port nor a check port: what HAProxy says after
 * "config: backend 'b': server 's' " (init_srv_check), or undefined when the check rules give
 * the port. HAProxy looks at the rules before completing them (no implicit connect yet, the
 * request of `option httpchk` still first); a port given by an expression does not count.
 * The protocol checks start with a send, or with a connect that takes the server's port.
 */
export function portlessServerCheckError(proxy: ProxyModel): string | undefined {
  const hc = proxy.healthCheck ? healthCheckOf(proxy) : undefined;
  const kind = hc?.type === 'external' ? hc.rulesFor : hc?.type;
  const none = 'has neither service port nor check port.';
  const noConnect = "has neither service port nor check port nor tcp_check rule 'connect' with port information.";
  if (!hc || kind === undefined || kind === 'tcp' || kind === 'external') return none;
  if (kind !== 'http' && kind !== 'tcp-check') return noConnect;
  const rules = hc.uses === 'inherited' ? hc.inherited : kind === 'http' ? hc.http.rules : hc.tcp.rules;
  if (!rules || rules.length === 0 || hc.uses === undefined) return none;
  const hasPort = (r: CheckRuleModel): boolean => r.action === 'connect' && (r.port !== undefined || r.addr?.port !== undefined);
  const first = firstStep(rules);
  if (!first || !hasPort(first)) return noConnect;
  if (rules.some((r) => r.action === 'connect' && !hasPort(r))) {
    return "has neither service port nor check port, and a tcp_check rule 'connect' with no port information.";
  }
  return undefined;
}

/**
 * The list HAProxy runs, completed after parsing (check_proxy_tcpcheck): the option's request
 * moved after a leading connect, an "expect status 200-399" after a final http send, a connect
 * in front of a list that does not start with one, and comment rules folded into the rules
 * that follow them. Returns undefined for checks without a rule list.
 */
export function finalRules(hc: HealthCheckModel): CheckRuleModel[] | undefined {
  if (hc.type !== 'http' && hc.type !== 'tcp-check') return undefined;
  const rules: CheckRuleModel[] = [...(activeRules(hc) ?? [])];
  if (hc.type === 'http') {
    const first = firstStep(rules);
    if (first && isOptionSend(first)) {
      const next = nextStep(rules, first);
      if (next?.action === 'connect') {
        rules.splice(rules.indexOf(first), 1);
        rules.splice(rules.indexOf(next) + 1, 0, { ...first, index: next.index });
      }
    }
    const last = lastStep(rules);
    if (last?.action === 'send') {
      rules.push({
        action: 'expect',
        protocol: 'http',
        match: 'status',
        inverse: false,
        pattern: '200-399',
        codes: [[200, 399]],
        minRecv: -1,
        implicit: true,
        index: last.index,
      });
    }
  }
  const first = firstStep(rules);
  if (first?.action !== 'connect') {
    rules.unshift({ action: 'connect', implicit: true, default: true, index: 0, sendProxy: false, viaSocks4: false, ssl: false, linger: false });
  }
  // Comments go to the rules after them, until the kind of rule changes.
  const out: CheckRuleModel[] = [];
  let comment: string | undefined;
  let prev: CheckRuleModel['action'] = 'comment';
  for (const r of rules) {
    const kind = isStep(r) || r.action === 'comment' ? r.action : 'set-var';
    if (kind !== prev && prev !== 'comment') comment = undefined;
    prev = kind;
    if (r.action === 'comment') {
      comment = r.text;
      continue;
    }
    const withComment = r.comment === undefined && comment !== undefined && isStep(r) ? { ...r, comment } : r;
    if (r.action === 'connect' || !isStep(r)) comment = undefined;
    out.push(withComment);
  }
  return out;
}
