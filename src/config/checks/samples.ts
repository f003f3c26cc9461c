/**
 * References made by sample expressions' arguments (configuration.txt 7.3: "an unresolved
 * backend name" is caught when the configuration is parsed): backends, frontends, servers,
 * stick tables, userlists and regexes, checked once every section is read (HAProxy's
 * smp_resolve_args, run per proxy before the other proxy checks).
 *
 * Messages, found by experiment with haproxy 2.6, all "parsing [file:line]: ..." and ending
 * with "... of <keyword> [in <context>] in proxy '<p>'.":
 *   unable to find table 'x' referenced in arg 1 of sample fetch keyword 'src_conn_cnt' in http-request expression in proxy 'f'.
 *   unable to find backend 'x' ... / proxy 'f', referenced in arg 1 of ..., has not backend capability.
 *   unable to find frontend 'x' ... / proxy 'b', referenced in arg 1 of ..., has not frontend capability.
 *   missing server name in arg 1 of ... / unable to find proxy 'x' referenced in arg 1 of ...
 *   unable to find server 's' in proxy 'b', referenced in arg 1 of ...
 *   missing userlist name in arg 1 of ... / unable to find userlist 'x' referenced in arg 1 of ...
 *   missing regex in arg 1 of ... / error in regex '(' in arg 1 of ... : regex '(' is invalid (error=..., erroffset=1).
 * When one proxy has several errors, HAProxy prints them in one alert:
 *   multiple argument resolution errors:
 *           parsing [t.cfg:18]: ...
 *           parsing [t.cfg:19]: ...
 *
 * The registry of references lives beside the LoadState (keyed by it), filled by
 * sample/expr.ts, so that the model stays plain data.
 */
import type { LoadState } from '../load-state.js';
import type { SampleArgModel } from '../model/sample.js';
import type { ProxyModel } from '../model/proxy.js';
import type { Where } from '../types.js';
import type { SampleArgContext } from '../../sample/types.js';
import { pcreSyntaxError, regexErrorText } from '../../sample/regex.js';
import type { PostCheck } from './types.js';

/** What the checks need of the proxy an expression belongs to. */
export type SampleRefProxy = Pick<ProxyModel, 'name' | 'kind' | 'servers'>;

export interface SampleRef {
  readonly where: Where;
  readonly proxy: SampleRefProxy;
  readonly context: SampleArgContext;
  readonly fetch: string;
  /** Set when the argument is a converter's. */
  readonly converter?: string;
  readonly argNumber: number;
  readonly arg: SampleArgModel;
}

/**
 * References by statement and expression ("file:line:text"), in the order first seen. Callers
 * may parse one expression several times (to try several places); it is recorded once: the
 * first parse wins, unless a later one names the argument context explicitly and the first
 * did not. (The same expression written twice in one statement is therefore checked once.)
 */
interface Recorded {
  refs: readonly SampleRef[];
  explicit: boolean;
}

const registry = new WeakMap<LoadState, Map<string, Recorded>>();

/** Records the references of one expression, to check after the last line. */
export function recordSampleRefs(load: LoadState, text: string, refs: readonly SampleRef[], explicitContext: boolean): void {
  if (refs.length === 0) return;
  let map = registry.get(load);
  if (!map) {
    map = new Map();
    registry.set(load, map);
  }
  const key = `${refs[0]!.where.file}:${refs[0]!.where.line}:${text}`;
  const seen = map.get(key);
  if (!seen || (explicitContext && !seen.explicit)) map.set(key, { refs, explicit: explicitContext });
}

/** The words HAProxy uses for each argument context (ARGC_*). */
const CONTEXT_LABELS: Record<SampleArgContext, string> = {
  acl: '',
  stick: 'stick rule',
  'track-sc': 'tracking rule',
  'log-format': 'log-format string',
  'log-format-sd': 'log-format-sd string',
  'unique-id-format': 'unique-id-format string',
  redirect: 'redirect format string',
  capture: 'capture rule',
  'http-request': 'http-request expression',
  // Sic: HAProxy's label for http-response (and http-after-response) rules.
  'http-response': 'http-response response',
  use_backend: 'use_backend expression',
  'use-server': 'use-server or balance expression',
  server: 'server directive',
  'tcp-check': 'tcp-check expression',
  'tcp-request connection': 'tcp-request connection expression',
  'tcp-request session': 'tcp-request session expression',
  'tcp-request content': 'tcp-request content expression',
  'tcp-response content': 'tcp-response content expression',
  'http-error': 'http-error directive',
  'spoe-message': 'spoe-message directive',
  config: 'configuration expression',
  cli: 'CLI expression',
};

/** "of sample fetch keyword 'x' in http-request expression in proxy 'p'" (no final period). */
function describe(ref: SampleRef): string {
  const fetchKw = ref.context === 'acl' ? `ACL keyword '${ref.fetch}'` : `sample fetch keyword '${ref.fetch}'`;
  const kw = ref.converter !== undefined ? `conversion keyword '${ref.converter}' for ${fetchKw}` : fetchKw;
  const ctx = CONTEXT_LABELS[ref.context];
  return `arg ${ref.argNumber} of ${kw}${ctx ? ` in ${ctx}` : ''} in proxy '${ref.proxy.name}'`;
}

