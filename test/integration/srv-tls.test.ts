/**
 * TLS to servers in mode tcp (configuration.txt 5.2 "ssl", "verify", "ca-file", "crl-file",
 * "crt", "sni", "alpn", "ssl-min-ver", "no-ssl-reuse", "send-proxy"; 3.1 "ca-base",
 * "crt-base", "ssl-default-server-*"), on real sockets: a plain TCP client, Portier, and a
 * node:tls server that records what each handshake showed, with certificates made by the
 * openssl CLI. The tcplog line says how each stream ended (8.5): a failed handshake is a failed
 * connection ("SC", retried), a handshake that does not finish within `timeout connect` is "sC".
 * `timeout connect` is 5 s (a handshake on a loaded machine can take seconds).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario, type Run, logHead } from '../helpers/l4/compare.js';
import { exchange, service, until, type Service } from '../helpers/l4/net.js';
import { makePki, type Issued, type Pki } from '../helpers/tls/pki.js';
import { tlsServer, type TlsServer, type TlsServerOptions } from '../helpers/tls/server.js';

let pki: Pki;
let srv: Issued;
let revoked: Issued;
const servers: (TlsServer | Service)[] = [];

before(() => {
  pki = makePki();
  srv = pki.issue('srv', { cn: 'srv.example.com', dns: ['srv.example.com', '*.wild.example.com'] });
  pki.issue('cli', { cn: 'client.example.com' });
  revoked = pki.issue('revoked', { cn: 'revoked.example.com' });
  pki.revoke(revoked);
});
after(async () => {
  for (const s of servers) await s.close();
  pki?.remove();
});

async function backend(opts: Partial<TlsServerOptions> = {}): Promise<TlsServer> {
  const s = await tlsServer({ cert: srv, ...opts });
  servers.push(s);
  return s;
}

interface Outcome {
  /** What each client received before its connection closed. */
  readonly replies: string[];
}

/**
 * Portier with one listen section whose server line is `server s1 127.0.0.1:<port> <opts>`;
 * `clients` connections one after the other, each sending "ping\n" and half-closing.
 */
async function through(port: number, serverOpts: string, o: { clients?: number; global?: string; defaults?: string; retries?: number } = {}): Promise<Run<Outcome>> {
  const clients = o.clients ?? 1;
  return runScenario<Outcome>('portier', {
    config: (bind, logPort) =>
      logHead(logPort, `    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n    retries ${o.retries ?? 1}\n${o.defaults ?? ''}`).replace(
        'global\n',
        `global\n${o.global ?? ''}`,
      ) + `\nlisten fe\n    bind 127.0.0.1:${bind}\n    server s1 127.0.0.1:${port} ${serverOpts}\n`,
    async drive(bind) {
      const replies: string[] = [];
      for (let i = 0; i < clients; i++) replies.push(await exchange({ port: bind }, 'ping\n', { timeoutMs: 30_000 }));
      return { replies };
    },
    lines: clients,
    waitMs: 15_000,
  });
}

const HELLO = 'hello from srv\nping\n';

test('verify required with the right CA: the stream passes, "--"', async () => {
  const s = await backend();
  const r = await through(s.port, `ssl verify required ca-file ${pki.ca}`);
  assert.deepEqual(r.result.replies, [HELLO]);
  assert.equal(r.logs[0]!.ts, '--');
  assert.equal(r.logs[0]!.server, 's1');
  assert.equal(s.handshakes.length, 1);
  assert.equal(s.handshakes[0]!.servername, false, 'no SNI without "sni"');
});

test('verify required with a wrong CA: the client sees the connection closed, the log "SC" after the retries', async () => {
  const s = await backend();
  const r = await through(s.port, `ssl verify required ca-file ${pki.other}`);
  assert.deepEqual(r.result.replies, ['']);
  const l = r.logs[0]!;
  assert.equal(l.ts, 'SC');
  assert.equal(l.tc, -1);
  assert.equal(l.rc, '1');
  assert.equal(l.bytes, '0');
  assert.equal(s.accepted, 2, 'the first attempt and its retry');
  assert.equal(s.handshakes.length, 0);
});

test('verify none: a certificate from an unknown CA is accepted', async () => {
  const s = await backend();
  const r = await through(s.port, `ssl verify none ca-file ${pki.other}`);
  assert.deepEqual(r.result.replies, [HELLO]);
  assert.equal(r.logs[0]!.ts, '--');
});

test('ssl-server-verify none in the global section: no verification by default', async () => {
  const s = await backend();
  const r = await through(s.port, 'ssl', { global: '    ssl-server-verify none\n' });
  assert.deepEqual(r.result.replies, [HELLO]);
});

test('sni is sent and checked; alpn is offered in order and negotiated', async () => {
  const s = await backend({ alpn: ['http/1.1'] });
  const r = await through(s.port, `ssl ca-file ${pki.ca} sni str(a.wild.example.com) alpn h2,http/1.1`);
  assert.deepEqual(r.result.replies, [HELLO]);
  assert.equal(s.handshakes[0]!.servername, 'a.wild.example.com');
  assert.equal(s.handshakes[0]!.alpn, 'http/1.1');
  assert.deepEqual(s.offered, [['h2', 'http/1.1']]);
});

