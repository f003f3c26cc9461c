/**
 * TLS towards servers (configuration.txt 5.2 "ssl" and its companions; 3.1 the
 * ssl-default-server-* and ssl-server-verify defaults): the connections of a server's traffic
 * and of its health checks.
 *
 *   const t = serverTls(serverModel, globalModel, forCheck);   // once per server, at startup
 *   if (t) socket = t.connect(netConnectOptions, { onread, allowHalfOpen, noDelay, prefix });
 *   ... 'connect': TCP is up; 'secureConnect': the handshake is done (the connection is up)
 *   ... 'error' after 'connect' and before 'secureConnect': tlsFailure(err) (layer 6)
 *
 * A check rule that asks for TLS itself (`tcp-check connect ssl [sni X] [alpn Y]`) takes
 * serverTlsForCheckRule(serverModel, globalModel) and passes `servername`/`alpn` to connect().
 *
 * `serverTls` compiles the server's settings once: one node:tls SecureContext per server,
 * shared by its traffic and its checks (HAProxy has one SSL_CTX per server), the ALPN list in
 * wire form, the verification function. A connection only adds its address and the TLS
 * session to resume: like HAProxy, each server keeps the last session the server gave (unless
 * `no-ssl-reuse`) and offers it on the next connection that sends the same SNI, traffic and
 * checks alike; a failed handshake forgets it.
 *
 * The connection counts as established at 'secureConnect' (HAProxy's connect time Tc and
 * `timeout connect` cover the handshake). A failure is an 'error' event: tlsFailure() says what
 * HAProxy would report and whether it retries.
 */
import { connect as netConnect, type NetConnectOpts, type OnReadOpts } from 'node:net';
import { constants } from 'node:crypto';
import { connect as tlsConnect, createSecureContext, type ConnectionOptions, type PeerCertificate, type SecureContext, type SecureVersion, type TLSSocket } from 'node:tls';
import type { TlsVersion } from '../config/model/bind.js';
import type { GlobalModel } from '../config/model/global.js';
import type { ServerModel } from '../config/model/server.js';
import { readCaFile, readClientCertificate, readCrlFile } from './server-tls-files.js';
import { certificateMatches } from './server-tls-identity.js';
import { serverTlsSettings, type ServerTlsSettings } from './server-tls-settings.js';

export { serverTlsSettings, usesTlsForChecks, usesTlsForTraffic, constantSni, type ServerTlsSettings } from './server-tls-settings.js';

/** What went wrong in a TLS handshake with a server, in HAProxy's terms (its CO_ER_SSL_* codes). */
export type TlsFailureKind = 'handshake' | 'mismatch' | 'mismatch-sni';

export interface TlsFailure {
  readonly kind: TlsFailureKind;
  /** HAProxy's text for it (conn_err_code_str()), e.g. for a health check's status. */
  readonly message: string;
  /**
   * HAProxy retries the connection (retries, redispatch) after it: not after a certificate
   * whose names do not match the SNI sent, which retrying would only repeat.
   */
  readonly retry: boolean;
}

/** Per connection: what tls.connect needs beyond the address. */
export interface TlsConnectExtra {
  /** Read the server into this buffer (net.connect's `onread`); not with `prefix`. */
  readonly onread?: OnReadOpts;
  readonly allowHalfOpen?: boolean;
  readonly noDelay?: boolean;
  /** Bytes sent in clear before the handshake: the PROXY protocol header (send-proxy). */
  readonly prefix?: Buffer;
  /**
   * SNI for this connection instead of the compiled one (`tcp-check connect ... sni <name>`);
   * with verify required it is also the name the certificate must match, as any SNI sent.
   */
  readonly servername?: string;
  /** ALPN protocols for this connection instead of the compiled ones (`tcp-check connect ... alpn`). */
  readonly alpn?: readonly string[];
}

/** A server's compiled TLS, for its traffic or for its health checks. */
export interface ServerTls {
  readonly settings: ServerTlsSettings;
  /**
   * The node:tls options of every connection (secureContext, servername, ALPNProtocols,
   * rejectUnauthorized, checkServerIdentity): to call tls.connect directly, spread them with
   * the address; `connect` below also resumes sessions.
   */
  readonly options: Readonly<ConnectionOptions>;
  /**
   * Opens a TLS connection to `where` (host/port/localAddress..., or path): TCP connect, then
   * the `prefix` if any, then the handshake, offering the last session when it may be resumed.
   */
  connect(where: NetConnectOpts, extra?: TlsConnectExtra): TLSSocket;
  /** Forgets the kept session (the next connection makes a full handshake). */
  forgetSession(): void;
}

/** HAProxy's error kind, on the errors our name check returns. */
const FAILURE = Symbol('portier.tlsFailure');

type MismatchError = Error & { code: string; reason: string; host: string; cert: PeerCertificate; [FAILURE]: TlsFailureKind };

