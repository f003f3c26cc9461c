/**
 * `tcp-check expect` on the raw bytes received (configuration.txt 4.2 "tcp-check expect";
 * HAProxy's tcpcheck_eval_expect): string and binary search, regex on the text or on its hex
 * dump, `!` negation and `min-recv`. Compiled once per rule into a matcher; the engine calls
 * `evaluate` each time data arrives, and waits while the answer may still change.
 */
import { compileRegex } from '../acl/regex.js';
import type { CheckExpectRule } from '../config/model/check.js';
import type { SampleEnv } from '../sample/types.js';
import { compileCheckFormat } from './check-format.js';
import { expectTexts } from './expect-texts.js';
import type { CheckOutcome, CheckStatusName } from './status.js';

export type ExpectVerdict =
  | { readonly kind: 'wait' }
  /** Passed: `code` is the layer-7 code found; `report` an outcome to count before going on. */
  | { readonly kind: 'next'; readonly code?: number; readonly report?: CheckOutcome }
  | { readonly kind: 'fail'; readonly outcome: CheckOutcome }
  /** The check ends here with this outcome (custom expects: the agent's reply). */
  | { readonly kind: 'done'; readonly outcome: CheckOutcome };

/** Evaluates one expect rule on what was received so far; `lastRead`: nothing more will come. */
export type TcpExpect = (received: Buffer, lastRead: boolean, stepId: number, env: SampleEnv) => ExpectVerdict;

/** A custom expect (the protocol checks: ldap, mysql, spop...): the same, without samples. */
export type CustomExpect = (received: Buffer, lastRead: boolean, stepId: number) => ExpectVerdict;

/**
 * What the built-in rule lists add to a tcp-check expect, in place of HAProxy's log-format
 * strings and sample expressions over the received bytes (res.payload...): the info text of
 * a failure (on-error) and the code (status-code). Without them, the rule's own on-error and
 * status-code run (expect-texts.ts).
 */
export interface ExpectHooks {
  readonly onError?: (received: Buffer, env: SampleEnv) => string;
  readonly statusCode?: (received: Buffer, env: SampleEnv) => number | undefined;
}

/** tune.bufsize: a check's input buffer. A full buffer counts as the last read. */
export const CHECK_BUFFER_SIZE = 16384;

function regexOf(pattern: string): RegExp {
  const c = compileRegex(pattern);
  if ('error' in c) throw new Error(c.error);
  return new RegExp(c.source, c.flags);
}

interface Matcher {
  match(b: Buffer): boolean;
  /** The bytes a match needs at least (a search string's length). */
  readonly size?: number;
  /** How a failure names what was looked for (HAProxy's onerror message). */
  what(stepId: number): string;
}

function needleMatcher(needle: Buffer, what: (stepId: number) => string): Matcher {
  return { match: (b) => b.indexOf(needle) >= 0, size: needle.length, what };
}

/**
 * HAProxy's parse_binary on the text of a binary-lf format: pairs of hexadecimal digits;
 * undefined when the text is not that.
 */
