/**
 * Regular expressions in actions (replace-header, replace-uri, del-header -m reg, ...).
 * HAProxy compiles them with PCRE2; a JavaScript RegExp accepts a different language, so the
 * configuration is checked with a small scanner of PCRE2's syntax that finds the mistakes
 * people make (unbalanced parentheses and brackets, misplaced quantifiers, reversed ranges)
 * and words them as PCRE2 does, with HAProxy's "regex '<re>' is invalid (error=<pcre error>,
 * erroffset=<n>)". Other PCRE2 errors are not detected.
 */

export interface RegexError {
  readonly message: string;
  readonly offset: number;
}

const QUANT = /^\{(\d+)(?:,(\d*))?\}/;

/** The first PCRE2 syntax error of `re`, or undefined. */
export function pcreSyntaxError(re: string): RegexError | undefined {
  let depth = 0;
  /** Whether the previous item can take a quantifier. */
  let repeatable = false;
  /** The previous item was a quantifier (a second one is an error, except +/? modifiers). */
  let afterQuant = false;
  let i = 0;
  const n = re.length;
  while (i < n) {
    const c = re[i]!;
    if (c === '\\') {
      if (i + 1 >= n) return { message: '\\ at end of pattern', offset: n };
      const e = re[i + 1]!;
      if (e === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        i = end < 0 ? n : end + 2;
        repeatable = end < 0 ? repeatable : true;
        afterQuant = false;
        continue;
      }
      if (e === 'k' && !/^[{<']/.test(re[i + 2] ?? '')) {
        return { message: '\\k is not followed by a braced, angle-bracketed, or quoted name', offset: i + 2 };
      }
      i += 2;
      if (/[xpPgko]/.test(e) && re[i] === '{') {
        const end = re.indexOf('}', i);
        if (end > 0) i = end + 1;
      } else if (e === 'k' && (re[i] === '<' || re[i] === "'")) {
        const end = re.indexOf(re[i] === '<' ? '>' : "'", i + 1);
        if (end > 0) i = end + 1;
      }
      repeatable = !/[bBAzZG]/.test(e);
      afterQuant = false;
      continue;
    }
    if (c === '[') {
      const end = classEnd(re, i);
      if ('message' in end) return end;
      i = end.next;
      repeatable = true;
      afterQuant = false;
      continue;
    }
    if (c === '(') {
      depth++;
      i++;
      if (re[i] === '?') {
        if (re[i + 1] === '#') {
          const end = re.indexOf(')', i);
          if (end < 0) return { message: 'missing ) after (?# comment', offset: n };
          depth--;
          i = end + 1;
          continue;
        }
        // Option settings "(?i)" form no group.
        const opt = /^\?[a-zA-Z^-]*\)/.exec(re.slice(i));
        if (opt) {
          depth--;
          i += opt[0].length;
          continue;
        }
        const named = /^\?(?:P?<[A-Za-z_]\w*>|'[A-Za-z_]\w*'|[:=!>|]|<=|<!|[a-zA-Z^-]*:)/.exec(re.slice(i));
        if (named) i += named[0].length;
        else {
          const ref = /^\?(?:P=[A-Za-z_]\w*|P>[A-Za-z_]\w*|&[A-Za-z_]\w*|R|[+-]?\d+)\)/.exec(re.slice(i));
          if (ref) {
            depth--;
            i += ref[0].length;
            repeatable = true;
            afterQuant = false;
            continue;
          }
        }
      }
      repeatable = false;
      afterQuant = false;
      continue;
    }
    if (c === ')') {
      if (depth === 0) return { message: 'unmatched closing parenthesis', offset: i };
      depth--;
      i++;
      repeatable = true;
      afterQuant = false;
      continue;
    }
    if (c === '|') {
      i++;
      repeatable = false;
      afterQuant = false;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && QUANT.test(re.slice(i)))) {
      if (afterQuant && (c === '+' || c === '?')) {
        // lazy or possessive modifier of the previous quantifier
        afterQuant = false;
        repeatable = false;
        i++;
        continue;
      }
      if (!repeatable) return { message: 'quantifier does not follow a repeatable item', offset: i };
      if (c === '{') {
        const m = QUANT.exec(re.slice(i))!;
        const len = m[0].length;
        if (m[2] !== undefined && m[2] !== '' && Number(m[2]) < Number(m[1])) {
          return { message: 'numbers out of order in {} quantifier', offset: i + len - 1 };
        }
        i += len;
      } else i++;
      repeatable = false;
      afterQuant = true;
      continue;
    }
    if (c === '^' || c === '$') {
      i++;
      repeatable = false;
      afterQuant = false;
      continue;
    }
    i++;
    repeatable = true;
    afterQuant = false;
  }
  if (depth > 0) return { message: 'missing closing parenthesis', offset: n };
  return undefined;
}

/** Finds the end of the character class starting at `start` ('['). */
function classEnd(re: string, start: number): { next: number } | RegexError {
  const n = re.length;
  let i = start + 1;
  if (re[i] === '^') i++;
  let first = true;
  /** The last single character of the class, for range checks. */
  let prev: number | undefined;
  while (i < n) {
    const c = re[i]!;
    if (c === ']' && !first) return { next: i + 1 };
    first = false;
    if (c === '[' && /^\[:[a-z]+:\]/.test(re.slice(i))) {
      i = re.indexOf(':]', i) + 2;
      prev = undefined;
      continue;
    }
    let code: number | undefined;
    if (c === '\\') {
      if (i + 1 >= n) return { message: '\\ at end of pattern', offset: n };
      const e = re[i + 1]!;
      code = /[a-zA-Z0-9]/.test(e) ? undefined : e.charCodeAt(0);
      i += 2;
    } else {
      code = c.charCodeAt(0);
      i++;
    }
    if (re[i] === '-' && re[i + 1] !== undefined && re[i + 1] !== ']' && code !== undefined) {
      const endChar = re[i + 1]!;
      if (endChar !== '\\' && endChar !== '[') {
        if (endChar.charCodeAt(0) < code) return { message: 'range out of order in character class', offset: i + 1 };
        i += 2;
        prev = undefined;
        continue;
      }
    }
    prev = code;
  }
  void prev;
  return { message: 'missing terminating ] for character class', offset: n };
}

/** HAProxy's message for a regex that does not compile, or undefined when it is fine. */
export function regexError(re: string): string | undefined {
  const e = pcreSyntaxError(re);
  if (!e) return undefined;
  return `regex '${re}' is invalid (error=${e.message}, erroffset=${e.offset})`;
}
