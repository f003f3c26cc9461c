/**
 * IP patterns of the "ip" match method (configuration.txt 7.1.6): "addr[/mask]" for IPv4, where
 * the mask is a prefix length or a dotted mask (HAProxy accepts non-contiguous ones), and
 * "addr[/len]" for IPv6. Without "-n", an IPv4 pattern that is not a dotted quad is looked up
 * as glibc's gethostbyname() would: digit-and-dot forms ("10", "127.1", "010.0.0.1") are
 * inet_aton numbers, anything else a host name to resolve (done after parsing, see `resolve`).
 */
import type { PatternParse } from './types.js';

/** inet_pton(AF_INET): exactly four decimal bytes, no leading zero. */
export function parseDottedQuad(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out.push(v);
  }
  return out;
}

/** inet_aton on a string of digits and dots (octal when a part starts with 0). */
function parseInetAton(s: string): number[] | undefined {
  if (!/^[0-9.]+$/.test(s)) return undefined;
  const parts = s.split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return undefined;
  const vals: number[] = [];
  for (const p of parts) {
    if (p.length > 1 && p[0] === '0') {
      if (!/^[0-7]+$/.test(p)) return undefined;
      vals.push(parseInt(p, 8));
    } else {
      vals.push(Number(p));
    }
  }
  // The last part fills the remaining bytes: a.b.c.d, a.b.(16 bits), a.(24 bits), (32 bits).
  const last = vals[vals.length - 1]!;
  const lastMax = 2 ** (8 * (5 - vals.length)) - 1;
  if (last > lastMax || vals.slice(0, -1).some((v) => v > 255)) return undefined;
  const bytes = vals.slice(0, -1);
  const rest = 4 - bytes.length;
  for (let i = rest - 1; i >= 0; i--) bytes.push(Math.floor(last / 2 ** (8 * i)) % 256);
  return bytes;
}

/** The mask after '/': a dotted mask (any four bytes) or a length 0-32 (strtol rules). */
function parseMask4(s: string): number[] | undefined {
  if (s.includes('.')) return parseDottedQuad(s);
  if (s === '' || !/^[ \t]*[+-]?[0-9]+$/.test(s)) return undefined;
  const len = Number(s.trim());
  if (!(len >= 0 && len <= 32)) return undefined;
  const bits = len;
  const out: number[] = [];
  for (let i = 0; i < 4; i++) out.push(Math.min(8, Math.max(0, bits - 8 * i)));
  return out.map((b) => (0xff << (8 - b)) & 0xff);
}

/** inet_pton(AF_INET6), including the IPv4-suffixed forms; no zone index. */
export function isIpv6(s: string): boolean {
  let head = s;
  let groups = 8;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.slice(lastColon + 1).includes('.')) {
    if (!parseDottedQuad(s.slice(lastColon + 1))) return false;
    // Keep a "::" just before the IPv4 part ("::1.2.3.4"), drop a single ':' separator.
    head = s.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
    groups = 6;
  }
  const dbl = head.indexOf('::');
  if (dbl >= 0 && head.indexOf('::', dbl + 1) >= 0) return false;
  const hex = /^[0-9A-Fa-f]{1,4}$/;
  if (dbl < 0) {
    const parts = head.split(':');
    return parts.length === groups && parts.every((p) => hex.test(p));
  }
  const left = head.slice(0, dbl);
  const right = head.slice(dbl + 2);
  const lp = left === '' ? [] : left.split(':');
  const rp = right === '' ? [] : right.split(':');
  if (![...lp, ...rp].every((p) => hex.test(p))) return false;
  return lp.length + rp.length <= groups - 1;
}

/** An IPv4 pattern naming a host, to resolve after parsing: the name and the mask to apply. */
export interface HostPattern {
  readonly host: string;
  readonly mask: string;
  readonly text: string;
}

export function parseIpPattern(text: string, resolve: boolean): PatternParse | { resolve: HostPattern } {
  const bad: PatternParse = { error: `'${text}' is not a valid IPv4 or IPv6 address` };
  // IPv4 first (HAProxy's str2net): the mask is what follows the last '/'.
  const slash = text.lastIndexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  const mask = slash < 0 ? [255, 255, 255, 255] : parseMask4(text.slice(slash + 1));
  if (mask) {
    const quad = parseDottedQuad(host) ?? (resolve ? parseInetAton(host) : undefined);
    if (quad) return { pattern: { type: 'ipv4', text, addr: quad.join('.'), mask: mask.join('.') } };
  }
  // Then IPv6 (str62net): a prefix length 0-128 after the last '/'.
  let prefix = 128;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (p === '' || !/^[ \t]*[+-]?[0-9]+$/.test(p)) return maybeResolve(text, host, mask, resolve, bad);
    const n = Number(p.trim());
    if (!(n >= 0 && n <= 128)) return maybeResolve(text, host, mask, resolve, bad);
    prefix = n;
  }
  if (isIpv6(host)) return { pattern: { type: 'ipv6', text, addr: host.toLowerCase(), prefix } };
  return maybeResolve(text, host, mask, resolve, bad);
}

/** A host name HAProxy would resolve: anything with a valid IPv4 mask that is not numeric. */
function maybeResolve(text: string, host: string, mask: number[] | undefined, resolve: boolean, bad: PatternParse): PatternParse | { resolve: HostPattern } {
  if (!resolve || !mask || host === '' || /^[0-9.]+$/.test(host) || host.includes(':')) return bad;
  // Numbers in inet_aton's other forms ("0x7f000001"): getaddrinfo would read them as
  // addresses, gethostbyname (HAProxy) looks them up as names, which fails.
  if (/^(0[xX][0-9a-fA-F]*|[0-9]+)(\.(0[xX][0-9a-fA-F]*|[0-9]+))*$/.test(host)) return bad;
  return { resolve: { host, mask: mask.join('.'), text } };
}
