/**
 * Whole-configuration checks of rules (HAProxy's check_config_validity and
 * check_action_rules): the backends, servers, stick tables, capture slots, http-errors,
 * resolvers, caches and filters rules refer to, and the warnings about rules that cannot
 * work as written. Run per proxy, in declaration order, in HAProxy's order: use_backend,
 * use-server, stick rules, switch-mode, tcp content rules without inspect-delay, action
 * references, rules needing HTTP mode. Disabled proxies are skipped, as HAProxy does.
 */
import { parseLogFormat } from '../../log/log-format.js';
import { canCast } from '../../sample/casts.js';
import type { SampleTypeName } from '../../sample/types.js';
import type { SampleExprModel } from '../model/sample.js';
import type { ConditionModel } from '../model/acl.js';
import { fetchRow } from '../../sample/expr.js';
import { KeywordContext } from '../keywords.js';
import type { LoadState } from '../load-state.js';
import type { ProxyModel } from '../model/proxy.js';
import type { RuleModel } from '../model/rules.js';
import { CAP_BE, CAP_FE } from '../types.js';
import type { PostCheck } from './types.js';

function typeStr(p: ProxyModel): string {
  return p.kind === 'listen' ? 'proxy' : p.kind;
}

/** HAProxy's proxy_mode_str(). */
function modeStr(p: ProxyModel): string {
  return p.mode;
}

/** Where rule sets with actions are checked, in HAProxy's order. */
const ACTION_SETS = ['tcp-request connection', 'tcp-request session', 'tcp-request content', 'tcp-response content', 'http-request', 'http-response', 'http-after-response'];

/** Every stick table by name, with its key type: proxies' tables, and "<peers>/<table>". */
function stickTables(load: LoadState): Map<string, string> {
  const tables = new Map<string, string>();
  for (const p of load.proxies) if (p.stickTable) tables.set(p.name, p.stickTable.type);
  // Peers tables are named "<peers>/<table>".
  for (const peers of load.peers) {
    for (const t of peers.tables) tables.set(t.name.includes('/') ? t.name : `${peers.name}/${t.name}`, t.type);
  }
  return tables;
}

/** The sample type a table's keys are stored as (HAProxy's stktable_types). */
const TABLE_KEY_TYPES: Record<string, SampleTypeName> = { ip: 'ipv4', ipv6: 'ipv6', integer: 'sint', string: 'str', binary: 'bin' };

/** Whether an expression's result can be a key of a table of this type. */
function keyFits(expr: unknown, tableType: string | undefined): boolean {
  const to = tableType === undefined ? undefined : TABLE_KEY_TYPES[tableType];
  const from = (expr as SampleExprModel | undefined)?.type;
  return to === undefined || from === undefined || canCast(from, to);
}

/** A context for compiling log-format strings after parsing (dynamic use_backend names). */
function contextAt(load: LoadState, p: ProxyModel, rule: RuleModel): KeywordContext<ProxyModel> {
  return new KeywordContext(load, p, rule.where, []);
}

/** Whether a use_backend / use-server name is a log-format string with more than text. */
function dynamicName(load: LoadState, p: ProxyModel, rule: RuleModel, name: string): { dynamic: boolean; error?: string } {
  if (!name.includes('%')) return { dynamic: false };
  const r = parseLogFormat(contextAt(load, p, rule), name, 'fe-http-request', { http: false });
  if ('error' in r) return { dynamic: true, error: r.error };
  const dynamic = r.parts.length > 1 || r.parts.some((part) => part.kind !== 'text');
  return { dynamic };
}

/** The sources (HAProxy's SMP_SRC_* names) the ACLs of a condition read. */
function conditionSources(p: ProxyModel, cond: ConditionModel | undefined): string[] {
  if (!cond) return [];
  const out: string[] = [];
  for (const group of cond.groups) {
    for (const term of group) {
      const acls = term.anonymous ? [term.anonymous] : p.acls.filter((a) => a.name === term.acl);
      for (const acl of acls) {
        const src = fetchRow(acl.expr.fetch.name)?.src;
        if (src) out.push(src);
      }
    }
  }
  return out;
}

/** Sources of the request contents (HAProxy's SMP_USE_L6REQ and HTTP request uses). */
const REQUEST_CONTENTS = /L6REQ|HRQ/;
/** Sources of the request or response buffers (SMP_USE_L6REQ, SMP_USE_L6RES). */
const L6 = /L6RE[QS]/;

