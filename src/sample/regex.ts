/**
 * Regular expressions as HAProxy compiles them (PCRE2, configuration.txt 7.1.4): a syntax check
 * that reports the common PCRE2 errors with PCRE2's words and offsets, as HAProxy prints them:
 *
 *   regex '(' is invalid (error=missing closing parenthesis, erroffset=1)
 *
 * JavaScript's RegExp is not used for the verdict: PCRE2 accepts syntax it refuses (possessive
 * quantifiers "a++", atomic groups "(?>...)", "\A", "\z", "\h", inline flags "(?i)",
 * "(?P<name>...)", "\Q...\E", POSIX classes "[[:alpha:]]", verbs "(*UTF)") and refuses some it
 * accepts (unknown escapes "\i", "\y"; "\u"; variable-length lookbehinds; "{,3}" is a
 * literal for PCRE2 10.42). Errors this checker does not know about are not reported (a
 * runtime translating to RegExp will have to refuse what it cannot run).
 */

export interface RegexError {
  readonly message: string;
  readonly offset: number;
}

/** "regex '<re>' is invalid (error=<message>, erroffset=<n>)". */
export function regexErrorText(pattern: string, e: RegexError): string {
  return `regex '${pattern}' is invalid (error=${e.message}, erroffset=${e.offset})`;
}

const POSIX_CLASSES = ['alpha', 'digit', 'alnum', 'space', 'upper', 'lower', 'punct', 'print', 'graph', 'cntrl', 'xdigit', 'blank', 'word', 'ascii'];
/** Letters PCRE2 knows after a backslash. */
const KNOWN_ESCAPES = new Set('aAbBcCdDeEfgGhHkKnNopPQrRsStvVwWxXzZ'.split(''));
const UNSUPPORTED_ESCAPES = new Set('FLlUu'.split(''));
const VERBS = /^\(\*(UTF|UTF8|UTF16|UTF32|UCP|NO_AUTO_POSSESS|NO_DOTSTAR_ANCHOR|NO_JIT|NO_START_OPT|NOTEMPTY|NOTEMPTY_ATSTART|CR|LF|CRLF|ANYCRLF|ANY|NUL|BSR_ANYCRLF|BSR_UNICODE|LIMIT_[A-Z]+=[0-9]+|ACCEPT|FAIL|F|COMMIT|PRUNE|SKIP|THEN|MARK|atomic|pla|plb|nla|nlb|sr|asr|napla|naplb)(:[^)]*)?\)/;

interface Group {
  readonly start: number;
  readonly lookbehind: boolean;
  /** A quantifier of variable length was seen inside (lookbehinds must be fixed length). */
  variable: boolean;
}

