/**
 * What the proxy keyword files share: the row type with its capability flags, HAProxy's
 * capability messages (warnifnotcap), and the number and time readers HAProxy uses in proxy
 * sections (atol, strtol-like integers, parse_time_err).
 */
import { bestMatch } from '../../suggest.js';
import { parseTime, timeTrailingWarning, type Parsed } from '../../units.js';
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

/** Result of HAProxy's parse_time_err() (config/units.ts). */
export type TimeParse = Parsed<number>;

/** A time as HAProxy reads it, in `unit` (config/units.ts parseTime). */
export function parseHaTime(text: string, unit: 'ms' | 's'): TimeParse {
  return parseTime(text, unit);
}

/** The warning HAProxy 2.6 prints (without location) for characters after a timer's unit. */
export function warnTimeTrailing(ctx: KeywordContext<unknown>, r: TimeParse, text: string): void {
  if ('value' in r && r.trailing !== undefined) ctx.load.diag.warning(undefined, timeTrailingWarning(text, r.trailing));
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
 * The candidate HAProxy would suggest for a mistyped word, or undefined when it is too far
 * (the shared measure of config/suggest.ts).
 */
export function haproxyBestMatch(word: string, candidates: Iterable<string>): string | undefined {
  return bestMatch(word, candidates);
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
