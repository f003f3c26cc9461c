/**
 * Arguments of sample fetches and converters (configuration.txt 7.3): the second-level
 * tokenizer of configuration.txt 2.2 and the typed readers, with HAProxy's messages
 * (make_arg_list). Behaviour established by experiment with haproxy 2.6:
 *
 * - arguments end at ',' or ')' outside quotes; '(' has no meaning;
 * - "..." (weak) and '...' (strong) quotes may cover any part of an argument and are removed;
 * - outside single quotes, a backslash escapes ' ', '\', '"', '\'' and stands for LF, CR, TAB
 *   before 'n', 'r', 't'; before any other character (',', ')', '#', '$', 'x', ...) it is kept
 *   as written and the next character keeps its meaning (so "a\,b" is "a\" then "b");
 * - a backslash ending the text is an error ("failed to parse '\' after 'a' ...");
 * - an empty argument of a type that cannot be empty (integer, address, mask, field number)
 *   ends the list: fine when the remaining ones are optional and ')' follows. After a comma,
 *   HAProxy still fills that argument with a zero value, which keywords' own checks see
 *   (`be2hex(:,)` has a chunk size of 0); "()" alone gives no argument;
 * - empty strings, names (table, backend, ...) and regexes count as arguments; an empty name
 *   means the current proxy;
 * - without parentheses, a keyword with mandatory arguments reads them from an empty text (so
 *   `int` says "expected type 'integer' at position 1, but got nothing"); one without
 *   mandatory arguments has none.
 */
import type { ArgSpec, ArgType, SampleArgModel } from './types.js';

/** Type names in HAProxy's messages (arg_type_names). */
export const ARG_TYPE_NAMES: Record<ArgType, string> = {
  sint: 'integer',
  str: 'string',
  ipv4: 'IPv4 address',
  msk4: 'IPv4 mask',
  ipv6: 'IPv6 address',
  msk6: 'IPv6 mask',
  fe: 'frontend',
  be: 'backend',
  tab: 'table',
  srv: 'server',
  usr: 'user list',
  reg: 'regex',
  pbuf: 'Protocol buffers field number',
};

/** Types kept as text and checked (resolved) once the whole configuration is read. */
const RESOLVED: ReadonlySet<ArgType> = new Set(['fe', 'be', 'tab', 'srv', 'usr', 'reg']);

/** Types whose empty value is an argument (the others end the list when empty). */
function mayBeEmpty(t: ArgType): boolean {
  return t === 'str' || RESOLVED.has(t);
}

const specCache = new Map<string, ArgSpec>();

/**
 * Reads a row's argument list: comma-separated types, '?' marking optional ones (which must
 * come last), e.g. "str?,sint?" for req.hdr([<name>[,<occ>]]). Empty: no argument.
 */
export function parseArgSpec(dsl: string): ArgSpec {
  let spec = specCache.get(dsl);
  if (spec) return spec;
  const types: ArgType[] = [];
  let min = 0;
  for (const part of dsl === '' ? [] : dsl.split(',')) {
    const optional = part.endsWith('?');
    const t = (optional ? part.slice(0, -1) : part) as ArgType;
    if (!(t in ARG_TYPE_NAMES)) throw new Error(`bad argument type '${part}' in '${dsl}'`);
    if (!optional) {
      if (min !== types.length) throw new Error(`mandatory argument after optional one in '${dsl}'`);
      min++;
    }
    types.push(t);
  }
  spec = { types, min };
  specCache.set(dsl, spec);
  return spec;
}

/** The list as HAProxy's dump shows it: "string[,integer]". */
export function describeArgSpec(spec: ArgSpec): string {
  let out = '';
  spec.types.forEach((t, i) => {
    const name = (i > 0 ? ',' : '') + ARG_TYPE_NAMES[t];
    out += i === spec.min ? `[${name}` : name;
  });
  if (spec.min < spec.types.length) out += ']';
  return out;
}

