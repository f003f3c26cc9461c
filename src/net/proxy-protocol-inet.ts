/**
 * Text <-> binary addresses exactly as HAProxy 2.6 reads and writes them in PROXY protocol v1
 * lines (src/connection.c, conn_recv_proxy and make_proxy_line_v1):
 * - TCP4 addresses are read with HAProxy's own lenient reader (inetaddr_host_lim_ret), not
 *   inet_pton: "1.2.3" is 1.2.3.0, "01.02.03.04" is 1.2.3.4, "1234.0.0.1" is 234.0.0.1 (only the
 *   last three digits of a part count), "256.0.0.1" wraps to 0.0.0.1 — all observed on haproxy;
 * - TCP6 addresses go through the C library's inet_pton (glibc's rules: at most 4 hex digits per
 *   group, one "::", a dotted IPv4 tail, no zone id), and ports through read_uint (digits only,
 *   the value taken modulo 65536: "70000" is 4464);
 * - addresses are written with inet_ntop (lowercase hex, the longest run of two or more zero
 *   groups as "::", IPv4-mapped and IPv4-compatible addresses with a dotted tail) — the form
 *   Node.js also uses for socket addresses.
 * Pure functions over bytes and strings; no dependency.
 */

/** Characters '0'..'9' as a digit, or -1. */
function digit(c: number): number {
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/**
 * HAProxy's TCP4 address reader over `buf[start..end)`: up to four dot-separated runs of digits
 * (a run may be empty: it counts as 0; missing parts are 0), each run contributing the value of
 * its last three digits, shifted into its byte and summed modulo 2^32 (so a part above 255
 * carries into the byte before it). Returns the address as an unsigned 32-bit number and the
 * offset of the first byte not read.
 */
export function readLenientIpv4(buf: Uint8Array, start: number, end: number): { value: number; next: number } {
  let value = 0;
  let shift = 24;
  let p = start;
  let text = start;
  for (;;) {
    while (p < end && digit(buf[p]!) >= 0) p++;
    // The run is buf[text..p): its last three digits make the part.
    let part = 0;
    let mult = 1;
    for (let d = p - 1; d >= text && d >= p - 3; d--) {
      part += digit(buf[d]!) * mult;
      mult *= 10;
    }
    value = (value + part * 2 ** shift) % 2 ** 32;
    if (shift === 0 || p >= end || buf[p] !== 0x2e /* . */) break;
    shift -= 8;
    text = ++p;
  }
  return { value, next: p };
}

/**
 * HAProxy's read_uint() for a port: the digits from `start` (stopping at `end` or at the first
 * non-digit), the value modulo 65536 as htons() truncates it. Returns the port and the offset
 * of the first byte not read.
 */
export function readPort(buf: Uint8Array, start: number, end: number): { value: number; next: number } {
  let value = 0;
  let p = start;
  while (p < end) {
    const d = digit(buf[p]!);
    if (d < 0) break;
    value = (value * 10 + d) % 65536;
    p++;
  }
  return { value, next: p };
}

/** glibc's inet_pton(AF_INET, ...): exactly four decimal parts 0..255, no leading zero. */
function pton4(s: string, from: number, out: Uint8Array, at: number): boolean {
  let sawDigit = false;
  let octets = 0;
  const tmp = [0, 0, 0, 0];
  let i = 0;
  for (let k = from; k < s.length; k++) {
    const c = s.charCodeAt(k);
    const d = digit(c);
    if (d >= 0) {
      const n = tmp[i]! * 10 + d;
      if (sawDigit && tmp[i] === 0) return false;
      if (n > 255) return false;
      tmp[i] = n;
      if (!sawDigit) {
        if (++octets > 4) return false;
        sawDigit = true;
      }
    } else if (c === 0x2e && sawDigit) {
      if (octets === 4) return false;
      i++;
      sawDigit = false;
    } else {
      return false;
    }
  }
  if (octets < 4) return false;
  out.set(tmp, at);
  return true;
}

/** inet_pton(AF_INET, s): the 4 bytes, or undefined. */
export function inetPton4(s: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  return pton4(s, 0, out, 0) ? out : undefined;
}

/**
 * inet_pton(AF_INET6, s) with glibc's rules: the 16 bytes, or undefined. `s` is the text up to
 * (not including) a NUL, as the C function sees it.
 */
export function inetPton6(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  let i = 0;
  const end = s.length;
  if (i === end) return undefined;
  // A leading ':' must be the start of "::".
  if (s.charCodeAt(i) === 0x3a) {
    i++;
    if (i === end || s.charCodeAt(i) !== 0x3a) return undefined;
  }
  let tp = 0;
  let colonp = -1;
  let curtok = i;
  let seen = 0;
  let val = 0;
  while (i < end) {
    const c = s.charCodeAt(i++);
    const h = hexDigit(c);
    if (h >= 0) {
      if (seen === 4) return undefined;
      val = (val << 4) | h;
      seen++;
      continue;
    }
    if (c === 0x3a) {
      curtok = i;
      if (seen === 0) {
        if (colonp >= 0) return undefined;
        colonp = tp;
        continue;
      } else if (i === end) {
        return undefined;
      }
      if (tp + 2 > 16) return undefined;
      out[tp++] = (val >> 8) & 0xff;
      out[tp++] = val & 0xff;
      seen = 0;
      val = 0;
      continue;
    }
    if (c === 0x2e && tp + 4 <= 16 && pton4(s, curtok, out, tp)) {
      tp += 4;
      seen = 0;
      break;
    }
    return undefined;
  }
  if (seen > 0) {
    if (tp + 2 > 16) return undefined;
    out[tp++] = (val >> 8) & 0xff;
    out[tp++] = val & 0xff;
  }
  if (colonp >= 0) {
    if (tp === 16) return undefined;
    const n = tp - colonp;
    out.copyWithin(16 - n, colonp, tp);
    out.fill(0, colonp, 16 - n);
    tp = 16;
  }
  return tp === 16 ? out : undefined;
}

/** inet_ntop(AF_INET, ...): dotted decimal of 4 bytes at `at`. */
export function inetNtop4(b: Uint8Array, at = 0): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** inet_ntop(AF_INET) of an unsigned 32-bit number in host order. */
export function ipv4FromNumber(n: number): string {
  return `${(n >>> 24) & 0xff}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/**
 * inet_ntop(AF_INET6, ...) of 16 bytes at `at`: the longest run (the first of equal ones) of
 * at least two zero groups becomes "::"; ::ffff:a.b.c.d and ::a.b.c.d keep a dotted tail.
 */
export function inetNtop6(b: Uint8Array, at = 0): string {
  const words: number[] = [];
  for (let k = 0; k < 8; k++) words.push((b[at + 2 * k]! << 8) | b[at + 2 * k + 1]!);
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let k = 0; k < 8; k++) {
    if (words[k] === 0) {
      if (curBase < 0) {
        curBase = k;
        curLen = 1;
      } else {
        curLen++;
      }
    } else if (curBase >= 0) {
      if (bestBase < 0 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase >= 0 && bestLen < 2) bestBase = -1;
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (bestBase >= 0 && k >= bestBase && k < bestBase + bestLen) {
      if (k === bestBase) out += ':';
      continue;
    }
    if (k !== 0) out += ':';
    if (k === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += inetNtop4(b, at + 12);
      break;
    }
    out += words[k]!.toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** An IPv4 address as its IPv4-mapped IPv6 form (HAProxy's v4tov6). */
export function v4ToV6(v4: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}
