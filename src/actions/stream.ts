/**
 * Stream actions (configuration.txt 4.2): set-log-level, set-nice, use-service, switch-mode,
 * set-priority-class, set-priority-offset, set-timeout, strict-mode, wait-for-body, capture.
 */
import { LOG_LEVELS } from '../config/log-target.js';
import { parseTime } from '../config/units.js';
import { cAtoi, cStrtol, hasBe, hasFe, isCondWord, needsRequestContents, proxyLabel, ruleUses, sampleAnywhere, sampleArg } from './args.js';
import { luaLoaded } from './external.js';
import type { ActionInput, ActionResult, ActionRow } from './types.js';


function parseLogLevel(a: ActionInput): ActionResult {
  const l = a.arg(1);
  if (l === '' || (l !== 'silent' && !LOG_LEVELS.includes(l))) return { error: "expects exactly 1 argument (log level name or 'silent')" };
  return { next: 2, args: { level: l } };
}

function parseNice(a: ActionInput): ActionResult {
  if (a.arg(1) === '') return { error: 'expects exactly 1 argument (integer value)' };
  const v = Math.max(-1024, Math.min(1024, cAtoi(a.arg(1))));
  return { next: 2, args: { nice: v } };
}

/** Services HAProxy 2.6 (Debian build) registers for use-service. */
export const SERVICES = ['prometheus-exporter'];

/**
 * use-service <name>. HAProxy quotes args[0] and args[1] of the statement as its parser sees
 * them: the action and the service for http rules, "tcp-request" and "content" for tcp ones.
 */
function parseUseService(a: ActionInput): ActionResult {
  const tcp = a.ruleset.startsWith('tcp-');
  const arg0 = tcp ? a.words[0]! : a.name;
  const arg1 = tcp ? a.words[1]! : a.arg(1);
  if (a.arg(1) === '') return { error: `'${arg0}' expects a service name.` };
  // Lua scripts register services as "lua.<name>" (Portier cannot know which).
  if (a.arg(1).startsWith('lua.') && luaLoaded(a)) return { next: 2, args: { service: a.arg(1) } };
  if (!SERVICES.includes(a.arg(1))) return { error: `'${arg1}' unknown service name.` };
  if (a.ruleset !== 'http-request') return { error: "Prometheus exporter service only available on 'http-request' rulesets" };
  return { next: 2, args: { service: a.arg(1) } };
}

/** MUX protocols usable in HTTP mode on the client side. */
const HTTP_MUXES = ['h1', 'h2'];

/** switch-mode http [proto <name>] */
function parseSwitchMode(a: ActionInput): ActionResult {
  const kw = `'${a.words[0]} ${a.name}'`;
  if (a.arg(1) === '') return { error: `${kw} expects a mode as argument.` };
  if (a.arg(1) !== 'http') return { error: `${kw} expects a valid mode (got '${a.arg(1)}').` };
  if (!hasFe(a.proxy)) return { error: `${kw} not allowed because ${proxyLabel(a.proxy)} has no frontend capability` };
  if (a.arg(2) !== 'proto') return { next: 2, args: { mode: 'http' } };
  if (a.arg(3) === '') return { error: `${kw}: 'proto' expects a protocol as argument.` };
  if (!HTTP_MUXES.includes(a.arg(3))) return { error: `${kw}: 'proto' expects a valid MUX protocol, if specified (got '${a.arg(3)}')` };
  return { next: 4, args: { mode: 'http', proto: a.arg(3) } };
}

/** set-priority-class / set-priority-offset <expr>: checked against the http-request places. */
function parsePriority(a: ActionInput): ActionResult {
  // HAProxy quotes its args[0]: the action for http rules, "tcp-request" for tcp ones.
  const shown = a.ruleset.startsWith('http-') ? a.name : a.words[0]!;
  const s = sampleArg(a, a.arg(1), shown, ruleUses('http-request', a.proxy));
  if ('error' in s) return s;
  return { next: 2, args: { expr: s.expr } };
}