export type ArgListResult =
  | {
      readonly args: string[];
      readonly values: SampleArgModel[];
      /** Index in `text` just after the closing ')' (or `start` without parentheses). */
      readonly end: number;
    }
  | {
      readonly error: string;
      /** 1-based argument number HAProxy names in "invalid arg N in converter ...". */
      readonly argNumber: number;
    };

/**
 * Reads the argument list of a fetch or converter. `text[start]` is '(' when there are
 * arguments; anything else means no parentheses. `currentProxy` is the name an empty proxy
 * or table name stands for.
 */
export function readArgList(text: string, start: number, spec: ArgSpec, currentProxy: string): ArgListResult {
  const hasParens = text[start] === '(';
  if (!hasParens && spec.min === 0) return { args: [], values: [], end: start };
  // Without parentheses, mandatory arguments are read from an empty text.
  const src = hasParens ? text : '';
  let i = hasParens ? start + 1 : 0;
  const args: string[] = [];
  const values: SampleArgModel[] = [];
  let pos = 0;
  let stoppedOnEmpty = false;
  const nb = spec.types.length;

  while (pos < nb) {
    const type = spec.types[pos]!;
    // Cut one argument, removing quotes and escapes.
    let out = '';
    let squote = false;
    let dquote = false;
    while (i < src.length) {
      const c = src[i]!;
      if (c === '"' && !squote) {
        dquote = !dquote;
        i++;
      } else if (c === "'" && !dquote) {
        squote = !squote;
        i++;
      } else if (c === '\\' && !squote) {
        const next = src[i + 1];
        if (next === undefined) {
          return {
            error: `failed to parse '${src.slice(i)}' after '${out}' as type '${ARG_TYPE_NAMES[type]}' at position ${pos + 1}`,
            argNumber: pos + 1,
          };
        }
        if (next === '\\' || next === ' ' || next === '"' || next === "'") {
          out += next;
          i += 2;
        } else if (next === 'n' || next === 'r' || next === 't') {
          out += next === 'n' ? '\n' : next === 'r' ? '\r' : '\t';
          i += 2;
        } else {
          // A lone backslash: kept, and the next character is read normally.
          out += c;
          i++;
        }
      } else if (!squote && !dquote && (c === ',' || c === ')')) {
        break;
      } else {
        out += c;
        i++;
      }
    }

    if (out === '' && !mayBeEmpty(type)) {
      stoppedOnEmpty = true;
      if (pos > 0 && pos >= spec.min) {
        args.push('');
        values.push(zeroValue(type));
      }
      break;
    }
    const value = readTyped(type, out, currentProxy);
    if (value === undefined) {
      return { error: `failed to parse '${out}' as type '${ARG_TYPE_NAMES[type]}' at position ${pos + 1}`, argNumber: pos + 1 };
    }
    args.push(out);
    values.push(value);
    pos++;
    if (i >= src.length || src[i] === ')' || pos >= nb) break;
    i++; // the comma
  }

  if (pos < spec.min) {
    const t = ARG_TYPE_NAMES[spec.types[pos]!];
    if (stoppedOnEmpty) return { error: `expected type '${t}' at position ${pos + 1}, but got nothing`, argNumber: pos + 1 };
    return { error: `missing arguments (got ${pos}/${spec.min}), type '${t}' expected`, argNumber: pos + 1 };
  }
  if (!hasParens) return { args, values, end: start };
  if (src[i] === ')') return { args, values, end: i + 1 };
  const rest = src.slice(i);
  // HAProxy counts the empty part before the missing parenthesis as an argument, then takes
  // one back when reporting.
  const n = pos > 1 ? pos - 1 : pos;
  return { error: rest === '' ? `expected ')'` : `expected ')' before '${rest}'`, argNumber: n + 1 };
}

