/**
 * Sending the PROXY protocol (`server ... send-proxy`, `send-proxy-v2`, ...; doc
 * proxy-protocol.txt): the exact bytes HAProxy 2.6.12 writes (src/connection.c,
 * make_proxy_line_v1 / make_proxy_line_v2), checked byte for byte against haproxy in
 * test/compat/proxy-protocol.test.ts:
 * - v1: "PROXY TCP4 src dst sport dport\r\n" when both ends are IPv4, TCP6 when at least one is
 *   IPv6 (an IPv4 end then written IPv4-mapped, "::ffff:1.2.3.4"), "PROXY UNKNOWN\r\n" when
 *   either end is not an IP endpoint (unix socket, unknown);
 * - v2: PROXY with family TCP4 (0x11) or TCP6 (0x21, same rule as v1), or LOCAL with family
 *   UNSPEC and no address block; then the TLVs in HAProxy's order: CRC32C, ALPN, AUTHORITY,
 *   UNIQUE_ID, SSL (sub-TLVs VERSION, CN, KEY_ALG, SIG_ALG, CIPHER), NETNS. No padding.
 * What goes in each TLV is decided by the caller (proxy-protocol-send.ts has HAProxy's rules).
 */
import { crc32c } from './proxy-protocol-crc32c.js';
import { inetNtop4, inetNtop6, inetPton4, inetPton6, v4ToV6 } from './proxy-protocol-inet.js';
import { PP2_CLIENT, PP2_SIGNATURE, PP2_TYPE } from './proxy-protocol-parse.js';
import type { ProxyEndpoint, ProxyV2Options, ProxyV2Ssl } from './proxy-protocol-types.js';

/** An endpoint as the binary address HAProxy would hold: 4 or 16 bytes, or undefined (not IP). */
export function endpointBytes(e: ProxyEndpoint | undefined): Uint8Array | undefined {
  if (!e || e.address === undefined) return undefined;
  const fam = e.family?.toLowerCase();
  if (fam !== undefined && fam !== 'ipv4' && fam !== 'ipv6') return undefined;
  // Node may append a zone ("fe80::1%eth0"); the binary address has none.
  const text = e.address.includes('%') ? e.address.slice(0, e.address.indexOf('%')) : e.address;
  if (fam === 'ipv4') return inetPton4(text);
  if (fam === 'ipv6') return inetPton6(text);
  return inetPton4(text) ?? inetPton6(text);
}

function port(e: ProxyEndpoint): number {
  return (e.port ?? 0) & 0xffff;
}

/** The v1 line for a connection from `src` to `dst` (make_proxy_line_v1). */
export function buildProxyV1(src: ProxyEndpoint | undefined, dst: ProxyEndpoint | undefined): Buffer {
  const s = endpointBytes(src);
  const d = endpointBytes(dst);
  if (!s || !d) return Buffer.from('PROXY UNKNOWN\r\n', 'latin1');
  let line: string;
  if (s.length === 4 && d.length === 4) {
    line = `PROXY TCP4 ${inetNtop4(s)} ${inetNtop4(d)} ${port(src!)} ${port(dst!)}\r\n`;
  } else {
    const s6 = s.length === 4 ? v4ToV6(s) : s;
    const d6 = d.length === 4 ? v4ToV6(d) : d;
    line = `PROXY TCP6 ${inetNtop6(s6)} ${inetNtop6(d6)} ${port(src!)} ${port(dst!)}\r\n`;
  }
  return Buffer.from(line, 'latin1');
}

function bytesOf(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'latin1') : v;
}

/** A TLV: type, 16-bit length (network order), value; lengths above 65535 wrap as in HAProxy's uint16_t. */
function tlv(type: number, value: Buffer): Buffer {
  const len = value.length & 0xffff;
  const out = Buffer.allocUnsafe(3 + len);
  out[0] = type;
  out.writeUInt16BE(len, 1);
  value.copy(out, 3, 0, len);
  return out;
}

