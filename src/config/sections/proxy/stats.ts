/**
 * `stats ...` keywords of proxies (configuration.txt 4.2): admin, auth, enable, hide-version,
 * http-request, realm, refresh, scope, show-desc, show-legends, show-modules, show-node, uri.
 *
 * Findings (haproxy 2.6 -c): every stats keyword enables the page; extra words are ignored;
 * messages about the family use the "parsing [file:line]:" form; `stats admin` and
 * `stats http-request` are refused in defaults sections with their own messages (and
 * accepted in frontends, contrary to configuration.txt 4.1), which is why the rows are open to
 * every proxy and check the defaults case themselves; `stats http-request` accepts any
 * http-request action; after parsing, HAProxy warns that stats are ignored in a proxy whose
 * mode is not http (config/checks/stats.ts).
 */
import { accessSync, constants } from 'node:fs';
import type { FamilyHandler, KeywordContext, KeywordRow, KeywordTable } from '../../keywords.js';
import type { ConditionModel } from '../../model/acl.js';
import type { ProxyModel } from '../../model/proxy.js';
import type { ProxyStatsModel, StatsHttpRequestRuleModel } from '../../model/stats.js';
import { CAP_ALL, CAP_FE } from '../../types.js';
import type { SampleUse } from '../../../sample/types.js';
import { parseTime } from '../../units.js';
import { parseCondition } from '../../../acl/condition.js';

type Row = KeywordRow<ProxyModel>;
type Ctx = KeywordContext<ProxyModel>;
type Stats = { -readonly [K in keyof ProxyStatsModel]: ProxyStatsModel[K] extends readonly (infer T)[] ? T[] : ProxyStatsModel[K] };

const FAMILY_MEMBERS = "'admin', 'uri', 'realm', 'auth', 'scope', 'enable', 'hide-version', 'show-node', 'show-desc' or 'show-legends'";

/** The http-request actions HAProxy 2.6 lists when `stats http-request` names an unknown one. */
const HTTP_REQUEST_ACTIONS = [
  'wait-for-handshake', 'ot-group', 'set-log-level', 'set-nice', 'use-service', 'sc-inc-gpc(*)', 'sc-inc-gpc0(*)',
  'sc-inc-gpc1(*)', 'sc-set-gpt(*)', 'sc-set-gpt0(*)', 'send-spoe-group', 'do-resolve(*)', 'cache-use', 'add-acl(*)',
  'add-header', 'allow', 'auth', 'capture', 'del-acl(*)', 'del-header', 'del-map(*)', 'deny', 'disable-l7-retry',
  'early-hint', 'normalize-uri', 'redirect', 'reject', 'replace-header', 'replace-path', 'replace-pathq', 'replace-uri',
  'replace-value', 'return', 'set-header', 'set-map(*)', 'set-method', 'set-path', 'set-pathq', 'set-query', 'set-uri',
  'strict-mode', 'tarpit', 'track-sc(*)', 'set-timeout', 'wait-for-body', 'set-var-fmt(*)', 'set-var(*)', 'unset-var(*)',
  'set-dst', 'set-dst-port', 'set-mark', 'set-src', 'set-src-port', 'set-tos', 'silent-drop', 'set-priority-class',
  'set-priority-offset',
];

/** Status codes HAProxy has a default error page for (deny/tarpit without a payload). */
const DEFAULT_ERRORFILES = new Set([200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 421, 422, 425, 429, 500, 501, 502, 503, 504]);

/** Whether HAProxy could open a payload file (paths are relative to the working directory). */
function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Conditions of stats rules are evaluated on the request, in the frontend when there is one. */
function requestUse(p: ProxyModel): SampleUse {
  return p.cap & CAP_FE ? 'fe-http-request' : 'be-http-request';
}

function describe(p: ProxyModel): string {
  return `${p.kind === 'listen' ? 'proxy' : p.kind} '${p.name}'`;
}

