/**
 * TLS to servers compared with haproxy: each scenario runs the same configuration through
 * /usr/sbin/haproxy and bin/portier at the same time, each with its own node:tls servers, and
 * compares what the clients received, what the servers saw of each handshake (SNI, ALPN offered
 * and chosen, TLS version and cipher, client certificate, PROXY line), how many connections
 * they got (retries), and the tcplog lines (termination state, retries, redispatch) once the
 * client port, date and timers are normalised.
 *
 * Known difference, not compared: on a certificate it refuses, haproxy aborts the handshake with
 * an alert (unknown_ca, internal_error); Portier (node:tls verifies once the handshake is done)
 * closes the connection instead. Either way the server completes no handshake and gets no data.
 * `timeout connect` is 5 s: a TLS handshake is part of connecting, and on a loaded machine one
 * can take seconds, which would turn an expected "SC" into "sC". Skipped when haproxy is not
 * installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { logHead, normalised, runBoth, type Run, type TcpLog } from '../helpers/l4/compare.js';
import { exchange, service, type Service } from '../helpers/l4/net.js';
import { HAPROXY, type Impl } from '../helpers/l4/proxy.js';
import { makePki, type Issued, type Pki } from '../helpers/tls/pki.js';
import { tlsServer, type Handshake, type TlsServer, type TlsServerOptions } from '../helpers/tls/server.js';

const skip = existsSync(HAPROXY) ? false : `${HAPROXY} is not installed`;

let pki: Pki;
let srv: Issued;
let foreign: Issued;
let revoked: Issued;
const closeable: (TlsServer | Service)[] = [];

before(() => {
  pki = makePki();
  srv = pki.issue('srv', { cn: 'srv.example.com', dns: ['san.example.com', '*.wild.example.com'] });
  foreign = pki.issue('foreign', { cn: 'srv.example.com', dns: ['san.example.com'], ca: 'other' });
  revoked = pki.issue('revoked', { cn: 'srv.example.com', dns: ['san.example.com'] });
  pki.issue('cli', { cn: 'client.example.com' });
  pki.revoke(revoked);
  pki.crl();
});
after(async () => {
  for (const s of closeable) await s.close();
  pki?.remove();
});

async function tlsBackend(opts: Partial<TlsServerOptions> = {}): Promise<TlsServer> {
  const s = await tlsServer({ cert: srv, name: 'srv', ...opts });
  closeable.push(s);
  return s;
}

interface Seen {
  readonly replies: string[];
  /** Per server: connections accepted, and the handshakes (PROXY line ports masked). */
  readonly servers: { accepted: number; handshakes: Handshake[]; offered: (readonly string[])[] }[];
}

interface Scenario {
  /** `server` lines, given the ports of the scenario's servers. */
  readonly servers: (ports: number[]) => string;
  /** The TLS servers (one set per proxy). */
  readonly backends: () => Promise<(TlsServer | Service)[]>;
  readonly global?: string;
  readonly defaults?: string;
  readonly clients?: number;
}

function masked(h: Handshake): Handshake {
  return h.proxyLine === undefined ? h : { ...h, proxyLine: h.proxyLine.replace(/ \d+ \d+$/, ' CPORT FPORT') };
}

/** Runs `s` through both proxies (same configuration, their own servers). */
async function both(s: Scenario): Promise<{ haproxy: Run<Seen>; portier: Run<Seen> }> {
  const clients = s.clients ?? 1;
  return runBoth<Seen>(async (_impl: Impl) => {
    const backends = await s.backends();
    return {
      config: (bind, logPort) =>
        logHead(logPort, `    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n    retries 1\n${s.defaults ?? ''}`).replace('global\n', `global\n${s.global ?? ''}`) +
        `\nlisten fe\n    bind 127.0.0.1:${bind}\n${s.servers(backends.map((b) => b.port))}\n`,
      async drive(bind) {
        const replies: string[] = [];
        for (let i = 0; i < clients; i++) replies.push(await exchange({ port: bind }, 'ping\n', { timeoutMs: 30_000 }));
        return {
          replies,
          servers: backends.map((b) =>
            'handshakes' in b
              ? { accepted: b.accepted, handshakes: b.handshakes.map(masked), offered: b.offered }
              : { accepted: b.accepted, handshakes: [], offered: [] },
          ),
        };
      },
      lines: clients,
      waitMs: 15_000,
    };
  });
}

