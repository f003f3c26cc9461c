/**
 * Validation of the regular expressions of health-check rules (rstring, rstatus, rbinary,
 * hdr -m reg). HAProxy compiles them with PCRE2 and refuses the configuration with PCRE2's
 * message and offset:
 *
 *   regex '(' is invalid (error=missing closing parenthesis, erroffset=1)
 *
 * A JavaScript RegExp cannot judge PCRE syntax (it refuses valid PCRE such as possessive
 * quantifiers or (?P<name>...)), so this is a small scanner that finds the syntax errors
 * people actually make, with PCRE2's wording; anything it does not understand is accepted.
 */

export interface RegexError {
  readonly message: string;
  readonly offset: number;
}

/** Returns HAProxy's error message for an invalid pattern, or undefined when it compiles. */
export function regexError(pattern: string): string | undefined {
  const e = scanPcre(pattern);
  return e ? `regex '${pattern}' is invalid (error=${e.message}, erroffset=${e.offset})` : undefined;
}

const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);

const GROUP_STARTS = new Set([':', '=', '!', '>', '|', '#', '<', 'P', "'", '(', 'R', '+', '-', '&', 'C', '^']);

/** Finds the first PCRE2 syntax error of `p` that this scanner knows about. */
export function scanPcre(p: string): RegexError | undefined {
  let depth = 0;
  /** The previous item can take a quantifier. */
  let repeatable = false;
  /** The previous item was a quantifier (a second one is an error, except one ? or + modifier). */
  let quantified = false;
  let modified = false;
  let i = 0;
  const n = p.length;
  const quantifier = (offset: number): RegexError | undefined => {
    if (!repeatable || quantified) return { message: 'quantifier does not follow a repeatable item', offset };
    quantified = true;
    modified = false;
    return undefined;
  };
  while (i < n) {
    const c = p[i]!;
    if (c === '\\') {
      if (i + 1 >= n) return { message: '\\ at end of pattern', offset: n };
      const e = p[i + 1]!;
      if (e === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        i = end < 0 ? n : end + 2;
        repeatable = true;
        quantified = false;
        continue;
      }
      i += 2;
      // \x{...}, \p{...}, \k<...>, \g{...}: skip the braced part.
      if ('xpPkgoN'.includes(e) && (p[i] === '{' || p[i] === '<')) {
        const close = p.indexOf(p[i] === '{' ? '}' : '>', i);
        i = close < 0 ? n : close + 1;
      }
      // Assertions cannot be repeated.
      repeatable = !'bBAzZGK'.includes(e);
      quantified = false;
      continue;
    }
    if (c === '[') {
      const end = scanClass(p, i);
      if (typeof end !== 'number') return end;
      i = end;
      repeatable = true;
      quantified = false;
      continue;
    }
    if (c === '(') {
      if (p[i + 1] === '*') {
        // (*VERB) and (*VERB:NAME): start-of-pattern options and backtracking verbs.
        const close = p.indexOf(')', i);
        i = close < 0 ? n : close + 1;
        continue;
      }
      if (p[i + 1] === '?') {
        if (i + 2 >= n) return { message: 'missing closing parenthesis', offset: n };
        const k = p[i + 2]!;
        if (k === '#') {
          const close = p.indexOf(')', i);
          if (close < 0) return { message: 'missing ) after (?# comment', offset: n };
          i = close + 1;
          continue;
        }
        if (!GROUP_STARTS.has(k) && !/[0-9a-zA-Z]/.test(k)) {
          return { message: 'unrecognized character after (? or (?-', offset: i + 2 };
        }
        if ((/[a-zA-Z^]/.test(k) || k === '-') && k !== 'P' && k !== 'R' && k !== 'C') {
          // Option settings: "(?i)" changes options for what follows, "(?i:" opens a group.
          let j = i + 2;
          while (j < n && /[imnsxJU^-]/.test(p[j]!)) j++;
          if (j >= n) return { message: 'missing closing parenthesis', offset: n };
          if (p[j] !== ')' && p[j] !== ':') return { message: 'unrecognized character after (? or (?-', offset: j };
          if (p[j] === ')') {
            i = j + 1;
            repeatable = false;
            quantified = false;
            continue;
          }
          i = j + 1;
        } else if (k === '<' && p[i + 3] !== '=' && p[i + 3] !== '!') {
          // Named group (?<name>...).
          const close = p.indexOf('>', i + 3);
          i = close < 0 ? n : close + 1;
        } else if (k === 'P' && p[i + 3] === '<') {
          const close = p.indexOf('>', i + 4);
          i = close < 0 ? n : close + 1;
        } else if (k === "'") {
          const close = p.indexOf("'", i + 3);
          i = close < 0 ? n : close + 1;
        } else if (k === '<') {
          i += 4; // (?<= (?<!
        } else {
          i += 3; // (?: (?= (?! (?> (?| and the rarer forms
        }
        depth++;
        repeatable = false;
        quantified = false;
        continue;
      }
      depth++;
      i++;
      repeatable = false;
      quantified = false;
      continue;
    }
    if (c === ')') {
      if (depth === 0) return { message: 'unmatched closing parenthesis', offset: i };
      depth--;
      i++;
      repeatable = true;
      quantified = false;
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      if (quantified && !modified && (c === '?' || c === '+')) {
        modified = true;
        i++;
        continue;
      }
      const e = quantifier(i);
      if (e) return e;
      i++;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (m) {
        const close = i + m[0].length - 1;
        const e = quantifier(close);
        if (e) return e;
        const lo = Number(m[1]);
        const hi = m[3] ? Number(m[3]) : undefined;
        if (lo > 65535 || (hi !== undefined && hi > 65535)) return { message: 'number too big in {} quantifier', offset: close };
        if (hi !== undefined && hi < lo) return { message: 'numbers out of order in {} quantifier', offset: close };
        i = close + 1;
        continue;
      }
    }
    repeatable = c !== '|' && c !== '^' && c !== '$';
    quantified = false;
    i++;
  }
  if (depth > 0) return { message: 'missing closing parenthesis', offset: n };
  return undefined;
}

