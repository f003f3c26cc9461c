/**
 * Types of the PROXY protocol module (doc: proxy-protocol.txt, HAProxy 2.6). Types only.
 */

/** An IP endpoint as the logs and rules see it (%ci/%cp, %fi/%fp, src, dst). */
export interface ProxyAddress {
  readonly family: 'ipv4' | 'ipv6';
  /** inet_ntop form: "1.2.3.4", "2001:db8::1", "::ffff:1.2.3.4". */
  readonly address: string;
  readonly port: number;
}

/** One v2 TLV as received (proxy-protocol.txt 2.2). `value` is a copy, safe to keep. */
export interface ProxyTlv {
  readonly type: number;
  readonly value: Buffer;
}

/** PP2_TYPE_SSL (0x20) decoded (proxy-protocol.txt 2.2.5). */
export interface ProxySslTlv {
  /** PP2_CLIENT_* bits: 0x01 TLS, 0x02 certificate on this connection, 0x04 certificate in the session. */
  readonly client: number;
  /** Certificate verification result (0: success). */
  readonly verify: number;
  /** Sub-TLVs, in order (0x21 version, 0x22 CN, 0x23 cipher, 0x24 sig alg, 0x25 key alg). */
  readonly tlvs: readonly ProxyTlv[];
  readonly version?: string;
  readonly cn?: string;
  readonly cipher?: string;
  readonly sigAlg?: string;
  readonly keyAlg?: string;
}

/**
 * A header accepted as HAProxy 2.6 accepts it. When `src`/`dst` are present they replace the
 * connection's addresses; when absent (v1 UNKNOWN, v2 LOCAL, a v2 PROXY header of a family
 * HAProxy keeps no address for) the connection keeps its own addresses.
 */
export interface ProxyHeader {
  readonly version: 1 | 2;
  /** v2 command; v1 lines are 'PROXY'. */
  readonly command: 'PROXY' | 'LOCAL';
  /** v1: 'TCP4' | 'TCP6' | 'UNKNOWN'. v2: the family/transport byte, e.g. 'TCP4', 'UDP6', 'UNIX_STREAM', 'UNSPEC', or '0x44'. */
  readonly protocol: string;
  readonly src?: ProxyAddress;
  readonly dst?: ProxyAddress;
  /** v2 PROXY command: every TLV in order (HAProxy walks none for LOCAL). */
  readonly tlvs: readonly ProxyTlv[];
  /** PP2_TYPE_ALPN, as a latin1 string (bytes preserved). */
  readonly alpn?: string;
  /** PP2_TYPE_AUTHORITY (fc_pp_authority; forwarded by `proxy-v2-options authority`), latin1. */
  readonly authority?: string;
  /** PP2_TYPE_UNIQUE_ID (fc_pp_unique_id), latin1. */
  readonly uniqueId?: string;
  /** PP2_TYPE_NETNS, latin1. */
  readonly netns?: string;
  /** PP2_TYPE_CRC32C: the checksum, already verified. */
  readonly crc32c?: number;
  /** PP2_TYPE_SSL when it decodes (HAProxy 2.6 ignores it, malformed or not). */
  readonly ssl?: ProxySslTlv;
}

/**
 * Why a connection was refused, by HAProxy's connection error codes (CO_ER_PRX_*); the message
 * of each is in PROXY_ERROR_MESSAGES.
 */
export type ProxyErrorCode = 'PRX_EMPTY' | 'PRX_ABORT' | 'PRX_TIMEOUT' | 'PRX_TRUNCATED' | 'PRX_NOT_HDR' | 'PRX_BAD_HDR' | 'PRX_BAD_PROTO';

export interface ProxyError {
  readonly code: ProxyErrorCode;
  /** HAProxy's text for the code ("Received an invalid PROXY protocol header", ...). */
  readonly error: string;
  /**
   * The source HAProxy had already taken from the header when it failed (a v2 TCP4/TCP6
   * header whose TLVs are bad): its error log line starts with this address instead of the
   * connection's.
   */
  readonly src?: ProxyAddress;
  readonly dst?: ProxyAddress;
}

/** Result of parseProxyHeader(). */
export type ProxyParseResult =
  /** More bytes could complete the header: at least `need` more. */
  | { readonly need: number }
  /** A header of `length` bytes; the bytes after it belong to the stream. */
  | { readonly header: ProxyHeader; readonly length: number }
  | ProxyError;

/** An endpoint given to the builders: from a socket (remoteAddress/remotePort, ...). */
export interface ProxyEndpoint {
  /** 'ipv4'/'ipv6' (or Node's 'IPv4'/'IPv6'); anything else (unix, ...) is not an IP endpoint. Deduced from `address` when absent. */
  readonly family?: string;
  readonly address?: string;
  readonly port?: number;
}

/** What goes in a PP2_TYPE_SSL TLV (send-proxy-v2-ssl, proxy-v2-options ssl,...). */
export interface ProxyV2Ssl {
  /** The client connection used TLS (PP2_CLIENT_SSL); nothing else is sent when false. */
  readonly ssl: boolean;
  /** SSL_get_version(): "TLSv1.3", ... (Node: tlsSocket.getProtocol()). */
  readonly version?: string;
  /** The client presented a certificate in this session (PP2_CLIENT_CERT_SESS)... */
  readonly certSession?: boolean;
  /** ...on this very connection, not a resumed one (PP2_CLIENT_CERT_CONN). */
  readonly certConnection?: boolean;
  /** SSL_get_verify_result() when a certificate was presented. */
  readonly verify?: number;
  /** Client certificate subject CN (cert-cn). */
  readonly cn?: string;
  /** Client certificate key algorithm, e.g. "RSA2048", "EC256" (cert-key). */
  readonly keyAlg?: string;
  /** Client certificate signature algorithm short name, e.g. "RSA-SHA256" (cert-sig). */
  readonly sigAlg?: string;
  /** OpenSSL cipher name (ssl-cipher; Node: tlsSocket.getCipher().name). */
  readonly cipher?: string;
}

/**
 * Everything a v2 header carries, already decided (see makeProxyLine for HAProxy's rules on
 * what to include). Strings are latin1 (bytes preserved); Buffers are taken as they are.
 */
export interface ProxyV2Options {
  /** The client side addresses; LOCAL is sent when either is not an IP endpoint. */
  readonly src?: ProxyEndpoint;
  readonly dst?: ProxyEndpoint;
  /** Send LOCAL whatever the addresses (health checks, unless pp2-never-send-local). */
  readonly local?: boolean;
  /** A PP2_TYPE_CRC32C TLV, first (proxy-v2-options crc32c). */
  readonly crc32c?: boolean;
  /** PP2_TYPE_ALPN: the protocol negotiated with the client. */
  readonly alpn?: string | Buffer;
  /** PP2_TYPE_AUTHORITY. */
  readonly authority?: string | Buffer;
  /** PP2_TYPE_UNIQUE_ID (may be empty: HAProxy then sends a zero-length TLV). */
  readonly uniqueId?: string | Buffer;
  /** PP2_TYPE_SSL. */
  readonly ssl?: ProxyV2Ssl;
  /** PP2_TYPE_NETNS, last. */
  readonly netns?: string | Buffer;
}