/** HAProxy's warnif_tcp_http_cond(): conditions of HTTP proxies reading the buffers. */
function warnL6Condition(load: LoadState, p: ProxyModel, rule: RuleModel): void {
  if (p.mode !== 'http' || !rule.condition) return;
  if (!conditionSources(p, rule.condition).some((src) => L6.test(src))) return;
  load.diag.warning(undefined, `Proxy '${p.name}': L6 sample fetches ignored on HTTP proxies (declared at ${rule.where.file}:${rule.where.line}).`);
}

function checkUseBackend(load: LoadState, p: ProxyModel): void {
  for (const rule of p.rules) {
    if (rule.ruleset !== 'use_backend') continue;
    const name = String(rule.args['backend']);
    const d = dynamicName(load, p, rule, name);
    if (d.error !== undefined) {
      load.diag.alert(rule.where, `failed to parse use_backend rule '${name}' : ${d.error}.`, 'capital');
      continue;
    }
    if (d.dynamic) continue;
    const target = load.proxies.find((q) => q.name === name && q.cap & CAP_BE);
    if (!target) {
      load.diag.alert(undefined, `Proxy '${p.name}': unable to find required use_backend: '${name}'.`);
    } else if (target === p) {
      load.diag.alert(undefined, `Proxy '${p.name}': loop detected for use_backend: '${name}'.`);
    } else if (target.mode !== p.mode && !(p.mode === 'tcp' && target.mode === 'http')) {
      load.diag.alert(
        undefined,
        `${modeStr(p)} ${typeStr(p)} '${p.name}' (${p.where.file}:${p.where.line}) tries to use incompatible ${modeStr(target)} ` +
          `${typeStr(target)} '${target.name}' (${target.where.file}:${target.where.line}) in a 'use_backend' rule (see 'mode').`,
      );
    }
    warnL6Condition(load, p, rule);
  }
}

function checkUseServer(load: LoadState, p: ProxyModel): void {
  for (const rule of p.rules) {
    if (rule.ruleset !== 'use-server') continue;
    const name = String(rule.args['server']);
    const d = dynamicName(load, p, rule, name);
    if (d.error !== undefined) {
      load.diag.alert(rule.where, `use-server rule failed to parse log-format '${name}' : ${d.error}.`, 'capital');
      continue;
    }
    if (d.dynamic) continue;
    warnL6Condition(load, p, rule);
    if (!p.servers.some((s) => s.name === name)) {
      load.diag.alert(undefined, `${typeStr(p)} '${p.name}' : unable to find server '${name}' referenced in a 'use-server' rule.`);
    }
  }
}

function checkStick(load: LoadState, p: ProxyModel, tables: Map<string, string>): void {
  const check = (rule: RuleModel, missing: string): void => {
    const name = (rule.args['table'] as string | undefined) ?? p.name;
    if (!tables.has(name)) load.diag.alert(undefined, `Proxy '${p.name}': unable to find ${missing} '${name}'.`);
    else if (!keyFits(rule.args['expr'], tables.get(name))) {
      load.diag.alert(undefined, `Proxy '${p.name}': type of fetch not usable with type of stick-table '${name}'.`);
    }
  };
  for (const rule of p.rules) {
    if (rule.ruleset === 'stick on' || rule.ruleset === 'stick match' || rule.ruleset === 'stick store-request') {
      check(rule, 'stick-table');
      warnL6Condition(load, p, rule);
    }
  }
  for (const rule of p.rules) if (rule.ruleset === 'stick store-response') check(rule, 'store table');
}

function checkSwitchMode(load: LoadState, p: ProxyModel): void {
  const upgrades = p.rules.some((r) => r.ruleset === 'tcp-request content' && r.action === 'switch-mode');
  const routed = p.defaultBackend !== undefined || p.rules.some((r) => r.ruleset === 'use_backend');
  if (upgrades && p.mode === 'tcp' && !routed && p.servers.length > 0) {
    load.diag.warning(
      undefined,
      `Proxy '${p.name}' : 'switch-mode http' configured for a ${modeStr(p)} ${typeStr(p)} with no backend. ` +
        'Incoming connections upgraded to HTTP cannot be routed to TCP servers',
    );
  }
}

const CONTENTS_WARNING =
  'This means that this rule will randomly find its contents. This can be fixed by setting the tcp-request inspect-delay.';

/**
 * tcp-request content track-sc rules whose table was found (HAProxy's check_trk_action):
 * those reading the request contents need an inspect-delay; the others, in an HTTP frontend,
 * belong to the session rule set.
 */