const MESSAGES: Record<TlsFailureKind, string> = {
  handshake: 'SSL handshake failure',
  mismatch: 'Server presented an SSL certificate different from the configured one',
  'mismatch-sni': 'Server presented an SSL certificate different from the expected one',
};

/**
 * What HAProxy makes of an error a TLS connection reported before its handshake completed
 * (after the TCP connection was established: before it, the error is a layer-4 one).
 * Certificate chain errors, alerts from the server, and a connection closed or reset during
 * the handshake are all "SSL handshake failure" (CO_ER_SSL_HANDSHAKE); a name mismatch is
 * CO_ER_SSL_MISMATCH, or CO_ER_SSL_MISMATCH_SNI when the name checked was the SNI sent.
 */
export function tlsFailure(err: unknown): TlsFailure {
  const kind = (err as Partial<MismatchError> | undefined)?.[FAILURE] ?? 'handshake';
  return { kind, message: MESSAGES[kind], retry: kind !== 'mismatch-sni' };
}

/** Node's names of the TLS versions. */
const NODE_VERSION: Record<TlsVersion, SecureVersion> = {
  SSLv3: 'TLSv1',
  'TLSv1.0': 'TLSv1',
  'TLSv1.1': 'TLSv1.1',
  'TLSv1.2': 'TLSv1.2',
  'TLSv1.3': 'TLSv1.3',
};

/** ALPN protocols in their wire form: each name after its length. */
function alpnWire(protocols: readonly string[]): Buffer {
  return Buffer.concat(protocols.flatMap((p) => [Buffer.from([Buffer.byteLength(p)]), Buffer.from(p)]));
}

/**
 * node:tls's `ciphers` carries both lists: TLS 1.3 suites are the "TLS_*" names. HAProxy's
 * `ciphers` is the TLS <= 1.2 list only (TLS_* names in it select nothing) and defaults to
 * OpenSSL's "DEFAULT", not Node's own list; `ciphersuites` left out keeps OpenSSL's default.
 */
function nodeCiphers(s: ServerTlsSettings): string {
  const classic = (s.ciphers ?? 'DEFAULT')
    .split(':')
    .filter((c) => c !== '' && !c.startsWith('TLS_'))
    .join(':');
  return s.ciphersuites !== undefined ? `${classic}:${s.ciphersuites}` : classic;
}

/** Builds the server's SecureContext (files read now). Throws with HAProxy-like wording. */
function buildContext(s: ServerTlsSettings, where: string): SecureContext {
  const opts: Parameters<typeof createSecureContext>[0] = {
    minVersion: NODE_VERSION[s.minVersion],
    maxVersion: NODE_VERSION[s.maxVersion],
    ciphers: nodeCiphers(s),
  };
  if (s.noTickets) opts.secureOptions = constants.SSL_OP_NO_TICKET;
  try {
    if (s.caFile !== undefined) opts.ca = readCaFile(s.caFile);
  } catch {
    throw new Error(`${where} unable to load CA file '${s.caFile}'.`);
  }
  try {
    if (s.crlFile !== undefined) opts.crl = readCrlFile(s.crlFile);
  } catch {
    throw new Error(`${where} unable to configure CRL file '${s.crlFile}'.`);
  }
  if (s.crt !== undefined) {
    try {
      const c = readClientCertificate(s.crt);
      opts.cert = c.cert;
      opts.key = c.key;
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}.`);
    }
  }
  try {
    return createSecureContext(opts);
  } catch (e) {
    throw new Error(`${where}: unable to create the TLS context: ${(e as Error).message}.`);
  }
}

/** The last TLS session a server gave, with the SNI it was made for. */
interface SessionStore {
  session?: Buffer;
  sni?: string;
}

interface Compiled {
  readonly context: SecureContext;
  readonly sessions: SessionStore;
  traffic?: ServerTls | null;
  check?: ServerTls | null;
  forced?: ServerTls | null;
}

const compiled = new WeakMap<ServerModel, Compiled>();

function noNameCheck(): undefined {
  return undefined;
}

/** The certificate check of `verify required` with a name (see server-tls-identity.ts). */
function nameCheck(name: string, isSni: boolean): (host: string, cert: PeerCertificate) => Error | undefined {
  return (_host, cert) => {
    if (certificateMatches(cert, name)) return undefined;
    const err = new Error(`Hostname/IP does not match certificate's altnames: Host: ${name}. is not in the cert's altnames: ${cert.subjectaltname ?? ''}`) as MismatchError;
    err.code = 'ERR_TLS_CERT_ALTNAME_INVALID';
    err.reason = `Host: ${name}. is not in the cert's altnames: ${cert.subjectaltname ?? ''}`;
    err.host = name;
    err.cert = cert;
    err[FAILURE] = isSni ? 'mismatch-sni' : 'mismatch';
    return err;
  };
}

class CompiledServerTls implements ServerTls {
  readonly options: Readonly<ConnectionOptions>;
  private readonly servername: string | undefined;