/** set-timeout { server | tunnel } { <timeout> | <expr> } */
function parseSetTimeout(a: ActionInput): ActionResult {
  if (a.arg(1) === '' || a.arg(2) === '') return { error: 'expects exactly 2 arguments' };
  if (!hasBe(a.proxy)) return { error: `proxy '${a.proxy.name}' has no backend capability` };
  const name = a.arg(1);
  if (name !== 'server' && name !== 'tunnel') return { error: `'set-timeout' rule supports 'server'/'tunnel' (got '${name}')` };
  const text = a.arg(2);
  const t = parseTime(text);
  if ('value' in t) {
    if (t.value === 0) return { error: `null value is not valid for a 'set-timeout ${name}' rule` };
    return { next: 3, args: { timeout: name, value: t.value } };
  }
  if (t.error === 'overflow') {
    return { error: `timer overflow in argument '${text}' to rule 'set-timeout ${name}' (maximum value is 2147483647 ms or ~24.8 days)` };
  }
  if (t.error === 'underflow') return { error: `timer underflow in argument '${text}' to rule 'set-timeout ${name}' (minimum value is 1 ms)` };
  const s = sampleAnywhere(a, text);
  if ('error' in s) return { error: `unexpected character '${t.char ?? text[0]}' in rule 'set-timeout ${name}'` };
  return { next: 3, args: { timeout: name, expr: s.expr } };
}

function parseStrictMode(a: ActionInput): ActionResult {
  const v = a.arg(1);
  if (v === '') return { error: 'expects exactly 1 arguments' };
  const l = v.toLowerCase();
  if (l !== 'on' && l !== 'off') return { error: `Unexpected value '${v}'. Only 'on' and 'off' are supported` };
  return { next: 2, args: { strict: l === 'on' } };
}

const SIZE_UNITS: Record<string, number> = { k: 1024, m: 1024 * 1024, g: 1024 * 1024 * 1024 };

/** wait-for-body time <time> [ at-least <bytes> ] */
function parseWaitForBody(a: ActionInput): ActionResult {
  if (a.arg(1) === '') return { error: 'expects time <time> [ at-least <bytes> ]' };
  let time: number | undefined;
  let bytes = 0;
  let i = 1;
  while (a.arg(i) !== '') {
    const k = a.arg(i);
    if (k === 'time') {
      if (a.arg(i + 1) === '') return { error: `missing argument for '${k}'` };
      const t = parseTime(a.arg(i + 1));
      if ('error' in t) {
        if (t.error === 'overflow') return { error: 'time overflow (maximum value is 2147483647 ms or ~24.8 days)' };
        if (t.error === 'underflow') return { error: 'time underflow (minimum non-null value is 1 ms)' };
        return { error: `unexpected character '${t.char ?? ''}'` };
      }
      time = t.value;
      i++;
    } else if (k === 'at-least') {
      if (a.arg(i + 1) === '') return { error: `missing argument for '${k}'` };
      const m = /^([0-9]*)(.*)$/s.exec(a.arg(i + 1))!;
      const rest = m[2]!;
      if (m[1] === '') return { error: `unexpected character '${rest[0]}'` };
      const unit = rest === '' ? 1 : SIZE_UNITS[rest[0]!.toLowerCase()];
      if (unit === undefined || rest.length > 1) return { error: `unexpected character '${unit === undefined ? rest[0] : rest[1]}'` };
      bytes = Number(m[1] || '0') * unit;
      i++;
    } else break;
    i++;
  }
  if (time === undefined) return { error: 'expects time <time> [ at-least <bytes> ]' };
  return { next: i, args: { time, bytes } };
}

/** Words until the first of `max` words, an "if"/"unless" or the end of the statement. */
function wordsBeforeCond(a: ActionInput, max: number): number {
  let n = 0;
  while (n < max && a.arg(1 + n) !== '' && !isCondWord(a.arg(1 + n))) n++;
  return n;
}

/** http-request capture <sample> [ len <length> | id <idx> ] */
function parseHttpReqCapture(a: ActionInput): ActionResult {
  if (wordsBeforeCond(a, 3) < 3) return { error: "expects <expression> [ 'len' <length> | id <idx> ]" };
  const s = sampleArg(a, a.arg(1), a.arg(1), ['fe-http-request'], 'capture');
  if ('error' in s) return s;
  const k = a.arg(2);
  if (k === 'len') {
    if (!hasFe(a.proxy)) return { error: `proxy '${a.proxy.name}' has no frontend capability` };
    const len = cAtoi(a.arg(3));
    if (len <= 0) return { error: 'length must be > 0' };
    return { next: 4, args: { expr: s.expr, len } };
  }
  if (k === 'id') {
    const id = cStrtol(a.arg(3));
    if (id.rest !== '') return { error: `cannot parse id '${a.arg(3)}'` };
    return { next: 4, args: { expr: s.expr, id: id.value } };
  }
  return { error: `expects 'len' or 'id', found '${k}'` };
}

