/**
 * What the proxy keyword files share: the row type with its capability flags, HAProxy's
 * capability messages (warnifnotcap), and the number and time readers HAProxy uses in proxy
 * sections (atol, strtol-like integers, parse_time_err).
 */
import { execFileSync } from 'node:child_process';
import type { KeywordContext, KeywordRow } from '../../keywords.js';
import type { Mutable } from '../../load-state.js';
import type { AddressModel } from '../../model/address.js';
import type { ProxyModel } from '../../model/proxy.js';
import { CAP_BE, CAP_FE } from '../../types.js';

/**
 * A proxy keyword row. `cap` says where the keyword applies (configuration.txt 4.1); by
 * default the proxy section checks it before parse() and skips the statement after HAProxy's
 * warning. The flags below reproduce the keywords where HAProxy does otherwise.
 */
export interface ProxyRow extends KeywordRow<ProxyModel> {
  /**
   * parse() checks the capability itself, where and how HAProxy does (after some argument
   * checks, or with another message: "'timeout client' will be ignored because ...").
   */
  readonly capByParse?: boolean;
  /**
   * HAProxy warns "'x' ignored because ... capability" and then parses the statement all the
   * same: its errors still count and its value is recorded (balance in a frontend, ...).
   */
  readonly capThenParse?: boolean;
  /** Appended to the capability warning (maxconn: " Maybe you want 'fullconn' instead ?"). */
  readonly capHint?: string;
  /** "'id' not allowed in 'defaults' section." is written "parsing [f:l]: ..." for a few keywords. */
  readonly defaultsTight?: boolean;
}

/** HAProxy's name for a proxy's type in messages: listen sections are "proxy". */
export function typeName(p: ProxyModel): string {
  return p.kind === 'listen' ? 'proxy' : p.kind;
}

/** "frontend 'fe'", "proxy 'li'". */
export function describe(p: ProxyModel): string {
  return `${typeName(p)} '${p.name}'`;
}

/** The capability a proxy lacks, in HAProxy's words ("no backend", "neither frontend nor backend"). */
function missingCap(cap: number): string {
  if (cap === CAP_BE) return 'no backend';
  if (cap === CAP_FE) return 'no frontend';
  if (cap === (CAP_FE | CAP_BE)) return 'neither frontend nor backend';
  return 'not enough';
}

/**
 * HAProxy's warnifnotcap(): warns "'<name>' ignored because <type> '<id>' has no <x>
 * capability.<hint>" when the proxy has none of `cap` (defaults sections have them all).
 * Returns true when it warned.
 */
export function warnIfNotCap(ctx: KeywordContext<ProxyModel>, cap: number, name: string, hint = ''): boolean {
  const p = ctx.state;
  if (p.kind === 'defaults' || (p.cap & cap) !== 0) return false;
  ctx.warning(`'${name}' ignored because ${describe(p)} has ${missingCap(cap & (CAP_FE | CAP_BE))} capability.${hint}`);
  return true;
}

/** True when the proxy is a defaults section or has one of `cap`. */
export function hasCap(p: ProxyModel, cap: number): boolean {
  return p.kind === 'defaults' || (p.cap & cap) !== 0;
}

/** "'<kw>' cannot handle unexpected argument '<x>'." when args[index + max + 1] exists. */
export function tooManyArgs(ctx: KeywordContext<unknown>, args: readonly string[], max: number, index = 0): boolean {
  const extra = args[index + max + 1];
  if (extra === undefined || extra === '') return false;
  ctx.alert(`'${args.slice(0, index + 1).join(' ')}' cannot handle unexpected argument '${extra}'.`);
  return true;
}

/** C's atol(): leading blanks, optional sign, digits; anything else stops it (0 when none). */
export function atol(text: string | undefined): number {
  const m = /^[ \t\n\v\f\r]*([-+]?[0-9]+)/.exec(text ?? '');
  return m ? Number(m[1]) : 0;
}

/** atol() then C's int conversion: what `atoi` and int fields keep. */
export function atoi(text: string | undefined): number {
  return atol(text) | 0;
}

/**
 * Integers read by proxy.c's keyword parsers (rate-limit, max-keep-alive-queue, clitcpka-cnt):
 * an optional sign then digits; returns the first unexpected character otherwise.
 */