function warnTrackPlacement(load: LoadState, p: ProxyModel, rule: RuleModel): void {
  if (rule.ruleset !== 'tcp-request content' || !(p.cap & CAP_FE)) return;
  const label = `${typeStr(p)} '${p.name}'`;
  const needsContent = rule.args['needsContent'] === true;
  if (!inspectDelay(p) && needsContent) {
    load.diag.warning(
      undefined,
      `${label} : a 'tcp-request content track-sc*' rule explicitly depending on request contents without any 'tcp-request inspect-delay' setting. ${CONTENTS_WARNING}`,
    );
  }
  const readsContents = (src: string | undefined): boolean => src !== undefined && REQUEST_CONTENTS.test(src);
  const expr = rule.args['expr'] as SampleExprModel | undefined;
  const exprReads = readsContents(expr ? fetchRow(expr.fetch.name)?.src : undefined);
  const condReads = conditionSources(p, rule.condition).some(readsContents);
  if (p.mode === 'http' && !exprReads && !condReads) {
    load.diag.warning(
      undefined,
      `${label} : a 'tcp-request content track-sc*' rule not depending on request contents for an HTTP frontend should be executed at the session level, ` +
        "using a 'tcp-request session' rule (mandatory to track invalid HTTP requests).",
    );
  }
}

/** tcp-request content capture rules reading the request contents need an inspect-delay. */
function warnCapturePlacement(load: LoadState, p: ProxyModel, rule: RuleModel): void {
  if (rule.ruleset !== 'tcp-request content' || inspectDelay(p) || rule.args['needsContent'] !== true) return;
  load.diag.warning(
    undefined,
    `${typeStr(p)} '${p.name}' : a 'tcp-request capture' rule explicitly depending on request contents without any 'tcp-request inspect-delay' setting. ${CONTENTS_WARNING}`,
  );
}

function inspectDelay(p: ProxyModel): number {
  return Number(p.settings['tcp-request inspect-delay']?.[0] ?? '0');
}

/** The slots "capture ... len" rules and "declare capture" lines of one section create. */
function ownCaptureSlots(p: ProxyModel, dir: 'request' | 'response'): number {
  let n = 0;
  for (const r of p.rules) {
    if (r.ruleset === 'declare capture' && r.args['direction'] === dir) n++;
    if (dir === 'request' && r.action === 'capture' && r.args['len'] !== undefined) n++;
  }
  return n + (dir === 'request' ? p.captures.requestHeaders.length : p.captures.responseHeaders.length);
}

/**
 * Capture slots of a frontend: its own, and those of the defaults section it inherits from
 * (a named defaults section may hold "http-request capture ... len" rules).
 */
function captureSlots(load: LoadState, p: ProxyModel, dir: 'request' | 'response'): number {
  let n = ownCaptureSlots(p, dir);
  if (p.kind !== 'defaults' && p.from !== undefined) {
    const parent = load.defaults.filter((d) => d.name === p.from).at(-1);
    if (parent) n += ownCaptureSlots(parent, dir);
  }
  return n;
}

/** The statuses an http-errors section declares. */
function errorsStatuses(load: LoadState, name: string): Set<number> | undefined {
  const section = load.httpErrors.find((s) => s.name === name);
  if (!section) return undefined;
  return new Set(section.errorfiles.map((e) => e.status));
}

/** Whether the proxy has a filter of `type` whose `key` option is `name` (HAProxy's default id when unset). */
function hasFilter(p: ProxyModel, type: 'spoe' | 'opentracing', key: string, name: string, defaultId?: string): boolean {
  return p.filters.some((f) => f.name === type && (f.args[key] ?? defaultId) === name);
}

