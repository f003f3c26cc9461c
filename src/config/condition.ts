/**
 * Conditional expressions of `.if` / `.elif` lines and of `-cc` (configuration.txt 2.4).
 *
 *   expr    := andExpr ( '||' andExpr )*
 *   andExpr := term ( '&&' term )*
 *   term    := '!' term | '(' expr ')' | integer | predicate [ '(' args ')' ]
 *
 * An empty expression is false; an integer is true when not zero. Evaluation itself has no
 * side effect, so the short-circuit order the manual describes cannot be observed and plain
 * left-to-right evaluation gives the same answers.
 */
import { compareVersions, HAPROXY_COMPAT_VERSION, hasFeature, sslLibrary } from '../version.js';

export interface ConditionError {
  /** 'unparsable' and 'trailing' errors are reworded by `.if` with the whole text and a position. */
  kind: 'unparsable' | 'trailing' | 'argument' | 'paren';
  message: string;
  /** 0-based index in the expression text where the error was found. */
  index: number;
}

export type ConditionResult = { value: boolean } | { error: ConditionError };

interface Predicate {
  /** Number of string arguments. */
  args: number;
  /** Arguments may be omitted entirely (then the predicate is false). */
  optionalArgs?: boolean;
  test(args: string[], env: (name: string) => string | undefined): boolean;
}

/** The predicates of HAProxy 2.6, including the two undocumented TLS-library ones its tests use. */
const PREDICATES: Record<string, Predicate> = {
  defined: { args: 1, optionalArgs: true, test: ([name], env) => env(name!) !== undefined },
  // An empty name is "found" in any feature list, as HAProxy's substring search finds it.
  feature: { args: 1, test: ([name]) => name === '' || hasFeature(name!) },
  streq: { args: 2, test: ([a, b]) => a === b },
  strneq: { args: 2, test: ([a, b]) => a !== b },
  version_atleast: { args: 1, test: ([v]) => compareVersions(HAPROXY_COMPAT_VERSION, v!) >= 0 },
  version_before: { args: 1, test: ([v]) => compareVersions(HAPROXY_COMPAT_VERSION, v!) < 0 },
  ssllib_name_startswith: { args: 1, test: ([s]) => sslLibrary.name.startsWith(s!) },
  openssl_version_atleast: { args: 1, test: ([v]) => compareVersions(sslLibrary.version, v!) >= 0 },
  openssl_version_before: { args: 1, test: ([v]) => compareVersions(sslLibrary.version, v!) < 0 },
};

class Fail extends Error {
  constructor(readonly detail: ConditionError) {
    super(detail.message);
  }
}

