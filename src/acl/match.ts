/**
 * Run time of the match methods (configuration.txt 7.1, HAProxy's pat_match_* functions): each
 * compiles an ACL's patterns once and returns a function testing a sample against all of them
 * (an ACL matches when any pattern does). The sample has already been cast to the method's
 * input type (matchers.ts `input`): strings and binary blocks as bytes, integers as numbers,
 * addresses as IPv4 numbers or IPv6 bytes.
 *
 * Strings are compared as bytes (latin1). Patterns are C strings in HAProxy: one holding a NUL
 * ends there. "-i" folds ASCII letters only, as strncasecmp() in the C locale. A binary sample
 * read as a string stops at its first NUL (the cast, see sample/convert.ts).
 */
import type { AclModel, AclPattern } from '../config/model/acl.js';
import { embeddedIpv4, parseIpv4, parseIpv6 } from '../sample/addr.js';
import type { MatchFn, MatcherCompiler } from './types.js';

function latin1(smp: { bytes: Buffer }): string {
  return smp.bytes.toString('latin1');
}

/** ASCII lower case (tolower() in the C locale leaves other bytes alone). */
export function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

/** A string pattern as HAProxy stores it: up to its first NUL, folded with -i. */
function stringPatterns(acl: AclModel): string[] {
  const fold = acl.flags.ignoreCase;
  return acl.patterns.map((p) => {
    const z = p.text.indexOf('\0');
    const t = z < 0 ? p.text : p.text.slice(0, z);
    return fold ? asciiLower(t) : t;
  });
}

/** A string method over the sample text (folded with -i) and the pattern texts. */
function stringMatcher(test: (sample: string, pattern: string) => boolean): MatcherCompiler {
  return (acl) => {
    const patterns = stringPatterns(acl);
    const fold = acl.flags.ignoreCase;
    return (smp) => {
      const s = fold ? asciiLower(latin1(smp)) : latin1(smp);
      for (const p of patterns) if (test(s, p)) return true;
      return false;
    };
  };
}

/** -m str: exact match (a set: patterns from files may be many). */
export const patMatchStr: MatcherCompiler = (acl) => {
  const set = new Set(stringPatterns(acl));
  const fold = acl.flags.ignoreCase;
  return (smp) => set.has(fold ? asciiLower(latin1(smp)) : latin1(smp));
};

export const patMatchBeg = stringMatcher((s, p) => s.startsWith(p));
export const patMatchEnd = stringMatcher((s, p) => s.endsWith(p));
export const patMatchSub = stringMatcher((s, p) => s.includes(p));

/**
 * -m dir and -m dom: the pattern, stripped of its leading and trailing delimiters, equals a run
 * of the sample that starts at its beginning or after a delimiter and ends at its end or
 * before a delimiter (HAProxy's match_word). dir: '/' and '?'; dom: also '.' and ':'.
 */
function wordMatcher(delimiters: string): MatcherCompiler {
  const isDelim = (c: string | undefined): boolean => c !== undefined && delimiters.includes(c);
  const strip = (p: string): string => {
    let a = 0;
    let b = p.length;
    while (a < b && isDelim(p[a])) a++;
    while (b > a && isDelim(p[b - 1])) b--;
    return p.slice(a, b);
  };
  return stringMatcher((s, raw) => {
    const p = strip(raw);
    if (p.length === 0 || p.length > s.length) return false;
    let from = 0;
    for (;;) {
      const at = s.indexOf(p, from);
      if (at < 0) return false;
      if ((at === 0 || isDelim(s[at - 1])) && (at + p.length === s.length || isDelim(s[at + p.length]))) return true;
      from = at + 1;
    }
  });
}

export const patMatchDir = wordMatcher('/?');
export const patMatchDom = wordMatcher('/?.:');

/** -m reg: the translated regular expressions (patterns without translation are refused at startup). */
export const patMatchReg: MatcherCompiler = (acl) => {
  const res = acl.patterns.flatMap((p) => (p.type === 'reg' && p.js !== undefined && !p.untranslated ? [new RegExp(p.js, p.jsFlags ?? '')] : []));
  return (smp) => {
    const s = latin1(smp);
    for (const re of res) if (re.test(s)) return true;
    return false;
  };
};