test('a certificate not matching the SNI sent: not retried (HAProxy hammers no server for it), rc shows the retries spent', async () => {
  const s = await backend();
  const r = await through(s.port, `ssl ca-file ${pki.ca} sni str(wrong.example.com)`, { retries: 2 });
  assert.deepEqual(r.result.replies, ['']);
  assert.equal(r.logs[0]!.ts, 'SC');
  assert.equal(r.logs[0]!.rc, '2');
  assert.equal(s.accepted, 1);
});

test('a certificate not matching verifyhost (no SNI): retried like any failed connection', async () => {
  const s = await backend();
  const r = await through(s.port, `ssl ca-file ${pki.ca} verifyhost wrong.example.com`);
  assert.deepEqual(r.result.replies, ['']);
  assert.equal(r.logs[0]!.ts, 'SC');
  assert.equal(r.logs[0]!.rc, '1');
  assert.equal(s.accepted, 2);
  // The common name counts even beside DNS names (haproxy 2.6).
  const ok = await through(s.port, `ssl ca-file ${pki.ca} verifyhost SRV.example.com`);
  assert.deepEqual(ok.result.replies, [HELLO]);
});

test('crt: the client certificate is presented; ca-base and crt-base complete relative names', async () => {
  const s = await backend({ requestCert: true });
  const r = await through(s.port, 'ssl ca-file ca.crt crt cli.pem', { global: `    ca-base ${pki.dir}\n    crt-base ${pki.dir}\n` });
  assert.deepEqual(r.result.replies, [HELLO]);
  assert.equal(s.handshakes[0]!.peer, 'client.example.com');
});

test('ssl-min-ver above what the server speaks: the handshake fails, "SC"', async () => {
  const s = await backend({ maxVersion: 'TLSv1.2' });
  const r = await through(s.port, `ssl ca-file ${pki.ca} ssl-min-ver TLSv1.3`);
  assert.deepEqual(r.result.replies, ['']);
  assert.equal(r.logs[0]!.ts, 'SC');
  assert.equal(s.handshakes.length, 0);
  assert.equal(s.accepted, 2);
});

test('ssl-default-server-options, -ciphers and -ciphersuites apply to server lines', async () => {
  const s = await backend();
  const r = await through(s.port, `ssl ca-file ${pki.ca}`, {
    global: '    ssl-default-server-options ssl-max-ver TLSv1.2\n    ssl-default-server-ciphers ECDHE-ECDSA-AES128-GCM-SHA256\n',
  });
  // TLS 1.2: the server's greeting may come with its last handshake message.
  assert.deepEqual(r.result.replies, [HELLO]);
  assert.equal(s.handshakes[0]!.protocol, 'TLSv1.2');
  assert.equal(s.handshakes[0]!.cipher, 'ECDHE-ECDSA-AES128-GCM-SHA256');
  await through(s.port, `ssl ca-file ${pki.ca}`, { global: '    ssl-default-server-ciphersuites TLS_CHACHA20_POLY1305_SHA256\n' });
  assert.equal(s.handshakes[1]!.protocol, 'TLSv1.3');
  assert.equal(s.handshakes[1]!.cipher, 'TLS_CHACHA20_POLY1305_SHA256');
  // The line's own ciphers win over the defaults.
  await through(s.port, `ssl ca-file ${pki.ca} ssl-max-ver TLSv1.2 ciphers ECDHE-ECDSA-AES256-GCM-SHA384`, {
    global: '    ssl-default-server-ciphers ECDHE-ECDSA-AES128-GCM-SHA256\n',
  });
  assert.equal(s.handshakes[2]!.cipher, 'ECDHE-ECDSA-AES256-GCM-SHA384');
});

test('crl-file: a revoked server certificate is refused, another one of the same CA passes', async () => {
  const crl = pki.crl();
  const bad = await backend({ cert: revoked });
  const r = await through(bad.port, `ssl ca-file ${pki.ca} crl-file ${crl}`);
  assert.deepEqual(r.result.replies, ['']);
  assert.equal(r.logs[0]!.ts, 'SC');
  const good = await backend();
  const ok = await through(good.port, `ssl ca-file ${pki.ca} crl-file ${crl}`);
  assert.deepEqual(ok.result.replies, [HELLO]);
});

test('ssl-reuse (default): later connections resume the session; no-ssl-reuse: never', async () => {
  const s = await backend();
  await through(s.port, `ssl ca-file ${pki.ca}`, { clients: 4 });
  assert.equal(s.handshakes.length, 4);
  assert.equal(s.handshakes[0]!.reused, false);
  assert.ok(
    s.handshakes.slice(1).some((h) => h.reused),
    JSON.stringify(s.handshakes),
  );
  const n = await backend();
  await through(n.port, `ssl ca-file ${pki.ca} no-ssl-reuse`, { clients: 4 });
  assert.deepEqual(
    n.handshakes.map((h) => h.reused),
    [false, false, false, false],
  );
});

