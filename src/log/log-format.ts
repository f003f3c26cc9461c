/**
 * Log-format strings (configuration.txt 8.2.6): "%ci:%cp [%tr] %ft %{+Q}r %[src,ipmask(24)]".
 *
 *   %<var>            a variable of the 8.2.6 table (log-format-vars.ts): letters, then letters
 *                     and digits ("%cix" is the unknown variable 'cix')
 *   %{flags}<var>     flags +Q -Q +X -X +E -E +M -M, comma separated; unknown ones are ignored
 *   %[expr]           a sample expression (7.3), %{+Q}[expr] with flags
 *   %o                sets its flags on every following variable
 *   %%                a verbatim '%'; '%' before any other character (not a letter, digit,
 *                     blank, '{' or '[') disappears, as in HAProxy
 *
 * parseLogFormat() checks the string where it is used (`use`): the sample fetches must be
 * available there, and HTTP-only variables need a proxy in HTTP mode (the proxy is ctx.state;
 * HAProxy reads its mode when it parses the string: at the end of the configuration for
 * log-format and unique-id-format, on the line for http-request actions).
 *
 * RETURNED MESSAGES are HAProxy's inner text, without location nor final period. Callers word
 * the rest as HAProxy does (checked with haproxy 2.6):
 *   log-format (post-parse)   "Parsing [f:n]: failed to parse log-format : <msg>."   ('capital' style)
 *   log-format-sd             "Parsing [f:n]: failed to parse log-format-sd : <msg>."
 *   unique-id-format          "Parsing [f:n]: failed to parse unique-id : <msg>."
 *   http-request set-header   "parsing [f:n] : error detected in frontend 'f' while parsing 'http-request set-header' rule : <msg>."
 * Warnings ("L6 sample fetch <req.len]> ignored in HTTP log-format string.") are reported here,
 * on ctx's line.
 */
import type { KeywordContext } from '../config/keywords.js';
import type { SampleExprModel } from '../config/model/sample.js';
import { fetchUnavailableLabel, fetchUsesL6, parseCriterion } from '../acl/sample-bridge.js';
import type { SampleUse } from '../sample/types.js';
import { sampleNotYet } from '../sample/compile.js';
import { findLogFormatVar } from './log-format-vars.js';

export interface LogFormatPart {
  /** 'separator': a run of spaces, when spaces are merged (log-format). */
  readonly kind: 'text' | 'separator' | 'var' | 'expr';
  /** The text, the variable name, or the sample expression as written. */
  readonly value: string;
  /** Flags in effect: 'Q' quote, 'X' hexadecimal, 'E' escape, 'M' mandatory ('-' when empty). */
  readonly options?: readonly string[];
  /** The parsed sample expression of an 'expr' part. */
  readonly expr?: SampleExprModel;
}

export type LogFormatParse = { parts: LogFormatPart[] } | { error: string };

export interface LogFormatOptions {
  /** Spaces separate fields and are merged (log-format, unique-id-format). Default: use 'log'. */
  readonly mergeSpaces?: boolean;
  /** Flags every node starts with (log-format: M). */
  readonly defaults?: readonly string[];
  /** An HTTP log-format string (http-request actions, unique-id-format): L6 fetches are ignored there. */
  readonly http?: boolean;
}

const FLAG_NAMES = ['M', 'Q', 'X', 'E'];
const HTTP_USES = /http|use-backend|use-server/;

/** Applies "+Q,-X,..." to a set of flags; unknown or unsigned items are ignored (HAProxy). */
function applyFlags(flags: Set<string>, arg: string): void {
  for (const item of arg.split(',')) {
    const sign = item[0];
    const name = item.slice(1);
    if ((sign !== '+' && sign !== '-') || !FLAG_NAMES.includes(name)) continue;
    if (sign === '+') flags.add(name);
    else flags.delete(name);
  }
}

/** Name characters of fetches and converters (HAProxy's is_idchar). */
const ID = /[A-Za-z0-9_.+:-]/;

/**
 * End of the sample expression starting at `i`, as HAProxy's parser stops: the fetch name,
 * its "(args)", then ",converter(args)" as long as a comma follows. Arguments end at the
 * first ')' outside quotes.
 */
function sampleExtent(s: string, i: number): number {
  const name = (): void => {
    while (i < s.length && ID.test(s[i]!)) i++;
  };
  const args = (): void => {
    if (s[i] !== '(') return;
    i++;
    let quote = '';
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\\' && quote !== "'") {
        i += 2;
        continue;
      }
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === ')') {
        i++;
        return;
      }
      i++;
    }
  };
  name();
  args();
  while (s[i] === ',') {
    while (s[i] === ',') i++;
    name();
    args();
  }
  return Math.min(i, s.length);
}

function isProxyState(state: unknown): state is { mode: string } {
  return typeof state === 'object' && state !== null && typeof (state as { mode?: unknown }).mode === 'string' && 'acls' in state;
}

/** HAProxy's isprint() in the C locale. */
const isPrint = (c: string): boolean => c >= ' ' && c <= '~';

