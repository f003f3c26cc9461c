/**
 * `tcp-check expect` on the raw bytes received (configuration.txt 4.2 "tcp-check expect";
 * HAProxy's tcpcheck_eval_expect): string and binary search, regex on the text or on its hex
 * dump, `!` negation and `min-recv`. Compiled once per rule into a matcher; the engine calls
 * `evaluate` each time data arrives, and waits while the answer may still change.
 */
import { compileRegex } from '../acl/regex.js';
import type { CheckExpectRule, CheckFormatModel } from '../config/model/check.js';
import type { CheckOutcome, CheckStatusName } from './status.js';

export type ExpectVerdict =
  | { readonly kind: 'wait' }
  /** Passed: `code` is the layer-7 code found; `report` an outcome to count before going on. */
  | { readonly kind: 'next'; readonly code?: number; readonly report?: CheckOutcome }
  | { readonly kind: 'fail'; readonly outcome: CheckOutcome }
  /** The check ends here with this outcome (custom expects: the agent's reply). */
  | { readonly kind: 'done'; readonly outcome: CheckOutcome };

/** Evaluates one expect rule on what was received so far; `lastRead`: nothing more will come. */
export type TcpExpect = (received: Buffer, lastRead: boolean, stepId: number) => ExpectVerdict;

/** A custom expect (the protocol checks: ldap, mysql, spop...): same contract. */
export type CustomExpect = TcpExpect;

/**
 * What the built-in rule lists add to a tcp-check expect, in place of HAProxy's log-format
 * strings and sample expressions over the received bytes (res.payload...): the info text of
 * a failure (on-error) and the code (status-code).
 */
export interface ExpectHooks {
  readonly onError?: (received: Buffer) => string;
  readonly statusCode?: (received: Buffer) => number | undefined;
}

/** The on-error / on-success text of a rule when it is plain text (no sample, no variable). */
export function staticText(f: CheckFormatModel | undefined): string | undefined {
  if (!f) return undefined;
  let out = '';
  for (const p of f.parts) {
    if (p.kind !== 'text' && p.kind !== 'separator') return undefined;
    out += p.value;
  }
  return out;
}

/** tune.bufsize: a check's input buffer. A full buffer counts as the last read. */
export const CHECK_BUFFER_SIZE = 16384;

function regexOf(pattern: string): RegExp {
  const c = compileRegex(pattern);
  if ('error' in c) throw new Error(c.error);
  return new RegExp(c.source, c.flags);
}

/** What the rule looks for and how a failure is described (HAProxy's onerror message). */
function matcherOf(rule: CheckExpectRule): { match: (b: Buffer) => boolean; size?: number; what: (stepId: number) => string } {
  switch (rule.match) {
    case 'string': {
      const needle = Buffer.from(rule.pattern ?? '', 'latin1');
      return { match: (b) => b.indexOf(needle) >= 0, size: needle.length, what: (n) => ` '${rule.pattern ?? ''}' at step ${n}` };
    }
    case 'binary': {
      const needle = Buffer.from(rule.data ?? '', 'hex');
      return { match: (b) => b.indexOf(needle) >= 0, size: needle.length, what: (n) => ` (binary) at step ${n}` };
    }
    case 'rstring': {
      const re = regexOf(rule.pattern ?? '');
      return { match: (b) => re.test(b.toString('latin1')), what: (n) => ` (regex) at step ${n}` };
    }
    case 'rbinary': {
      const re = regexOf(rule.pattern ?? '');
      // The regex runs on the upper-case hex dump of the bytes (HAProxy's dump_binary).
      return { match: (b) => re.test(b.toString('hex').toUpperCase()), what: (n) => ` (binary regex) at step ${n}` };
    }
    case 'string-lf':
    case 'binary-lf': {
      // Only plain-text formats run (the config refuses the others).
      const text = staticText(rule.format) ?? '';
      const needle = rule.match === 'string-lf' ? Buffer.from(text, 'latin1') : Buffer.from(text, 'hex');
      const what = rule.match === 'string-lf' ? ' (log-format string)' : ' (log-format binary)';
      return { match: (b) => b.indexOf(needle) >= 0, size: needle.length, what: (n) => `${what} at step ${n}` };
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
  const m = matcherOf(rule);
  const errorStatus: CheckStatusName = rule.errorStatus ?? 'L7RSP';
  const minRecv = rule.minRecv;
  const onError = hooks.onError ?? ((): string | undefined => staticText(rule.onError));
  return (received, lastReadIn, stepId) => {
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
    let desc = onError(received);
    if (desc === undefined) desc = generic ? `${matched ? 'TCPCHK matched unwanted content' : 'TCPCHK did not match content'}${m.what(stepId)}` : '';
    if (rule.comment) desc += ` comment: ${rule.comment}`;
    const code = hooks.statusCode?.(received);
    return { kind: 'fail', outcome: { status: errorStatus, desc, ...(code !== undefined ? { code } : {}) } };
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
