/**
 * Pattern parsers of the match methods (configuration.txt 7.1.2 - 7.1.6), with HAProxy's
 * messages. Integers and dotted versions are ranges; the "eq/ge/gt/le/lt" operators of 7.1.2
 * are rewritten into ranges before parsing, exactly as HAProxy does (so "gt 9223372036854775807"
 * fails the same way).
 */
import type { PatternKind } from '../config/model/acl.js';
import { parseIpPattern, type HostPattern } from './ip.js';
import { compileRegex } from './regex.js';
import type { PatternOptions, PatternParse } from './types.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * A decimal integer with an optional leading '-', as HAProxy's strl2llrc reads it: no '+', no
 * spaces, no empty string, but a lone '-' reads as 0. Returns undefined when invalid.
 */
export function readInt64(s: string): bigint | undefined {
  if (s.length === 0) return undefined;
  const neg = s[0] === '-';
  const digits = neg ? s.slice(1) : s;
  if (!/^[0-9]*$/.test(digits)) return undefined;
  const v = digits === '' ? 0n : neg ? -BigInt(digits) : BigInt(digits);
  if (v > INT64_MAX || v < INT64_MIN) return undefined;
  return v;
}

/** "major[.minor]" as a 32-bit version number (major << 16 | minor), HAProxy's strl2llrc_dotted. */
function readDotted(s: string): bigint | undefined {
  const dot = s.indexOf('.');
  const major = readInt64(dot < 0 ? s : s.slice(0, dot));
  if (major === undefined || major >= 65536n) return undefined;
  let minor = 0n;
  if (dot >= 0) {
    const m = readInt64(s.slice(dot + 1));
    if (m === undefined || m >= 65536n) return undefined;
    minor = m;
  }
  return (major << 16n) | (minor & 0xffffn);
}

/**
 * Parses "a", "a:b", ":b", "a:" ('-' also separates, so "-5" means ":5"). `read` reads one
 * bound; `what` is "number" or "dotted number" for the messages.
 */
function parseRange(text: string, read: (s: string) => bigint | undefined, dotted: boolean): PatternParse {
  const what = dotted ? 'dotted number' : 'number';
  const bad: PatternParse = { error: `'${text}' is not a valid ${what} range` };
  const sep = text.search(/[:-]/);
  const range = (min?: bigint, max?: bigint): PatternParse => ({
    pattern: { type: 'range', text, min: min === undefined ? undefined : Number(min), max: max === undefined ? undefined : Number(max) },
  });
  if (sep < 0) {
    // Integers: an empty text is a bad range; dotted numbers: "not a dotted number".
    if (text === '' && !dotted) return bad;
    const v = read(text);
    if (v === undefined) return { error: `'${text}' is not a ${what}` };
    return range(v, v);
  }
  if (sep === 0 && text.length > 1) {
    const max = read(text.slice(1));
    return max === undefined ? bad : range(undefined, max);
  }
  if (sep === text.length - 1) {
    const min = read(text.slice(0, sep));
    return min === undefined ? bad : range(min, undefined);
  }
  const min = read(text.slice(0, sep));
  const max = read(text.slice(sep + 1));
  if (min === undefined || max === undefined || min > max) return bad;
  return range(min, max);
}

export function parseIntPattern(text: string): PatternParse {
  return parseRange(text, readInt64, false);
}

export function parseDottedPattern(text: string): PatternParse {
  return parseRange(text, readDotted, true);
}

/** bin: an even number of hexadecimal digits. */
export function parseBinPattern(text: string): PatternParse {
  if (text.length % 2 !== 0) return { error: 'an even number of hex digit is expected' };
  for (const c of text) {
    if (!/[0-9a-fA-F]/.test(c)) return { error: `an hex digit is expected (found '${c}')` };
  }
  return { pattern: { type: 'bin', text, hex: text.toLowerCase() } };
}

/** The comparison operators of configuration.txt 7.1.2 (case-sensitive, as HAProxy). */
export type IntOperator = 'eq' | 'ge' | 'gt' | 'le' | 'lt';
export const INT_OPERATORS: readonly string[] = ['eq', 'ge', 'gt', 'le', 'lt'];

/**
 * Rewrites "<op> <value>" into the range syntax the parser reads ("gt 5" -> "6:"), with
 * HAProxy's messages. A value holding ':' or '-' is kept as written, operator or not.
 */
export function applyOperator(op: IntOperator, value: string, dotted: boolean): { text: string } | { error: string } {
  if (op === 'eq' || /[:-]/.test(value)) return { text: value };
  const dot = value.indexOf('.');
  let minor = 0n;
  if (dotted && dot >= 0) {
    const m = readInt64(value.slice(dot + 1));
    if (m === undefined) return { error: `'${value}' is neither a number nor a supported operator` };
    if (m >= 65536n) return { error: `'${value}' contains too large a minor value` };
    minor = m;
  }
  // Integers ignore what follows a dot ("gt 3.7" reads as "gt 3"), as HAProxy does.
  let v = readInt64(dot < 0 ? value : value.slice(0, dot));
  if (v === undefined) return { error: `'${value}' is neither a number nor a supported operator` };
  if (dotted) {
    if (v >= 65536n) return { error: `'${value}' contains too large a major value` };
    v = (v << 16n) | (minor & 0xffffn);
  }
  if (op === 'gt') v += 1n;
  if (op === 'lt') v -= 1n;
  v = BigInt.asIntN(64, v); // C's signed overflow wraps
  const shown = dotted ? `${v >> 16n}.${v & 0xffffn}` : `${v}`;
  return { text: op === 'gt' || op === 'ge' ? `${shown}:` : `:${shown}` };
}

/**
 * Parses one pattern for a pattern kind. IP patterns that name a host (no -n) are returned
 * as `resolve` for the caller to resolve after parsing.
 */
export function parsePattern(kind: PatternKind, text: string, opts: PatternOptions): PatternParse | { resolve: HostPattern } {
  switch (kind) {
    case 'int':
    case 'len':
      return parseIntPattern(text);
    case 'ver':
      return parseDottedPattern(text);
    case 'ip':
      return parseIpPattern(text, !opts.noDns);
    case 'bin':
      return parseBinPattern(text);
    case 'reg': {
      // ACL regexes are compiled without captures (HAProxy's regex_comp(cap=0)).
      const r = compileRegex(text, { caseless: opts.ignoreCase, noCapture: true });
      if ('error' in r) return { error: r.error };
      return { pattern: { type: 'reg', text, js: r.source, jsFlags: r.flags, untranslated: r.untranslated } };
    }
    default:
      // found and bool ignore their patterns; str, sub, beg, end, dir, dom, meth take any text.
      return { pattern: { type: 'str', text } };
  }
}
