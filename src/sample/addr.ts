/**
 * Addresses as samples carry them at run time: IPv4 as an unsigned 32-bit number, IPv6 as 16
 * bytes. Parsing and printing follow inet_pton / inet_ntop, as HAProxy's casts do.
 */

/** "a.b.c.d" (inet_pton: four decimal bytes, no leading zero) as a 32-bit number, or -1. */
export function parseIpv4(s: string): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || dots === 3) return -1;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && part === 0) return -1; // a leading zero
      part = part * 10 + (c - 0x30);
      if (part > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return n * 256 + part;
}

export function formatIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** inet_pton(AF_INET6), with the IPv4-suffixed forms and without zone: 16 bytes, or undefined. */
export function parseIpv6(s: string): Buffer | undefined {
  let head = s;
  let tail: number | undefined;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 < 0) return undefined;
    tail = v4;
    head = s.slice(0, lastColon + 1);
    // "::1.2.3.4" keeps its "::"; "a:b:...:1.2.3.4" drops the separator.
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const groups = tail === undefined ? 8 : 6;
  const dbl = head.indexOf('::');
  if (dbl >= 0 && head.indexOf('::', dbl + 1) >= 0) return undefined;
  const read = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let words: number[];
  if (dbl < 0) {
    const all = read(head);
    if (!all || all.length !== groups) return undefined;
    words = all;
  } else {
    const left = read(head.slice(0, dbl));
    const right = read(head.slice(dbl + 2));
    if (!left || !right || left.length + right.length > groups - 1) return undefined;
    words = [...left, ...new Array<number>(groups - left.length - right.length).fill(0), ...right];
  }
  const b = Buffer.alloc(16);
  words.forEach((w, i) => b.writeUInt16BE(w, i * 2));
  if (tail !== undefined) b.writeUInt32BE(tail, 12);
  return b;
}

/** inet_ntop(AF_INET6): the longest run of two or more zero groups becomes "::"; mapped IPv4 dotted. */
export function formatIpv6(b: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push((b[i]! << 8) | b[i + 1]!);
  // ::ffff:a.b.c.d and ::a.b.c.d (but not :: nor ::1), as glibc prints them.
  const v4 = `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) return `::ffff:${v4}`;
  if (w.slice(0, 6).every((x) => x === 0) && (w[6] !== 0 || w[7]! > 1)) return `::${v4}`;
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (x: number): string => x.toString(16);
  if (bestLen < 2) return w.map(hex).join(':');
  return `${w.slice(0, best).map(hex).join(':')}::${w.slice(best + bestLen).map(hex).join(':')}`;
}

/** ::ffff:a.b.c.d for an IPv4 address (HAProxy's v4tov6). */
export function mappedIpv6(v4: number): Buffer {
  const b = Buffer.alloc(16);
  b[10] = 0xff;
  b[11] = 0xff;
  b.writeUInt32BE(v4 >>> 0, 12);
  return b;
}

/**
 * The IPv4 address inside an IPv6 one (HAProxy's v6tov4): ::ffff:a.b.c.d or 2002:a.b.c.d::
 * (6to4); -1 otherwise.
 */
export function embeddedIpv4(b: Uint8Array): number {
  let mapped = b[10] === 0xff && b[11] === 0xff;
  for (let i = 0; i < 10 && mapped; i++) if (b[i] !== 0) mapped = false;
  if (mapped) return ((b[12]! << 24) | (b[13]! << 16) | (b[14]! << 8) | b[15]!) >>> 0;
  if (b[0] === 0x20 && b[1] === 0x02) return ((b[2]! << 24) | (b[3]! << 16) | (b[4]! << 8) | b[5]!) >>> 0;
  return -1;
}