/** The proxy's stats settings, created with HAProxy's defaults on first use. */
function statsOf(p: ProxyModel): Stats {
  p.stats ??= {
    enabled: true,
    uri: '/haproxy?stats',
    auth: [],
    scope: [],
    hideVersion: false,
    showLegends: false,
    showModules: false,
    admin: [],
    httpRequest: [],
  };
  return p.stats as Stats;
}

/** A stats row: `apply` reads the arguments after "stats <member>"; false after an alert. */
function statsRow(member: string, summary: string, apply: (ctx: Ctx, args: readonly string[], s: Stats) => boolean | void): Row {
  return {
    name: `stats ${member}`,
    cap: CAP_ALL,
    status: 'notyet',
    summary,
    parse(ctx, args) {
      // HAProxy creates the settings before reading the arguments, even when they are wrong.
      const s = statsOf(ctx.state);
      apply(ctx, args, s);
    },
  };
}

/** A row whose single argument is required: `message` when it is missing. */
function requiredArg(member: string, summary: string, message: string, set: (s: Stats, v: string, ctx: Ctx) => void): Row {
  return statsRow(member, summary, (ctx, args, s) => {
    const v = args[2] ?? '';
    if (v === '') {
      ctx.alert(message);
      return false;
    }
    set(s, v, ctx);
    return true;
  });
}

function flagRow(member: string, summary: string, set: (s: Stats) => void): Row {
  return statsRow(member, summary, (_ctx, _args, s) => set(s));
}

const admin: Row = {
  name: 'stats admin',
  cap: CAP_ALL,
  status: 'notyet',
  summary: 'Allows changing server states from the stats page when the condition matches.',
  parse(ctx, args) {
    if (ctx.state.kind === 'defaults') {
      ctx.alert("'stats admin' not allowed in 'defaults' section.", 'tight');
      return;
    }
    if (args[2] !== 'if' && args[2] !== 'unless') {
      ctx.alert("'stats admin' requires either 'if' or 'unless' followed by a condition.");
      return;
    }
    const r = parseCondition(ctx, ctx.state, args, 2, requestUse(ctx.state));
    if ('error' in r) {
      ctx.alert(`error detected while parsing a 'stats admin' rule : ${r.error}.`);
      return;
    }
    statsOf(ctx.state).admin.push({ where: ctx.where, condition: r.condition });
  },
};

/** Words up to "if"/"unless": the action's own arguments. */
function untilCondition(args: readonly string[], from: number): number {
  let i = from;
  while (i < args.length && args[i] !== 'if' && args[i] !== 'unless') i++;
  return i;
}

/**
 * The arguments of `deny` / `tarpit` (an HTTP reply: status and payload). Returns the index of
 * the first word after them, or an error message (after "rule : ").
 */