function hasCap(p: SampleRefProxy, kind: 'frontend' | 'backend'): boolean {
  return kind === 'frontend' ? p.kind === 'frontend' || p.kind === 'listen' : p.kind === 'backend' || p.kind === 'listen';
}

/** Stick tables: proxies with a stick-table, and "peers/table" for tables of peers sections. */
function tableExists(load: LoadState, name: string): boolean {
  if (load.proxies.some((p) => p.name === name && p.stickTable !== undefined)) return true;
  for (const peers of load.peers) {
    if (peers.tables.some((t) => `${peers.name}/${t.name}` === name)) return true;
  }
  return false;
}

/** The message for one reference, or undefined when it resolves. */
function resolve(load: LoadState, ref: SampleRef): string | undefined {
  const arg = ref.arg;
  const where = describe(ref);
  switch (arg.type) {
    case 'tab':
      return tableExists(load, arg.value) ? undefined : `unable to find table '${arg.value}' referenced in ${where}.`;
    case 'be':
    case 'fe': {
      const kind = arg.type === 'be' ? 'backend' : 'frontend';
      if (arg.implicit) return hasCap(ref.proxy, kind) ? undefined : `proxy '${ref.proxy.name}', referenced in ${where}, has not ${kind} capability.`;
      return load.proxies.some((p) => p.name === arg.value && hasCap(p, kind)) ? undefined : `unable to find ${kind} '${arg.value}' referenced in ${where}.`;
    }
    case 'srv': {
      if (arg.value === '') return `missing server name in ${where}.`;
      let proxy: SampleRefProxy | undefined = ref.proxy;
      if (arg.proxy !== undefined) {
        proxy = load.proxies.find((p) => p.name === arg.proxy && hasCap(p, 'backend'));
        if (!proxy) return `unable to find proxy '${arg.proxy}' referenced in ${where}.`;
      }
      return proxy.servers.some((s) => s.name === arg.server) ? undefined : `unable to find server '${arg.server}' in proxy '${proxy.name}', referenced in ${where}.`;
    }
    case 'usr':
      if (arg.value === '' || arg.implicit) return `missing userlist name in ${where}.`;
      return load.userlists.some((u) => u.name === arg.value) ? undefined : `unable to find userlist '${arg.value}' referenced in ${where}.`;
    case 'reg': {
      if (arg.value === '') return `missing regex in ${where}.`;
      const e = pcreSyntaxError(arg.value);
      return e ? `error in regex '${arg.value}' in ${where} : ${regexErrorText(arg.value, e)}.` : undefined;
    }
    default:
      return undefined;
  }
}

/** One alert's text for the errors of one proxy. */
function joinErrors(lines: readonly string[]): string {
  return lines.length === 1 ? lines[0]! : `multiple argument resolution errors:${lines.map((l) => `\n        ${l}`).join('')}`;
}

function located(ref: SampleRef, msg: string): string {
  return `parsing [${ref.where.file}:${ref.where.line}]: ${msg}`;
}

/** Checks every recorded reference, one alert per proxy as HAProxy prints them. */
export const checkSampleRefs: PostCheck = (load) => {
  const map = registry.get(load);
  if (!map) return;
  const refs = [...map.values()].flatMap((r) => r.refs);
  const byProxy = new Map<SampleRefProxy, string[]>();
  for (const ref of refs) {
    const msg = resolve(load, ref);
    if (msg === undefined) continue;
    const list = byProxy.get(ref.proxy) ?? [];
    list.push(located(ref, msg));
    byProxy.set(ref.proxy, list);
  }
  for (const lines of byProxy.values()) load.diag.alert(undefined, joinErrors(lines));
};

/**
 * The pseudo-proxy HAProxy resolves global `set-var` expressions in, at once, when the
 * statement is read (so only sections read before count).
 */
export function configProxy(): SampleRefProxy {
  return { kind: 'defaults', name: 'CFG', servers: [] };
}

/**
 * Resolves references right away (the 'config' context): returns the message HAProxy prints
 * after the statement's location ("parsing [t.cfg:2]: unable to find table 'x' ... in
 * configuration expression in proxy 'CFG'."), or undefined.
 */
export function resolveSampleRefsNow(load: LoadState, refs: readonly SampleRef[]): string | undefined {
  const lines: string[] = [];
  for (const ref of refs) {
    const msg = resolve(load, ref);
    if (msg !== undefined) lines.push(located(ref, msg));
  }
  return lines.length > 0 ? joinErrors(lines) : undefined;
}

/** To be added to config/post-checks.ts, before the proxy checks. */
export const sampleChecks: PostCheck[] = [checkSampleRefs];
