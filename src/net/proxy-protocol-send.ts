/**
 * Which PROXY header a server connection starts with, by HAProxy 2.6's rules
 * (configuration.txt 5.2 "send-proxy", "send-proxy-v2", "send-proxy-v2-ssl",
 * "send-proxy-v2-ssl-cn", "proxy-v2-options", "check-send-proxy"; 3.1 "pp2-never-send-local";
 * src/connection.c make_proxy_line, src/server.c, src/check.c):
 * - the server options set bits (HAProxy's pp_opts); any bit makes the server receive a header,
 *   v2 when the V2 bit is set, else v1 — so `proxy-v2-options crc32c` alone sends a v1 line
 *   (observed on haproxy);
 * - on a stream's connection the header carries the client side addresses of the stream;
 * - on a health check's connection it carries the check connection's own addresses, and v2
 *   sends LOCAL unless `pp2-never-send-local` is set; a check has no unique id.
 */
import { buildProxyV1, buildProxyV2 } from './proxy-protocol-build.js';
import { DEFAULT_MAX_HEADER } from './proxy-protocol-parse.js';
import type { ProxyEndpoint, ProxyV2Ssl } from './proxy-protocol-types.js';

/** HAProxy's SRV_PP_* bits. */
export const SRV_PP = {
  V1: 0x0001,
  V2: 0x0002,
  V2_SSL: 0x0004,
  V2_SSL_CN: 0x0008,
  V2_SSL_KEY_ALG: 0x0010,
  V2_SSL_SIG_ALG: 0x0020,
  V2_SSL_CIPHER: 0x0040,
  V2_AUTHORITY: 0x0080,
  V2_CRC32C: 0x0100,
  V2_UNIQUE_ID: 0x0200,
} as const;

/** `proxy-v2-options` words and the bits each sets. */
export const PROXY_V2_OPTION_BITS: Readonly<Record<string, number>> = {
  'ssl': SRV_PP.V2_SSL,
  'cert-cn': SRV_PP.V2_SSL | SRV_PP.V2_SSL_CN,
  'cert-key': SRV_PP.V2_SSL | SRV_PP.V2_SSL_KEY_ALG,
  'cert-sig': SRV_PP.V2_SSL | SRV_PP.V2_SSL_SIG_ALG,
  'ssl-cipher': SRV_PP.V2_SSL | SRV_PP.V2_SSL_CIPHER,
  'authority': SRV_PP.V2_AUTHORITY,
  'crc32c': SRV_PP.V2_CRC32C,
  'unique-id': SRV_PP.V2_UNIQUE_ID,
};

/** The bits each server flag sets, and its `no-` form clears (`no-send-proxy-v2-ssl` clears V2 too). */
const FLAG_BITS: Readonly<Record<string, number>> = {
  'send-proxy': SRV_PP.V1,
  'send-proxy-v2': SRV_PP.V2,
  'send-proxy-v2-ssl': SRV_PP.V2 | SRV_PP.V2_SSL,
  'send-proxy-v2-ssl-cn': SRV_PP.V2 | SRV_PP.V2_SSL | SRV_PP.V2_SSL_CN,
};

/**
 * Applies one server option to the bits, as HAProxy's option parser does in the order of the
 * line (default-server bits first): `value` true for the option, false for its `no-` form, the
 * list of words for proxy-v2-options (which add to what is already set).
 */
export function applyServerPpOption(bits: number, name: string, value: unknown): number {
  const flag = FLAG_BITS[name];
  if (flag !== undefined) {
    if (value === true) return bits | flag;
    if (value === false) return bits & ~flag;
    return bits;
  }
  if (name === 'proxy-v2-options' && Array.isArray(value)) {
    for (const w of value) bits |= PROXY_V2_OPTION_BITS[String(w)] ?? 0;
  }
  return bits;
}

/**
 * The bits of a server from its options as the model records them (by name, default-server
 * merged in). A `pp-opts` number, when the model has one, is taken as it is. Otherwise the
 * options are applied in the order of the record; what that cannot tell apart from HAProxy's
 * line order is documented in docs/proxy-protocol.md.
 */
export function serverPpBits(options: Readonly<Record<string, unknown>>): number {
  const direct = options['pp-opts'];
  if (typeof direct === 'number') return direct;
  let bits = 0;
  for (const [name, value] of Object.entries(options)) bits = applyServerPpOption(bits, name, value);
  return bits;
}

/**
 * Whether a server's health checks start with a PROXY header (src/check.c, src/tcpcheck.c):
 * `check-send-proxy`, or any PROXY option of the server when the check goes to the server's
 * own address (no `port` nor `addr` option). Agent checks never do. For `tcp-check connect
 * send-proxy` the rule decides, not this.
 */
