/**
 * Regular expressions as HAProxy 2.6 compiles them (PCRE2 10.42, 8-bit, no UTF), checked with
 * PCRE2's error messages and offsets, and translated to a JavaScript RegExp source:
 *
 *   regex '<pattern>' is invalid (error=<PCRE2 message>, erroffset=<n>)
 *
 * Used by the "reg" match method (configuration.txt 7.1.3) and by every keyword that takes a
 * regex. HAProxy compiles ACL regexes without automatic captures (PCRE2_NO_AUTO_CAPTURE): there,
 * "(a)\1" refers to a group that does not exist.
 *
 * The translation works on bytes (the configuration is read as latin1): every single-character
 * item (literal, '.', class, \d, [[:alpha:]] ...) becomes a 256-bit set, case-folded on ASCII
 * only (PCRE2's default "C" tables), then printed as a JavaScript class. '^', '$', '.' get
 * their PCRE meaning explicitly, so the JavaScript RegExp needs no flag. Constructs JavaScript
 * cannot express (recursion, conditionals, atomic groups, possessive quantifiers, \R, \X, verbs,
 * callouts, Unicode properties, \G, \K) are valid here but reported in `untranslated`.
 */

export interface RegexOptions {
  /** PCRE2_CASELESS (-i). */
  readonly caseless?: boolean;
  /** PCRE2_NO_AUTO_CAPTURE: plain "(...)" groups do not capture (ACLs, HAProxy's regex_comp(cap=0)). */
  readonly noCapture?: boolean;
}

export type RegexCompile =
  | {
      /** JavaScript RegExp source with the PCRE meaning. */
      readonly source: string;
      /** JavaScript flags to use with it. */
      readonly flags: string;
      /** Set when part of the pattern has no JavaScript equivalent yet (what, in words). */
      readonly untranslated?: string;
    }
  | { readonly error: string };

/** A PCRE2 compile error: message and offset, as pcre2_compile() reports them. */
class PcreError extends Error {
  constructor(
    readonly text: string,
    readonly offset: number,
  ) {
    super(text);
  }
}

/**
 * PCRE2's complaint about a pattern, as message and offset (what pcre2_compile() reports), or
 * undefined when it compiles. For callers that word the message themselves.
 */
export function regexSyntaxError(pattern: string, opts: RegexOptions = {}): { readonly message: string; readonly offset: number } | undefined {
  try {
    new PcreParser(pattern, opts).parse();
    return undefined;
  } catch (e) {
    if (e instanceof PcreError) return { message: e.text, offset: e.offset };
    throw e;
  }
}

export function compileRegex(pattern: string, opts: RegexOptions = {}): RegexCompile {
  try {
    const p = new PcreParser(pattern, opts);
    const ast = p.parse();
    const source = emit(ast);
    // PCRE's meaning is spelled out in the source (case folding included): no JavaScript flag.
    const flags = '';
    // Refuse what JavaScript cannot compile (it would be a translation bug): keep it valid.
    try {
      new RegExp(source, flags);
    } catch {
      return { source: '', flags: '', untranslated: 'a construct Portier cannot translate' };
    }
    return p.untranslated ? { source, flags, untranslated: p.untranslated } : { source, flags };
  } catch (e) {
    if (e instanceof PcreError) return { error: `regex '${pattern}' is invalid (error=${e.text}, erroffset=${e.offset})` };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Character sets (one byte each)

type CharSet = Uint8Array; // 32 bytes, bit i = byte i

function newSet(): CharSet {
  return new Uint8Array(32);
}
function add(set: CharSet, c: number): void {
  set[c >> 3]! |= 1 << (c & 7);
}
function has(set: CharSet, c: number): boolean {
  return (set[c >> 3]! & (1 << (c & 7))) !== 0;
}
function addRange(set: CharSet, lo: number, hi: number): void {
  for (let c = lo; c <= hi; c++) add(set, c);
}
function addSet(set: CharSet, other: CharSet, negate = false): void {
  for (let i = 0; i < 32; i++) set[i]! |= negate ? ~other[i]! & 0xff : other[i]!;
}
function setOf(...ranges: [number, number][]): CharSet {
  const s = newSet();
  for (const [lo, hi] of ranges) addRange(s, lo, hi);
  return s;
}
function foldCase(set: CharSet): void {
  for (let c = 0x41; c <= 0x5a; c++) {
    if (has(set, c) || has(set, c + 32)) {
      add(set, c);
      add(set, c + 32);
    }
  }
}

const DIGIT = setOf([0x30, 0x39]);
const WORD = setOf([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]);
const SPACE = setOf([0x09, 0x0d], [0x20, 0x20]);
const HSPACE = setOf([0x09, 0x09], [0x20, 0x20], [0xa0, 0xa0]);
const VSPACE = setOf([0x0a, 0x0d], [0x85, 0x85]);
const ALPHA = setOf([0x41, 0x5a], [0x61, 0x7a]);
const POSIX: Record<string, CharSet> = {
  alpha: ALPHA,
  digit: DIGIT,
  alnum: setOf([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]),
  upper: setOf([0x41, 0x5a]),
  lower: setOf([0x61, 0x7a]),
  space: SPACE,
  blank: setOf([0x09, 0x09], [0x20, 0x20]),
  cntrl: setOf([0x00, 0x1f], [0x7f, 0x7f]),
  graph: setOf([0x21, 0x7e]),
  print: setOf([0x20, 0x7e]),
  punct: setOf([0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]),
  xdigit: setOf([0x30, 0x39], [0x41, 0x46], [0x61, 0x66]),
  word: WORD,
  ascii: setOf([0x00, 0x7f]),
};

/** Escapes that stand for a set of characters: \d \D \s \S \w \W \h \H \v \V. */
const TYPE_ESCAPES: Record<string, { set: CharSet; negate: boolean }> = {
  d: { set: DIGIT, negate: false },
  D: { set: DIGIT, negate: true },
  s: { set: SPACE, negate: false },
  S: { set: SPACE, negate: true },
  w: { set: WORD, negate: false },
  W: { set: WORD, negate: true },
  h: { set: HSPACE, negate: false },
  H: { set: HSPACE, negate: true },
  v: { set: VSPACE, negate: false },
  V: { set: VSPACE, negate: true },
};

/** Single-character escapes: \a \e \f \n \r \t. */
const CHAR_ESCAPES: Record<string, number> = { a: 0x07, e: 0x1b, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };

/** Letters PCRE2 10.42 knows after a backslash (others are errors). */
const KNOWN_ESCAPES = new Set('aAbBcCdDeEfgGhHkKnNopPQrRsStvVwWxXzZ'.split(''));
const UNSUPPORTED_ESCAPES = new Set('FLlUu'.split(''));

// ---------------------------------------------------------------------------------------------
// Syntax tree

type Node =
  | { t: 'set'; set: CharSet }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; kind: 'cap' | 'nocap' | 'la' | 'nla' | 'lb' | 'nlb' | 'atomic'; body: Node; start: number }
  | { t: 'quant'; min: number; max: number; lazy: boolean; body: Node }
  | { t: 'assert'; js: string }
  | { t: 'backref'; group: number; caseless: boolean }
  | { t: 'opaque'; fixed?: number; js: string };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  xx: boolean;
  n: boolean;
  U: boolean;
  J: boolean;
}