/** Checks a PCRE2 pattern; undefined when PCRE2 would compile it (as far as this knows). */
export function pcreSyntaxError(re: string): RegexError | undefined {
  const names = new Set<string>();
  let captures = 0;
  // First pass: capture groups and their names (back references may point forward).
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') i++;
    else if (c === '[') i = skipClass(re, i);
    else if (c === '(') {
      if (re[i + 1] !== '?' && re[i + 1] !== '*') captures++;
      else {
        const m = /^\(\?(?:P?<|')([A-Za-z_][A-Za-z0-9_]*)[>']/.exec(re.slice(i));
        if (m) {
          captures++;
          names.add(m[1]!);
        }
      }
    }
  }

  const stack: Group[] = [];
  /** Whether the previous item may take a quantifier. */
  let repeatable = false;
  /** The previous item was a quantifier (one '?' or '+' may still follow it). */
  let afterQuantifier = false;
  const markVariable = () => {
    for (const g of stack) g.variable = true;
  };

  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      const r = checkEscape(re, i, captures, names, false);
      if ('error' in r) return r.error;
      i = r.end - 1;
      repeatable = r.repeatable;
      afterQuantifier = false;
      continue;
    }
    if (c === '[') {
      const r = checkClass(re, i);
      if ('error' in r) return r.error;
      i = r.end - 1;
      repeatable = true;
      afterQuantifier = false;
      continue;
    }
    if (c === '(') {
      if (re[i + 1] === '*') {
        if (/^[A-Za-z]/.test(re[i + 2] ?? '')) {
          const m = VERBS.exec(re.slice(i));
          if (!m) {
            const close = re.indexOf(')', i);
            return { message: '(*VERB) not recognized or malformed', offset: close < 0 ? re.length : close };
          }
          i += m[0].length - 1;
          repeatable = false;
          continue;
        }
        return { message: 'quantifier does not follow a repeatable item', offset: i + 1 };
      }
      let lookbehind = false;
      let groupBodyStart = i + 1;
      if (re[i + 1] === '?') {
        const r = checkGroupStart(re, i);
        if ('error' in r) return r.error;
        if (r.comment) {
          i = r.end - 1;
          continue;
        }
        if (r.optionsOnly) {
          i = r.end - 1;
          repeatable = false;
          afterQuantifier = false;
          continue;
        }
        lookbehind = r.lookbehind;
        groupBodyStart = r.end;
      }
      const start = i;
      if (re[i + 1] === '?') {
        i = groupBodyStart - 1;
      }
      stack.push({ start, lookbehind, variable: false });
      repeatable = false;
      afterQuantifier = false;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      if (!g) return { message: 'unmatched closing parenthesis', offset: i };
      if (g.lookbehind && g.variable) return { message: 'lookbehind assertion is not fixed length', offset: g.start };
      repeatable = true;
      afterQuantifier = false;
      continue;
    }
    if (c === '|') {
      repeatable = false;
      afterQuantifier = false;
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      if (afterQuantifier && (c === '?' || c === '+')) {
        afterQuantifier = false; // lazy or possessive modifier
        continue;
      }
      if (!repeatable) return { message: 'quantifier does not follow a repeatable item', offset: i };
      markVariable();
      repeatable = false;
      afterQuantifier = true;
      continue;
    }
    if (c === '{') {
      const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(re.slice(i));
      if (m) {
        const close = i + m[0].length - 1;
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (min > 65535 || (max !== Infinity && max > 65535)) return { message: 'number too big in {} quantifier', offset: close };
        if (min > max) return { message: 'numbers out of order in {} quantifier', offset: close };
        if (!repeatable) return { message: 'quantifier does not follow a repeatable item', offset: close };
        if (min !== max) markVariable();
        i = close;
        repeatable = false;
        afterQuantifier = true;
        continue;
      }
      repeatable = true; // a literal brace
      afterQuantifier = false;
      continue;
    }
    // '^' and '$' are assertions: nothing to repeat.
    repeatable = c !== '^' && c !== '$';
    afterQuantifier = false;
  }
  if (stack.length > 0) return { message: 'missing closing parenthesis', offset: re.length };
  return undefined;
}

type EscapeCheck = { end: number; repeatable: boolean } | { error: RegexError };