const lines = (logs: TcpLog[]): string[] => logs.map((l) => normalised(l));

/** Both proxies: same replies, same server observations, same normalised log lines. */
function same(r: { haproxy: Run<Seen>; portier: Run<Seen> }, opts: { reused?: boolean } = {}): void {
  const strip = (seen: Seen): Seen =>
    opts.reused === false ? seen : { ...seen, servers: seen.servers.map((x) => ({ ...x, handshakes: x.handshakes.map((h) => ({ ...h, reused: false })) })) };
  const why = `haproxy wrote:\n${r.haproxy.messages.join('\n')}\nportier wrote:\n${r.portier.messages.join('\n')}`;
  assert.deepEqual(lines(r.portier.logs), lines(r.haproxy.logs), why);
  assert.deepEqual(strip(r.portier.result), strip(r.haproxy.result), why);
}

const HELLO = 'hello from srv\nping\n';

describe('server TLS compared with haproxy', { skip, concurrency: 2 }, () => {
  test('verify required with the right CA', async () => {
    const r = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl verify required ca-file ${pki.ca}`, backends: async () => [await tlsBackend()] });
    same(r);
    assert.deepEqual(r.portier.result.replies, [HELLO]);
  });

  test('a certificate from an unknown CA: SC after the retry', async () => {
    const r = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca}`, backends: async () => [await tlsBackend({ cert: foreign })] });
    same(r);
    assert.equal(r.portier.logs[0]!.ts, 'SC');
    assert.equal(r.portier.result.servers[0]!.accepted, 2);
  });

  test('verify none accepts it', async () => {
    const r = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl verify none`, backends: async () => [await tlsBackend({ cert: foreign })] });
    same(r);
    assert.deepEqual(r.portier.result.replies, ['hello from srv\nping\n']);
  });

  test('sni and alpn: what the server is offered and negotiates', async () => {
    const r = await both({
      servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca} sni str(x.wild.example.com) alpn h2,http/1.1`,
      backends: async () => [await tlsBackend({ alpn: ['http/1.1'] })],
    });
    same(r);
    assert.equal(r.portier.result.servers[0]!.handshakes[0]!.servername, 'x.wild.example.com');
  });

  test('sni from the stream: an expression evaluated on each connection', async () => {
    const r = await both({
      servers: ([p, q, t]) =>
        `    balance roundrobin\n    server s1 127.0.0.1:${p} ssl verify none sni fe_name,upper\n` +
        `    server s2 127.0.0.1:${q} ssl verify none sni var(txn.none)\n` +
        `    server s3 127.0.0.1:${t} ssl verify none sni be_name send-proxy`,
      backends: async () => [await tlsBackend(), await tlsBackend(), await tlsBackend({ proxyProtocol: true })],
      clients: 3,
    });
    same(r);
    // No sample (an unset variable): no SNI at all (node:tls reports false).
    assert.deepEqual(
      r.portier.result.servers.map((x) => x.handshakes[0]?.servername),
      ['FE', false, 'fe'],
    );
  });

  test('sni from the stream, verified against the certificate', async () => {
    const r = await both({
      servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca} sni fe_name,lower`,
      backends: async () => [await tlsBackend()],
    });
    same(r);
    assert.equal(r.portier.result.servers[0]!.handshakes[0]?.servername, undefined, 'a certificate for srv.example.com does not match "fe": refused before any handshake completes');
  });

  test('a certificate not matching the SNI: no retry', async () => {
    const r = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca} sni str(other.example.com)`, backends: async () => [await tlsBackend()] });
    same(r);
    assert.equal(r.portier.result.servers[0]!.accepted, 1);
  });

  test('verifyhost: the common name counts beside DNS names; a mismatch is retried', async () => {
    const ok = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca} verifyhost SRV.example.com`, backends: async () => [await tlsBackend()] });
    same(ok);
    assert.deepEqual(ok.portier.result.replies, [HELLO]);
    const bad = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca} verifyhost a.b.wild.example.com`, backends: async () => [await tlsBackend()] });
    same(bad);
    assert.equal(bad.portier.result.servers[0]!.accepted, 2);
  });

  test('client certificate with crt-base and ca-base', async () => {
    const r = await both({
      global: `    ca-base ${pki.dir}\n    crt-base ${pki.dir}\n`,
      servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ca.crt crt cli.pem`,
      backends: async () => [await tlsBackend({ requestCert: true })],
    });
    same(r);
    assert.equal(r.portier.result.servers[0]!.handshakes[0]!.peer, 'client.example.com');
  });

  test('ssl-min-ver above the server: the handshake fails', async () => {
    const r = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca} ssl-min-ver TLSv1.3`, backends: async () => [await tlsBackend({ maxVersion: 'TLSv1.2' })] });
    same(r);
    assert.equal(r.portier.logs[0]!.ts, 'SC');
  });

  test('global defaults: versions and cipher lists', async () => {
    const r = await both({
      global: '    ssl-default-server-options ssl-max-ver TLSv1.2 no-tls-tickets\n    ssl-default-server-ciphers ECDHE-ECDSA-AES128-GCM-SHA256\n',
      servers: ([p, q]) => `    balance roundrobin\n    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca}\n    server s2 127.0.0.1:${q} ssl ca-file ${pki.ca} ssl-max-ver TLSv1.3 ciphersuites TLS_AES_128_GCM_SHA256`,
      backends: async () => [await tlsBackend(), await tlsBackend()],
      clients: 2,
    });
    same(r);
    assert.equal(r.portier.result.servers[0]!.handshakes[0]!.cipher, 'ECDHE-ECDSA-AES128-GCM-SHA256');
    assert.equal(r.portier.result.servers[1]!.handshakes[0]!.cipher, 'TLS_AES_128_GCM_SHA256');
  });

  test('crl-file: a revoked certificate is refused', async () => {
    const r = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca} crl-file ${pki.dir}/ca.crl`, backends: async () => [await tlsBackend({ cert: revoked })] });
    same(r);
    assert.equal(r.portier.logs[0]!.ts, 'SC');
  });

  test('send-proxy-v1 with ssl: the PROXY line comes first, in clear', async () => {
    const r = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca} send-proxy`, backends: async () => [await tlsBackend({ proxyProtocol: true })] });
    same(r);
    assert.match(r.portier.result.servers[0]!.handshakes[0]!.proxyLine ?? '', /^PROXY TCP4 /);
  });

  test('a failed handshake is redispatched to another server (option redispatch)', async () => {
    const r = await both({
      defaults: '    option redispatch\n',
      servers: ([p, q]) => `    balance roundrobin\n    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca}\n    server s2 127.0.0.1:${q} ssl ca-file ${pki.ca}`,
      backends: async () => [await tlsBackend({ cert: foreign }), await tlsBackend()],
    });
    same(r);
    assert.equal(r.portier.logs[0]!.server, 's2');
    assert.equal(r.portier.logs[0]!.rc, '+1');
  });

  test('a handshake that never completes: sC', async () => {
    const r = await both({
      defaults: '    timeout connect 400ms\n',
      servers: ([p]) => `    server s1 127.0.0.1:${p} ssl verify none`,
      backends: async () => {
        const mute = await service(() => undefined);
        closeable.push(mute);
        return [mute];
      },
    });
    same(r);
    assert.equal(r.portier.logs[0]!.ts, 'sC');
  });

  test('sessions: resumed with ssl-reuse, never with no-ssl-reuse', async () => {
    const reuse = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca}`, backends: async () => [await tlsBackend()], clients: 4 });
    same(reuse);
    // Which connection first resumes depends on when the server's ticket arrives: only that one does.
    for (const run of [reuse.haproxy, reuse.portier]) {
      assert.ok(
        run.result.servers[0]!.handshakes.some((h) => h.reused),
        `${run.impl}: ${JSON.stringify(run.result.servers[0]!.handshakes)}`,
      );
    }
    const none = await both({ servers: ([p]) => `    server s1 127.0.0.1:${p} ssl ca-file ${pki.ca} no-ssl-reuse`, backends: async () => [await tlsBackend()], clients: 4 });
    same(none, { reused: false });
  });
});