/** A reference to check once the whole pattern is read (groups may be defined later). */
interface PendingRef {
  readonly group?: number;
  readonly name?: string;
  readonly offset: number;
  readonly node?: { t: 'backref'; group: number; caseless: boolean };
}

class PcreParser {
  private i = 0;
  private readonly n: number;
  private captures = 0;
  private readonly names = new Map<string, number>();
  private readonly refs: PendingRef[] = [];
  private lookaroundDepth = 0;
  /** Capturing groups by number, for the length of back references in lookbehinds. */
  private readonly groups = new Map<number, Node>();
  /** Checks PCRE2 makes after reading the whole pattern, in its order. */
  private readonly conditionals: { readonly branches: number; readonly offset: number; readonly define?: boolean }[] = [];
  private readonly lookbehinds: { readonly node: Node; readonly start: number }[] = [];
  untranslated: string | undefined;
  /** (*UTF) at the start: code points above 0xff are allowed. */
  private utf = false;

  constructor(
    private readonly p: string,
    private readonly opts: RegexOptions,
  ) {
    this.n = p.length;
  }

  private err(text: string, offset: number): never {
    throw new PcreError(text, offset);
  }

  private note(what: string): void {
    this.untranslated ??= what;
  }

  parse(): Node {
    const flags: Flags = { i: !!this.opts.caseless, m: false, s: false, x: false, xx: false, n: !!this.opts.noCapture, U: false, J: false };
    this.startOptions();
    const node = this.parseAlternation(flags, 0);
    if (this.i < this.n) this.err('unmatched closing parenthesis', this.i);
    for (const r of this.refs) {
      let g = r.group;
      if (r.name !== undefined) g = this.names.get(r.name);
      if (g === undefined || g > this.captures || g < 0) this.err('reference to non-existent subpattern', r.offset);
      if (r.node) r.node.group = g;
    }
    for (const c of this.conditionals) {
      if (c.define) this.err('DEFINE subpattern contains more than one branch', c.offset);
      if (c.branches > 2) this.err('conditional subpattern contains more than two branches', c.offset);
    }
    for (const lb of this.lookbehinds) {
      const branches = lb.node.t === 'alt' ? lb.node.alts : [lb.node];
      if (branches.some((b) => fixedLength(b, this.groups) === undefined)) this.err('lookbehind assertion is not fixed length', lb.start);
    }
    return node;
  }

  /** Leading (*UTF), (*LF), (*LIMIT_MATCH=n) ... settings. */
  private startOptions(): void {
    const re = /^\(\*(UTF|UCP|CR|LF|CRLF|ANYCRLF|ANY|NUL|BSR_ANYCRLF|BSR_UNICODE|NOTEMPTY|NOTEMPTY_ATSTART|NO_AUTO_POSSESS|NO_DOTSTAR_ANCHOR|NO_JIT|NO_START_OPT|(?:LIMIT_MATCH|LIMIT_HEAP|LIMIT_DEPTH|LIMIT_RECURSION)=[0-9]+)\)/;
    for (;;) {
      const m = re.exec(this.p.slice(this.i));
      if (!m) return;
      if (m[1] === 'UTF' || m[1] === 'UCP') this.note(`(*${m[1]})`);
      if (m[1] === 'UTF') this.utf = true;
      this.i += m[0].length;
    }
  }