function checkActions(load: LoadState, p: ProxyModel, tables: Map<string, string>): void {
  const px = `Proxy '${p.name}'`;
  for (const set of ACTION_SETS) {
    for (const rule of p.rules) {
      if (rule.ruleset !== set) continue;
      const a = rule.args;
      switch (rule.action) {
        case 'track-sc': {
          const name = (a['table'] as string | undefined) ?? p.name;
          if (!tables.has(name)) load.diag.alert(undefined, `${px}: unable to find table '${name}' referenced by track-sc${String(a['sc'])}.`);
          else if (!keyFits(a['expr'], tables.get(name))) {
            load.diag.alert(undefined, `${px}: stick-table '${name}' uses a type incompatible with the 'track-sc${String(a['sc'])}' rule.`);
          } else warnTrackPlacement(load, p, rule);
          break;
        }
        case 'capture': {
          if (set === 'tcp-request content') warnCapturePlacement(load, p, rule);
          if (a['id'] === undefined || !(p.cap & CAP_FE || p.kind === 'defaults')) break;
          const dir = set === 'http-request' ? 'request' : 'response';
          const id = Number(a['id']);
          if (id >= captureSlots(load, p, dir)) {
            const label = dir === 'request' ? 'http-request' : 'http-response';
            load.diag.alert(undefined, `${px}: unable to find capture id '${id}' referenced by ${label} capture rule.`);
          }
          break;
        }
        case 'deny':
        case 'tarpit':
        case 'return': {
          const reply = a['reply'] as { kind: string; source?: string; status: number } | undefined;
          if (reply?.kind !== 'errorfiles') break;
          const statuses = errorsStatuses(load, reply.source ?? '');
          if (!statuses) {
            load.diag.alert(undefined, `${px}: unknown http-errors section '${reply.source}' referenced by an http reply .`);
          } else if (!statuses.has(reply.status)) {
            load.diag.warning(
              undefined,
              `${px}: status '${reply.status}' referenced by an http reply not declared in http-errors section '${reply.source}'.`,
            );
          }
          break;
        }
        case 'do-resolve': {
          const name = String(a['resolvers']);
          if (name === '') load.diag.alert(undefined, `${px}: do-resolve action without resolvers.`);
          else if (!load.resolvers.some((r) => r.name === name)) {
            load.diag.alert(undefined, `${px}: Can't find resolvers section '${name}' for do-resolve action.`);
          }
          break;
        }
        case 'send-spoe-group':
          if (!hasFilter(p, 'spoe', 'engine', String(a['engine']))) {
            load.diag.alert(undefined, `${px}: unable to find SPOE engine '${String(a['engine'])}' used by the send-spoe-group '${String(a['group'])}'.`);
          }
          break;
        case 'ot-group':
          if (!hasFilter(p, 'opentracing', 'id', String(a['filter']), 'ot-filter')) {
            load.diag.alert(
              undefined,
              `${px}: unable to find the OpenTracing filter '${String(a['filter'])}' used by the ot-group '${String(a['group'])}'.`,
            );
          }
          break;
      }
      warnL6Condition(load, p, rule);
    }
  }
}

/** http-error replies naming an http-errors section. */
function checkHttpErrors(load: LoadState, p: ProxyModel): void {
  for (const rule of p.rules) {
    if (rule.ruleset !== 'http-error') continue;
    const reply = rule.args['reply'] as { kind: string; source?: string; status: number } | undefined;
    if (reply?.kind !== 'errorfiles') continue;
    const statuses = errorsStatuses(load, reply.source ?? '');
    if (!statuses) load.diag.alert(undefined, `Proxy '${p.name}': unknown http-errors section '${reply.source}' referenced by an http reply .`);
  }
}

function checkHttpMode(load: LoadState, p: ProxyModel): void {
  if (p.mode === 'http') return;
  for (const set of ['http-request', 'http-response', 'http-after-response']) {
    if (p.rules.some((r) => r.ruleset === set)) {
      load.diag.warning(undefined, `'${set}' rules ignored for ${typeStr(p)} '${p.name}' as they require HTTP mode.`);
    }
  }
  if (p.rules.some((r) => r.ruleset === 'redirect')) {
    load.diag.warning(undefined, `'redirect' rules ignored for ${typeStr(p)} '${p.name}' as they require HTTP mode.`);
  }
}

/** Caches named by cache-use / cache-store must exist. */
function checkCaches(load: LoadState, p: ProxyModel): void {
  for (const rule of p.rules) {
    if (rule.action !== 'cache-use' && rule.action !== 'cache-store') continue;
    const name = String(rule.args['cache']);
    if (!load.caches.some((c) => c.name === name)) {
      load.diag.alert(undefined, `config: ${typeStr(p)} '${p.name}': unable to find the cache '${name}' referenced by the filter 'cache'.`);
    }
  }
}

const rulesCheck: PostCheck = (load) => {
  const tables = stickTables(load);
  const checkedDefaults = new Set<ProxyModel>();
  for (const p of load.proxies) {
    if (p.disabled) continue;
    // A named defaults section's rules run on behalf of the proxies using it: they are
    // checked once, when the first of these proxies is.
    const parent = p.from !== undefined ? load.defaults.filter((d) => d.name === p.from).at(-1) : undefined;
    if (parent && parent.rules.length > 0 && !checkedDefaults.has(parent)) {
      checkedDefaults.add(parent);
      checkActions(load, parent, tables);
    }
    checkUseBackend(load, p);
    checkUseServer(load, p);
    checkStick(load, p, tables);
    checkActions(load, p, tables);
    checkSwitchMode(load, p);
    checkHttpErrors(load, p);
    checkHttpMode(load, p);
  }
  for (const p of load.proxies) if (!p.disabled) checkCaches(load, p);
};

export const ruleChecks: PostCheck[] = [rulesCheck];