/** Evaluates a condition text. `env` reads environment variables (for `defined()`). */
export function evaluateCondition(text: string, env: (name: string) => string | undefined): ConditionResult {
  let pos = 0;
  const skipSpaces = (): void => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++;
  };
  const unparsable = (at: number): never => {
    throw new Fail({ kind: 'unparsable', message: `unparsable conditional expression '${text.slice(at)}'`, index: at });
  };

  /*
   * Where HAProxy points in its messages (each case checked with haproxy -cc):
   * - a missing operand after '&&' or '!': the operator ('!' chains from their first '!');
   * - a missing operand after '||': the start of the whole OR expression (0, or its '(');
   * - a parenthesis never closed: the term that opened it, '!' prefixes included (at the top
   *   level, from the very start of the text);
   * - any other unexpected term: where the term began ('!' prefixes included; at the top level,
   *   from the very start of the text, blanks included).
   */
  const parseExpr = (exprStart: number, errAt: number, entry: number): boolean => {
    let value = parseAnd(errAt, entry);
    for (;;) {
      skipSpaces();
      if (!text.startsWith('||', pos)) return value;
      const opAt = pos;
      pos += 2;
      skipSpaces();
      if (pos >= text.length) {
        throw new Fail({ kind: 'unparsable', message: `unparsable conditional expression '${text.slice(exprStart)}'`, index: opAt });
      }
      const right = parseAnd(opAt, pos);
      value = value || right;
    }
  };
  const parseAnd = (errAt: number, entry: number): boolean => {
    let value = parseTerm(errAt, entry, undefined);
    for (;;) {
      skipSpaces();
      if (!text.startsWith('&&', pos)) return value;
      const opAt = pos;
      pos += 2;
      skipSpaces();
      const right = parseTerm(opAt, pos, undefined);
      value = value && right;
    }
  };
  /**
   * errAt: where a missing term is reported; entry: where the term began (for an unclosed
   * parenthesis); bangStart: the first '!' of a chain of negations being read.
   */
  const parseTerm = (errAt: number, entry: number, bangStart: number | undefined): boolean => {
    skipSpaces();
    const start = pos;
    const c = text[pos];
    if (c === undefined) return unparsable(bangStart ?? (errAt < text.length ? errAt : start));
    if (c === '!') {
      pos++;
      return !parseTerm(start, entry, bangStart ?? entry);
    }
    if (c === '(') {
      pos++;
      skipSpaces();
      const value = parseExpr(start, start, pos);
      skipSpaces();
      if (text[pos] !== ')') {
        throw new Fail({ kind: 'paren', message: `expected ')' after conditional expression '${text.slice(entry)}'`, index: entry });
      }
      pos++;
      return value;
    }
    const num = readInteger(text, pos);
    if (num) {
      pos = num.end;
      return num.value !== 0;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (!ident) return unparsable(bangStart ?? entry);
    const pred = PREDICATES[ident[0]];
    if (!pred) return unparsable(bangStart ?? entry);
    pos += ident[0].length;
    const args = parsePredicateArgs(ident[0], pred);
    if (args === null) return false;
    return pred.test(args, env);
  };

  /** Reads "(a,b)" after a predicate name. Returns null when omitted and allowed. */
  const parsePredicateArgs = (name: string, pred: Predicate): string[] | null => {
    const where = (k: number): string => `in argument ${k} of predicate '${name}' used in conditional expression`;
    if (text[pos] !== '(') {
      if (pred.optionalArgs) return null;
      throw new Fail({
        kind: 'argument',
        message: `missing arguments (got 0/${pred.args}), type 'string' expected ${where(1)}`,
        index: pos,
      });
    }
    pos++;
    const args: string[] = [];
    if (text[pos] === ')' && pred.optionalArgs) {
      pos++;
      return null;
    }
    // HAProxy numbers the argument in its messages this way (checked case by case with -cc).
    const argNo = (k: number): number => Math.max(1, Math.min(k, pred.args - 1));
    for (let k = 0; ; k++) {
      args.push(readArgument());
      const c = quoteOpen ? undefined : text[pos];
      const more = k + 1 < pred.args;
      if (c === ',' && more) {
        pos++;
        continue;
      }
      if ((c === ')' || c === undefined) && more) {
        throw new Fail({
          kind: 'argument',
          message: `missing arguments (got ${k + 1}/${pred.args}), type 'string' expected ${where(argNo(k + 1))}`,
          index: c === undefined ? text.length : pos,
        });
      }
      if (c === ')') {
        pos++;
        break;
      }
      if (c === undefined) throw new Fail({ kind: 'argument', message: `expected ')' ${where(argNo(k + 1))}`, index: text.length });
      throw new Fail({ kind: 'argument', message: `expected ')' before '${text.slice(pos)}' ${where(argNo(k + 1))}`, index: pos });
    }
    return args;
  };

  let quoteOpen = false;
  /** One argument: quotes are removed, ',' and ')' end it outside quotes (2.2, second level). */
  const readArgument = (): string => {
    let out = '';
    let quote: string | null = null;
    while (pos < text.length) {
      const c = text[pos]!;
      if (quote) {
        if (c === quote) quote = null;
        else if (c === '\\' && quote === '"' && pos + 1 < text.length) out += text[++pos];
        else out += c;
        pos++;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        pos++;
        continue;
      }
      if (c === '\\' && pos + 1 < text.length) {
        out += text[pos + 1];
        pos += 2;
        continue;
      }
      if (c === ',' || c === ')') break;
      out += c;
      pos++;
    }
    // An unterminated quote swallows the rest: HAProxy then reports the missing ')'.
    quoteOpen = quote !== null;
    return out;
  };

  try {
    skipSpaces();
    if (pos >= text.length) return { value: false };
    const value = parseExpr(0, 0, 0);
    skipSpaces();
    if (pos < text.length) {
      return {
        error: {
          kind: 'trailing',
          message: `unexpected character '${text[pos]}' at the end of conditional expression '${text}'`,
          index: pos,
        },
      };
    }
    return { value };
  } catch (e) {
    if (e instanceof Fail) return { error: e.detail };
    throw e;
  }
}

/**
 * strtoll(text, 0) at `at`: an optional sign, then 0x hexadecimal, 0 octal or decimal digits.
 * Stops at the first character that does not fit ("08" reads 0, then '8' is left over).
 * Undefined when there is no digit at all.
 */
function readInteger(text: string, at: number): { value: number; end: number } | undefined {
  let i = at;
  let sign = 1;
  if (text[i] === '+' || text[i] === '-') {
    if (text[i] === '-') sign = -1;
    i++;
  }
  if (!/[0-9]/.test(text[i] ?? '')) return undefined;
  if (text[i] === '0' && /[xX]/.test(text[i + 1] ?? '') && /[0-9A-Fa-f]/.test(text[i + 2] ?? '')) {
    const m = /^[0-9A-Fa-f]+/.exec(text.slice(i + 2))![0];
    return { value: sign * parseInt(m, 16), end: i + 2 + m.length };
  }
  if (text[i] === '0') {
    const m = /^[0-7]*/.exec(text.slice(i + 1))![0];
    return { value: sign * (m === '' ? 0 : parseInt(m, 8)), end: i + 1 + m.length };
  }
  const m = /^[0-9]+/.exec(text.slice(i))![0];
  return { value: sign * parseInt(m, 10), end: i + m.length };
}