export function parseLogFormat(ctx: KeywordContext<unknown>, text: string, use: SampleUse, opts: LogFormatOptions = {}): LogFormatParse {
  const http = opts.http ?? HTTP_USES.test(use);
  const httpMode = isProxyState(ctx.state) ? ctx.state.mode === 'http' : true;
  return scanLogFormat(text, use === 'log', opts, {
    httpMode,
    expr(exprText, rest) {
      const r = parseCriterion(ctx, exprText);
      if ('error' in r) return { error: `failed to parse sample expression <${rest}> : ${r.error}` };
      return {
        expr: r.expr,
        check() {
          const label = fetchUnavailableLabel(r, use);
          if (label !== undefined) return `sample fetch <${rest}> may not be reliably used here because it needs '${label}' which is not available here`;
          if (http && fetchUsesL6(r)) ctx.warning(`L6 sample fetch <${rest}> ignored in HTTP log-format string.`);
          // A proxy's log-format evaluates its expressions when a stream logs; one whose fetches
          // or converters do not run is refused (the other format keywords are refused whole).
          const missing = use === 'log' && ctx.words[0] === 'log-format' ? sampleNotYet(r.expr) : [];
          if (missing.length > 0) ctx.notYet(`${missing.join(', ')} in a log-format ('%[${exprText}]')`);
          return undefined;
        },
      };
    },
  });
}

/**
 * Compiles a format string the configuration already accepted, for the runtime (no sample
 * expression: those are refused at startup). `log`: the log-format defaults (spaces merged,
 * mandatory flag).
 */
export function compileLogFormatText(text: string, log = true): LogFormatParse {
  return scanLogFormat(text, log, {}, {
    httpMode: true,
    expr: () => ({ error: 'sample expressions in log formats are not supported yet' }),
  });
}

interface ScanHooks {
  readonly httpMode: boolean;
  /** Parses "%[...]": an error, or the expression with the checks to run once its ']' is seen. */
  expr(exprText: string, rest: string): { error: string } | { expr: SampleExprModel; check(): string | undefined };
}

/** The scanner shared by the configuration check and the runtime compiler. */
function scanLogFormat(text: string, log: boolean, opts: LogFormatOptions, hooks: ScanHooks): LogFormatParse {
  const merge = opts.mergeSpaces ?? log;
  let defaults = new Set<string>(opts.defaults ?? (log ? ['M'] : []));
  const parts: LogFormatPart[] = [];
  let pending = '';
  const flush = (): void => {
    if (pending !== '') parts.push({ kind: 'text', value: pending });
    pending = '';
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' && merge) {
      flush();
      while (text[i] === ' ') i++;
      parts.push({ kind: 'separator', value: ' ' });
      continue;
    }
    if (c !== '%') {
      pending += c;
      i++;
      continue;
    }
    // After '%'.
    i++;
    if (i >= n) return { error: "truncated line after '%'" };
    let d = text[i]!;
    if (d === '%') {
      pending += '%';
      i++;
      continue;
    }
    let arg: string | undefined;
    if (d === '{') {
      const close = text.indexOf('}', i + 1);
      if (close < 0) return { error: `truncated line after '${text.slice(i + 1)}'` };
      arg = text.slice(i + 1, close);
      i = close + 1;
      d = text[i] ?? '';
      if (d !== '[' && !/[A-Za-z0-9]/.test(d)) return { error: `parse argument modifier without variable name near '%{${arg}}'` };
    } else if (/[0-9 \t]/.test(d)) {
      return { error: `unexpected variable name near '${d}' at position ${i} line : '${text}'. Maybe you want to write a single '%', use the syntax '%%'` };
    } else if (d !== '[' && !/[A-Za-z]/.test(d)) {
      // Any other character: the '%' is dropped and the character starts plain text.
      continue;
    }
    flush();
    const flags = new Set(defaults);
    if (arg !== undefined) applyFlags(flags, arg);
    if (d === '[') {
      const start = i + 1;
      const end = sampleExtent(text, start);
      const rest = text.slice(start);
      const exprText = text.slice(start, end);
      const r = hooks.expr(exprText, rest);
      if ('error' in r) return r;
      if (text[end] !== ']') {
        const found = text[end];
        if (found !== undefined && isPrint(found)) return { error: `expected ']' after '${exprText}', but found '${found}'` };
        return { error: `missing ']' after '${exprText}'` };
      }
      const refused = r.check();
      if (refused !== undefined) return { error: refused };
      parts.push({ kind: 'expr', value: exprText, options: [...flags], expr: r.expr });
      i = end + 1;
      continue;
    }
    // A variable: its first character is a letter (or a digit after "%{...}").
    const m = /^[A-Za-z0-9]*/.exec(text.slice(i))![0];
    i += m.length;
    const row = findLogFormatVar(m);
    if (!row) return { error: `no such format variable '${m}'. If you wanted to emit the '%' character verbatim, you need to use '%%'` };
    if (row.mode === 'http' && !hooks.httpMode) return { error: `format variable '${m}' is reserved for HTTP mode` };
    if (m === 'o') {
      defaults = flags;
      continue;
    }
    parts.push({ kind: 'var', value: m, options: [...flags] });
  }
  flush();
  return { parts };
}