export function checkSendsProxy(options: Readonly<Record<string, unknown>>): boolean {
  if (options['check-send-proxy'] === true) return true;
  if (options['port'] !== undefined || options['addr'] !== undefined) return false;
  return serverPpBits(options) !== 0;
}

/** TLS facts of the client connection (or, for a check, of the check connection). */
export interface ProxyTlsInfo {
  /** SSL_get_version(): "TLSv1.3" (Node: tlsSocket.getProtocol()). */
  readonly version?: string;
  /** SNI sent by the client (Node: tlsSocket.servername). */
  readonly sni?: string;
  /** Negotiated ALPN protocol (Node: tlsSocket.alpnProtocol when not false). */
  readonly alpn?: string;
  readonly certSession?: boolean;
  readonly certConnection?: boolean;
  readonly verify?: number;
  readonly cn?: string;
  readonly keyAlg?: string;
  readonly sigAlg?: string;
  /** OpenSSL cipher name (Node: tlsSocket.getCipher().name). */
  readonly cipher?: string;
}

/** What make_proxy_line reads from the connection it is about. */
export interface ProxyLineContext {
  /**
   * A stream's connection: the stream's client address and the address it reached (after
   * accept-proxy, set-src, ...). A health check: the check connection's local and remote
   * addresses. Non-IP endpoints (unix sockets) make v1 UNKNOWN and v2 LOCAL.
   */
  readonly src?: ProxyEndpoint;
  readonly dst?: ProxyEndpoint;
  /** A health check connection (no stream). */
  readonly check?: boolean;
  /** `pp2-never-send-local` (global). */
  readonly neverSendLocal?: boolean;
  /** TLS facts when the connection (client side, or the check's) is TLS. */
  readonly tls?: ProxyTlsInfo;
  /** Authority received in the client's own PROXY v2 header: forwarded before the SNI. */
  readonly receivedAuthority?: string;
  /** The stream's unique id (unique-id-format; '' when no format is set). */
  readonly uniqueId?: string;
  /** The client connection's network namespace (bind `namespace`, or a received NETNS TLV). */
  readonly netns?: string;
  /** tune.bufsize: HAProxy fails the connection when the header does not fit (default 16384). */
  readonly bufSize?: number;
}

/**
 * The header a server connection starts with, or undefined when a stream's server sends none
 * (no bit set) or it does not fit in tune.bufsize (HAProxy then fails the connection). For a
 * health check (`ctx.check`), call it when checkSendsProxy() says so (or for `tcp-check connect
 * send-proxy`): it then always gives a header, v2 when the V2 bit is set, else v1.
 */
export function makeProxyLine(bits: number, ctx: ProxyLineContext): Buffer | undefined {
  if (bits === 0 && !ctx.check) return undefined;
  const out = bits & SRV_PP.V2 ? buildV2(bits, ctx) : buildProxyV1(ctx.src, ctx.dst);
  return out.length > (ctx.bufSize ?? DEFAULT_MAX_HEADER) ? undefined : out;
}

function buildV2(bits: number, ctx: ProxyLineContext): Buffer {
  const tls = ctx.tls;
  let ssl: ProxyV2Ssl | undefined;
  if (bits & SRV_PP.V2_SSL) {
    ssl = tls
      ? {
          ssl: true,
          ...(tls.version !== undefined ? { version: tls.version } : {}),
          certSession: tls.certSession === true,
          certConnection: tls.certConnection === true,
          verify: tls.verify ?? 0,
          ...(bits & SRV_PP.V2_SSL_CN && tls.cn ? { cn: tls.cn } : {}),
          ...(bits & SRV_PP.V2_SSL_KEY_ALG && tls.keyAlg ? { keyAlg: tls.keyAlg } : {}),
          ...(bits & SRV_PP.V2_SSL_SIG_ALG && tls.sigAlg !== undefined ? { sigAlg: tls.sigAlg } : {}),
          ...(bits & SRV_PP.V2_SSL_CIPHER && tls.cipher !== undefined ? { cipher: tls.cipher } : {}),
        }
      : { ssl: false };
  }
  let authority: string | undefined;
  if (bits & SRV_PP.V2_AUTHORITY) authority = ctx.receivedAuthority ?? tls?.sni;
  return buildProxyV2({
    src: ctx.src,
    dst: ctx.dst,
    local: ctx.check === true && !ctx.neverSendLocal,
    crc32c: (bits & SRV_PP.V2_CRC32C) !== 0,
    ...(tls?.alpn ? { alpn: tls.alpn } : {}),
    ...(authority !== undefined ? { authority } : {}),
    ...(bits & SRV_PP.V2_UNIQUE_ID && !ctx.check ? { uniqueId: ctx.uniqueId ?? '' } : {}),
    ...(ssl ? { ssl } : {}),
    ...(ctx.netns !== undefined ? { netns: ctx.netns } : {}),
  });
}
