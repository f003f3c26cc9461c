/**
 * Proxy keywords: rules (configuration.txt 4.2): http-request, http-response,
 * http-after-response, tcp-request connection|session|content|inspect-delay, tcp-response
 * content|inspect-delay, use_backend, use-server, redirect, stick on|match|store-request|
 * store-response, force-persist, ignore-persist, monitor fail, http-error, declare capture.
 *
 * Rules are recorded in `proxy.rules` in the order written. Several of these keywords check
 * the proxy's capabilities themselves: HAProxy words some refusals its own way, and for
 * some it warns "ignored" but still records the rule (which whole-configuration checks then
 * see), so they cannot use the generic capability check of the proxy section.
 */
import { parseCondition } from '../../../acl/condition.js';
import { checkConditionRuns } from '../../../acl/support.js';
import { hasBe, hasFe, proxyLabel, proxyTypeStr, ruleUses, ANY_USE } from '../../../actions/args.js';
import { parseHttpReply, HTTP_ERR_CODES } from '../../../actions/http-reply.js';
import { parseRedirect } from '../../../actions/redirect.js';
import { parseActionRule, warnConditionConflicts } from '../../../actions/rule.js';
import type { RuleSet } from '../../../actions/types.js';
import { fetchUnavailable, parseSampleExpr } from '../../../sample/expr.js';
import type { SampleUse } from '../../../sample/types.js';
import type { FamilyHandler, KeywordContext, KeywordTable } from '../../keywords.js';
import type { ProxyRow } from './support.js';
import type { ProxyModel } from '../../model/proxy.js';
import type { RuleModel } from '../../model/rules.js';
import { CAP_ALL, CAP_BE, CAP_DEF, CAP_FE, CAP_NAMED_DEF_ONLY, type KeywordStatus } from '../../types.js';
import { parseTime } from '../../units.js';

type Ctx = KeywordContext<ProxyModel>;
type Row = ProxyRow;

/** Rules still to be wired to the runtime: parsed with their full grammar, then reported. */
const STATUS: KeywordStatus = 'notyet';

/** The rules of a rule set in this proxy, in order. */
export function rulesOf(p: ProxyModel, ruleset: string): RuleModel[] {
  return p.rules.filter((r) => r.ruleset === ruleset);
}

function push(ctx: Ctx, rule: RuleModel): void {
  ctx.state.rules.push(rule);
}

/**
 * HAProxy's warnifnotcap(): "'kw' ignored because <proxy> has no <side> capability." Returns
 * true when the proxy has the capability. Defaults sections are refused before this.
 */
function warnIfNotCap(ctx: Ctx, cap: number, shown: string): boolean {
  const p = ctx.state;
  if ((p.cap & cap) !== 0) return true;
  const missing = cap & CAP_FE ? 'frontend' : 'backend';
  ctx.warning(`'${shown}' ignored because ${proxyLabel(p)} has no ${missing} capability.`);
  return false;
}

/** "'kw' not allowed in 'defaults' section." */
function refuseDefaults(ctx: Ctx, shown: string): boolean {
  if (ctx.state.kind !== 'defaults') return false;
  ctx.alert(`'${shown}' not allowed in 'defaults' section.`);
  return true;
}

// ---------------------------------------------------------------------------------------
// Ordering warnings: rules of a kind placed after rules that run later (HAProxy's
// warnif_misplaced_*). Each rule set checks the sets evaluated after it, first match wins.

const LATER: readonly { set: string; label: string }[] = [
  { set: 'tcp-request session', label: "a 'tcp-request session'" },
  { set: 'tcp-request content', label: "a 'tcp-request content'" },
  { set: 'monitor fail', label: "a 'monitor fail'" },
  { set: 'http-request', label: "an 'http-request'" },
  { set: 'redirect', label: "a 'redirect'" },
  { set: 'use_backend', label: "a 'use_backend'" },
  { set: 'use-server', label: "a 'use-server'" },
];

