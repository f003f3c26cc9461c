/**
 * Helpers for action parsers: where a rule's samples are evaluated, sample expressions and
 * log-format strings with HAProxy's wording, and the C number readers HAProxy's parsers use
 * (strtol, atoi), whose leniency decides what is accepted.
 */
import type { ProxyModel } from '../config/model/proxy.js';
import { CAP_BE, CAP_FE } from '../config/types.js';
import type { KeywordContext } from '../config/keywords.js';
import { parseLogFormat, type LogFormatOptions, type LogFormatParse } from '../log/log-format.js';
import { parseSampleExpr } from '../sample/expr.js';
import type { SampleArgContext, SampleUse } from '../sample/types.js';
import type { SampleExprModel } from '../config/model/sample.js';
import type { ActionInput, RuleSet } from './types.js';

/** HAProxy's proxy_type_str(): a listen section is a "proxy". */
export function proxyTypeStr(p: ProxyModel): string {
  return p.kind === 'listen' ? 'proxy' : p.kind;
}

/** "frontend 'fe'", "proxy 'li'", "defaults 'd'". */
export function proxyLabel(p: ProxyModel): string {
  return `${proxyTypeStr(p)} '${p.name}'`;
}

/** Frontend side: frontends, listens and (named) defaults sections, which HAProxy gives both sides. */
export function hasFe(p: ProxyModel): boolean {
  return p.kind === 'defaults' || (p.cap & CAP_FE) !== 0;
}
export function hasBe(p: ProxyModel): boolean {
  return p.kind === 'defaults' || (p.cap & CAP_BE) !== 0;
}

const RULESET_USES: Record<RuleSet, readonly [SampleUse | undefined, SampleUse | undefined]> = {
  'http-request': ['fe-http-request', 'be-http-request'],
  'http-response': ['fe-http-response', 'be-http-response'],
  'http-after-response': ['fe-http-response', 'be-http-response'],
  'tcp-request connection': ['fe-tcp-request-connection', undefined],
  'tcp-request session': ['fe-tcp-request-session', undefined],
  'tcp-request content': ['fe-tcp-request-content', 'be-tcp-request-content'],
  'tcp-response content': ['fe-tcp-response-content', 'be-tcp-response-content'],
};

/**
 * Where samples of a rule set are evaluated for this proxy: the frontend place if it has the
 * frontend side, the backend place if it has the backend side (HAProxy ORs both bits).
 */
export function ruleUses(ruleset: RuleSet, p: ProxyModel): SampleUse[] {
  const [fe, be] = RULESET_USES[ruleset];
  const out: SampleUse[] = [];
  if (fe && (hasFe(p) || !be)) out.push(fe);
  if (be && hasBe(p)) out.push(be);
  return out;
}

/** No place: the sample parser then does not check where the expression runs. */
export const ANY_USE: readonly SampleUse[] = [];

/**
 * The sources a fetch reads, when a sample parser refused it because it is not available at
 * the requested place ("HTTP response headers"), or undefined for other errors. Accepts the
 * two wordings HAProxy uses for this.
 */
export function unavailableSources(error: string): string | undefined {
  const m = /extracts information from '([^']*)'/.exec(error) ?? /needs '([^']*)' which is not available/.exec(error);
  return m ? m[1] : undefined;
}

export type SampleArg = { expr: SampleExprModel } | { error: string };

/**
 * A sample expression argument evaluated at `uses`. When the fetch is not available there,
 * the message is HAProxy's "fetch method '<shown>' extracts information from '<sources>',
 * none of which is available here", where `shown` is whatever word the action quotes (the
 * expression, the action word, ... it varies by action).
 */
export function sampleArg(
  a: ActionInput,
  text: string,
  shown: string,
  uses: readonly SampleUse[] = a.uses,
  context?: SampleArgContext,
): SampleArg {
  if (text === '') return { error: 'missing fetch method' };
  const r = parseSampleExpr(a.ctx, text, uses, { fetchWord: shown, ...(context ? { context } : {}) });
  if ('error' in r) return { error: r.error };
  return { expr: r.expr };
}

/**
 * Whether an expression reads the request contents (HAProxy's request buffer and HTTP request
 * sources): it cannot be evaluated at the session level. Drives the warnings about
 * tcp-request content rules without an inspect-delay.
 */
export function needsRequestContents(expr: SampleExprModel): boolean {
  return !expr.uses.includes('fe-tcp-request-session');
}

/** A sample expression parsed without any check of where it runs. */
export function sampleAnywhere(a: ActionInput, text: string, context?: SampleArgContext): SampleArg {
  if (text === '') return { error: 'missing fetch method' };
  const r = parseSampleExpr(a.ctx, text, [], context ? { context } : {});
  if ('error' in r) return { error: r.error };
  return { expr: r.expr };
}

export type FormatArg = { format: string; parts: unknown } | { error: string };

/**
 * Compiles a log-format string (configuration.txt 8.2.4) that may be evaluated at any of
 * `uses` (HAProxy ORs them): the log-format parser takes one place, so the others are tried
 * when the first refuses a fetch as unavailable there. Returns the first error.
 */
export function logFormatAt(ctx: KeywordContext<unknown>, text: string, uses: readonly SampleUse[], opts: LogFormatOptions = {}): LogFormatParse {
  let first: LogFormatParse | undefined;
  for (const use of uses.length > 0 ? uses : (['log'] as const)) {
    const r = parseLogFormat(ctx, text, use, opts);
    if (!('error' in r)) return r;
    first ??= r;
    if (unavailableSources(r.error) === undefined) break;
  }
  return first!;
}

/**
 * A log-format argument evaluated at `uses` (the rule's places by default). `http: false`
 * for the strings HAProxy does not compile as HTTP log-format strings (set-var-fmt).
 */
export function formatArg(a: ActionInput, text: string, uses: readonly SampleUse[] = a.uses, opts: LogFormatOptions = {}): FormatArg {
  const r = logFormatAt(a.ctx, text, uses, opts);
  if ('error' in r) return { error: r.error };
  return { format: text, parts: r.parts };
}

/**
 * C's strtol(): optional spaces and sign, then digits in `base` (0: "0x" hex, "0" octal,
 * else decimal). Returns the value and the unparsed rest ('' when the whole text is a number).
 * No digit at all gives 0 with the whole text as rest, as strtol does.
 */
export function cStrtol(text: string, base = 10): { value: number; rest: string } {
  const m = /^([ \t\n\r\f\v]*)([-+]?)/.exec(text)!;
  let i = m[0].length;
  let b = base;
  if ((b === 0 || b === 16) && /^0[xX][0-9a-fA-F]/.test(text.slice(i))) {
    i += 2;
    b = 16;
  } else if (b === 0) {
    b = text[i] === '0' ? 8 : 10;
  }
  const digits = b === 16 ? /^[0-9a-fA-F]+/ : b === 8 ? /^[0-7]+/ : /^[0-9]+/;
  const d = digits.exec(text.slice(i));
  if (!d) return { value: 0, rest: text };
  const v = parseInt(d[0], b);
  return { value: m[2] === '-' ? -v : v, rest: text.slice(i + d[0].length) };
}

/** C's atoi(): strtol in base 10, ignoring what follows; 32-bit wrap. */
export function cAtoi(text: string): number {
  return cStrtol(text, 10).value | 0;
}

/** "if" or "unless". */
export function isCondWord(w: string): boolean {
  return w === 'if' || w === 'unless';
}