/** -m bin: the bytes equal one of the hexadecimal patterns. */
export const patMatchBin: MatcherCompiler = (acl) => {
  const blocks = acl.patterns.flatMap((p) => (p.type === 'bin' ? [Buffer.from(p.hex, 'hex')] : []));
  return (smp) => {
    for (const b of blocks) if (smp.bytes.equals(b)) return true;
    return false;
  };
};

type Range = { readonly min?: number; readonly max?: number };

function ranges(acl: AclModel): Range[] {
  return acl.patterns.flatMap((p) => (p.type === 'range' ? [{ min: p.min, max: p.max }] : []));
}

function inRanges(list: readonly Range[], v: number): boolean {
  for (const r of list) if ((r.min === undefined || r.min <= v) && (r.max === undefined || v <= r.max)) return true;
  return false;
}

/** -m int: within one of the ranges (operators were turned into ranges when parsing). */
export const patMatchInt: MatcherCompiler = (acl) => {
  const list = ranges(acl);
  return (smp) => inRanges(list, smp.num);
};

/** -m len: the length of the string within one of the ranges. */
export const patMatchLen: MatcherCompiler = (acl) => {
  const list = ranges(acl);
  return (smp) => inRanges(list, smp.bytes.length);
};

/** -m bool: the value is not zero; patterns are ignored. */
export const patMatchBool: MatcherCompiler = () => (smp) => smp.num !== 0;

/** -m found: the sample exists; patterns are ignored. */
export const patMatchFound: MatcherCompiler = () => () => true;

/** First `prefix` bits of two 16-byte addresses are equal. */
function samePrefix(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  const full = prefix >> 3;
  for (let i = 0; i < full; i++) if (a[i] !== b[i]) return false;
  const bits = prefix & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return (a[full]! & mask) === (b[full]! & mask);
}

/** The IPv4 address an IPv6 sample stands for: ::ffff:a.b.c.d, ::a.b.c.d or 2002:a.b.c.d:: (7.1.6). */
function ipv4Of(b: Uint8Array): number {
  const v4 = embeddedIpv4(b);
  if (v4 >= 0) return v4;
  for (let i = 0; i < 12; i++) if (b[i] !== 0) return -1;
  return ((b[12]! << 24) | (b[13]! << 16) | (b[14]! << 8) | b[15]!) >>> 0;
}

function mapped(v4: number): Buffer {
  const b = Buffer.alloc(16);
  b[10] = 0xff;
  b[11] = 0xff;
  b.writeUInt32BE(v4 >>> 0, 12);
  return b;
}

/**
 * -m ip (configuration.txt 7.1.6): IPv4 patterns with their mask (which may be
 * non-contiguous), IPv6 patterns with their prefix length. An IPv4 sample is compared with
 * IPv6 patterns as ::ffff:a.b.c.d; an IPv6 sample with IPv4 patterns through the IPv4 address
 * it carries, if any.
 */
export const patMatchIp: MatcherCompiler = (acl) => {
  const v4: { addr: number; mask: number }[] = [];
  const v6: { addr: Buffer; prefix: number }[] = [];
  for (const p of acl.patterns as readonly AclPattern[]) {
    if (p.type === 'ipv4') {
      const addr = parseIpv4(p.addr);
      const mask = parseIpv4(p.mask);
      if (addr >= 0 && mask >= 0) v4.push({ addr: (addr & mask) >>> 0, mask });
    } else if (p.type === 'ipv6') {
      const addr = parseIpv6(p.addr);
      if (addr) v6.push({ addr, prefix: p.prefix });
    }
  }
  const matchV4 = (a: number): boolean => {
    for (const p of v4) if (((a & p.mask) >>> 0) === p.addr) return true;
    return false;
  };
  const matchV6 = (b: Uint8Array): boolean => {
    for (const p of v6) if (samePrefix(b, p.addr, p.prefix)) return true;
    return false;
  };
  const fn: MatchFn = (smp) => {
    if (smp.type === 'ipv4') return matchV4(smp.num) || (v6.length > 0 && matchV6(mapped(smp.num)));
    if (smp.type !== 'ipv6') return false;
    if (matchV6(smp.bytes)) return true;
    if (v4.length === 0) return false;
    const a = ipv4Of(smp.bytes);
    return a >= 0 && matchV4(a);
  };
  return fn;
};