/** http-response / http-after-response capture <sample> id <idx> */
function parseHttpResCapture(a: ActionInput): ActionResult {
  if (wordsBeforeCond(a, 3) < 3) return { error: 'expects <expression> id <idx>' };
  const s = sampleArg(a, a.arg(1), a.arg(1), ['fe-http-response'], 'capture');
  if ('error' in s) return s;
  if (a.arg(2) !== 'id') return { error: `expects 'id', found '${a.arg(2)}'` };
  const id = cStrtol(a.arg(3));
  if (id.rest !== '') return { error: `cannot parse id '${a.arg(3)}'` };
  return { next: 4, args: { expr: s.expr, id: id.value } };
}

/** tcp-request content capture <sample> len <length> (built into the tcp rule parser). */
function parseTcpCapture(a: ActionInput): ActionResult {
  const kw = `'${a.ruleset} ${a.name}'`;
  if (!hasFe(a.proxy)) return { error: `${kw} : proxy '${a.proxy.name}' has no frontend capability` };
  if (a.ruleset !== 'tcp-request content') {
    return { error: `'${a.name} ${a.arg(1)}' is not allowed in '${a.ruleset}' rules in ${proxyLabel(a.proxy)}` };
  }
  const s = sampleArg(a, a.arg(1), a.arg(1), a.uses, 'capture');
  if ('error' in s) return { error: `${kw} : ${s.error}` };
  let i = 2;
  let len = 0;
  if (a.arg(i) === 'len') {
    len = cAtoi(a.arg(i + 1));
    if (len <= 0) return { error: `${kw} : length must be > 0` };
    i += 2;
  }
  if (!len) return { error: `${kw} : a positive 'len' argument is mandatory` };
  return { next: i, args: { expr: s.expr, len, needsContent: needsRequestContents(s.expr) } };
}

const STREAM_SETS = ['http-request', 'http-response', 'tcp-request content', 'tcp-response content'] as const;

export const rows: ActionRow[] = [
  { name: 'set-log-level', rulesets: STREAM_SETS, status: 'notyet', summary: 'Changes the log level of the current stream, or silences its log.', parse: parseLogLevel },
  { name: 'set-nice', rulesets: STREAM_SETS, status: 'notyet', summary: 'Changes the scheduling priority of the current stream (-1024 to 1024).', parse: parseNice },
  {
    name: 'use-service',
    rulesets: ['http-request', 'tcp-request content'],
    status: 'notyet',
    summary: 'Hands the request to an internal service (prometheus-exporter).',
    parse: parseUseService,
  },
  {
    name: 'switch-mode',
    rulesets: ['tcp-request content'],
    status: 'notyet',
    summary: 'Upgrades a TCP stream to HTTP (switch-mode http [proto h1|h2]).',
    parse: parseSwitchMode,
  },
  {
    name: 'set-priority-class',
    rulesets: ['http-request', 'tcp-request content'],
    status: 'notyet',
    summary: 'Sets the queue priority class of the stream from an expression.',
    parse: parsePriority,
  },
  {
    name: 'set-priority-offset',
    rulesets: ['http-request', 'tcp-request content'],
    status: 'notyet',
    summary: 'Sets the queue priority offset of the stream from an expression.',
    parse: parsePriority,
  },
  {
    name: 'set-timeout',
    rulesets: ['http-request'],
    status: 'notyet',
    summary: 'Overrides the server or tunnel timeout of the stream with a time or an expression.',
    parse: parseSetTimeout,
  },
  {
    name: 'strict-mode',
    rulesets: ['http-request', 'http-response', 'http-after-response'],
    status: 'notyet',
    summary: 'Turns strict rewriting on or off: with it on, a failed rewrite is an error.',
    parse: parseStrictMode,
  },
  {
    name: 'wait-for-body',
    rulesets: ['http-request', 'http-response'],
    status: 'notyet',
    summary: 'Waits for the message body (or its first bytes) for up to a given time.',
    parse: parseWaitForBody,
  },
  {
    name: 'capture',
    rulesets: ['http-request'],
    status: 'notyet',
    summary: 'Captures a sample into a new capture slot (len) or a declared one (id), for the logs.',
    parse: parseHttpReqCapture,
  },
  {
    name: 'capture',
    rulesets: ['http-response', 'http-after-response'],
    status: 'notyet',
    summary: 'Captures a sample into a declared response capture slot (id), for the logs.',
    parse: parseHttpResCapture,
  },
  {
    name: 'capture',
    rulesets: ['tcp-request connection', 'tcp-request session', 'tcp-request content'],
    builtin: true,
    status: 'notyet',
    summary: 'Captures a sample of the request contents into a new capture slot, for the logs.',
    parse: parseTcpCapture,
  },
];