/** A backslash sequence at `i`: its end, or PCRE2's error. */
function checkEscape(re: string, i: number, captures: number, names: Set<string>, inClass: boolean): EscapeCheck {
  const n = re[i + 1];
  if (n === undefined) return { error: { message: '\\ at end of pattern', offset: re.length } };
  if (n === 'c') {
    if (re[i + 2] === undefined) return { error: { message: '\\c at end of pattern', offset: re.length } };
    return { end: i + 3, repeatable: true };
  }
  if (n === 'Q') {
    const e = re.indexOf('\\E', i + 2);
    return { end: e < 0 ? re.length : e + 2, repeatable: true };
  }
  if (/[1-9]/.test(n) && !inClass) {
    const m = /^[0-9]+/.exec(re.slice(i + 1))!;
    const num = Number(m[0]);
    if (num < 10 || num <= captures) {
      if (num > captures) return { error: { message: 'reference to non-existent subpattern', offset: i + m[0].length } };
      return { end: i + 1 + m[0].length, repeatable: true };
    }
    return { end: i + 1 + m[0].length, repeatable: true }; // octal
  }
  if (n === 'g' && !inClass) {
    const m = /^\\g(?:\{(-?[0-9]+|[A-Za-z_][A-Za-z0-9_]*)\}|(-?[0-9]+)|<([^>]*)>|'([^']*)')/.exec(re.slice(i));
    if (m) {
      const ref = m[1] ?? m[2];
      if (ref !== undefined && /^[0-9]+$/.test(ref) && Number(ref) > captures) {
        return { error: { message: 'reference to non-existent subpattern', offset: i + m[0].length - 1 } };
      }
      return { end: i + m[0].length, repeatable: true };
    }
  }
  if (n === 'k' && !inClass) {
    const m = /^\\k(?:<([^>]*)>|'([^']*)'|\{([^}]*)\})/.exec(re.slice(i));
    if (m) {
      const name = m[1] ?? m[2] ?? m[3]!;
      if (!names.has(name)) return { error: { message: 'reference to non-existent subpattern', offset: i + 3 } };
      return { end: i + m[0].length, repeatable: true };
    }
  }
  if (n === 'o' && re[i + 2] !== '{') return { error: { message: 'missing opening brace after \\o', offset: i + 1 } };
  if (UNSUPPORTED_ESCAPES.has(n)) {
    return { error: { message: 'PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', offset: i + 2 } };
  }
  if (/[A-Za-z]/.test(n) && !KNOWN_ESCAPES.has(n)) return { error: { message: 'unrecognized character follows \\', offset: i + 1 } };
  if ((n === 'x' || n === 'o') && re[i + 2] === '{') {
    // Without UTF mode (HAProxy's), code points stop at 0xff.
    const e = re.indexOf('}', i);
    if (e < 0) return { end: i + 2, repeatable: true };
    const digits = re.slice(i + 3, e);
    const v = n === 'x' ? parseInt(digits, 16) : parseInt(digits, 8);
    if (v > 0xff) return { error: { message: 'character code point value in \\x{} or \\o{} is too large', offset: e } };
    return { end: e + 1, repeatable: true };
  }
  if ((n === 'p' || n === 'P') && re[i + 2] === '{') {
    const e = re.indexOf('}', i);
    return { end: e < 0 ? i + 2 : e + 1, repeatable: true };
  }
  // Assertions are not repeatable.
  const assertion = !inClass && 'bBAzZGK'.includes(n);
  return { end: i + 2, repeatable: !assertion };
}

/** Index just after the class starting at `i` (or the end of the pattern). */
function skipClass(re: string, i: number): number {
  let j = i + 1;
  if (re[j] === '^') j++;
  if (re[j] === ']') j++;
  for (; j < re.length; j++) {
    if (re[j] === '\\') j++;
    else if (re[j] === '[' && re[j + 1] === ':') {
      const e = re.indexOf(':]', j + 2);
      if (e >= 0) j = e + 1;
    } else if (re[j] === ']') return j;
  }
  return re.length;
}

/** A character class "[...]": its end, or PCRE2's error. */
function checkClass(re: string, i: number): { end: number } | { error: RegexError } {
  let j = i + 1;
  if (re[j] === '^') j++;
  /** The previous single character of the class (for ranges), undefined after a class escape. */
  let prev: { code: number } | undefined;
  let first = true;
  for (; j < re.length; j++) {
    const c = re[j]!;
    if (c === ']' && !first) return { end: j + 1 };
    first = false;
    if (c === '[' && re[j + 1] === ':') {
      const m = /^\[:(\^?)([a-z]*):\]/.exec(re.slice(j));
      if (m) {
        if (!POSIX_CLASSES.includes(m[2]!)) return { error: { message: 'unknown POSIX class name', offset: j + 2 + m[1]!.length } };
        const after = j + m[0].length;
        if (re[after] === '-' && re[after + 1] !== ']' && re[after + 1] !== undefined) {
          return { error: { message: 'invalid range in character class', offset: after } };
        }
        j += m[0].length - 1;
        prev = undefined;
        continue;
      }
    }
    let code: number | undefined;
    let end = j + 1;
    if (c === '\\') {
      const r = checkEscape(re, j, 0, new Set(), true);
      if ('error' in r) return r;
      end = r.end;
      const n = re[j + 1]!;
      code = 'dDsSwWhHvVpPR'.includes(n) ? undefined : n.charCodeAt(0);
    } else {
      code = c.charCodeAt(0);
    }
    // A range "x-y" (a '-' before ']' is literal).
    if (re[end] === '-' && re[end + 1] !== ']' && re[end + 1] !== undefined) {
      const hi = re[end + 1]!;
      let hiCode: number | undefined = hi.charCodeAt(0);
      let hiEnd = end + 2;
      if (hi === '\\') {
        const r = checkEscape(re, end + 1, 0, new Set(), true);
        if ('error' in r) return r;
        hiEnd = r.end;
        const n = re[end + 2]!;
        hiCode = 'dDsSwWhHvVpPR'.includes(n) ? undefined : n.charCodeAt(0);
      } else if (hi === '[' && re[end + 2] === ':') {
        hiCode = undefined;
      }
      if (code === undefined) return { error: { message: 'invalid range in character class', offset: end } };
      if (hiCode === undefined) return { error: { message: 'invalid range in character class', offset: hi === '\\' ? hiEnd : hiEnd - 1 } };
      if (hiCode < code) return { error: { message: 'range out of order in character class', offset: hiEnd - 1 } };
      j = hiEnd - 1;
      prev = undefined;
      continue;
    }
    prev = code === undefined ? undefined : { code };
    j = end - 1;
  }
  void prev;
  return { error: { message: 'missing terminating ] for character class', offset: re.length } };
}

