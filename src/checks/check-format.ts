/**
 * Log-format strings in health checks (configuration.txt 4.2 "tcp-check send-lf", "expect
 * string-lf", "on-success", "on-error", "http-check send uri-lf/hdr/body-lf"): evaluated when
 * the rule runs, in the check's environment, as HAProxy's sess_build_logline does without a
 * stream. Plain text and sample expressions (%[...]) run; the %-variables of log lines, which
 * describe a stream, are refused at startup (formatNotYet).
 *
 * A sample expression prints as HAProxy's lf_text_len: its string value up to the first NUL
 * byte; nothing when there is no sample (checks' formats have no default flags), '-' with
 * +M; +Q quotes it, +E escapes '"', '\' and ']'.
 */
import type { CheckFormatModel } from '../config/model/check.js';
import { compileSampleAs, cText } from '../sample/compile.js';
import type { SampleEnv } from '../sample/types.js';

/** A compiled format: its text (latin1, one character per byte) in an environment. */
export type CheckText = (env: SampleEnv) => string;

/** What a check format uses that does not run: its first %-variable, for the startup refusal. */
export function formatNotYet(f: CheckFormatModel | undefined): string | undefined {
  const v = f?.parts.find((p) => p.kind === 'var');
  return v ? `log-format variable '%${v.value}' (only text and %[...] sample expressions run in checks)` : undefined;
}

/** The text of a format without expressions, or undefined. */
export function constantText(f: CheckFormatModel): string | undefined {
  let out = '';
  for (const p of f.parts) {
    if (p.kind !== 'text' && p.kind !== 'separator') return undefined;
    out += p.value;
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/["\\\]]/g, (c) => '\\' + c);
}

export function compileCheckFormat(f: CheckFormatModel): CheckText {
  const constant = constantText(f);
  if (constant !== undefined) return () => constant;
  const pieces: CheckText[] = f.parts.map((p): CheckText => {
    if (p.kind === 'text' || p.kind === 'separator') return () => p.value;
    if (p.kind === 'var' || !p.expr) throw new Error(`log-format variable '%${p.value}' does not run in checks`);
    const text = compileSampleAs(p.expr, 'str');
    const flags = new Set(p.options ?? []);
    const quote = flags.has('Q');
    return (env) => {
      const smp = text(env);
      let s = smp ? cText(smp) : '';
      if (s !== '' && flags.has('E')) s = escape(s);
      if (s === '' && !quote && flags.has('M')) s = '-';
      return quote ? `"${s}"` : s;
    };
  });
  return (env) => {
    let out = '';
    for (const piece of pieces) out += piece(env);
    return out;
  };
}