/** Warns when `shown` rules are placed after a rule of a set listed after `after` in LATER. */
function warnMisplaced(ctx: Ctx, shown: string, after: string): void {
  const start = LATER.findIndex((l) => l.set === after);
  for (const l of LATER.slice(start)) {
    if (ctx.state.rules.some((r) => r.ruleset === l.set)) {
      ctx.warning(`a '${shown}' rule placed after ${l.label} rule will still be processed before.`);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------
// http-request, http-response, http-after-response

function httpRuleRow(ruleset: RuleSet, summary: string, misplacedAfter?: string): Row {
  return {
    name: ruleset,
    cap: CAP_ALL | CAP_NAMED_DEF_ONLY,
    status: STATUS,
    summary,
    parse(ctx, args) {
      const prev = rulesOf(ctx.state, ruleset).at(-1);
      if (prev && prev.final && !prev.condition) {
        ctx.warning(`previous '${ruleset}' action is final and has no condition attached, further entries are NOOP.`, 'tight');
      }
      const rule = parseActionRule(ctx, ruleset, args, 1, { reportNotYet: STATUS !== 'notyet' });
      if (!rule) return;
      if (misplacedAfter) warnMisplaced(ctx, ruleset, misplacedAfter);
      warnConditionConflicts(ctx, ruleset, rule);
      push(ctx, rule);
    },
  };
}

// ---------------------------------------------------------------------------------------
// tcp-request / tcp-response

/** "tcp-request inspect-delay" and "tcp-response inspect-delay" share their grammar. */
function inspectDelay(ctx: Ctx, args: readonly string[]): void {
  const kw = `${args[0]} ${args[1]}`;
  const p = ctx.state;
  const text = args[2] ?? '';
  const base = `'${kw}' expects a positive delay in milliseconds, in ${proxyLabel(p)}`;
  if (text === '') return ctx.alert(base);
  const t = parseTime(text);
  if ('error' in t) {
    if (t.error === 'overflow') return ctx.alert(`${base} (timer overflow in '${text}', maximum value is 2147483647 ms or ~24.8 days)`);
    if (t.error === 'underflow') return ctx.alert(`${base} (timer underflow in '${text}', minimum non-null value is 1 ms)`);
    return ctx.alert(`${base} (unexpected character '${t.char ?? text[0]}')`);
  }
  const prev = Number(p.settings[kw]?.[0] ?? '0');
  if (prev) {
    ctx.warning(`ignoring ${kw} (was already defined) in ${proxyLabel(p)}`);
    return;
  }
  // Inherited from defaults like the other proxy settings; a typed field would be better.
  p.settings[kw] = [String(t.value)];
}

const anonymousDefaults = (p: ProxyModel): boolean => p.kind === 'defaults' && p.name === '';

/**
 * The tcp-request rule sets that run (src/runtime/tcp-rules.ts): their actions without a
 * run-time implementation, and the fetches, converters and match methods of their conditions
 * that have none, are refused ("not supported yet").
 */
const TCP_REQUEST_RUNNING: Partial<Record<'connection' | 'session' | 'content', { status: KeywordStatus; note: string }>> = {
  connection: { status: 'partial', note: 'the accept and reject actions run; the others are refused' },
  content: { status: 'partial', note: 'the accept and reject actions run; the others are refused' },
};

/** Checks common to tcp-request rule sets (HAProxy's tcp_parse_tcp_req). */
function tcpRequestRow(set: 'connection' | 'session' | 'content', summary: string): Row {
  const ruleset = `tcp-request ${set}` as RuleSet;
  const running = TCP_REQUEST_RUNNING[set];
  return {
    name: ruleset,
    cap: (set === 'content' ? CAP_ALL : CAP_FE | CAP_DEF) | CAP_NAMED_DEF_ONLY,
    capByParse: true,
    status: running?.status ?? STATUS,
    ...(running ? { note: running.note } : {}),
    summary,
    parse(ctx, args) {
      const p = ctx.state;
      if (set !== 'content' && !hasFe(p)) {
        return ctx.alert(`${ruleset} is not allowed because ${proxyTypeStr(p)} ${p.name} is not a frontend`);
      }
      if (anonymousDefaults(p)) return ctx.alert(`${ruleset} is not allowed in anonymous 'defaults' sections`);
      const rule = parseActionRule(ctx, ruleset, args, 2, { reportNotYet: running !== undefined });
      if (!rule) return;
      warnMisplaced(ctx, 'tcp-request', set === 'connection' ? 'tcp-request session' : set === 'session' ? 'tcp-request content' : 'monitor fail');
      warnConditionConflicts(ctx, ruleset, rule);
      push(ctx, rule);
      if (running) checkConditionRuns(ctx, p, rule.condition);
    },
  };
}

const tcpRequestFamily: FamilyHandler<ProxyModel> = (ctx, args) => {
  const p = ctx.state;
  const where = p.kind === 'defaults' ? 'defaults section' : proxyLabel(p);
  if (args[1] === undefined) return ctx.alert(`missing argument for '${args[0]}' in ${where}`);
  ctx.alert(`'${args[0]}' expects 'inspect-delay', 'connection', or 'content' in ${where} (got '${args[1]}')`);
};

const tcpResponseFamily: FamilyHandler<ProxyModel> = (ctx, args) => {
  if (args[1] === undefined) return ctx.alert(`missing argument for '${args[0]}' in ${proxyLabel(ctx.state)}`);
  ctx.alert(`'${args[0]}' expects 'inspect-delay' or 'content' in ${proxyLabel(ctx.state)} (got '${args[1]}')`);
};

/** tcp-response rule sets need the backend side, or a named defaults section. */
function tcpResponseRefused(ctx: Ctx, args: readonly string[]): boolean {
  const p = ctx.state;
  if (anonymousDefaults(p) || !hasBe(p)) {
    ctx.alert(`${args[0]} ${args[1]} is only allowed in 'backend' sections or 'defaults' section with a name`);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// use_backend, use-server

function useBackend(ctx: Ctx, args: readonly string[]): void {
  if (refuseDefaults(ctx, args[0]!)) return;
  warnIfNotCap(ctx, CAP_FE, args[0]!);
  const name = args[1] ?? '';
  if (name === '') return ctx.alert(`'${args[0]}' expects a backend name.`);
  let condition;
  const k = args[2] ?? '';
  if (k === 'if' || k === 'unless') {
    const wrap = (msg: string): string => `error detected while parsing switching rule : ${msg}.`;
    const c = parseCondition(ctx, ctx.state, args, 2, ['fe-use-backend'], { late: wrap });
    if ('error' in c) return ctx.alert(wrap(c.error));
    condition = c.condition;
  } else if (k !== '') {
    return ctx.alert(`unexpected keyword '${k}' after switching rule, only 'if' and 'unless' are allowed.`);
  }
  push(ctx, { where: ctx.where, ruleset: 'use_backend', action: '', args: { backend: name }, ...(condition ? { condition } : {}) });
  // The runtime follows the first unconditional rule with a plain name for now.
  if (condition) ctx.notYet("'use_backend' with a condition");
  else if (name.includes('%[')) ctx.notYet("'use_backend' with a log-format backend name");
}

function useServer(ctx: Ctx, args: readonly string[]): void {
  if (refuseDefaults(ctx, args[0]!)) return;
  warnIfNotCap(ctx, CAP_BE, args[0]!);
  const name = args[1] ?? '';
  if (name === '') return ctx.alert(`'${args[0]}' expects a server name.`);
  const k = args[2] ?? '';
  if (k !== 'if' && k !== 'unless') return ctx.alert(`'${args[0]}' requires either 'if' or 'unless' followed by a condition.`);
  const wrap = (msg: string): string => `error detected while parsing switching rule : ${msg}.`;
  const c = parseCondition(ctx, ctx.state, args, 2, ['be-use-server'], { late: wrap });
  if ('error' in c) return ctx.alert(wrap(c.error));
  push(ctx, { where: ctx.where, ruleset: 'use-server', action: '', args: { server: name }, condition: c.condition });
}

// ---------------------------------------------------------------------------------------
// redirect

function redirect(ctx: Ctx, args: readonly string[]): void {
  // Its <to> is a plain string; its condition is checked against the http-request places.
  const uses = ruleUses('http-request', ctx.state);
  const wrap = (msg: string): string => `error detected in ${proxyLabel(ctx.state)} while parsing redirect rule : ${msg}.`;
  const r = parseRedirect(ctx, args, 1, false, false, uses, (msg) => wrap(`error in condition: ${msg}`));
  if ('error' in r) return ctx.alert(wrap(r.error));
  warnMisplaced(ctx, 'redirect', 'use_backend');
  const rule: RuleModel = {
    where: ctx.where,
    ruleset: 'redirect',
    action: '',
    args: { redirect: r.redirect },
    ...(r.condition ? { condition: r.condition } : {}),
  };
  warnConditionConflicts(ctx, 'redirect', rule, uses);
  push(ctx, rule);
}

// ---------------------------------------------------------------------------------------
// stick on | match | store-request | store-response

function stick(ctx: Ctx, args: readonly string[]): void {
  const kw = args[0]!;
  if (refuseDefaults(ctx, kw)) return;
  if (!warnIfNotCap(ctx, CAP_BE, kw)) return;
  const mode = args[1] ?? '';
  const ruleset =
    mode === 'store' || mode === 'store-request'
      ? 'stick store-request'
      : mode === 'store-response'
        ? 'stick store-response'
        : mode === 'match'
          ? 'stick match'
          : mode === 'on'
            ? 'stick on'
            : undefined;
  if (!ruleset) return ctx.alert(`'${kw}' expects 'on', 'match', or 'store'.`);
  const text = args[2] ?? '';
  if (text === '') return ctx.alert(`'${kw}' expects a fetch method.`);
  const parsed = parseSampleExpr(ctx, text, ANY_USE, { context: 'stick' });
  if ('error' in parsed) return ctx.alert(`'${kw}': ${parsed.error}`);
  const onResponse = ruleset === 'stick store-response';
  const use: SampleUse = onResponse ? 'be-stick-store' : 'be-use-server';
  const src = fetchUnavailable(parsed.expr, use);
  if (src !== undefined) {
    const when = onResponse ? "for 'store-response'" : 'during request';
    return ctx.alert(`'${kw}': fetch method '${parsed.expr.fetch.name}' extracts information from '${src}', none of which is available ${when}.`);
  }
  let i = 3;
  let table: string | undefined;
  if (args[i] === 'table') {
    table = args[i + 1] ?? '';
    i += 2;
  }
  let condition;
  const k = args[i] ?? '';
  if (k === 'if' || k === 'unless') {
    const wrap = (msg: string): string => `'${kw}': error detected while parsing sticking condition : ${msg}.`;
    const c = parseCondition(ctx, ctx.state, args, i, [use], { late: wrap });
    if ('error' in c) return ctx.alert(wrap(c.error));
    condition = c.condition;
  } else if (k !== '') {
    return ctx.alert(`'${kw}': unknown keyword '${k}'.`);
  }
  push(ctx, {
    where: ctx.where,
    ruleset,
    action: '',
    args: { expr: parsed.expr, ...(table !== undefined ? { table } : {}) },
    ...(condition ? { condition } : {}),
  });
}

const stickFamily: FamilyHandler<ProxyModel> = (ctx, args) => stick(ctx, args);

// ---------------------------------------------------------------------------------------
// force-persist, ignore-persist, monitor fail

function persistRule(ctx: Ctx, args: readonly string[]): void {
  const kw = args[0]!;
  if (refuseDefaults(ctx, kw)) return;
  warnIfNotCap(ctx, CAP_BE, kw);
  const k = args[1] ?? '';
  if (k !== 'if' && k !== 'unless') return ctx.alert(`'${kw}' requires either 'if' or 'unless' followed by a condition.`);
  const wrap = (msg: string): string => `error detected while parsing a '${kw}' rule : ${msg}.`;
  const c = parseCondition(ctx, ctx.state, args, 1, [], { late: wrap });
  if ('error' in c) return ctx.alert(wrap(c.error));
  const rule: RuleModel = { where: ctx.where, ruleset: kw, action: '', args: {}, condition: c.condition };
  // HAProxy checks these conditions against the backend's tcp-request content place (with
  // the wording of the other keywords, not of tcp rules).
  warnConditionConflicts(ctx, kw, rule, ['be-tcp-request-content']);
  push(ctx, rule);
}

function monitor(ctx: Ctx, args: readonly string[]): void {
  if (refuseDefaults(ctx, args[0]!)) return;
  warnIfNotCap(ctx, CAP_FE, args[0]!);
  if (args[1] !== 'fail') return ctx.alert(`'${args[0]}' only supports 'fail'.`);
  const k = args[2] ?? '';
  if (k !== 'if' && k !== 'unless') return ctx.alert(`'${args[0]} ${args[1]}' requires either 'if' or 'unless' followed by a condition.`);
  // Warned about before the condition is read; the condition's place is not checked.
  warnMisplaced(ctx, 'monitor fail', 'http-request');
  const wrap = (msg: string): string => `error detected while parsing a '${args[0]} ${args[1]}' condition : ${msg}.`;
  const c = parseCondition(ctx, ctx.state, args, 2, [], { late: wrap });
  if ('error' in c) return ctx.alert(wrap(c.error));
  push(ctx, { where: ctx.where, ruleset: 'monitor fail', action: '', args: {}, condition: c.condition });
}

const monitorFamily: FamilyHandler<ProxyModel> = (ctx, args) => monitor(ctx, args);

// ---------------------------------------------------------------------------------------
// http-error status <code> [content-type <type>] [payload] [hdr <name> <fmt>]*

function httpError(ctx: Ctx, args: readonly string[]): void {
  const kw = args[0]!;
  // Its log-format strings may use request and response information alike.
  const uses: SampleUse[] = ['fe-http-request', 'be-http-request', 'fe-http-response', 'be-http-response'];
  const r = parseHttpReply(ctx, args, 1, 0, uses);
  if ('error' in r) return ctx.alert(`${kw} : ${r.error}`);
  if (!r.reply.status) return ctx.alert(`${kw} : expects at least a <status> as arguments.\n`);
  if (!HTTP_ERR_CODES.includes(r.reply.status)) return ctx.alert(`${kw}: status code '${r.reply.status}' not handled.`);
  if (args[r.next] !== undefined && args[r.next] !== '') return ctx.alert(`${kw} : unknown keyword '${args[r.next]}'.`);
  push(ctx, { where: ctx.where, ruleset: 'http-error', action: '', args: { reply: r.reply } });
}

// ---------------------------------------------------------------------------------------
// declare capture { request | response } len <length>

function declare(ctx: Ctx, args: readonly string[]): void {
  const p = ctx.state;
  if (p.kind === 'defaults') return ctx.alert(`'${args[0]}' not available in default section`);
  if (!hasFe(p)) return ctx.alert(`'${args[0]}' only available in frontend or listen section`);
  if (args[1] === undefined || args[1] === '') {
    return ctx.alert(`'${args[0]}' needs a second keyword that specify the type of declaration ('capture')`);
  }
  if (args[1] !== 'capture') return ctx.alert(`unknown declaration type '${args[1]}' (supports 'capture')`);
  const kw = `${args[0]} ${args[1]}`;
  const dir = args[2] ?? '';
  if (dir !== 'request' && dir !== 'response') return ctx.alert(`'${kw}' requires a direction ('request' or 'response')`);
  if (args[3] !== 'len') return ctx.alert(`'${kw}' requires a capture length ('len')`);
  const text = args[4] ?? '';
  if (text === '') return ctx.alert(`'${kw}': 'len' requires a numeric value that represents the capture length`);
  if (!/^[-+]?[0-9]+$/.test(text)) return ctx.alert(`'${kw}': cannot parse the length '${args[3]}'.`);
  const len = Number(text);
  if (len <= 0) return ctx.alert('length must be > 0');
  push(ctx, { where: ctx.where, ruleset: 'declare capture', action: '', args: { direction: dir, len } });
}

const declareFamily: FamilyHandler<ProxyModel> = (ctx, args) => declare(ctx, args);

// ---------------------------------------------------------------------------------------

export const rows: Row[] = [
  httpRuleRow('http-request', 'Rules applied to HTTP requests: an action, with an optional condition.', 'redirect'),
  httpRuleRow('http-response', 'Rules applied to HTTP responses: an action, with an optional condition.'),
  httpRuleRow('http-after-response', 'Rules applied to every response HAProxy sends, its own ones included.'),
  tcpRequestRow('connection', 'Rules applied as soon as a connection is accepted, before anything is read.'),
  tcpRequestRow('session', 'Rules applied once the session is set up (after the PROXY header and TLS handshake).'),
  tcpRequestRow('content', 'Rules applied to the request contents, waiting for them up to "tcp-request inspect-delay".'),
  {
    name: 'tcp-request inspect-delay',
    cap: CAP_ALL | CAP_NAMED_DEF_ONLY,
    capByParse: true,
    status: 'supported',
    summary: 'How long "tcp-request content" rules may wait for request data.',
    parse(ctx, args) {
      if (anonymousDefaults(ctx.state)) return ctx.alert(`${args[0]} ${args[1]} is not allowed in anonymous 'defaults' sections`);
      inspectDelay(ctx, args);
    },
  },
  {
    name: 'tcp-response content',
    cap: CAP_BE | CAP_DEF | CAP_NAMED_DEF_ONLY,
    capByParse: true,
    status: STATUS,
    summary: 'Rules applied to the response contents, waiting for them up to "tcp-response inspect-delay".',
    parse(ctx, args) {
      if (tcpResponseRefused(ctx, args)) return;
      const rule = parseActionRule(ctx, 'tcp-response content', args, 2, { reportNotYet: STATUS !== 'notyet' });
      if (!rule) return;
      warnConditionConflicts(ctx, 'tcp-response content', rule);
      push(ctx, rule);
    },
  },
  {
    name: 'tcp-response inspect-delay',
    cap: CAP_BE | CAP_DEF | CAP_NAMED_DEF_ONLY,
    capByParse: true,
    status: STATUS,
    summary: 'How long "tcp-response content" rules may wait for response data.',
    parse(ctx, args) {
      if (tcpResponseRefused(ctx, args)) return;
      inspectDelay(ctx, args);
    },
  },
  {
    name: 'use_backend',
    cap: CAP_FE,
    capByParse: true,
    status: 'partial',
    note: 'conditions and backend names computed with log-format are refused until ACLs and samples run',
    summary: 'Picks the backend, possibly computed, when a condition matches.',
    parse: useBackend,
  },
  { name: 'use-server', cap: CAP_BE, capByParse: true, status: STATUS, summary: 'Picks a server of the backend when a condition matches, ahead of load balancing.', parse: useServer },
  {
    name: 'redirect',
    cap: CAP_FE | CAP_BE,
    status: STATUS,
    summary: 'Answers with an HTTP redirection (location, prefix or scheme) when a condition matches.',
    parse: redirect,
  },
  { name: 'stick on', cap: CAP_BE, capByParse: true, status: STATUS, summary: 'Sticks clients to a server by a key, looked up and stored in a stick table.', parse: stick },
  { name: 'stick match', cap: CAP_BE, capByParse: true, status: STATUS, summary: 'Looks a key up in a stick table to send the request to the stored server.', parse: stick },
  { name: 'stick store-request', cap: CAP_BE, capByParse: true, status: STATUS, summary: 'Stores a request key and the chosen server in a stick table.', parse: stick },
  { name: 'stick store-response', cap: CAP_BE, capByParse: true, status: STATUS, summary: 'Stores a response key and the server in a stick table.', parse: stick },
  { name: 'force-persist', cap: CAP_BE, capByParse: true, status: STATUS, summary: 'Keeps persistence to a server even when it is down or in maintenance, when a condition matches.', parse: persistRule },
  { name: 'ignore-persist', cap: CAP_BE, capByParse: true, status: STATUS, summary: 'Ignores persistence (cookie, stick tables) when a condition matches.', parse: persistRule },
  { name: 'monitor fail', cap: CAP_FE, capByParse: true, status: STATUS, summary: 'Makes the monitor-uri report a failure when a condition matches.', parse: monitor },
  { name: 'http-error', status: STATUS, summary: 'Defines the response HAProxy sends for an error status, like "http-request return".', parse: httpError },
  { name: 'declare capture', cap: CAP_FE, capByParse: true, status: STATUS, summary: 'Declares a capture slot for "capture ... id" rules, in the request or response.', parse: declare },
];

export function families(table: KeywordTable<ProxyModel>): void {
  table.onUnknownMember('tcp-request', tcpRequestFamily);
  table.onUnknownMember('tcp-response', tcpResponseFamily);
  table.onUnknownMember('stick', stickFamily);
  table.onUnknownMember('monitor', monitorFamily);
  table.onUnknownMember('declare', declareFamily);
}