  private skipExtended(flags: Flags): void {
    if (!flags.x) return;
    while (this.i < this.n) {
      const c = this.p[this.i]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r') {
        this.i++;
      } else if (c === '#') {
        while (this.i < this.n && this.p[this.i] !== '\n') this.i++;
      } else {
        return;
      }
    }
  }

  /** Alternatives up to ')' or the end; `flags` may be changed by (?i) for the rest of the group. */
  private parseAlternation(outer: Flags, depth: number): Node {
    const flags = { ...outer };
    const alts: Node[] = [];
    let items: Node[] = [];
    // Whether the last item can take a quantifier, and whether it is already quantified.
    let last: 'none' | 'item' | 'quantified' = 'none';
    for (;;) {
      this.skipExtended(flags);
      if (this.i >= this.n) break;
      const start = this.i;
      const c = this.p[this.i]!;
      if (c === ')') break;
      if (c === '|') {
        this.i++;
        alts.push(seq(items));
        items = [];
        last = 'none';
        continue;
      }
      const quant = this.readQuantifier(flags);
      if (quant) {
        if (last !== 'item') this.err('quantifier does not follow a repeatable item', this.i - 1);
        const prev = items.pop()!;
        items.push({ t: 'quant', min: quant.min, max: quant.max, lazy: quant.lazy, body: prev });
        if (quant.possessive) this.note('possessive quantifiers');
        last = 'quantified';
        continue;
      }
      const item = this.parseItem(flags, depth, start);
      if (item === 'skip') continue; // a comment, \E or an empty \Q\E: a quantifier may still follow
      if (item === null) {
        // An option setting such as (?i): changes flags, adds nothing.
        last = 'none';
        continue;
      }
      if (item.node.t === 'seq' && item.spread) items.push(...item.node.items);
      else items.push(item.node);
      last = item.repeatable ? 'item' : 'none';
    }
    alts.push(seq(items));
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  /** Reads a quantifier at the current position, or returns undefined ('{' may be a literal). */
  private readQuantifier(flags: Flags): { min: number; max: number; lazy: boolean; possessive: boolean } | undefined {
    const c = this.p[this.i];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{') {
      const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(this.p.slice(this.i));
      if (!m) return undefined;
      const close = this.i + m[0].length - 1;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > 65535 || (max !== Infinity && max > 65535)) this.err('number too big in {} quantifier', close);
      if (max < min) this.err('numbers out of order in {} quantifier', close);
      this.i = close + 1;
    } else {
      return undefined;
    }
    let lazy = false;
    let possessive = false;
    if (this.p[this.i] === '?') {
      lazy = true;
      this.i++;
    } else if (this.p[this.i] === '+') {
      possessive = true;
      this.i++;
    }
    if (flags.U && !possessive) lazy = !lazy;
    return { min, max, lazy, possessive };
  }

  /** One item. Returns null for option settings, else the node and whether it can be repeated. */
  private parseItem(flags: Flags, depth: number, start: number): Item | null | 'skip' {
    const c = this.p[this.i]!;
    switch (c) {
      case '(':
        return this.parseGroup(flags, depth, start);
      case '[':
        return { node: this.parseClass(flags), repeatable: true };
      case '\\':
        return this.parseEscape(flags);
      case '^':
        this.i++;
        return { node: { t: 'assert', js: flags.m ? '(?<=^|\\n)' : '^' }, repeatable: false };
      case '$':
        this.i++;
        return { node: { t: 'assert', js: flags.m ? '(?=\\n|$)' : '(?=\\n?$)' }, repeatable: false };
      case '.': {
        this.i++;
        const set = newSet();
        addRange(set, 0, 255);
        if (!flags.s) set[1]! &= ~(1 << 2); // not \n (0x0a)
        return { node: { t: 'set', set }, repeatable: true };
      }
      default: {
        this.i++;
        return { node: this.literal(c.charCodeAt(0) & 0xff, flags), repeatable: true };
      }
    }
  }

  private literal(code: number, flags: Flags): Node {
    const set = newSet();
    add(set, code);
    if (flags.i) foldCase(set);
    return { t: 'set', set };
  }

  // -------------------------------------------------------------------------------------------
  // Groups

  private parseGroup(flags: Flags, depth: number, start: number): Item | null | 'skip' {
    const p = this.p;
    this.i++; // '('
    if (p[this.i] === '*') {
      if (/[A-Za-z:]/.test(p[this.i + 1] ?? '')) return this.parseVerb(flags, depth, start);
      // "(*" not followed by a verb name: a group starting with a quantifier.
      this.err('quantifier does not follow a repeatable item', this.i);
    }
    if (p[this.i] !== '?') {
      const kind = flags.n ? 'nocap' : 'cap';
      if (kind === 'cap') this.captures++;
      return this.groupBody(kind, flags, depth, start);
    }
    this.i++; // '?'
    const c = p[this.i];
    if (c === undefined) this.err('missing closing parenthesis', this.n);
    switch (c) {
      case '#': {
        const end = p.indexOf(')', this.i);
        if (end < 0) this.err('missing ) after (?# comment', this.n);
        this.i = end + 1;
        return 'skip';
      }
      case ':':
        this.i++;
        return this.groupBody('nocap', flags, depth, start);
      case '|':
        this.i++;
        this.note('branch reset groups (?|...)');
        return this.groupBody('nocap', flags, depth, start);
      case '>':
        this.i++;
        this.note('atomic groups (?>...)');
        return this.groupBody('atomic', flags, depth, start);
      case '=':
        this.i++;
        return this.lookaround('la', flags, depth, start);
      case '!':
        this.i++;
        return this.lookaround('nla', flags, depth, start);
      case '<': {
        const d = p[this.i + 1];
        if (d === '=' || d === '!') {
          this.i += 2;
          return this.lookaround(d === '=' ? 'lb' : 'nlb', flags, depth, start);
        }
        this.i++;
        return this.namedGroup('>', flags, depth, start);
      }
      case "'":
        this.i++;
        return this.namedGroup("'", flags, depth, start);
      case 'P': {
        const d = p[this.i + 1];
        if (d === '<') {
          this.i += 2;
          return this.namedGroup('>', flags, depth, start);
        }
        if (d === '=' || d === '>') {
          this.i += 2;
          const nameStart = this.i;
          const name = this.readName(')');
          if (d === '=') return { node: this.namedBackref(name, nameStart, flags), repeatable: true };
          this.i++;
          this.refs.push({ name, offset: nameStart });
          this.note('subroutine calls');
          return { node: { t: 'opaque', js: '' }, repeatable: true };
        }
        if (d === undefined) this.err('missing closing parenthesis', this.n);
        this.err('unrecognized character after (?P', this.i + 1);
        break;
      }
      case '&': {
        this.i++;
        const nameStart = this.i;
        const name = this.readName(')');
        this.i++;
        this.refs.push({ name, offset: nameStart });
        this.note('subroutine calls');
        return { node: { t: 'opaque', js: '' }, repeatable: true };
      }
      case 'R':
        if (p[this.i + 1] !== ')') this.err('(?R (recursive pattern call) must be followed by a closing parenthesis', this.i + 1);
        this.i += 2;
        this.note('recursion (?R)');
        return { node: { t: 'opaque', js: '' }, repeatable: true };
      case '(':
        return this.conditional(flags, depth, start);
      case 'C':
        return this.callout();
      default:
        break;
    }
    if (/[0-9]/.test(c) || ((c === '+' || c === '-') && /[0-9]/.test(p[this.i + 1] ?? ''))) {
      // Subroutine call by number: (?1) (?+1) (?-1).
      const m = /^([+-]?)([0-9]+)/.exec(p.slice(this.i))!;
      this.i += m[0].length;
      if (p[this.i] !== ')') this.err('missing closing parenthesis', this.i);
      const num = Number(m[2]);
      if (m[1] && num === 0) this.err('a relative value of zero is not allowed', this.i);
      const group = m[1] === '+' ? this.captures + num : m[1] === '-' ? this.captures - num + 1 : num;
      // A relative call must land on an existing group; (?0) is the whole pattern.
      this.refs.push({ group: m[1] && group <= 0 ? -1 : group, offset: this.i });
      this.i++;
      this.note('subroutine calls');
      return { node: { t: 'opaque', js: '' }, repeatable: true };
    }
    if (c === '+') this.err('digit expected after (?+ or (?-', this.i + 1);
    return this.optionSetting(flags, depth, start);
  }

  /** (?imnsxJU-imnsx) or (?imnsx-imnsx:...) and (?^...). */
  private optionSetting(flags: Flags, depth: number, start: number): Item | null {
    const p = this.p;
    const set: Flags = { ...flags };
    let on = true;
    if (p[this.i] === '^') {
      Object.assign(set, { i: false, m: false, n: false, s: false, x: false, xx: false });
      this.i++;
    }
    for (;;) {
      const c = p[this.i];
      if (c === undefined) this.err('missing closing parenthesis', this.n);
      if (c === ')' || c === ':') break;
      if (c === '-') {
        if (!on || p[start + 2] === '^') this.err('invalid hyphen in option setting', this.i);
        on = false;
      } else if (c === 'x' && p[this.i + 1] === 'x') {
        set.x = on;
        set.xx = on;
        this.i++;
      } else if ('imnsxJU'.includes(c)) {
        (set as unknown as Record<string, boolean>)[c] = on;
      } else {
        this.err('unrecognized character after (? or (?-', this.i);
      }
      this.i++;
    }
    if (p[this.i] === ')') {
      this.i++;
      // Applies to the rest of the enclosing group.
      Object.assign(flags, set);
      return null;
    }
    this.i++; // ':'
    return this.groupBody('nocap', set, depth, start);
  }

  private groupBody(kind: 'cap' | 'nocap' | 'atomic' | 'la' | 'nla' | 'lb' | 'nlb', flags: Flags, depth: number, start: number): Item {
    const number = this.captures;
    const body = this.parseAlternation(flags, depth + 1);
    if (this.p[this.i] !== ')') this.err('missing closing parenthesis', this.n);
    this.i++;
    const node: Node = { t: 'group', kind, body, start };
    if (kind === 'cap') this.groups.set(number, node);
    return { node, repeatable: true };
  }

  private lookaround(kind: 'la' | 'nla' | 'lb' | 'nlb', flags: Flags, depth: number, start: number): Item {
    this.lookaroundDepth++;
    const r = this.groupBody(kind, flags, depth, start);
    this.lookaroundDepth--;
    if (kind === 'lb' || kind === 'nlb') this.lookbehinds.push({ node: (r.node as { body: Node }).body, start });
    return r;
  }

  /** (?<name>...), (?'name'...), (?P<name>...): a capturing group, even with no auto capture. */
  private namedGroup(term: string, flags: Flags, depth: number, start: number): Item {
    const name = this.readName(term);
    this.i++; // terminator
    if (this.names.has(name) && !flags.J) this.err('two named subpatterns have the same name (PCRE2_DUPNAMES not set)', this.i);
    this.captures++;
    if (!this.names.has(name)) this.names.set(name, this.captures);
    return this.groupBody('cap', flags, depth, start);
  }

  /** A group name at the current position, up to `term` (not consumed). */
  private readName(term: string): string {
    const p = this.p;
    const start = this.i;
    if (/[0-9]/.test(p[this.i] ?? '')) this.err('subpattern name must start with a non-digit', this.i);
    while (this.i < this.n && /[A-Za-z0-9_]/.test(p[this.i]!)) this.i++;
    const name = p.slice(start, this.i);
    if (name === '') this.err('subpattern name expected', this.i);
    if (name.length > 32) this.err('subpattern name is too long (maximum 32 code units)', this.i);
    if (p[this.i] !== term) this.err('syntax error in subpattern name (missing terminator?)', this.i);
    return name;
  }

  private namedBackref(name: string, offset: number, flags: Flags): Node {
    this.i++; // terminator
    const node = { t: 'backref' as const, group: 0, caseless: flags.i };
    this.refs.push({ name, offset, node });
    if (this.lookaroundDepth === 0) return node;
    return node;
  }

  /** (?(condition)yes|no). Offsets of reference errors follow PCRE2's, form by form. */
  private conditional(flags: Flags, depth: number, start: number): Item {
    const p = this.p;
    this.note('conditional groups (?(...)...)');
    this.i++; // '('
    const condStart = this.i;
    const rest = p.slice(this.i);
    let define = false;
    let m: RegExpExecArray | null;
    if ((m = /^([+-]?)([0-9]+)/.exec(rest))) {
      this.i += m[0].length;
      if (p[this.i] !== ')') this.err('missing closing parenthesis for condition', this.i);
      const num = Number(m[2]);
      if (m[1] === '+') this.refs.push({ group: this.captures + num, offset: condStart });
      else if (m[1] === '-') this.refs.push({ group: num === 0 ? -1 : this.captures - num + 1 || -1, offset: this.i });
      else this.refs.push({ group: num, offset: condStart - 1 });
      this.i++;
    } else if (p[this.i] === '?' || p[this.i] === '*') {
      // An assertion as condition: (?(?=...)...), (?(*pla:...)...)
      const ok = /^(\?(=|!|<=|<!)|\*[a-z_]+:)/.test(rest);
      if (!ok) this.err('assertion expected after (?( or (?(?C)', condStart - 1);
      this.i--;
      this.parseItem(flags, depth, this.i);
    } else {
      // A name: <name>, 'name', R, Rn, R&name, DEFINE, VERSION[<>]=n.n, or a plain name.
      let nameStart = condStart;
      let term = ')';
      if (p[this.i] === '<' || p[this.i] === "'") {
        term = p[this.i] === '<' ? '>' : "'";
        this.i++;
        nameStart = this.i;
      } else if ((m = /^R([0-9]+)\)/.exec(rest))) {
        this.refs.push({ group: Number(m[1]), offset: condStart });
        this.i += m[0].length;
        return this.conditionalBody(flags, depth, start, false, condStart);
      } else if (p[this.i] === 'R' && p[this.i + 1] === '&') {
        this.i += 2;
        nameStart = this.i;
      } else if (/^(R|VERSION[<>]?=[0-9]+(\.[0-9]+)?)\)/.test(rest)) {
        this.i += rest.indexOf(')') + 1;
        return this.conditionalBody(flags, depth, start, false, condStart);
      }
      const nm = /^[A-Za-z0-9_]*/.exec(p.slice(this.i))![0];
      if (nm === '') this.err('subpattern name expected', this.i);
      if (/^[0-9]/.test(nm)) this.err('subpattern name must start with a non-digit', this.i);
      this.i += nm.length;
      if (p[this.i] !== term) this.err('syntax error in subpattern name (missing terminator?)', this.i);
      this.i++;
      if (term !== ')') {
        if (p[this.i] !== ')') this.err('missing closing parenthesis for condition', this.i);
        this.i++;
      }
      if (nm === 'DEFINE' && term === ')') define = true;
      else this.refs.push({ name: nm, offset: nameStart });
    }
    return this.conditionalBody(flags, depth, start, define, condStart);
  }

  private conditionalBody(flags: Flags, depth: number, start: number, define: boolean, condStart: number): Item {
    const r = this.groupBody('nocap', flags, depth, start);
    const body = (r.node as { body: Node }).body;
    const branches = body.t === 'alt' ? body.alts.length : 1;
    if (define && branches > 1) this.conditionals.push({ branches: 3, offset: condStart, define: true });
    else this.conditionals.push({ branches, offset: this.i - 1 });
    return r;
  }

  /** (?C), (?Cn), (?C"text") and the other string delimiters. */
  private callout(): null {
    const p = this.p;
    this.i++; // 'C'
    if (this.i >= this.n) this.err('missing closing parenthesis', this.n);
    const c = p[this.i]!;
    const delims: Record<string, string> = { '"': '"', "'": "'", '`': '`', '^': '^', '%': '%', '#': '#', $: '$', '{': '}' };
    if (/[0-9]/.test(c)) {
      const num = /^[0-9]+/.exec(p.slice(this.i))![0];
      this.i += num.length;
      if (Number(num) > 255) this.err('number after (?C is greater than 255', this.i);
    } else if (c in delims) {
      const close = delims[c]!;
      let j = this.i + 1;
      for (;;) {
        if (j >= this.n) this.err('missing terminating delimiter for callout with string argument', this.i);
        if (p[j] === close) {
          if (p[j + 1] === close && close !== '}') j += 2;
          else break;
        } else j++;
      }
      this.i = j + 1;
    } else if (c !== ')') {
      this.err('unrecognized string delimiter follows (?C', this.i);
    }
    if (p[this.i] !== ')') this.err('closing parenthesis for (?C expected', this.i);
    this.i++;
    this.note('callouts (?C)');
    return null;
  }

  /** (*VERB), (*VERB:NAME), (*pla:...) and the other alphabetic assertions. */
  private parseVerb(flags: Flags, depth: number, start: number): Item | null {
    const p = this.p;
    this.i++; // '*'
    const m = /^([A-Za-z_]*)(:?)/.exec(p.slice(this.i))!;
    const name = m[1]!;
    const alpha: Record<string, 'la' | 'nla' | 'lb' | 'nlb' | 'atomic' | 'nocap'> = {
      pla: 'la', positive_lookahead: 'la', nla: 'nla', negative_lookahead: 'nla',
      plb: 'lb', positive_lookbehind: 'lb', nlb: 'nlb', negative_lookbehind: 'nlb',
      atomic: 'atomic', sr: 'nocap', script_run: 'nocap', asr: 'atomic', atomic_script_run: 'atomic',
      napla: 'la', non_atomic_positive_lookahead: 'la', naplb: 'lb', non_atomic_positive_lookbehind: 'lb',
    };
    if (m[2] === ':' && name in alpha) {
      this.i += m[0].length;
      const kind = alpha[name]!;
      if (name.startsWith('s') || name.startsWith('a') || name.startsWith('n')) this.note(`(*${name}:...)`);
      // PCRE2 reports a lookbehind written this way at the name, after "(*".
      if (kind === 'la' || kind === 'nla' || kind === 'lb' || kind === 'nlb') return this.lookaround(kind, flags, depth, start + 2);
      return this.groupBody(kind, flags, depth, start);
    }
    const verbs = ['ACCEPT', 'FAIL', 'F', 'COMMIT', 'PRUNE', 'SKIP', 'THEN', 'MARK', ''];
    const close = p.indexOf(')', this.i);
    if (close < 0 || !verbs.includes(name) || (name === '' && m[2] !== ':')) this.err('(*VERB) not recognized or malformed', close < 0 ? this.n : close);
    if ((name === 'MARK' || name === '') && (m[2] !== ':' || close === this.i + m[0].length)) this.err('(*MARK) must have an argument', close);
    if (name === 'FAIL' || name === 'F') {
      this.i = close + 1;
      return { node: { t: 'opaque', js: '(?!)', fixed: 0 }, repeatable: false };
    }
    this.i = close + 1;
    this.note('backtracking control verbs');
    return { node: { t: 'opaque', js: '', fixed: 0 }, repeatable: false };
  }

  // -------------------------------------------------------------------------------------------
  // Escapes outside classes

  private parseEscape(flags: Flags): Item | 'skip' {
    const p = this.p;
    const bs = this.i;
    this.i++;
    const c = p[this.i];
    if (c === undefined) this.err('\\ at end of pattern', this.n);
    this.i++;
    const code = this.simpleEscape(c, bs, false);
    if (code !== undefined) return { node: this.literal(code, flags), repeatable: true };
    const type = TYPE_ESCAPES[c];
    if (type) {
      const set = newSet();
      addSet(set, type.set, type.negate);
      return { node: { t: 'set', set }, repeatable: true };
    }
    switch (c) {
      case 'N': {
        if (p[this.i] === '{') {
          if (p[this.i + 1] === 'U' && p[this.i + 2] === '+') this.err('\\N{U+dddd} is supported only in Unicode (UTF) mode', this.i);
          if (!/^\{[0-9]+(,[0-9]*)?\}/.test(p.slice(this.i))) this.err('PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', this.i);
        }
        const set = newSet();
        addRange(set, 0, 255);
        set[1]! &= ~(1 << 2);
        return { node: { t: 'set', set }, repeatable: true };
      }
      case 'b':
        return { node: { t: 'assert', js: '\\b' }, repeatable: false };
      case 'B':
        return { node: { t: 'assert', js: '\\B' }, repeatable: false };
      case 'A':
        return { node: { t: 'assert', js: '^' }, repeatable: false };
      case 'z':
        return { node: { t: 'assert', js: '$' }, repeatable: false };
      case 'Z':
        return { node: { t: 'assert', js: '(?=\\n?$)' }, repeatable: false };
      case 'G':
        this.note('\\G');
        return { node: { t: 'assert', js: '' }, repeatable: false };
      case 'K':
        if (this.lookaroundDepth > 0) {
          const end = this.p.indexOf(')', this.i);
          this.err('\\K is not allowed in lookarounds (but see PCRE2_EXTRA_ALLOW_LOOKAROUND_BSK)', end < 0 ? this.n : end + 1);
        }
        this.note('\\K');
        return { node: { t: 'assert', js: '' }, repeatable: false };
      case 'C': {
        const set = newSet();
        addRange(set, 0, 255);
        return { node: { t: 'set', set }, repeatable: true };
      }
      case 'R':
        return { node: { t: 'opaque', js: '(?:\\r\\n|[\\n\\x0b\\f\\r\\x85])' }, repeatable: true };
      case 'X':
        this.note('\\X');
        return { node: { t: 'opaque', js: '[\\s\\S]' }, repeatable: true };
      case 'Q': {
        const end = p.indexOf('\\E', this.i);
        const text = end < 0 ? p.slice(this.i) : p.slice(this.i, end);
        this.i = end < 0 ? this.n : end + 2;
        if (text === '') return 'skip';
        const items = [...text].map((t) => this.literal(t.charCodeAt(0) & 0xff, flags));
        // Each character is an item of its own: a following quantifier takes the last one.
        return { node: { t: 'seq', items }, repeatable: true, spread: true };
      }
      case 'E':
        return 'skip';
      case 'p':
      case 'P':
        this.readProperty();
        this.note('Unicode properties \\p');
        return { node: { t: 'opaque', js: '[\\s\\S]' }, repeatable: true };
      case 'g':
        return this.gReference(flags, bs);
      case 'k':
        return this.kReference(flags);
      default:
        break;
    }
    if (/[1-9]/.test(c)) return this.digitEscape(flags, bs);
    return this.badLetter(c, bs);
  }

  /** Errors for letters PCRE2 does not know after a backslash. */
  private badLetter(c: string, bs: number): never {
    if (UNSUPPORTED_ESCAPES.has(c)) this.err('PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', bs + 2);
    this.err('unrecognized character follows \\', bs + 1);
  }

  /**
   * Escapes that stand for one character, valid in and out of classes: \a \e \f \n \r \t,
   * \0oo, \xhh, \x{hh}, \o{ooo}, \cX, and any non-alphanumeric character. Returns undefined
   * for the others. `this.i` is just after the escape letter.
   */
  private simpleEscape(c: string, bs: number, inClass: boolean): number | undefined {
    const p = this.p;
    if (c in CHAR_ESCAPES) return CHAR_ESCAPES[c];
    if (!/[A-Za-z0-9]/.test(c)) return c.charCodeAt(0) & 0xff;
    if (c === '0') {
      const m = /^[0-7]{0,2}/.exec(p.slice(this.i))![0];
      this.i += m.length;
      return parseInt('0' + m, 8);
    }
    if (inClass && /[1-9]/.test(c)) {
      // In a class, \1 to \7 start an octal number; \8 and \9 are the digits themselves.
      if (c === '8' || c === '9') return c.charCodeAt(0);
      const m = /^[0-7]{0,2}/.exec(p.slice(this.i))![0];
      this.i += m.length;
      const v = parseInt(c + m, 8);
      if (v > 0o377) this.err('octal value is greater than \\377 in 8-bit non-UTF-8 mode', this.i);
      return v;
    }
    if (c === 'x') {
      if (p[this.i] === '{') {
        const open = this.i;
        let j = open + 1;
        while (j < this.n && /[0-9A-Fa-f]/.test(p[j]!)) j++;
        if (j === open + 1 && p[j] === '}') this.err('digits missing in \\x{} or \\o{} or \\N{U+}', j);
        if (p[j] !== '}') this.err('non-hex character in \\x{} (closing brace missing?)', j < this.n ? j : this.n - 1);
        const v = parseInt(p.slice(open + 1, j), 16);
        if (v > 0xff && !this.utf) this.err('character code point value in \\x{} or \\o{} is too large', j);
        this.i = j + 1;
        return v;
      }
      const m = /^[0-9A-Fa-f]{0,2}/.exec(p.slice(this.i))![0];
      this.i += m.length;
      return m === '' ? 0 : parseInt(m, 16);
    }
    if (c === 'o') {
      if (p[this.i] !== '{') this.err('missing opening brace after \\o', bs + 1);
      const open = this.i;
      let j = open + 1;
      while (j < this.n && /[0-7]/.test(p[j]!)) j++;
      if (j === open + 1 && p[j] === '}') this.err('digits missing in \\x{} or \\o{} or \\N{U+}', j);
      if (p[j] !== '}') this.err('non-octal character in \\o{} (closing brace missing?)', j < this.n ? j : this.n - 1);
      const v = parseInt(p.slice(open + 1, j), 8);
      if (v > 0xff) this.err('character code point value in \\x{} or \\o{} is too large', j);
      this.i = j + 1;
      return v;
    }
    if (c === 'c') {
      const d = p[this.i];
      if (d === undefined) this.err('\\c at end of pattern', this.n);
      const code = d.charCodeAt(0);
      if (code < 32 || code > 126) this.err('\\c must be followed by a printable ASCII character', this.i);
      this.i++;
      return (d.toUpperCase().charCodeAt(0) ^ 0x40) & 0xff;
    }
    return undefined;
  }

  /** \1 ... \9, \10 ...: a back reference, or an octal character when there are fewer groups. */
  private digitEscape(flags: Flags, bs: number): Item {
    const p = this.p;
    const m = /^[0-9]+/.exec(p.slice(bs + 1))![0];
    const num = Number(m);
    if (num < 10 || m[0] === '8' || m[0] === '9' || num <= this.captures) {
      this.i = bs + 1 + m.length;
      if (num > 65535) this.err('subpattern number is too big', this.i - 1);
      const node = { t: 'backref' as const, group: num, caseless: flags.i };
      this.refs.push({ group: num, offset: this.i - 1, node });
      return { node, repeatable: true };
    }
    const oct = /^[0-7]{1,3}/.exec(p.slice(bs + 1))![0];
    this.i = bs + 1 + oct.length;
    const v = parseInt(oct, 8);
    if (v > 0o377) this.err('octal value is greater than \\377 in 8-bit non-UTF-8 mode', this.i);
    return { node: this.literal(v, flags), repeatable: true };
  }

  /** \g{n} \g{-n} \g{name} \gn \g-n (references), \g<..> \g'..' (subroutine calls). */
  private gReference(flags: Flags, bs: number): Item {
    const p = this.p;
    const rest = p.slice(this.i);
    const fail: () => never = () => this.err('\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number', this.i);
    let m = /^(<|')([+-]?[0-9]+|[A-Za-z_][A-Za-z0-9_]*)(>|')/.exec(rest);
    if (m) {
      if ((m[1] === '<') !== (m[3] === '>')) fail();
      this.i += m[0].length;
      this.note('subroutine calls');
      const g = m[2]!;
      if (/^[+-]?[0-9]+$/.test(g)) {
        const num = Number(g);
        const group = g[0] === '+' ? this.captures + num : g[0] === '-' ? this.captures + num + 1 : num;
        this.refs.push({ group, offset: this.i - 1 });
      } else {
        this.refs.push({ name: g, offset: bs + 3 });
      }
      return { node: { t: 'opaque', js: '' }, repeatable: true };
    }
    m = /^\{(-?[0-9]+|[A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest) ?? /^(-?[0-9]+)/.exec(rest);
    if (!m) fail();
    const g = m[1]!;
    const braced = m[0][0] === '{';
    this.i += m[0].length;
    const node = { t: 'backref' as const, group: 0, caseless: flags.i };
    if (/^-?[0-9]+$/.test(g)) {
      const num = Number(g);
      if (g[0] === '-') {
        const group = this.captures + num + 1;
        if (num === 0 || group <= 0) this.err('reference to non-existent subpattern', braced ? bs + 2 : this.i);
        node.group = group;
        this.refs.push({ group, offset: this.i, node });
      } else {
        node.group = num;
        this.refs.push({ group: num === 0 ? -1 : num, offset: num === 0 || braced ? this.i : this.i - 1, node });
      }
    } else {
      this.refs.push({ name: g, offset: bs + 3, node });
    }
    return { node, repeatable: true };
  }

  /** \k<name> \k'name' \k{name}. */
  private kReference(flags: Flags): Item {
    const m = /^(<([A-Za-z0-9_]*)>|'([A-Za-z0-9_]*)'|\{([A-Za-z0-9_]*)\})/.exec(this.p.slice(this.i));
    if (!m) this.err('\\k is not followed by a braced, angle-bracketed, or quoted name', this.i);
    const name = m[2] ?? m[3] ?? m[4] ?? '';
    const nameStart = this.i + 1;
    if (name === '') this.err('subpattern name expected', nameStart);
    if (/^[0-9]/.test(name)) this.err('subpattern name must start with a non-digit', nameStart);
    this.i += m[0].length;
    const node = { t: 'backref' as const, group: 0, caseless: flags.i };
    this.refs.push({ name, offset: nameStart, node });
    return { node, repeatable: true };
  }

  /** \p{Name}, \p{^Name}, \pL. Property names are checked loosely (letters, digits, _ & :=). */
  private readProperty(): void {
    const p = this.p;
    if (this.i >= this.n) this.err('malformed \\P or \\p sequence', this.n);
    if (p[this.i] === '{') {
      const end = p.indexOf('}', this.i);
      if (end < 0) this.err('malformed \\P or \\p sequence', this.n);
      const name = p.slice(this.i + 1, end).replace(/^\^/, '');
      this.i = end + 1;
      if (!isKnownProperty(name)) this.err('unknown property after \\P or \\p', this.i);
      return;
    }
    const name = p[this.i]!;
    this.i++;
    if (!isKnownProperty(name)) this.err('unknown property after \\P or \\p', this.i);
  }

  // -------------------------------------------------------------------------------------------
  // Character classes

  private parseClass(flags: Flags): Node {
    const p = this.p;
    const open = this.i;
    // "[:alpha:]" outside a class.
    if (/^\[([:.=])\^?[A-Za-z]*\1\]/.test(p.slice(open))) {
      this.err(p[open + 1] === ':' ? 'POSIX named classes are supported only within a class' : 'POSIX collating elements are not supported', open);
    }
    this.i++;
    let negate = false;
    if (p[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const set = newSet();
    // A ']' is literal until a member was read; \E and empty \Q\E do not count.
    let first = true;
    let quoted = false;
    // The previous single character, for ranges; `prevType` after a class escape.
    let prev: number | undefined;
    let prevType = false;
    for (;;) {
      if (this.i >= this.n) this.err('missing terminating ] for character class', this.n);
      if (quoted) {
        if (p.startsWith('\\E', this.i)) {
          quoted = false;
          this.i += 2;
          continue;
        }
      } else {
        if (p.startsWith('\\Q', this.i)) {
          quoted = true;
          this.i += 2;
          continue;
        }
        if (p.startsWith('\\E', this.i)) {
          this.i += 2;
          continue;
        }
        if (p[this.i] === ']' && !first) {
          this.i++;
          break;
        }
      }
      first = false;
      const posix = quoted ? null : this.posixClass();
      if (posix) {
        addSet(set, posix.set, posix.negate);
        prev = undefined;
        prevType = true;
        continue;
      }
      if (!quoted && p[this.i] === '-' && (prev !== undefined || prevType) && this.i + 1 < this.n && p[this.i + 1] !== ']') {
        // A range "a-z" (its left side is already in the set).
        const dash = this.i;
        this.i++;
        if (prevType) this.err('invalid range in character class', dash);
        if (/^\[:\^?[A-Za-z]*:\]/.test(p.slice(this.i))) this.err('invalid range in character class', this.i + 1);
        const right = this.classAtom(quoted);
        if (right.quote !== undefined) quoted = right.quote;
        if (right.type) this.err('invalid range in character class', this.i);
        if (right.code === undefined) continue;
        if (right.code < prev!) this.err('range out of order in character class', this.i - 1);
        addRange(set, prev!, right.code);
        prev = undefined;
        continue;
      }
      const a = this.classAtom(quoted);
      if (a.type) {
        addSet(set, a.type.set, a.type.negate);
        prev = undefined;
        prevType = true;
      } else if (a.code !== undefined) {
        add(set, a.code);
        prev = a.code;
        prevType = false;
      }
    }
    if (flags.i) foldCase(set);
    if (negate) for (let k = 0; k < 32; k++) set[k] = ~set[k]! & 0xff;
    return { t: 'set', set };
  }

  /** [:name:] or [:^name:] at the current position, inside a class. */
  private posixClass(): { set: CharSet; negate: boolean } | undefined {
    const p = this.p;
    if (p[this.i] !== '[' || !/^\[([:.=])/.test(p.slice(this.i))) return undefined;
    const m = /^\[([:.=])(\^?)([A-Za-z]*)\1\]/.exec(p.slice(this.i));
    if (!m) return undefined;
    if (m[1] !== ':') this.err('POSIX collating elements are not supported', this.i);
    const cls = POSIX[m[3]!];
    if (!cls) this.err('unknown POSIX class name', this.i + 2 + m[2]!.length);
    this.i += m[0].length;
    return { set: cls, negate: m[2] === '^' };
  }

  /**
   * One member of a class: a character code or a class escape (\d ...). Inside \Q...\E every
   * character is itself. `quote` is set when the member was a range end written "\Q".
   */
  private classAtom(quoted: boolean): { code?: number; type?: { set: CharSet; negate: boolean }; quote?: boolean } {
    const p = this.p;
    const c = p[this.i]!;
    if (c !== '\\' || quoted) {
      this.i++;
      return { code: c.charCodeAt(0) & 0xff };
    }
    const bs = this.i;
    this.i++;
    const e = p[this.i];
    if (e === undefined) this.err('\\ at end of pattern', this.n);
    this.i++;
    if (e === 'b') return { code: 0x08 };
    if (e === 'g') return { code: 0x67 };
    if (e === 'Q' || e === 'E') {
      // "a-\Qz\E": the range end is the first quoted character.
      if (e === 'Q' && this.i < this.n && !p.startsWith('\\E', this.i)) {
        const code = p.charCodeAt(this.i) & 0xff;
        this.i++;
        return { code, quote: true };
      }
      if (e === 'Q') this.i += 2;
      return {};
    }
    const code = this.simpleEscape(e, bs, true);
    if (code !== undefined) return { code };
    const type = TYPE_ESCAPES[e];
    if (type) return { type };
    if (e === 'p' || e === 'P') {
      this.readProperty();
      this.note('Unicode properties \\p');
      return { type: { set: newSet(), negate: false } };
    }
    if (e === 'N') this.err('\\N is not supported in a class', this.i);
    if (KNOWN_ESCAPES.has(e)) this.err('escape sequence is invalid in character class', this.i - 1);
    return this.badLetter(e, bs);
  }
}

/**
 * What an item parser gives: the node, whether a quantifier may follow, and whether the node is
 * a run of separate items (\Q...\E) to add one by one.
 */
interface Item {
  readonly node: Node;
  readonly repeatable: boolean;
  readonly spread?: boolean;
}

function seq(items: Node[]): Node {
  return items.length === 1 ? items[0]! : { t: 'seq', items };
}

/** Unicode general categories, special properties and the common script names. */
const PROPERTIES = new Set(
  [
    'Any', 'L&', 'Lc', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf',
    'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs', 'C', 'Cc', 'Cf', 'Cn', 'Co', 'Cs', 'Xan', 'Xps', 'Xsp',
    'Xwd', 'Xuc', 'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Devanagari', 'Bengali',
    'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Tibetan', 'Myanmar',
    'Georgian', 'Hangul', 'Ethiopic', 'Cherokee', 'Ogham', 'Runic', 'Khmer', 'Mongolian', 'Hiragana', 'Katakana', 'Bopomofo',
    'Han', 'Yi', 'Common', 'Inherited', 'Braille', 'Coptic', 'Gothic',
  ].map((s) => s.toLowerCase().replace(/[ _-]/g, '')),
);

function isKnownProperty(name: string): boolean {
  const loose = name.toLowerCase().replace(/[ _-]/g, '');
  if (PROPERTIES.has(loose)) return true;
  // Script and binary-property forms of PCRE2 10.40+ (sc:Latin, scx:Greek, bidi_class ...).
  return /^(sc|scx|script|scriptextensions|bc|bidiclass)[:=][a-z0-9]+$/.test(loose);
}

/**
 * Length in characters matched by a node, when fixed (lookbehind rule of PCRE2 10.42). A back
 * reference has the length of its group when that one is fixed.
 */
function fixedLength(node: Node, groups: ReadonlyMap<number, Node>, depth = 0): number | undefined {
  const fl = (n: Node): number | undefined => fixedLength(n, groups, depth);
  switch (node.t) {
    case 'set':
      return 1;
    case 'assert':
      return 0;
    case 'seq': {
      let total = 0;
      for (const it of node.items) {
        const l = fl(it);
        if (l === undefined) return undefined;
        total += l;
      }
      return total;
    }
    case 'alt': {
      const lens = node.alts.map(fl);
      if (lens.some((l) => l === undefined) || new Set(lens).size !== 1) return undefined;
      return lens[0];
    }
    case 'group':
      if (node.kind === 'la' || node.kind === 'nla' || node.kind === 'lb' || node.kind === 'nlb') return 0;
      return fl(node.body);
    case 'quant': {
      if (node.min !== node.max) return undefined;
      const l = fl(node.body);
      return l === undefined ? undefined : l * node.min;
    }
    case 'backref': {
      const g = groups.get(node.group);
      return g && depth < 10 ? fixedLength(g, groups, depth + 1) : undefined;
    }
    case 'opaque':
      return node.fixed;
  }
}

// ---------------------------------------------------------------------------------------------
// JavaScript output

function hex(c: number): string {
  return '\\x' + c.toString(16).padStart(2, '0');
}

function emitSet(set: CharSet): string {
  const members: number[] = [];
  for (let c = 0; c < 256; c++) if (has(set, c)) members.push(c);
  if (members.length === 0) return '(?!)';
  if (members.length === 256) return '[\\s\\S]';
  if (members.length === 1) {
    const c = members[0]!;
    return /[A-Za-z0-9 _]/.test(String.fromCharCode(c)) ? String.fromCharCode(c) : hex(c);
  }
  let out = '';
  for (let k = 0; k < members.length; ) {
    let j = k;
    while (j + 1 < members.length && members[j + 1] === members[j]! + 1) j++;
    const lo = members[k]!;
    const hi = members[j]!;
    const show = (c: number): string => (/[A-Za-z0-9]/.test(String.fromCharCode(c)) ? String.fromCharCode(c) : hex(c));
    out += lo === hi ? show(lo) : hi === lo + 1 ? show(lo) + show(hi) : `${show(lo)}-${show(hi)}`;
    k = j + 1;
  }
  return `[${out}]`;
}

function emit(node: Node): string {
  switch (node.t) {
    case 'set':
      return emitSet(node.set);
    case 'seq':
      return node.items.map(emit).join('');
    case 'alt':
      return node.alts.map(emit).join('|');
    case 'assert':
      return node.js;
    case 'opaque':
      return node.js;
    case 'backref':
      return node.caseless ? `(?i:\\${node.group})` : `(?:\\${node.group})`;
    case 'group': {
      const body = emit(node.body);
      const open = { cap: '(', nocap: '(?:', atomic: '(?:', la: '(?=', nla: '(?!', lb: '(?<=', nlb: '(?<!' }[node.kind];
      return `${open}${body})`;
    }
    case 'quant': {
      let body = emit(node.body);
      if (!(node.body.t === 'set' || node.body.t === 'group')) body = `(?:${body})`;
      const q =
        node.min === 0 && node.max === Infinity
          ? '*'
          : node.min === 1 && node.max === Infinity
            ? '+'
            : node.min === 0 && node.max === 1
              ? '?'
              : node.max === Infinity
                ? `{${node.min},}`
                : node.min === node.max
                  ? `{${node.min}}`
                  : `{${node.min},${node.max}}`;
      return body + q + (node.lazy ? '?' : '');
    }
  }
}
