/**
 * Hashing of balancing keys (configuration.txt 4.2, "hash-type"): the four hash functions
 * HAProxy offers over the key's bytes (sdbm, djb2, wt6, crc32), the `avalanche` modifier (Bob
 * Jenkins' 32-bit integer hash, which HAProxy also uses to place servers on the consistent
 * ring), and the special key of `balance source`. Results are unsigned 32-bit integers, equal to
 * HAProxy's for the same bytes. The algorithms receive the finished hash (LbRequest.hash).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { LbOptions } from './types.js';

/** sdbm: h = c + (h << 6) + (h << 16) - h, over each byte. */
export function hashSdbm(key: Uint8Array): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (key[i]! + (h << 6) + (h << 16) - h) >>> 0;
  return h;
}

/** djb2: h = h × 33 + c, from 5381. */
export function hashDjb2(key: Uint8Array): number {
  let h = 5381;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 33) + key[i]!) >>> 0;
  return h;
}

/** wt6: two 32-bit states mixed with data-dependent rotations (Willy Tarreau's 2013 hash). */
export function hashWt6(key: Uint8Array): number {
  let h0 = 0xa53c965a;
  let h1 = 0x5ca6953a;
  let step0 = 6;
  let step1 = 18;
  for (let i = 0; i < key.length; i++) {
    const c = key[i]!;
    h0 = ~(h0 ^ c);
    h1 = ~(h1 + c);
    const t = rotl(h1, step0);
    h1 = rotl(h0, step1);
    h0 = t;
    const m = ((h0 >>> 16) ^ h1) & 0xffff;
    step0 = m & 0x1f;
    step1 = m >>> 11;
  }
  return (h0 ^ h1) >>> 0;
}

/** Rotation left by n (0..31) as a C (x << n) | (x >> (32 - n)) on 32 bits: n = 0 keeps x. */
function rotl(x: number, n: number): number {
  x >>>= 0;
  // In C, x >> 32 is undefined; x86 masks the count, so (x << 0) | (x >> 0) = x.
  return n === 0 ? x : ((x << n) | (x >>> (32 - n))) >>> 0;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** crc32: the IEEE CRC-32 (as zlib's crc32). */
export function hashCrc32(key: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < key.length; i++) c = CRC_TABLE[(c ^ key[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The `avalanche` modifier: a full 32-bit integer mix (Bob Jenkins), then × 3221225473. */
export function avalanche(a: number): number {
  a >>>= 0;
  a = (a + 0x7ed55d16 + (a << 12)) >>> 0;
  a = (a ^ 0xc761c23c ^ (a >>> 19)) >>> 0;
  a = (a + 0x165667b1 + (a << 5)) >>> 0;
  a = ((a + 0xd3a2646c) ^ (a << 9)) >>> 0;
  a = (a + 0xfd7046c5 + (a << 3)) >>> 0;
  a = (a ^ 0xb55a4f09 ^ (a >>> 16)) >>> 0;
  return Math.imul(a, 3221225473) >>> 0;
}

/** The hash functions by their `hash-type` name. */
export const HASH_FUNCTIONS: Readonly<Record<string, (key: Uint8Array) => number>> = {
  sdbm: hashSdbm,
  djb2: hashDjb2,
  wt6: hashWt6,
  crc32: hashCrc32,
};

/**
 * The bytes of an address as the kernel gives them (network order): 4 for IPv4, 16 for IPv6,
 * including an IPv4-mapped IPv6 address (a client of an IPv6 socket), as HAProxy sees them.
 * Undefined for anything else (a unix socket client has no address).
 */
export function addressBytes(ip: string): Uint8Array | undefined {
  if (isIPv4(ip)) return Uint8Array.from(ip.split('.').map(Number));
  if (!isIPv6(ip)) return undefined;
  let text = ip;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // A trailing dotted IPv4 part becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const b = dotted[1]!.split('.').map(Number);
    text = text.slice(0, dotted.index) + ((b[0]! << 8) | b[1]!).toString(16) + ':' + ((b[2]! << 8) | b[3]!).toString(16);
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const groups = tail !== undefined ? [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

/**
 * The key of `balance source` before the modifier (HAProxy's get_server_sh): the address's
 * 32-bit words, read in network order, XORed together. The hash function of `hash-type` does
 * not apply to it; only `avalanche` does. Undefined when the client has no IP address.
 */
export function hashSourceAddress(ip: string): number | undefined {
  const b = addressBytes(ip);
  if (!b) return undefined;
  let h = 0;
  for (let i = 0; i + 4 <= b.length; i += 4) h ^= (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
  return h >>> 0;
}

/** What a backend hashes its keys with, from its `hash-type` (sdbm, no modifier by default). */
export interface KeyHasher {
  /** The hash of a key's bytes (uri, url_param, header, rdp cookie, sample), modifier applied. */
  bytes(key: Uint8Array): number;
  /** The hash of a client address for `balance source`, modifier applied; undefined: no IP. */
  source(ip: string): number | undefined;
}

export function createKeyHasher(hashType: LbOptions['hashType']): KeyHasher {
  const fn = HASH_FUNCTIONS[hashType?.function ?? 'sdbm'] ?? hashSdbm;
  const aval = hashType?.modifier === 'avalanche';
  return {
    bytes: aval ? (k) => avalanche(fn(k)) : fn,
    source(ip) {
      const h = hashSourceAddress(ip);
      return h === undefined || !aval ? h : avalanche(h);
    },
  };
}