  constructor(
    readonly settings: ServerTlsSettings,
    context: SecureContext,
    private readonly sessions: SessionStore,
  ) {
    const s = settings;
    this.servername = s.servername;
    const opts: ConnectionOptions = {
      secureContext: context,
      rejectUnauthorized: s.verify,
      checkServerIdentity: s.verify && s.verifyName !== undefined ? nameCheck(s.verifyName, s.verifyNameIsSni) : noNameCheck,
    };
    if (s.servername !== undefined) opts.servername = s.servername;
    if (s.alpn !== undefined) opts.ALPNProtocols = alpnWire(s.alpn);
    this.options = Object.freeze(opts);
  }

  connect(where: NetConnectOpts, extra: TlsConnectExtra = {}): TLSSocket {
    const store = this.sessions;
    const sni = extra.servername ?? this.servername;
    const session = this.settings.reuse && store.session !== undefined && store.sni === sni ? store.session : undefined;
    const options = extra.servername === undefined && extra.alpn === undefined ? this.options : this.overridden(extra);
    let sock: TLSSocket;
    if (extra.prefix !== undefined) {
      // The prefix goes first, in clear: written to the TCP socket while it connects.
      const raw = netConnect({ ...where, allowHalfOpen: extra.allowHalfOpen ?? false, noDelay: extra.noDelay ?? false });
      raw.write(extra.prefix);
      sock = tlsConnect({ ...options, socket: raw, session, allowHalfOpen: extra.allowHalfOpen } as ConnectionOptions);
    } else {
      sock = tlsConnect({ ...(where as ConnectionOptions), ...options, session, allowHalfOpen: extra.allowHalfOpen, onread: extra.onread } as ConnectionOptions);
    }
    if (extra.noDelay) sock.setNoDelay(true);
    let secure = false;
    sock.once('secureConnect', () => (secure = true));
    sock.once('error', () => {
      // HAProxy frees the server's kept session when a handshake fails.
      if (!secure && store.sni === sni) store.session = undefined;
    });
    if (this.settings.reuse) {
      sock.on('session', (s: Buffer) => {
        store.session = s;
        store.sni = sni;
      });
    }
    return sock;
  }

  /** The options of one connection with its own SNI or ALPN. */
  private overridden(extra: TlsConnectExtra): ConnectionOptions {
    const s = this.settings;
    const opts: ConnectionOptions = { ...this.options };
    if (extra.servername !== undefined) {
      opts.servername = extra.servername;
      if (s.verify) opts.checkServerIdentity = nameCheck(extra.servername, true);
    }
    if (extra.alpn !== undefined) opts.ALPNProtocols = alpnWire(extra.alpn);
    return opts;
  }

  forgetSession(): void {
    this.sessions.session = undefined;
  }
}

/** "Proxy 'be', server 's' [file:line]": where an alert about a server's TLS points. */
function describe(server: ServerModel, proxyName?: string): string {
  return `${proxyName !== undefined ? `Proxy '${proxyName}', ` : ''}server '${server.name}' [${server.where.file}:${server.where.line}]`;
}

/**
 * The compiled TLS of `server`'s connections: its traffic (`forCheck` false) or its health
 * checks (`forCheck` true; see server-tls-settings.ts for HAProxy's rules: check-ssl,
 * check-sni, check-alpn, and what they inherit). Undefined when that connection is plain TCP.
 * Compiled on the first call for a server and kept (the same object is returned again); the
 * SecureContext and the kept session are shared by the server's traffic and checks.
 * Throws an Error whose message says which server and file when a file cannot be read or the
 * TLS library refuses a setting (the configuration checks make that unlikely).
 */
export function serverTls(server: ServerModel, global: GlobalModel, forCheck: boolean, proxyName?: string): ServerTls | undefined {
  return compile(server, global, forCheck ? 'check' : 'traffic', proxyName);
}

/**
 * The TLS of a health check connection that asks for TLS itself (`tcp-check connect ... ssl`,
 * configuration.txt 4.2), whatever check-ssl and ssl say: the server's TLS context, check-sni,
 * check-alpn (else alpn); per-connection `servername`/`alpn` in connect() take the rule's own
 * `sni`/`alpn`.
 */
export function serverTlsForCheckRule(server: ServerModel, global: GlobalModel, proxyName?: string): ServerTls {
  return compile(server, global, 'forced', proxyName)!;
}

function compile(server: ServerModel, global: GlobalModel, use: 'traffic' | 'check' | 'forced', proxyName?: string): ServerTls | undefined {
  let c = compiled.get(server);
  const cached = c?.[use];
  if (cached !== undefined) return cached ?? undefined;
  const settings = serverTlsSettings(server, global, use !== 'traffic', use === 'forced');
  if (!settings) {
    if (c) c[use] = null;
    return undefined;
  }
  if (!c) {
    // The context is the same for traffic and checks: only SNI and ALPN differ, per connection.
    c = { context: buildContext(settings, describe(server, proxyName)), sessions: {} };
    compiled.set(server, c);
  }
  const t = new CompiledServerTls(settings, c.context, c.sessions);
  c[use] = t;
  return t;
}
