/**
 * Receiving the PROXY protocol (`bind ... accept-proxy`, `tcp-request connection expect-proxy
 * layer4`; doc proxy-protocol.txt): an incremental parser over the bytes received so far that
 * decides exactly as HAProxy 2.6.12 does (src/connection.c, conn_recv_proxy), including where
 * HAProxy is more lenient or stricter than the spec (all checked against haproxy, see
 * test/compat/proxy-protocol.test.ts):
 * - v1: no 107-byte limit; TCP4 addresses read leniently (proxy-protocol-inet.ts); ports taken
 *   modulo 65536; "PROXY UNKNOWN" must be followed by CRLF at once (the spec's optional
 *   addresses after UNKNOWN are refused as an unhandled protocol); a TCP6 line may carry more
 *   fields after the destination port, they are ignored;
 * - v2: only the TCP4 (0x11) and TCP6 (0x21) families of the PROXY command carry addresses.
 *   For any other family HAProxy walks the TLVs from the start of the header (its signature
 *   reads as a TLV of 2573 bytes), so in practice such headers are refused as invalid; LOCAL
 *   headers are accepted without looking at their address block or TLVs; a CRC32C TLV must be
 *   4 bytes and match; AUTHORITY is at most 255 bytes, UNIQUE_ID at most 128.
 * HAProxy reads the header with a single peek of at most tune.bufsize bytes: what it cannot
 * decide from those bytes is "truncated". The parser answers `{ need }` in that case, and the
 * caller either waits for more bytes or, as HAProxy, treats it as PRX_TRUNCATED
 * (proxy-protocol-reader.ts).
 */
import { crc32c } from './proxy-protocol-crc32c.js';
import { inetNtop6, inetPton6, ipv4FromNumber, readLenientIpv4, readPort } from './proxy-protocol-inet.js';
import type { ProxyAddress, ProxyError, ProxyErrorCode, ProxyHeader, ProxyParseResult, ProxySslTlv, ProxyTlv } from './proxy-protocol-types.js';

/** HAProxy's texts for the PROXY protocol connection errors (conn_err_code_str()). */
export const PROXY_ERROR_MESSAGES: Readonly<Record<ProxyErrorCode, string>> = {
  PRX_EMPTY: 'Connection closed while waiting for PROXY protocol header',
  PRX_ABORT: 'Connection error while waiting for PROXY protocol header',
  PRX_TIMEOUT: 'Timeout while waiting for PROXY protocol header',
  PRX_TRUNCATED: 'Truncated PROXY protocol header received',
  PRX_NOT_HDR: 'Received something which does not look like a PROXY protocol header',
  PRX_BAD_HDR: 'Received an invalid PROXY protocol header',
  PRX_BAD_PROTO: 'Received an unhandled protocol in the PROXY protocol header',
};

/** The 12-byte v2 signature (proxy-protocol.txt 2.2). */
export const PP2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** Signature, version/command, family, length. */
export const PP2_HEADER_LEN = 16;

/** v2 TLV types (proxy-protocol.txt 2.2.1 to 2.2.7). */
export const PP2_TYPE = {
  ALPN: 0x01,
  AUTHORITY: 0x02,
  CRC32C: 0x03,
  NOOP: 0x04,
  UNIQUE_ID: 0x05,
  SSL: 0x20,
  SSL_VERSION: 0x21,
  SSL_CN: 0x22,
  SSL_CIPHER: 0x23,
  SSL_SIG_ALG: 0x24,
  SSL_KEY_ALG: 0x25,
  NETNS: 0x30,
} as const;

/** PP2_CLIENT_* bits of the SSL TLV. */
export const PP2_CLIENT = { SSL: 0x01, CERT_CONN: 0x02, CERT_SESS: 0x04 } as const;

/** HAProxy's PP2_AUTHORITY_MAX and UNIQUEID_LEN: longer TLVs make the header invalid. */
const AUTHORITY_MAX = 255;
const UNIQUE_ID_MAX = 128;

/** HAProxy's default tune.bufsize: the most bytes it peeks for a header. */
export const DEFAULT_MAX_HEADER = 16384;

const FAMILY_NAMES: Readonly<Record<number, string>> = {
  0x00: 'UNSPEC',
  0x11: 'TCP4',
  0x12: 'UDP4',
  0x21: 'TCP6',
  0x22: 'UDP6',
  0x31: 'UNIX_STREAM',
  0x32: 'UNIX_DGRAM',
};

