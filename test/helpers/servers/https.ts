/**
 * An HTTPS server for httpchk over TLS (`check-ssl`, `ssl verify required ca-file ...`): Node's
 * own https server in the test process, with a certificate for 127.0.0.1 and localhost from a
 * test CA made by the openssl CLI (ca.ts). It can ask for a client certificate from the same
 * CA, and it records what it was asked, so a test can see what a check sent.
 *
 * In-process rather than a separate program: the answer is the test's to choose (any status,
 * any body, per request), and it cannot outlive the test process.
 *
 * Start-up, measured on the 2-core dev machine while other sessions loaded it (load average
 * ~11; expect less on an idle one): ~0.23 s, nearly all of it the test CA and certificates
 * (three openssl runs); stop and restart ~1 ms.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makeCa, type TestCa } from './ca.js';
import { fixtureDir, HOST, removeDir, stablePort, waitRefused, type ServerFixture } from './common.js';

/** One request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  /** As received: names in their case, in order. */
  readonly rawHeaders: readonly string[];
  /** The client certificate's subject CN, if one was presented and verified. */
  readonly clientCn: string | undefined;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Https extends ServerFixture {
  readonly ca: TestCa;
  readonly caFile: string;
  /** The server's certificate and key (CN=localhost, SAN localhost and 127.0.0.1). */
  readonly cert: string;
  readonly key: string;
  /** A client certificate and key signed by the same CA (and both in one PEM: `crt`). */
  readonly client: { readonly cert: string; readonly key: string; readonly pem: string };
  /** https://127.0.0.1:<port> */
  readonly url: string;
  /** Every request so far, oldest first. */
  readonly requests: SeenRequest[];
  /** Replaces how it answers (the default: 200, "OK\n"). */
  handle(handler: Handler): void;
}

export interface HttpsOptions {
  /**
   * 'none' (the default): no client certificate asked for. 'request': asked for, verified if
   * given, not required. 'require': the handshake fails without one from the CA.
   */
  clientCert?: 'none' | 'request' | 'require';
  handler?: Handler;
}

const OK: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('OK\n');
};

export async function startHttps(opts: HttpsOptions = {}): Promise<Https> {
  const dir = await fixtureDir('https');
  try {
    const ca = await makeCa(dir);
    const mode = opts.clientCert ?? 'none';
    let handler = opts.handler ?? OK;
    const requests: SeenRequest[] = [];
    const sockets = new Set<Socket>();
    const server: Server = createServer(
      {
        ca: readFileSync(ca.caFile),
        cert: readFileSync(ca.server.cert),
        key: readFileSync(ca.server.key),
        requestCert: mode !== 'none',
        // 'request' lets an unverified or absent certificate through (the request then has
        // no clientCn); 'require' refuses the handshake.
        rejectUnauthorized: mode === 'require',
      },
      (req, res) => {
        const tls = req.socket as TLSSocket;
        const peer = mode !== 'none' && tls.authorized ? tls.getPeerCertificate() : undefined;
        const cn = peer?.subject?.CN;
        requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          httpVersion: req.httpVersion,
          rawHeaders: [...req.rawHeaders],
          clientCn: Array.isArray(cn) ? cn[0] : cn,
        });
        handler(req, res);
      },
    );
    // Connections are tracked so stop() can end them: a keep-alive one would hold it open.
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('tlsClientError', () => undefined);
    let port = 0;
    let listening = false;

    const start = async (): Promise<void> => {
      if (listening) throw new Error('the https server is already running');
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, HOST, () => {
          server.off('error', reject);
          resolve();
        });
      });
      listening = true;
      // A test that forgets close() still ends.
      server.unref();
    };
    const stop = async (): Promise<void> => {
      if (!listening) return;
      listening = false;
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
      await waitRefused(port);
    };
    for (let attempt = 1; ; attempt++) {
      port = await stablePort();
      try {
        await start();
        break;
      } catch (e) {
        // Another process took the port since it was found free: take another.
        if (attempt >= 3 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      }
    }
    return {
      host: HOST,
      port,
      ca,
      caFile: ca.caFile,
      cert: ca.server.cert,
      key: ca.server.key,
      client: ca.client,
      url: `https://${HOST}:${port}`,
      requests,
      handle(h) {
        handler = h;
      },
      start,
      stop,
      async close() {
        await stop();
        removeDir(dir);
      },
    };
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