export function strtolArg(text: string): { value: number } | { char: string } {
  const m = /^[-+]?[0-9]*/.exec(text)!;
  if (m[0].length < text.length) return { char: text[m[0].length]! };
  return { value: Number(m[0]) || 0 };
}

/** Result of HAProxy's parse_time_err(). */
export type TimeParse =
  | { value: number; trailing?: string }
  | { error: 'char'; char: string }
  | { error: 'overflow' }
  | { error: 'underflow' };

const UNIT_IN_US: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000, d: 86_400_000_000 };

/**
 * A time as HAProxy reads it (configuration.txt 2.5): digits, then an optional unit
 * (us, ms, s, m, h, d); a number without unit is in `unit`. The result is in `unit`, rounded
 * up (so "1us" is 1 ms). Characters after a valid unit are accepted with a warning
 * (`trailing`), as HAProxy 2.6 does. Values from 2^31 units up overflow.
 */
export function parseHaTime(text: string, unit: 'ms' | 's'): TimeParse {
  const m = /^[0-9]+/.exec(text);
  if (!m) return { error: 'char', char: text[0] ?? '' };
  const digits = m[0];
  let rest = text.slice(digits.length);
  const value = BigInt(digits) % (1n << 64n);
  let result: bigint;
  let trailing: string | undefined;
  if (rest === '') {
    result = value;
  } else {
    const u = /^(us|ms|s|m|h|d)/.exec(rest);
    if (!u || (rest[0] === 'u' && rest[1] !== 's')) return { error: 'char', char: rest[0]! };
    const inUs = BigInt(UNIT_IN_US[u[1]!]!);
    const outUs = BigInt(UNIT_IN_US[unit]!);
    result = (value * inUs + outUs - 1n) / outUs;
    rest = rest.slice(u[1]!.length);
    if (rest !== '') trailing = rest[0];
  }
  if (result >= 0x80000000n) return { error: 'overflow' };
  if (result === 0n && value !== 0n) return { error: 'underflow' };
  return trailing !== undefined ? { value: Number(result), trailing } : { value: Number(result) };
}

/** The warning HAProxy 2.6 prints (without location) for characters after a timer's unit. */
export function warnTimeTrailing(ctx: KeywordContext<unknown>, r: TimeParse, text: string): void {
  if ('value' in r && r.trailing !== undefined) {
    ctx.load.diag.warning(
      undefined,
      `unexpected character '${r.trailing}' after the timer value '${text}', only (us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. This will be reported as an error in next versions.`,
    );
  }
}

/**
 * A time in seconds as the cookie maxidle/maxlife and tcp keep-alive keywords read it, with
 * their messages ("timer overflow in argument <x> to <kw>, maximum value is 2147483647 s
 * (~68 years)."). Returns undefined after an alert.
 */
export function secondsArg(ctx: KeywordContext<unknown>, text: string, kw: string, style: 'spaced' | 'tight' = 'tight'): number | undefined {
  const r = parseHaTime(text, 's');
  if ('error' in r) {
    if (r.error === 'overflow') ctx.alert(`timer overflow in argument <${text}> to <${kw}>, maximum value is 2147483647 s (~68 years).`, style);
    else if (r.error === 'underflow') ctx.alert(`timer underflow in argument <${text}> to <${kw}>, minimum non-null value is 1 s.`, style);
    else ctx.alert(`unexpected character '${r.char}' in argument to <${kw}>.`, style);
    return undefined;
  }
  warnTimeTrailing(ctx, r, text);
  return r.value;
}

/**
 * A time in milliseconds with the messages of `timeout` and most proxy keywords ("timer
 * overflow in argument '<x>' to '<kw>' (maximum value is 2147483647 ms or ~24.8 days)").
 */
export function msArg(ctx: KeywordContext<unknown>, text: string | undefined, kw: string): number | undefined {
  if (text === undefined || text === '') {
    ctx.alert(`'${kw}' expects an integer value (in milliseconds)`);
    return undefined;
  }
  const r = parseHaTime(text, 'ms');
  if ('error' in r) {
    if (r.error === 'overflow') ctx.alert(`timer overflow in argument '${text}' to '${kw}' (maximum value is 2147483647 ms or ~24.8 days)`);
    else if (r.error === 'underflow') ctx.alert(`timer underflow in argument '${text}' to '${kw}' (minimum non-null value is 1 ms)`);
    else ctx.alert(`unexpected character '${r.char}' in '${kw}'`);
    return undefined;
  }
  warnTimeTrailing(ctx, r, text);
  return r.value;
}