/** What HAProxy leaves in an argument cut short by an empty value. */
function zeroValue(type: ArgType): SampleArgModel {
  switch (type) {
    case 'ipv4':
      return { type, value: '0.0.0.0' };
    case 'msk4':
      return { type, value: '0.0.0.0', bits: 0 };
    case 'ipv6':
      return { type, value: '::' };
    case 'msk6':
      return { type, value: '::', bits: 0 };
    case 'pbuf':
      return { type, value: [] };
    default:
      return { type: 'sint', value: 0 };
  }
}

/** Converts one non-empty (or empty, for names and strings) argument; undefined when invalid. */
function readTyped(type: ArgType, text: string, currentProxy: string): SampleArgModel | undefined {
  switch (type) {
    case 'sint': {
      const v = readInt64(text);
      return v === undefined ? undefined : { type, value: v };
    }
    case 'str':
      return { type, value: text };
    case 'ipv4':
      return isIPv4(text) ? { type, value: text } : undefined;
    case 'ipv6':
      return isIPv6(text) ? { type, value: text } : undefined;
    case 'msk4': {
      const bits = readMaskBits(text, 32);
      if (bits !== undefined) return { type, value: bitsToIPv4Mask(bits), bits };
      return isIPv4(text) ? { type, value: text } : undefined;
    }
    case 'msk6': {
      const bits = readMaskBits(text, 128);
      if (bits !== undefined) return { type, value: `/${bits}`, bits };
      return isIPv6(text) ? { type, value: text } : undefined;
    }
    case 'pbuf': {
      // Dotted unsigned integers; empty parts count as 0, but not a trailing one.
      if (!/^[0-9]*(\.[0-9]*)*$/.test(text) || text.endsWith('.')) return undefined;
      return { type, value: text.split('.').map((p) => Number(p) >>> 0) };
    }
    case 'be':
    case 'fe':
    case 'tab':
      return { type, value: text === '' ? currentProxy : text, implicit: text === '' };
    case 'usr':
      return { type, value: text, implicit: text === '' };
    case 'srv': {
      const slash = text.indexOf('/');
      return slash < 0 ? { type, value: text, server: text } : { type, value: text, proxy: text.slice(0, slash), server: text.slice(slash + 1) };
    }
    case 'reg':
      return { type, value: text };
  }
}

const INT64_MAX = 9223372036854775807;

/** HAProxy's read_int64: an optional sign then digits (possibly none: "-" is 0), saturated. */
export function readInt64(text: string): number | undefined {
  const m = /^([+-]?)([0-9]*)$/.exec(text);
  if (!m) return undefined;
  const v = m[2] === '' ? 0 : Math.min(Number(m[2]), INT64_MAX);
  return m[1] === '-' ? -v : v;
}

/** A prefix length as strtol reads it (leading blanks allowed, whole text used), within 0..max. */
function readMaskBits(text: string, max: number): number | undefined {
  const m = /^[ \t]*[+]?([0-9]+)$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  return v <= max ? v : undefined;
}

function bitsToIPv4Mask(bits: number): string {
  const m = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 255).join('.');
}

/** inet_pton(AF_INET): four decimal bytes, no leading zeros. */
export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** inet_pton(AF_INET6): hex groups of 1-4 digits, one '::', an IPv4 tail; no zone index. */
export function isIPv6(text: string): boolean {
  let groups = 8;
  let body = text;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    if (!isIPv4(text.slice(lastColon + 1))) return false;
    body = text.slice(0, lastColon + 1) + '0';
    groups = 7;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const hex = /^[0-9a-fA-F]{1,4}$/;
  const count = (s: string): number | undefined => {
    if (s === '') return 0;
    const g = s.split(':');
    return g.every((x) => hex.test(x)) ? g.length : undefined;
  };
  if (halves.length === 1) return count(halves[0]!) === groups;
  const a = count(halves[0]!);
  const b = count(halves[1]!);
  return a !== undefined && b !== undefined && a + b < groups;
}