type GroupStart =
  | { end: number; lookbehind: boolean; comment?: false; optionsOnly?: false }
  | { end: number; comment: true; lookbehind: false; optionsOnly?: false }
  | { end: number; optionsOnly: true; lookbehind: false; comment?: false }
  | { error: RegexError };

/** What follows "(?" at `i`: the kind of group and where its body starts. */
function checkGroupStart(re: string, i: number): GroupStart {
  const j = i + 2;
  const c = re[j];
  if (c === undefined) return { error: { message: 'missing closing parenthesis', offset: re.length } };
  if (c === '#') {
    const e = re.indexOf(')', j);
    if (e < 0) return { error: { message: 'missing ) after (?# comment', offset: re.length } };
    return { end: e + 1, comment: true, lookbehind: false };
  }
  if (c === ':' || c === '=' || c === '!' || c === '>' || c === '|') return { end: j + 1, lookbehind: false };
  if (c === '<' && (re[j + 1] === '=' || re[j + 1] === '!')) return { end: j + 2, lookbehind: true };
  if (c === '<' || c === "'" || (c === 'P' && re[j + 1] === '<')) {
    const nameStart = c === 'P' ? j + 2 : j + 1;
    const terminator = c === "'" ? "'" : '>';
    if (/[0-9]/.test(re[nameStart] ?? '')) return { error: { message: 'subpattern name must start with a non-digit', offset: nameStart } };
    let k = nameStart;
    while (k < re.length && /[A-Za-z0-9_]/.test(re[k]!)) k++;
    if (re[k] !== terminator) return { error: { message: 'syntax error in subpattern name (missing terminator?)', offset: k } };
    return { end: k + 1, lookbehind: false };
  }
  if (c === 'P' && (re[j + 1] === '=' || re[j + 1] === '>')) {
    const e = re.indexOf(')', j);
    return { end: e < 0 ? re.length : e, lookbehind: false };
  }
  if (c === '(' || c === 'R' || c === '&' || /[0-9+-]/.test(c)) {
    // Conditions, recursions and subroutine calls: accepted as written.
    if (/[0-9+-]/.test(c) && c !== '-') {
      const e = re.indexOf(')', j);
      return { end: e < 0 ? re.length : e, lookbehind: false };
    }
    if (c !== '-') return { end: j + 1, lookbehind: false };
  }
  // Option settings: (?imnsxJU-imnsx) or (?i:...).
  const m = /^[imnsxJU]*(?:-[imnsxJU]*)?/.exec(re.slice(j))!;
  const k = j + m[0].length;
  if (re[k] === ')') return { end: k + 1, optionsOnly: true, lookbehind: false };
  if (re[k] === ':') return { end: k + 1, lookbehind: false };
  if (k >= re.length) return { error: { message: 'missing closing parenthesis', offset: re.length } };
  return { error: { message: 'unrecognized character after (? or (?-', offset: k } };
}