/** "parsing [file:line] : " as HAProxy embeds it in some messages (compression, filter). */
export function locationPrefix(ctx: KeywordContext<unknown>): string {
  return `parsing [${ctx.where.file}:${ctx.where.line}] : `;
}

/** HAProxy's message for a 'no'/'default' prefix on a keyword that does not take one. */
export function modifierNotSupported(ctx: KeywordContext<unknown>): void {
  ctx.alert(
    'negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.',
    'tight',
  );
}

/**
 * A word's fingerprint as HAProxy computes it for "did you mean" (cfg_find_best_match): the
 * counts of transitions between character classes (26 letters, digit, other, begin, end).
 */
function fingerprint(word: string): Map<number, number> {
  const fp = new Map<number, number>();
  const cls = (c: string): number => {
    const l = c.toLowerCase();
    if (l >= 'a' && l <= 'z') return l.charCodeAt(0) - 97;
    if (l >= '0' && l <= '9') return 26;
    return 27;
  };
  let from = 28;
  for (const c of word) {
    const to = cls(c);
    fp.set(from * 32 + to, (fp.get(from * 32 + to) ?? 0) + 1);
    from = to;
  }
  fp.set(from * 32 + 29, (fp.get(from * 32 + 29) ?? 0) + 1);
  return fp;
}

function fingerprintDistance(a: Map<number, number>, b: Map<number, number>): number {
  let d = 0;
  for (const [k, v] of a) d += Math.abs(v - (b.get(k) ?? 0));
  for (const [k, v] of b) if (!a.has(k)) d += v;
  return d;
}

/**
 * The candidate HAProxy would suggest for a mistyped word, or undefined when it is too far.
 * The limit was measured on haproxy 2.6.12: one and a half times the length of either word
 * (53 of 53 mistyped proxy keywords and 56 of 59 mistyped options suggested alike; twice the
 * length, as HAProxy's sources suggest, gives 49 and 44). The word itself may be suggested.
 */
export function haproxyBestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const fp = fingerprint(word);
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = fingerprintDistance(fp, fingerprint(c));
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  if (best === undefined || 2 * bestDist > 3 * word.length || 2 * bestDist > 3 * best.length) return undefined;
  return best;
}

/**
 * Resolves a host name now, as HAProxy does for the addresses of `source`, `usesrc`,
 * `dispatch`, `log` and `option forwardfor except`: a name that does not resolve is an error
 * of that line, reported in order with the others. Node has no synchronous resolver, so this
 * asks the system's (getent: /etc/hosts, then DNS, like getaddrinfo). Returns undefined when
 * the name does not resolve, 'unavailable' when there is no getent (the caller then leaves the
 * name to the loader's resolution after parsing).
 */
export function resolveNow(host: string, family: 'ipv4' | 'ipv6' | 'any'): { ip: string; family: 'ipv4' | 'ipv6' } | undefined | 'unavailable' {
  const db = family === 'ipv4' ? 'ahostsv4' : family === 'ipv6' ? 'ahostsv6' : 'ahosts';
  try {
    const out = execFileSync('getent', [db, host], { encoding: 'latin1', timeout: 15_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const ip = out.split(/\s+/)[0];
    if (!ip) return undefined;
    return { ip, family: ip.includes(':') ? 'ipv6' : 'ipv4' };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { status?: number };
    if (err.code === 'ENOENT') return 'unavailable';
    return undefined;
  }
}

/**
 * Fills in the IP address of an address given by name (see resolveNow). `fail` reports the
 * failure with the keyword's message; returns false when it was called now.
 */
export function resolveAddress(ctx: KeywordContext<unknown>, address: AddressModel, fail: () => void): boolean {
  const host = address.hostname;
  if (!host) return true;
  const family = address.anyFamily ? 'any' : address.family === 'ipv6' ? 'ipv6' : 'ipv4';
  const addr = address as Mutable<AddressModel>;
  const r = resolveNow(host, family);
  if (r === 'unavailable') {
    ctx.load.resolutions.push({
      where: ctx.where,
      hostname: host,
      family,
      resolved(ip, fam) {
        addr.ip = ip;
        addr.family = fam;
      },
      failed: fail,
    });
    return true;
  }
  if (!r) {
    fail();
    return false;
  }
  addr.ip = r.ip;
  addr.family = r.family;
  return true;
}
