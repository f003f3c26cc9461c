/**
 * Casting a sample at run time (HAProxy's sample_convert and its cast table), before a
 * converter or a matcher reads it. The casts a configuration may ask for are checked at parse
 * time (casts.ts); this file does them. Found by experiment with haproxy 2.6:
 * - binary to string keeps the bytes up to the first NUL ("abc\0ef" reads as "abc"), which is
 *   why configuration.txt 7.1.3 warns that string matches stop at a null byte;
 * - string to integer reads an optional sign and the leading digits ("12ab" is 12, "ab" is 0);
 *   an empty string has no integer value;
 * - an integer as binary is its 8 bytes in network order; an address its 4 or 16 bytes.
 */
import { embeddedIpv4, formatIpv4, formatIpv6, mappedIpv6, parseIpv6 } from './addr.js';
import type { Sample, SampleTypeName } from './types.js';

const EMPTY = Buffer.alloc(0);

/** A fresh sample object (one per compiled expression). */
export function newSample(): Sample {
  return { type: 'bool', num: 0, bytes: EMPTY, mayChange: false };
}

const INT64_MAX = 9223372036854775807;

/**
 * An integer sample as the signed 64-bit integer HAProxy holds. Samples carry integers as
 * doubles (exact up to 2^53); the limits, where saturated arithmetic lands, come back exactly
 * (2^63 - 1 is stored as 2^63).
 */
export function int64Of(num: number): bigint {
  if (num >= INT64_MAX) return 2n ** 63n - 1n;
  if (num <= -INT64_MAX) return -(2n ** 63n);
  return Number.isNaN(num) ? 0n : BigInt(Math.trunc(num));
}

/** HAProxy's read_int64 on bytes: optional sign, leading digits, saturated. */
export function readInt64(b: Uint8Array): number {
  let i = 0;
  let neg = false;
  if (b[0] === 0x2d) {
    neg = true;
    i++;
  } else if (b[0] === 0x2b) {
    i++;
  }
  let v = 0;
  for (; i < b.length; i++) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  if (v > INT64_MAX) v = INT64_MAX;
  return neg ? -v : v;
}

/**
 * HAProxy's buf2ip: dotted IPv4 with 1 to 3 digits per byte (leading zeros allowed), stopping
 * at the first other character; -1 when fewer than four bytes were read.
 */
export function bufToIpv4(b: Uint8Array): number {
  const tmp = [0, 0, 0, 0];
  let tp = 0;
  let octets = 0;
  let sawDigit = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    const digit = c - 0x30;
    if ((digit < 0 || digit > 9) && c !== 0x2e) break;
    if (digit >= 0 && digit <= 9) {
      const v = tmp[tp]! * 10 + digit;
      if (v > 255) return -1;
      tmp[tp] = v;
      if (!sawDigit) {
        if (++octets > 4) return -1;
        sawDigit = true;
      }
    } else if (sawDigit) {
      if (octets === 4) return -1;
      tmp[++tp] = 0;
      sawDigit = false;
    } else {
      return -1;
    }
  }
  if (octets < 4) return -1;
  return ((tmp[0]! << 24) | (tmp[1]! << 16) | (tmp[2]! << 8) | tmp[3]!) >>> 0;
}

function setStr(smp: Sample, text: string): void {
  smp.type = 'str';
  smp.bytes = Buffer.from(text, 'latin1');
}

/** Bytes up to the first NUL (binary to string). */
function cutAtNul(b: Buffer): Buffer {
  const z = b.indexOf(0);
  return z < 0 ? b : b.subarray(0, z);
}

/**
 * Casts `smp` in place to `to` ('any' keeps it; 'addr' accepts ipv4 and ipv6). Returns false
 * when the value cannot be represented (HAProxy's cast functions failing, or no cast at all).
 */
export function castSample(smp: Sample, to: SampleTypeName): boolean {
  const from = smp.type;
  if (to === 'any' || from === to) return true;
  if (to === 'addr' && (from === 'ipv4' || from === 'ipv6')) return true;
  switch (from) {
    case 'bool':
    case 'sint':
      switch (to) {
        case 'bool':
        case 'sint':
          smp.type = to;
          return true;
        case 'str':
          setStr(smp, String(int64Of(smp.num)));
          return true;
        case 'bin': {
          const b = Buffer.alloc(8);
          b.writeBigInt64BE(int64Of(smp.num));
          smp.type = 'bin';
          smp.bytes = b;
          return true;
        }
        case 'addr':
        case 'ipv4':
          if (from === 'bool') return false;
          smp.type = 'ipv4';
          smp.num = smp.num >>> 0;
          return true;
        case 'ipv6':
          if (from === 'bool') return false;
          smp.type = 'ipv6';
          smp.bytes = mappedIpv6(smp.num >>> 0);
          return true;
        default:
          return false;
      }
    case 'ipv4':
      switch (to) {
        case 'sint':
          smp.type = 'sint';
          return true;
        case 'ipv6':
          smp.type = 'ipv6';
          smp.bytes = mappedIpv6(smp.num);
          return true;
        case 'str':
          setStr(smp, formatIpv4(smp.num));
          return true;
        case 'bin': {
          const b = Buffer.alloc(4);
          b.writeUInt32BE(smp.num >>> 0);
          smp.type = 'bin';
          smp.bytes = b;
          return true;
        }
        default:
          return false;
      }
    case 'ipv6':
      switch (to) {
        case 'ipv4': {
          const v4 = embeddedIpv4(smp.bytes);
          if (v4 < 0) return false;
          smp.type = 'ipv4';
          smp.num = v4;
          return true;
        }
        case 'str':
          setStr(smp, formatIpv6(smp.bytes));
          return true;
        case 'bin':
          smp.type = 'bin';
          return true;
        default:
          return false;
      }
    case 'str':
      switch (to) {
        case 'bool':
        case 'sint':
          if (smp.bytes.length === 0) return false;
          smp.num = readInt64(smp.bytes);
          smp.type = to;
          return true;
        case 'addr':
        case 'ipv4': {
          const v4 = bufToIpv4(smp.bytes);
          if (v4 >= 0) {
            smp.type = 'ipv4';
            smp.num = v4;
            return true;
          }
          if (to === 'ipv4') return false;
          return strToIpv6(smp);
        }
        case 'ipv6':
          return strToIpv6(smp);
        case 'bin':
        case 'meth':
          smp.type = to;
          return true;
        default:
          return false;
      }
    case 'bin':
      switch (to) {
        case 'str':
          smp.type = 'str';
          smp.bytes = cutAtNul(smp.bytes);
          return true;
        case 'meth':
          smp.type = 'meth';
          return true;
        default:
          return false;
      }
    case 'meth':
      if (to === 'str' || to === 'bin') {
        smp.type = to;
        return true;
      }
      return false;
  }
}

/** HAProxy's buf2ip6: the text (at most 40 characters) read by inet_pton(AF_INET6). */
function strToIpv6(smp: Sample): boolean {
  if (smp.bytes.length > 40) return false;
  const b = parseIpv6(smp.bytes.toString('latin1'));
  if (!b) return false;
  smp.type = 'ipv6';
  smp.bytes = b;
  return true;
}