function parseReply(args: readonly string[], from: number, defaultStatus: number): { next: number; args: Record<string, unknown> } | { error: string } {
  const out: Record<string, unknown> = { status: defaultStatus };
  let payload = false;
  let lf = false;
  let i = from;
  for (; i < args.length; i++) {
    const w = args[i]!;
    const v = args[i + 1] ?? '';
    if (w === 'deny_status' || w === 'status') {
      if (v === '') return { error: "'status' expects <status_code> as argument" };
      const code = Number(/^[0-9]+$/.test(v) ? v : NaN);
      if (!(code >= 200 && code < 600)) return { error: `Unexpected status code '${v}'` };
      out['status'] = code;
      i++;
    } else if (w === 'content-type') {
      if (v === '') return { error: "'content-type' expects <ctype> as argument" };
      out['contentType'] = v;
      i++;
    } else if (['string', 'lf-string', 'file', 'lf-file', 'errorfile', 'errorfiles'].includes(w)) {
      if (v === '') return { error: `'${w}' expects <${w.endsWith('string') ? 'str' : w === 'errorfiles' ? 'name' : 'file'}> as argument` };
      if ((w === 'file' || w === 'lf-file' || w === 'errorfile') && !readable(v)) {
        return { error: `error opening file '${v}'${w === 'errorfile' ? '.' : ''}` };
      }
      out[w] = v;
      payload = w !== 'errorfiles' && w !== 'errorfile';
      lf = w.startsWith('lf-');
      i++;
    } else if (w === 'default-errorfiles') {
      out[w] = true;
    } else if (w === 'hdr') {
      if (v === '' || (args[i + 2] ?? '') === '') return { error: "'hdr' expects <name> and <value> as arguments" };
      ((out['headers'] ??= []) as string[][]).push([v, args[i + 2]!]);
      i += 2;
    } else {
      break;
    }
  }
  if (payload && out['contentType'] === undefined) {
    return { error: lf ? 'a content type must be defined with a log-format payload' : 'a content type must be defined when non-empty payload is configured' };
  }
  if (!payload && out['errorfile'] === undefined && out['errorfiles'] === undefined && !DEFAULT_ERRORFILES.has(out['status'] as number)) {
    return { error: `status code '${out['status']}' not handled by default with 'default-errorfiles' argument.` };
  }
  return { next: i, args: out };
}

const httpRequest: Row = {
  name: 'stats http-request',
  cap: CAP_ALL,
  status: 'notyet',
  summary: 'Access rules of the stats page: allow, deny, or ask for authentication.',
  parse(ctx, args) {
    const p = ctx.state;
    if (p.kind === 'defaults') {
      ctx.alert("'stats' not allowed in 'defaults' section.", 'tight');
      return;
    }
    const list = `${HTTP_REQUEST_ACTIONS.map((a) => `'${a}'`).join(', ')}, `;
    const action = args[2] ?? '';
    if (action === '') {
      ctx.alert(`'http-request' expects ${list}but got '' (missing argument).`, 'tight');
      return;
    }
    const s = statsOf(p);
    const last = s.httpRequest[s.httpRequest.length - 1];
    if (last && !last.condition) ctx.warning("previous 'stats' action has no condition attached, further entries are NOOP.", 'tight');
    const known = HTTP_REQUEST_ACTIONS.find((a) => (a.endsWith('(*)') ? action.startsWith(a.slice(0, -3)) : a === action));
    if (!known) {
      ctx.alert(`'http-request' expects ${list}but got '${action}'.`, 'tight');
      return;
    }
    const ruleError = (msg: string): void => {
      ctx.alert(`error detected in ${describe(p)} while parsing 'http-request ${action}' rule : ${msg}.`);
    };
    let next = 3;
    let ruleArgs: Record<string, unknown> = {};
    if (action === 'auth') {
      if (args[3] === 'realm') {
        if ((args[4] ?? '') === '') return ruleError('missing realm value.\n');
        ruleArgs = { realm: args[4] };
        next = 5;
      }
    } else if (action === 'deny' || action === 'tarpit') {
      const r = parseReply(args, 3, action === 'deny' ? 403 : 500);
      if ('error' in r) return ruleError(r.error);
      ruleArgs = r.args;
      next = r.next;
    } else if (action !== 'allow') {
      // Other http-request actions: their arguments are kept as written (the action table
      // checks them where http-request rules are parsed; here they are only recorded).
      next = untilCondition(args, 3);
      ruleArgs = { words: args.slice(3, next) };
      ctx.notYet(`stats http-request action '${action}'`);
    }
    let condition: ConditionModel | undefined;
    const w = args[next];
    if (w !== undefined) {
      if (w !== 'if' && w !== 'unless') {
        ctx.alert(`'http-request ${action}' expects either 'if' or 'unless' followed by a condition but found '${w}'.`, 'tight');
        return;
      }
      const r = parseCondition(ctx, p, args, next, requestUse(p));
      if ('error' in r) {
        ctx.alert(`error detected while parsing an 'http-request ${action}' condition : ${r.error}.`);
        return;
      }
      condition = r.condition;
    }
    const rule: StatsHttpRequestRuleModel = { where: ctx.where, action, args: ruleArgs, ...(condition ? { condition } : {}) };
    s.httpRequest.push(rule);
  },
};

