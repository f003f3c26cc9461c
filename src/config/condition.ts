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
  feature: { args: 1, test: ([name]) => hasFeature(name!) },
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

  const parseExpr = (): boolean => {
    skipSpaces();
    const exprStart = pos;
    let value = parseAnd();
    for (;;) {
      skipSpaces();
      if (!text.startsWith('||', pos)) return value;
      const opAt = pos;
      pos += 2;
      skipSpaces();
      // HAProxy quotes the whole OR expression when its right side is missing.
      if (pos >= text.length) {
        throw new Fail({ kind: 'unparsable', message: `unparsable conditional expression '${text.slice(exprStart)}'`, index: opAt });
      }
      const right = parseAndAt(opAt);
      value = value || right;
    }
  };
  const parseAnd = (): boolean => parseAndAt(pos);
  const parseAndAt = (errAt: number): boolean => {
    let value = parseTermAt(errAt);
    for (;;) {
      skipSpaces();
      if (!text.startsWith('&&', pos)) return value;
      const opAt = pos;
      pos += 2;
      const right = parseTermAt(opAt);
      value = value && right;
    }
  };
  /** errAt: where an empty term is reported (the operator before it, as HAProxy does). */
  const parseTermAt = (errAt: number): boolean => {
    skipSpaces();
    const start = pos;
    const c = text[pos];
    if (c === undefined) return unparsable(errAt < start && errAt < text.length ? errAt : start);
    if (c === '!') {
      pos++;
      return !parseTermAt(start);
    }
    if (c === '(') {
      pos++;
      const value = parseExpr();
      skipSpaces();
      if (text[pos] !== ')') {
        throw new Fail({ kind: 'paren', message: `expected ')' after conditional expression '${text.slice(start)}'`, index: start });
      }
      pos++;
      return value;
    }
    const num = /^[-+]?(0[xX][0-9A-Fa-f]+|[0-9]+)/.exec(text.slice(pos));
    if (num) {
      pos += num[0].length;
      return parseIntegerLiteral(num[0]) !== 0;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (!ident) return unparsable(start);
    const pred = PREDICATES[ident[0]];
    if (!pred) return unparsable(start);
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
    const value = parseExpr();
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

/** strtoll(s, 0)-like: decimal, 0x hexadecimal, leading 0 octal. */
function parseIntegerLiteral(s: string): number {
  const neg = s.startsWith('-');
  const body = s.replace(/^[-+]/, '');
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[0-7]+$/.test(body)) v = parseInt(body, 8);
  else v = parseInt(body, 10);
  return neg ? -v : v;
}
