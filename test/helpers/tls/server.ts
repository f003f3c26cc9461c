/**
 * A TLS server for tests (node:tls) that records what each connection showed: the SNI and the
 * ALPN protocols the client offered, the protocol chosen, the TLS version and cipher, the
 * client certificate, whether the session was resumed; and the handshakes that failed.
 * Optionally reads a PROXY protocol v1 line in clear before the handshake (send-proxy).
 *
 * Each connection gets "hello from <name>\n" once its handshake is done, then an echo of what it
 * sends; the server ends its side when the client ends its own.
 */
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { createServer, type SecureVersion, type TLSSocket } from 'node:tls';
import type { Issued } from './pki.js';

export interface Handshake {
  readonly servername: string | false;
  /** ALPN protocol chosen (false: none). */
  readonly alpn: string | false;
  readonly protocol: string | null;
  readonly cipher: string;
  /** Common name of the client's certificate, when it sent one. */
  readonly peer?: string;
  readonly reused: boolean;
  /** The PROXY line that came before the handshake (without CRLF). */
  readonly proxyLine?: string;
}

export interface TlsServerOptions {
  /** The server's certificate. */
  readonly cert: Issued;
  /** Ask for a client certificate (verified by nobody: recorded only). */
  readonly requestCert?: boolean;
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
  readonly ciphers?: string;
  /** Protocols the server accepts over ALPN, by preference (a client offering none of them is refused). */
  readonly alpn?: readonly string[];
  /** A PROXY protocol v1 line precedes the handshake. */
  readonly proxyProtocol?: boolean;
  readonly name?: string;
}

export interface TlsServer {
  readonly port: number;
  /** TCP connections accepted. */
  accepted: number;
  /** Completed handshakes, in order. */
  readonly handshakes: Handshake[];
  /** ALPN lists offered by clients (in the order the handshakes reached that point). */
  readonly offered: (readonly string[])[];
  /** Failed handshakes: the error code (or message) the server saw. */
  readonly failures: string[];
  close(): Promise<void>;
}

/** Starts a TLS server on 127.0.0.1, port chosen by the OS. */
export async function tlsServer(opts: TlsServerOptions): Promise<TlsServer> {
  const name = opts.name ?? opts.cert.name;
  const state = { accepted: 0, handshakes: [] as Handshake[], offered: [] as (readonly string[])[], failures: [] as string[] };
  const prefixes = new WeakMap<Socket, string>();
  const open = new Set<Socket>();
  const tlsSrv = createServer(
    {
      key: readFileSync(opts.cert.key),
      cert: readFileSync(opts.cert.crt),
      minVersion: opts.minVersion ?? 'TLSv1.2',
      maxVersion: opts.maxVersion ?? 'TLSv1.3',
      ...(opts.ciphers ? { ciphers: opts.ciphers } : {}),
      requestCert: opts.requestCert ?? false,
      rejectUnauthorized: false,
      ALPNCallback: ({ protocols }) => {
        state.offered.push([...protocols]);
        return opts.alpn?.find((p) => protocols.includes(p));
      },
    },
    (s: TLSSocket) => {
      const peer = s.getPeerCertificate();
      const raw = (s as unknown as { _parent?: Socket })._parent;
      const proxyLine = raw ? prefixes.get(raw) : undefined;
      state.handshakes.push({
        servername: s.servername ?? false,
        alpn: s.alpnProtocol ?? false,
        protocol: s.getProtocol(),
        cipher: s.getCipher().name,
        ...(peer && peer.subject ? { peer: String(peer.subject.CN) } : {}),
        reused: s.isSessionReused(),
        ...(proxyLine !== undefined ? { proxyLine } : {}),
      });
      s.on('error', () => s.destroy());
      s.write(`hello from ${name}\n`);
      s.on('data', (d) => s.write(d));
      s.on('end', () => s.end());
    },
  );
  tlsSrv.on('tlsClientError', (err: NodeJS.ErrnoException) => state.failures.push(err.code ?? err.message));
  const server: Server = createNetServer((raw) => {
    state.accepted++;
    open.add(raw);
    raw.on('close', () => open.delete(raw));
    raw.on('error', () => raw.destroy());
    if (!opts.proxyProtocol) {
      tlsSrv.emit('connection', raw);
      return;
    }
    // The PROXY line comes in clear: read it, give the rest to TLS.
    let got = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      got = Buffer.concat([got, d]);
      const end = got.indexOf('\r\n');
      if (end < 0) return;
      raw.off('data', onData);
      raw.pause();
      prefixes.set(raw, got.subarray(0, end).toString('latin1'));
      const rest = got.subarray(end + 2);
      if (rest.length > 0) raw.unshift(rest);
      tlsSrv.emit('connection', raw);
    };
    raw.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  }) as TlsServer;
}