/** PP2_TYPE_SSL: client bits, verify result, then the sub-TLVs that have a value. */
function sslTlv(ssl: ProxyV2Ssl): Buffer {
  let client = 0;
  let verify = 0;
  const subs: Buffer[] = [];
  if (ssl.ssl) {
    client |= PP2_CLIENT.SSL;
    if (ssl.version !== undefined) subs.push(tlv(PP2_TYPE.SSL_VERSION, bytesOf(ssl.version)));
    if (ssl.certSession) {
      client |= PP2_CLIENT.CERT_SESS;
      verify = (ssl.verify ?? 0) >>> 0;
      if (ssl.certConnection) client |= PP2_CLIENT.CERT_CONN;
    }
    if (ssl.cn !== undefined) subs.push(tlv(PP2_TYPE.SSL_CN, bytesOf(ssl.cn)));
    if (ssl.keyAlg !== undefined) subs.push(tlv(PP2_TYPE.SSL_KEY_ALG, bytesOf(ssl.keyAlg)));
    if (ssl.sigAlg !== undefined) subs.push(tlv(PP2_TYPE.SSL_SIG_ALG, bytesOf(ssl.sigAlg)));
    if (ssl.cipher !== undefined) subs.push(tlv(PP2_TYPE.SSL_CIPHER, bytesOf(ssl.cipher)));
  }
  const fixed = Buffer.alloc(5);
  fixed[0] = client;
  fixed.writeUInt32BE(verify, 1);
  return tlv(PP2_TYPE.SSL, Buffer.concat([fixed, ...subs]));
}

/** The v2 header (make_proxy_line_v2). */
export function buildProxyV2(opts: ProxyV2Options): Buffer {
  const s = opts.local ? undefined : endpointBytes(opts.src);
  const d = opts.local ? undefined : endpointBytes(opts.dst);
  const parts: Buffer[] = [];
  const head = Buffer.alloc(16);
  PP2_SIGNATURE.copy(head, 0);
  parts.push(head);
  if (!s || !d) {
    head[12] = 0x20; // version 2, LOCAL
    head[13] = 0x00; // UNSPEC
  } else if (s.length === 4 && d.length === 4) {
    head[12] = 0x21;
    head[13] = 0x11; // AF_INET, STREAM
    const a = Buffer.alloc(12);
    a.set(s, 0);
    a.set(d, 4);
    a.writeUInt16BE(port(opts.src!), 8);
    a.writeUInt16BE(port(opts.dst!), 10);
    parts.push(a);
  } else {
    head[12] = 0x21;
    head[13] = 0x21; // AF_INET6, STREAM
    const a = Buffer.alloc(36);
    a.set(s.length === 4 ? v4ToV6(s) : s, 0);
    a.set(d.length === 4 ? v4ToV6(d) : d, 16);
    a.writeUInt16BE(port(opts.src!), 32);
    a.writeUInt16BE(port(opts.dst!), 34);
    parts.push(a);
  }
  let crcAt = -1;
  if (opts.crc32c) {
    crcAt = parts.reduce((n, p) => n + p.length, 0) + 3;
    parts.push(tlv(PP2_TYPE.CRC32C, Buffer.alloc(4)));
  }
  if (opts.alpn !== undefined) parts.push(tlv(PP2_TYPE.ALPN, bytesOf(opts.alpn)));
  if (opts.authority !== undefined) parts.push(tlv(PP2_TYPE.AUTHORITY, bytesOf(opts.authority)));
  if (opts.uniqueId !== undefined) parts.push(tlv(PP2_TYPE.UNIQUE_ID, bytesOf(opts.uniqueId)));
  if (opts.ssl) parts.push(sslTlv(opts.ssl));
  if (opts.netns !== undefined) parts.push(tlv(PP2_TYPE.NETNS, bytesOf(opts.netns)));
  const out = Buffer.concat(parts);
  out.writeUInt16BE((out.length - 16) & 0xffff, 14);
  if (crcAt >= 0) out.writeUInt32BE(crc32c(out), crcAt);
  return out;
}