test('send-proxy with ssl: the PROXY header goes first, in clear, then the handshake', async () => {
  const s = await backend({ proxyProtocol: true });
  const r = await through(s.port, `ssl ca-file ${pki.ca} send-proxy`);
  assert.deepEqual(r.result.replies, [HELLO]);
  assert.match(s.handshakes[0]!.proxyLine ?? '', /^PROXY TCP4 127\.0\.0\.1 127\.0\.0\.1 \d+ \d+$/);
});

test('a server that accepts but never answers the handshake: "sC" once timeout connect has passed', async () => {
  const mute = await service(() => undefined);
  servers.push(mute);
  const r = await runScenario<string>('portier', {
    config: (bind, logPort) =>
      logHead(logPort, '    timeout connect 300ms\n    timeout client 5s\n    timeout server 5s\n    retries 1\n') +
      `\nlisten fe\n    bind 127.0.0.1:${bind}\n    server s1 127.0.0.1:${mute.port} ssl verify none\n`,
    drive: (bind) => exchange({ port: bind }, 'ping\n'),
    lines: 1,
  });
  assert.equal(r.result, '');
  assert.equal(r.logs[0]!.ts, 'sC');
  assert.equal(r.logs[0]!.rc, '1');
  assert.equal(mute.accepted, 2);
});

test('module API for health checks: a check rule asking for TLS itself, with its own SNI and ALPN', async () => {
  const { ConfigEnvironment } = await import('../../src/config/environment.js');
  const { loadConfig } = await import('../../src/config/loader.js');
  const { serverTls, serverTlsForCheckRule, tlsFailure } = await import('../../src/net/server-tls.js');
  const s = await backend({ alpn: ['x-check', 'h2'] });
  const r = await loadConfig({
    files: ['t.cfg'],
    texts: new Map([['t.cfg', `backend b\n  server s1 127.0.0.1:${s.port} ca-file ${pki.ca} verify required check-sni srv.example.com check-alpn h2\n`]]),
    env: new ConfigEnvironment({}),
    options: { checkOnly: true, diagnostics: true, localPeer: 'testhost', ignoreResolveFailures: false, noServerVerify: false },
  });
  const server = r.model.proxies[0]!.servers[0]!;
  assert.equal(serverTls(server, r.model.global, true), undefined, 'no check-ssl, no ssl: plain checks');
  const t = serverTlsForCheckRule(server, r.model.global);
  const handshake = (extra: Parameters<typeof t.connect>[1]): Promise<string> =>
    new Promise((resolve) => {
      const sock = t.connect({ host: '127.0.0.1', port: s.port }, extra);
      let tcp = false;
      sock.once('connect', () => (tcp = true));
      sock.once('secureConnect', () => {
        sock.on('data', () => undefined);
        sock.end();
        resolve('ok');
      });
      sock.once('error', (e) => resolve(tcp ? `L6: ${tlsFailure(e).message}` : `L4: ${e.message}`));
    });
  assert.equal(await handshake({}), 'ok');
  await until(() => s.handshakes.length === 1, 5000, 'the server to see the handshake');
  assert.equal(s.handshakes.at(-1)!.servername, 'srv.example.com');
  assert.deepEqual(s.offered.at(-1), ['h2']);
  assert.equal(await handshake({ servername: 'a.wild.example.com', alpn: ['x-check', 'h2'] }), 'ok');
  await until(() => s.handshakes.length === 2, 5000, 'the server to see the handshake');
  assert.equal(s.handshakes.at(-1)!.servername, 'a.wild.example.com');
  assert.equal(s.handshakes.at(-1)!.alpn, 'x-check');
  assert.equal(await handshake({ servername: 'nope.example.com' }), 'L6: Server presented an SSL certificate different from the expected one');
});

test('redispatch from a send-proxy TLS server to a plain-read TLS server: the data flows', async () => {
  const bad = await backend({ cert: pki.issue('foreign-rd', { cn: 'srv.example.com', ca: 'other' }), proxyProtocol: true });
  const good = await backend();
  const r = await runScenario<string>('portier', {
    config: (bind, logPort) =>
      logHead(logPort, '    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n    retries 1\n    option redispatch\n') +
      `\nlisten fe\n    bind 127.0.0.1:${bind}\n    balance first\n` +
      `    server s1 127.0.0.1:${bad.port} ssl ca-file ${pki.ca} send-proxy\n    server s2 127.0.0.1:${good.port} ssl ca-file ${pki.ca}\n`,
    drive: (bind) => exchange({ port: bind }, 'ping\n'),
    lines: 1,
  });
  assert.equal(r.result, HELLO);
  assert.equal(r.logs[0]!.server, 's2');
  assert.equal(r.logs[0]!.rc, '+1');
  assert.equal(bad.accepted, 1);
});
