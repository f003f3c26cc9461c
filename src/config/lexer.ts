/**
 * The configuration lexer: cuts one statement (one line) into words, as HAProxy 2.6 does
 * (configuration.txt 2.2 "Quoting and escaping", 2.3 "Environment variables").
 *
 * - unquoted spaces and tabs separate words; an unprotected '#' starts a comment;
 * - backslash escapes (outside single quotes): '\ ', '\#', '\\', '\'', '\"', '\$', '\r', '\n',
 *   '\t', '\xNN'; any other backslash sequence is kept as written (regexes rely on it);
 * - double quotes protect spaces, '#' and single quotes, and expand environment variables:
 *   "$NAME", "${NAME}", "${NAME-default}" (default only when unset), "${NAME[*]}" (one word per
 *   space-separated item), and the pseudo-variables ${.FILE}, ${.LINE}, ${.SECTION};
 * - single quotes protect everything;
 * - "" is an empty word; an unset variable expands to nothing.
 *
 * Text is handled as latin1 ("one char per byte"), so every byte of the file survives the
 * round trip unchanged (Buffer.from(word, 'latin1') gives the original bytes back).
 */

/** HAProxy refuses a statement of more than 64 words (MAX_LINE_ARGS). */
export const MAX_LINE_ARGS = 64;

export interface LexEnvironment {
  /** Value of an environment variable, undefined when it is not set. */
  get(name: string): string | undefined;
  /** Values of the pseudo-variables (.FILE, .LINE, .SECTION). */
  pseudo(name: string): string | undefined;
}

export interface LexError {
  /** Message as HAProxy words it, without position. */
  message: string;
  /** 0-based index in the line of the character the caret points at. */
  index: number;
}