/** Scans a character class starting at `start` ('['); returns the index after its ']'. */
function scanClass(p: string, start: number): number | RegexError {
  const n = p.length;
  let i = start + 1;
  if (p[i] === '^') i++;
  let first = true;
  /** The last single character of the class, for range checks. */
  let prev: number | undefined;
  let pendingRange = false;
  while (i < n) {
    const c = p[i]!;
    if (c === ']' && !first) return i + 1;
    first = false;
    if (c === '[' && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      if (close >= 0) {
        if (!POSIX_CLASSES.has(p.slice(i + 2, close).replace(/^\^/, ''))) return { message: 'unknown POSIX class name', offset: i + 2 };
        i = close + 2;
        prev = undefined;
        pendingRange = false;
        continue;
      }
    }
    let code: number | undefined;
    let next = i + 1;
    if (c === '\\') {
      if (i + 1 >= n) return { message: '\\ at end of pattern', offset: n };
      const e = p[i + 1]!;
      next = i + 2;
      const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, e: 27, a: 7, '\\': 92, ']': 93, '-': 45, '[': 91, '^': 94 };
      if (e in simple) code = simple[e];
      else if (!/[a-zA-Z0-9]/.test(e)) code = e.charCodeAt(0);
      else if ('xpP'.includes(e) && p[next] === '{') {
        const close = p.indexOf('}', next);
        next = close < 0 ? n : close + 1;
      }
    } else {
      code = c.charCodeAt(0);
    }
    if (pendingRange) {
      if (code !== undefined && prev !== undefined && code < prev) {
        return { message: 'range out of order in character class', offset: next - 1 };
      }
      pendingRange = false;
      prev = undefined;
    } else if (c === '-' && prev !== undefined && p[i + 1] !== ']') {
      pendingRange = true;
    } else {
      prev = code;
    }
    i = next;
  }
  return { message: 'missing terminating ] for character class', offset: n };
}