export function parseHexText(text: string): Buffer | undefined {
  return text.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/**
 * string-lf, binary-lf: the string is built from its format at each evaluation (a variable
 * may have changed); an empty one, or a binary one that is not hexadecimal, fails the rule
 * with HAProxy's texts.
 */
function formatMatcher(rule: CheckExpectRule): (env: SampleEnv) => Matcher | string {
  const text = compileCheckFormat(rule.format ?? { text: '', parts: [] });
  const binary = rule.match === 'binary-lf';
  const what = binary ? ' (log-format binary)' : ' (log-format string)';
  const name = (n: number): string => `${what} at step ${n}`;
  return (env) => {
    const t = text(env);
    if (t === '') return 'log-format string evaluated to an empty string';
    const needle = binary ? parseHexText(t) : Buffer.from(t, 'latin1');
    if (needle === undefined) return 'Failed to parse hexastring resulting of eval of a log-format string';
    return needleMatcher(needle, name);
  };
}

/** What the rule looks for (the -lf rules: formatMatcher). */
function matcherOf(rule: CheckExpectRule): Matcher {
  switch (rule.match) {
    case 'string':
      return needleMatcher(Buffer.from(rule.pattern ?? '', 'latin1'), (n) => ` '${rule.pattern ?? ''}' at step ${n}`);
    case 'binary':
      return needleMatcher(Buffer.from(rule.data ?? '', 'hex'), (n) => ` (binary) at step ${n}`);
    case 'rstring': {
      const re = regexOf(rule.pattern ?? '');
      return { match: (b) => re.test(b.toString('latin1')), what: (n) => ` (regex) at step ${n}` };
    }
    case 'rbinary': {
      const re = regexOf(rule.pattern ?? '');
      // The regex runs on the upper-case hex dump of the bytes (HAProxy's dump_binary).
      return { match: (b) => re.test(b.toString('hex').toUpperCase()), what: (n) => ` (binary regex) at step ${n}` };
    }
    default:
      throw new Error(`tcp-check expect ${rule.match} does not run yet`);
  }
}

/**
 * Compiles a tcp-check expect rule. `generic`: the rule belongs to `option tcp-check` (HAProxy
 * then words failures itself: "TCPCHK did not match content ..."); protocol checks give none.
 */
export function compileTcpExpect(rule: CheckExpectRule, generic: boolean, hooks: ExpectHooks = {}): TcpExpect {
  if (rule.match === 'custom') {
    // A user's "expect custom" has no function behind it: HAProxy goes on.
    return () => ({ kind: 'next' });
  }
  const formatted = rule.match === 'string-lf' || rule.match === 'binary-lf' ? formatMatcher(rule) : undefined;
  const fixed = formatted ? undefined : matcherOf(rule);
  const errorStatus: CheckStatusName = rule.errorStatus ?? 'L7RSP';
  const minRecv = rule.minRecv;
  const own = expectTexts(rule);
  const onError = hooks.onError ?? (own.onError ? (_r: Buffer, env: SampleEnv): string => own.onError!(env) : undefined);
  const statusCode = hooks.statusCode ?? (own.statusCode ? (_r: Buffer, env: SampleEnv): number | undefined => own.statusCode!(env) : undefined);
  const failure = (status: CheckStatusName, info: string, received: Buffer, env: SampleEnv): ExpectVerdict => {
    let desc = info;
    if (rule.comment) desc += ` comment: ${rule.comment}`;
    const code = statusCode?.(received, env);
    return { kind: 'fail', outcome: { status, desc, ...(code !== undefined ? { code } : {}) } };
  };
  return (received, lastReadIn, stepId, env) => {
    let m: Matcher;
    if (formatted) {
      const built = formatted(env);
      // HAProxy's own text, status L7RSP, then the comment and the code.
      if (typeof built === 'string') return failure('L7RSP', built, received, env);
      m = built;
    } else {
      m = fixed!;
    }
    const lastRead = lastReadIn || received.length >= CHECK_BUFFER_SIZE;
    if (!lastRead) {
      if (m.size !== undefined && received.length < m.size) return { kind: 'wait' };
      if (minRecv > 0 && received.length < minRecv) return { kind: 'wait' };
    }
    const matched = m.match(received);
    // Without min-recv, a mismatch may still become a match with more data.
    if (!matched && !lastRead && minRecv === -1) return { kind: 'wait' };
    if (matched !== rule.inverse) return { kind: 'next' };
    // HAProxy's tcpcheck_expect_onerror_message: the on-error text, else its own words for
    // `option tcp-check` only; then the comment; then the code of status-code.
    let desc = onError?.(received, env);
    if (desc === undefined) desc = generic ? `${matched ? 'TCPCHK matched unwanted content' : 'TCPCHK did not match content'}${m.what(stepId)}` : '';
    return failure(errorStatus, desc, received, env);
  };
}

/** "(expect string 'x')", for connection errors reported during an expect step. */
export function expectStepText(rule: CheckExpectRule): string {
  switch (rule.match) {
    case 'string':
      return ` (expect string '${rule.pattern ?? ''}')`;
    case 'binary':
      return ` (expect binary '${rule.data ?? ''}')`;
    case 'rstring':
      return ' (expect regex)';
    case 'rbinary':
      return ' (expect binary regex)';
    case 'string-lf':
      return ' (expect log-format string)';
    case 'binary-lf':
      return ' (expect log-format binary)';
    case 'status':
      return ' (expect HTTP status codes)';
    case 'rstatus':
      return ' (expect HTTP status regex)';
    case 'hdr':
    case 'fhdr':
      return ' (expect HTTP header pattern)';
    case 'custom':
      return ' (expect custom function)';
  }
}