export interface LexResult {
  words: string[];
  /** First error found; when set, `words` holds what could be read. */
  error?: LexError;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t';
const isNameStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isNameChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const HEX = /^[0-9A-Fa-f]{2}$/;
/** Characters that end a run of ordinary text, per quoting state. */
const SPECIAL_UNQUOTED = /[ \t#\r\\"']/g;
const SPECIAL_DOUBLE = /[\\"$]/g;
const SPECIAL_SINGLE = /'/g;

/**
 * Cuts one line (without its line feed) into words.
 * `env` may be omitted: then no variable is expanded (they read as empty).
 */
export function tokenizeLine(line: string, env?: LexEnvironment): LexResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  let quoteStart = 0;
  let i = 0;
  const n = line.length;

  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };

  while (i < n) {
    // Fast path: copy the run of ordinary characters up to the next one that means something
    // in the current quoting state (a 10 MB word is one slice, not ten million appends).
    const special = quote === null ? SPECIAL_UNQUOTED : quote === '"' ? SPECIAL_DOUBLE : SPECIAL_SINGLE;
    special.lastIndex = i;
    const m = special.exec(line);
    const next = m ? m.index : n;
    if (next > i) {
      word += line.slice(i, next);
      inWord = true;
      i = next;
      continue;
    }
    const c = line[i]!;
    if (quote === null) {
      if (isSpace(c)) {
        endWord();
        i++;
        continue;
      }
      // A carriage return ends the statement, so CRLF files read as LF ones.
      if (c === '#' || c === '\r') break;
    }
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
      inWord = true;
      i++;
      continue;
    }
    // Outside single quotes.
    if (c === '\\') {
      const next = line[i + 1];
      if (next === undefined) {
        word += c;
        inWord = true;
        i++;
        continue;
      }
      if (next === 'x') {
        const hex = line.slice(i + 2, i + 4);
        if (!HEX.test(hex)) {
          return { words, error: { message: 'truncated or invalid hexadecimal sequence', index: i } };
        }
        word += String.fromCharCode(parseInt(hex, 16));
        inWord = true;
        i += 4;
        continue;
      }
      const simple = ESCAPES[next];
      word += simple === undefined ? c + next : simple;
      inWord = true;
      i += 2;
      continue;
    }
    if (c === '"') {
      quote = quote === '"' ? null : '"';
      if (quote) quoteStart = i;
      inWord = true;
      i++;
      continue;
    }
    if (c === "'" && quote === null) {
      quote = "'";
      quoteStart = i;
      inWord = true;
      i++;
      continue;
    }
    if (c === '$' && quote === '"') {
      const r = expandVariable(line, i, env);
      if ('error' in r) return { words, error: r.error };
      if (r.split) {
        // "${NAME[*]}": the first item joins the current word, each next one starts a new word.
        const items = r.value.split(/[ \t]+/).filter((s) => s !== '');
        items.forEach((item, k) => {
          if (k > 0) endWord();
          word += item;
          inWord = true;
        });
      } else {
        word += r.value;
      }
      inWord = true;
      i = r.next;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  if (quote !== null) {
    return { words, error: { message: 'unmatched quote', index: quoteStart } };
  }
  endWord();
  if (words.length > MAX_LINE_ARGS) {
    return {
      words: words.slice(0, MAX_LINE_ARGS),
      error: {
        message: `too many words, truncating after word ${MAX_LINE_ARGS}, position ${outputPosition(words, MAX_LINE_ARGS)}: <${words[MAX_LINE_ARGS - 1]}>`,
        index: -1,
      },
    };
  }
  return { words };
}

const ESCAPES: Record<string, string> = {
  ' ': ' ',
  '\t': '\t',
  '#': '#',
  '\\': '\\',
  "'": "'",
  '"': '"',
  $: '$',
  r: '\r',
  n: '\n',
  t: '\t',
};

type Expansion = { value: string; next: number; split: boolean } | { error: LexError };

/** Reads the variable reference starting at line[at] === '$' (inside double quotes). */
function expandVariable(line: string, at: number, env: LexEnvironment | undefined): Expansion {
  let i = at + 1;
  const braced = line[i] === '{';
  if (braced) i++;
  const nameStart = i;
  const pseudo = line[i] === '.';
  if (pseudo) i++;
  const first = line[i];
  if (first === undefined || !isNameStart(first)) {
    return { error: { message: 'forbidden first char in environment variable name', index: i } };
  }
  while (i < line.length && isNameChar(line[i]!)) i++;
  const name = line.slice(nameStart, i);
  const lookup = (): string | undefined => (pseudo ? env?.pseudo(name) : env?.get(name));
  if (!braced) return { value: lookup() ?? '', next: i, split: false };

  let split = false;
  if (line.startsWith('[*]', i)) {
    split = true;
    i += 3;
  }
  let fallback: string | undefined;
  if (line[i] === '-') {
    const close = line.indexOf('}', i);
    if (close < 0) return { error: { message: 'unmatched brace in environment variable name', index: at + 1 } };
    fallback = line.slice(i + 1, close);
    i = close;
  }
  if (line[i] !== '}') {
    return { error: { message: 'unmatched brace in environment variable name', index: at + 1 } };
  }
  const value = lookup() ?? fallback ?? '';
  return { value, next: i + 1, split };
}

/**
 * Where the nth word (1-based) starts in HAProxy's output buffer, 1-based: the words laid out
 * one after the other, each followed by a NUL (quotes and escapes already resolved).
 */
function outputPosition(words: readonly string[], nth: number): number {
  let pos = 1;
  for (let i = 0; i < nth - 1; i++) pos += words[i]!.length + 1;
  return pos;
}

/**
 * HAProxy's two-line rendering of an error in a line: the line (from its first non-blank
 * character), then a caret under the culprit. Blanks show as spaces and unprintable bytes as
 * '?'. A line longer than 80 characters is cut: when the culprit is beyond the first 80, the
 * window is centred on it with "..." on both sides.
 * `index` is relative to `line` as given (leading blanks are removed here).
 */
export function caretDisplay(line: string, index: number): string {
  const lead = line.length - line.replace(/^[ \t]+/, '').length;
  const text = line.slice(lead);
  const { shown, caret } = windowForPrinting(text, Math.max(0, index - lead), 80);
  return `  ${shown}\n  ${' '.repeat(caret)}^`;
}

/** The printable window of `text` around `pos` (HAProxy's sanitize_for_printing). */
function windowForPrinting(text: string, pos: number, width: number): { shown: string; caret: number } {
  const clean = (s: string): string => s.replace(/[\s]/g, ' ').replace(/[^\x20-\x7e]/g, '?');
  if (pos < width) return { shown: clean(text.slice(0, width)), caret: pos };
  const shift = pos - Math.floor(width / 2);
  return { shown: `...${clean(text.slice(shift + 3, shift + 3 + width - 6))}...`, caret: pos - shift };
}