export interface ParseProxyOptions {
  /** tune.bufsize: a header not complete within this many bytes is truncated (default 16384). */
  readonly maxLength?: number;
}

function fail(code: ProxyErrorCode, addrs?: { src: ProxyAddress; dst: ProxyAddress }): ProxyError {
  return addrs ? { code, error: PROXY_ERROR_MESSAGES[code], src: addrs.src, dst: addrs.dst } : { code, error: PROXY_ERROR_MESSAGES[code] };
}

/**
 * Parses the PROXY header at the start of `input` (the bytes received so far). Returns
 * `{ need }` when more bytes could complete it, `{ header, length }` when it is complete (the
 * stream starts at `length`), or an error with HAProxy's code and text. Never throws.
 */
export function parseProxyHeader(input: Uint8Array, opts: ParseProxyOptions = {}): ProxyParseResult {
  const max = opts.maxLength ?? DEFAULT_MAX_HEADER;
  const buf = input.length > max ? input.subarray(0, max) : input;
  const r = parseAvailable(buf);
  if ('need' in r && input.length >= max) return fail('PRX_TRUNCATED');
  return r;
}

const PROXY_PREFIX = [0x50, 0x52, 0x4f, 0x58, 0x59, 0x20]; // "PROXY "

function startsWith(buf: Uint8Array, at: number, bytes: readonly number[]): boolean {
  if (buf.length - at < bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}

function parseAvailable(buf: Uint8Array): ProxyParseResult {
  const n = buf.length;
  // HAProxy needs 6 bytes to tell v1 from v2, and decides nothing on fewer.
  if (n < 6) return { need: 6 - n };
  if (!startsWith(buf, 0, PROXY_PREFIX)) return parseV2(buf);
  // "PROXY " and at least 3 more bytes: the shortest possible line.
  if (n < 9) return { need: 9 - n };
  return parseV1(buf);
}

// ---------------------------------------------------------------------------------------------
// Version 1 (proxy-protocol.txt 2.1)

const V1_PROTOCOLS: readonly { name: 'TCP4' | 'TCP6' | 'UNKNOWN'; bytes: readonly number[] }[] = [
  { name: 'TCP4', bytes: [...Buffer.from('TCP4 ', 'latin1')] },
  { name: 'TCP6', bytes: [...Buffer.from('TCP6 ', 'latin1')] },
  { name: 'UNKNOWN', bytes: [...Buffer.from('UNKNOWN\r\n', 'latin1')] },
];

function parseV1(buf: Uint8Array): ProxyParseResult {
  const n = buf.length;
  let partial = false;
  for (const p of V1_PROTOCOLS) {
    const avail = Math.min(n - 6, p.bytes.length);
    let ok = true;
    for (let i = 0; i < avail && ok; i++) ok = buf[6 + i] === p.bytes[i];
    if (!ok) continue;
    if (avail < p.bytes.length) {
      partial = true;
      continue;
    }
    const at = 6 + p.bytes.length;
    if (p.name === 'TCP4') return parseTcp4(buf, at);
    if (p.name === 'TCP6') return parseTcp6(buf, at);
    return { header: { version: 1, command: 'PROXY', protocol: 'UNKNOWN', tlvs: [] }, length: at };
  }
  return partial ? { need: 1 } : fail('PRX_BAD_PROTO');
}

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;

/** "src dst sport dport\r\n" after "PROXY TCP4 ", as conn_recv_proxy reads it. */
function parseTcp4(buf: Uint8Array, at: number): ProxyParseResult {
  const n = buf.length;
  let line = at;
  const src = readLenientIpv4(buf, line, n);
  line = src.next;
  if (line === n) return { need: 1 };
  if (buf[line++] !== SP) return fail('PRX_BAD_HDR');
  const dst = readLenientIpv4(buf, line, n);
  line = dst.next;
  if (line === n) return { need: 1 };
  if (buf[line++] !== SP) return fail('PRX_BAD_HDR');
  const sport = readPort(buf, line, n);
  line = sport.next;
  if (line === n) return { need: 1 };
  if (buf[line++] !== SP) return fail('PRX_BAD_HDR');
  const dport = readPort(buf, line, n);
  line = dport.next;
  if (line > n - 2) return { need: line - (n - 2) };
  if (buf[line++] !== CR) return fail('PRX_BAD_HDR');
  if (buf[line++] !== LF) return fail('PRX_BAD_HDR');
  return {
    header: {
      version: 1,
      command: 'PROXY',
      protocol: 'TCP4',
      src: { family: 'ipv4', address: ipv4FromNumber(src.value), port: sport.value },
      dst: { family: 'ipv4', address: ipv4FromNumber(dst.value), port: dport.value },
      tlvs: [],
    },
    length: line,
  };
}

/**
 * "src dst sport dport\r\n" after "PROXY TCP6 ": HAProxy finds the first CR, cuts the line at
 * its first three spaces (every space becomes a NUL), reads the addresses with inet_pton and
 * the ports as digits that must end the field (at a space, a NUL or the CR).
 */
function parseTcp6(buf: Uint8Array, at: number): ProxyParseResult {
  const n = buf.length;
  let line = at;
  const fields: number[] = []; // starts of dst, sport, dport
  for (;;) {
    if (line > n - 2) return { need: line - (n - 2) };
    const c = buf[line];
    if (c === CR) {
      line++;
      if (buf[line++] !== LF) return fail('PRX_BAD_HDR');
      break;
    }
    if (c === SP && fields.length < 3) fields.push(line + 1);
    line++;
  }
  if (fields.length < 3) return fail('PRX_BAD_HDR');
  const cr = line - 2;
  const [dstAt, sportAt, dportAt] = fields as [number, number, number];
  // A field ends where HAProxy's line has a NUL: a space, the CR, or a NUL byte.
  const endsField = (p: number, limit: number): boolean => p === limit || buf[p] === SP || buf[p] === 0;
  const sport = readPort(buf, sportAt, dportAt - 1);
  if (!endsField(sport.next, dportAt - 1)) return fail('PRX_BAD_HDR');
  const dport = readPort(buf, dportAt, cr);
  if (!endsField(dport.next, cr)) return fail('PRX_BAD_HDR');
  const src = inetPton6(cString(buf, at, dstAt - 1));
  if (!src) return fail('PRX_BAD_HDR');
  const dst = inetPton6(cString(buf, dstAt, sportAt - 1));
  if (!dst) return fail('PRX_BAD_HDR');
  return {
    header: {
      version: 1,
      command: 'PROXY',
      protocol: 'TCP6',
      src: { family: 'ipv6', address: inetNtop6(src), port: sport.value },
      dst: { family: 'ipv6', address: inetNtop6(dst), port: dport.value },
      tlvs: [],
    },
    length: line,
  };
}

/** The bytes from `start` up to `end` or the first NUL, as the C string HAProxy hands on. */
function cString(buf: Uint8Array, start: number, end: number): string {
  let e = start;
  while (e < end && buf[e] !== 0) e++;
  return Buffer.from(buf.buffer, buf.byteOffset + start, e - start).toString('latin1');
}

// ---------------------------------------------------------------------------------------------
// Version 2 (proxy-protocol.txt 2.2)

function parseV2(buf: Uint8Array): ProxyParseResult {
  const n = buf.length;
  if (n < PP2_HEADER_LEN) return { need: PP2_HEADER_LEN - n };
  for (let i = 0; i < PP2_SIGNATURE.length; i++) if (buf[i] !== PP2_SIGNATURE[i]) return fail('PRX_NOT_HDR');
  const verCmd = buf[12]!;
  if ((verCmd & 0xf0) !== 0x20) return fail('PRX_NOT_HDR');
  const len = (buf[14]! << 8) | buf[15]!;
  const total = PP2_HEADER_LEN + len;
  if (n < total) return { need: total - n };
  const fam = buf[13]!;
  const protocol = FAMILY_NAMES[fam] ?? `0x${fam.toString(16).padStart(2, '0')}`;
  const cmd = verCmd & 0x0f;
  if (cmd === 0x00) return { header: { version: 2, command: 'LOCAL', protocol, tlvs: [] }, length: total };
  if (cmd !== 0x01) return fail('PRX_BAD_HDR');

  // A copy: the TLV values handed out must not pin the caller's (possibly large) chunk, and
  // the CRC32C check zeroes checksum fields as it goes, as HAProxy does in its buffer.
  const hdr = Buffer.from(buf.subarray(0, total));
  let addrs: { src: ProxyAddress; dst: ProxyAddress } | undefined;
  // HAProxy starts the TLV walk at 0 for the families it keeps no address for (observed).
  let offset = 0;
  if (fam === 0x11) {
    if (len < 12) return fail('PRX_BAD_HDR');
    addrs = {
      src: { family: 'ipv4', address: ipv4FromNumber(hdr.readUInt32BE(16)), port: hdr.readUInt16BE(24) },
      dst: { family: 'ipv4', address: ipv4FromNumber(hdr.readUInt32BE(20)), port: hdr.readUInt16BE(26) },
    };
    offset = 28;
  } else if (fam === 0x21) {
    if (len < 36) return fail('PRX_BAD_HDR');
    addrs = {
      src: { family: 'ipv6', address: inetNtop6(hdr, 16), port: hdr.readUInt16BE(48) },
      dst: { family: 'ipv6', address: inetNtop6(hdr, 32), port: hdr.readUInt16BE(50) },
    };
    offset = 52;
  }

  const tlvs: ProxyTlv[] = [];
  let authority: string | undefined;
  let uniqueId: string | undefined;
  let alpn: string | undefined;
  let netns: string | undefined;
  let crc: number | undefined;
  let ssl: ProxySslTlv | undefined;
  while (offset < total) {
    if (offset + 3 > total) return fail('PRX_BAD_HDR', addrs);
    const type = hdr[offset]!;
    const vlen = (hdr[offset + 1]! << 8) | hdr[offset + 2]!;
    const vstart = offset + 3;
    offset = vstart + vlen;
    if (offset > total) return fail('PRX_BAD_HDR', addrs);
    const value = hdr.subarray(vstart, offset);
    switch (type) {
      case PP2_TYPE.CRC32C: {
        if (vlen !== 4) return fail('PRX_BAD_HDR', addrs);
        const sent = hdr.readUInt32BE(vstart);
        hdr.writeUInt32BE(0, vstart);
        if (crc32c(hdr, 0, total) !== sent) return fail('PRX_BAD_HDR', addrs);
        crc = sent;
        break;
      }
      case PP2_TYPE.AUTHORITY:
        if (vlen > AUTHORITY_MAX) return fail('PRX_BAD_HDR', addrs);
        authority = value.toString('latin1');
        break;
      case PP2_TYPE.UNIQUE_ID:
        if (vlen > UNIQUE_ID_MAX) return fail('PRX_BAD_HDR', addrs);
        uniqueId = value.toString('latin1');
        break;
      case PP2_TYPE.ALPN:
        alpn = value.toString('latin1');
        break;
      case PP2_TYPE.NETNS:
        netns = value.toString('latin1');
        break;
      case PP2_TYPE.SSL:
        ssl = decodeSsl(value);
        break;
      default:
        break;
    }
    tlvs.push({ type, value });
  }
  // HAProxy zeroes each checksum field it verifies (later ones are checked with the earlier
  // ones zeroed); the values handed out are the bytes as received.
  if (crc !== undefined) hdr.set(buf.subarray(0, total));
  const header: ProxyHeader = {
    version: 2,
    command: 'PROXY',
    protocol,
    ...(addrs ? { src: addrs.src, dst: addrs.dst } : {}),
    tlvs,
    ...(alpn !== undefined ? { alpn } : {}),
    ...(authority !== undefined ? { authority } : {}),
    ...(uniqueId !== undefined ? { uniqueId } : {}),
    ...(netns !== undefined ? { netns } : {}),
    ...(crc !== undefined ? { crc32c: crc } : {}),
    ...(ssl ? { ssl } : {}),
  };
  return { header, length: total };
}

/** PP2_TYPE_SSL: client (1 byte), verify (4 bytes), sub-TLVs; undefined when malformed. */
function decodeSsl(v: Buffer): ProxySslTlv | undefined {
  if (v.length < 5) return undefined;
  const subs: ProxyTlv[] = [];
  const named: { version?: string; cn?: string; cipher?: string; sigAlg?: string; keyAlg?: string } = {};
  let o = 5;
  while (o < v.length) {
    if (o + 3 > v.length) return undefined;
    const type = v[o]!;
    const len = (v[o + 1]! << 8) | v[o + 2]!;
    if (o + 3 + len > v.length) return undefined;
    const value = v.subarray(o + 3, o + 3 + len);
    subs.push({ type, value });
    const s = value.toString('latin1');
    if (type === PP2_TYPE.SSL_VERSION) named.version = s;
    else if (type === PP2_TYPE.SSL_CN) named.cn = s;
    else if (type === PP2_TYPE.SSL_CIPHER) named.cipher = s;
    else if (type === PP2_TYPE.SSL_SIG_ALG) named.sigAlg = s;
    else if (type === PP2_TYPE.SSL_KEY_ALG) named.keyAlg = s;
    o += 3 + len;
  }
  return { client: v[0]!, verify: v.readUInt32BE(1), tlvs: subs, ...named };
}