const refresh = statsRow('refresh', 'Refresh delay suggested to browsers showing the stats page.', (ctx, args, s) => {
  const v = args[2] ?? '';
  if (v === '') {
    // HAProxy prints the NUL character it found, which cuts its message there.
    ctx.alert("unexpected character '", 'tight');
    return false;
  }
  const r = parseTime(v, 's');
  if ('error' in r && r.error === 'char') {
    ctx.alert(`unexpected character '${r.char}' in argument to stats refresh interval.`, 'tight');
    return false;
  }
  // HAProxy does not report overflows here: the delay is kept as read (seconds → ms).
  s.refresh = 'value' in r ? r.value * 1000 : undefined;
  return true;
});

const showDesc = statsRow('show-desc', 'Shows a description (this one, or the global one) on the stats page.', (ctx, args, s) => {
  const desc = args.slice(2).join(' ');
  if (desc === '' && !ctx.load.global.description) {
    ctx.warning("'show-desc' requires a parameter or 'desc' to be set in the global section.", 'tight');
  }
  s.showDesc = desc === '' ? {} : { desc };
});

const showNode = statsRow('show-node', 'Shows a node name (this one, or the global one) on the stats page.', (ctx, args, s) => {
  const name = args[2] ?? '';
  if (/[^A-Za-z0-9._-]/.test(name)) {
    ctx.alert(
      "'stats show-node' invalid node name - should be a stringwith digits(0-9), letters(A-Z, a-z), hyphen(-) or underscode(_).",
      'tight',
    );
    return false;
  }
  s.showNode = name === '' ? {} : { name };
  return true;
});

export const rows: Row[] = [
  admin,
  requiredArg('auth', 'Enables the stats page and adds a user:password account to it.', "'auth' needs a user:password account.", (s, v, ctx) => {
    const colon = v.indexOf(':');
    s.auth.push({ user: colon < 0 ? v : v.slice(0, colon), password: colon < 0 ? '' : v.slice(colon + 1), where: ctx.where });
  }),
  flagRow('enable', 'Enables the stats page with default settings.', () => undefined),
  flagRow('hide-version', 'Hides the HAProxy version on the stats page.', (s) => (s.hideVersion = true)),
  httpRequest,
  requiredArg('realm', 'Authentication realm of the stats page.', "'realm' needs an realm name.", (s, v) => (s.realm = v)),
  refresh,
  requiredArg('scope', 'Limits the stats page to the named proxies ("." is this one).', "'scope' needs a proxy name.", (s, v) => s.scope.push(v)),
  showDesc,
  flagRow('show-legends', 'Shows capabilities, mode, ids and addresses on the stats page.', (s) => (s.showLegends = true)),
  flagRow('show-modules', 'Shows the statistics of extra modules on the stats page.', (s) => (s.showModules = true)),
  showNode,
  requiredArg('uri', 'URI prefix of the stats page.', "'uri' needs an URI prefix.", (s, v) => (s.uri = v)),
];

const statsFamily: FamilyHandler<ProxyModel> = (ctx, args) => {
  // HAProxy refuses the prefix, then parses the statement all the same.
  if (ctx.modifier) {
    ctx.alert(
      'negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.',
      'tight',
    );
  }
  if (args[1] === undefined || args[1] === '') {
    ctx.alert(`missing keyword in 'stats', expects ${FAMILY_MEMBERS}.`, 'tight');
    return;
  }
  ctx.alert(`unknown stats parameter '${args[1]}', expects ${FAMILY_MEMBERS}.`, 'tight');
};

export function families(table: KeywordTable<ProxyModel>): void {
  table.onUnknownMember('stats', statsFamily);
}
