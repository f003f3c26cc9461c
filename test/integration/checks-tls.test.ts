/**
 * Health checks over TLS (configuration.txt 5.2 "check-ssl", "ssl", "verify", "ca-file",
 * "check-sni", "crt"), against a real HTTPS server with a CA made by openssl
 * (test/helpers/servers/https.ts) and against slapd's LDAPS listener: the seed's advanced
 * example end to end. Where haproxy runs the same configuration, the log lines are compared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exchange, until } from '../helpers/l4/net.js';
import { startProxy, tempDir, type Impl, type Proxy } from '../helpers/l4/proxy.js';
import { syslogReceiver, type SyslogReceiver } from '../helpers/l4/syslog.js';
import { syslogMessage } from '../helpers/l4/compare.js';
import { run } from '../helpers/run.js';
import { startHttps } from '../helpers/servers/https.js';
import { startSlapd } from '../helpers/servers/slapd.js';
import { makeCa } from '../helpers/servers/ca.js';

const HAVE_HAPROXY = existsSync('/usr/sbin/haproxy');

interface Running {
  readonly proxy: Proxy;
  readonly syslog: SyslogReceiver;
  readonly sock: string;
  readonly dir: string;
}

async function start(impl: Impl, cfg: (logPort: number, sock: string, dir: string) => string): Promise<Running> {
  const syslog = await syslogReceiver();
  const dir = tempDir(`checks-tls-${impl}-`);
  const sock = join(dir, 'admin.sock');
  const proxy = startProxy(impl, cfg(syslog.port, sock, dir), { dir });
  await until(() => existsSync(sock) || proxy.child.exitCode !== null, 15_000, `${impl} to start`);
  if (proxy.child.exitCode !== null) throw new Error(`${impl} did not start:\n${proxy.output()}`);
  return { proxy, syslog, sock, dir };
}

async function stop(r: Running | undefined): Promise<void> {
  await r?.proxy.stop();
  r?.syslog.close();
}

const messages = (r: Running): string[] => r.syslog.lines.map(syslogMessage).map((m) => m.replace(/check duration: \d+ms/, 'check duration: Nms'));

async function firstResult(r: Running, server: string): Promise<string> {
  const re = new RegExp(`^Health check for server ${server} `);
  await until(() => messages(r).some((m) => re.test(m)), 15_000, `a check result for ${server} (${JSON.stringify(messages(r))})`);
  return messages(r).find((m) => re.test(m))!;
}

test('httpchk over TLS with verify required: the right CA passes, a wrong CA fails the handshake, as haproxy', { timeout: 90_000 }, async () => {
  const https = await startHttps();
  const other = await makeCa(tempDir('checks-tls-otherca-'));
  const cfg = (logPort: number, sock: string) => `global
    stats socket ${sock} level admin
defaults
    mode tcp
    timeout client 5s
    timeout server 5s
    timeout connect 2s
    timeout check 3s
backend good
    log 127.0.0.1:${logPort} local0
    option log-health-checks
    option httpchk GET /health
    server s 127.0.0.1:${https.port} check check-ssl verify required ca-file ${https.caFile} check-sni localhost inter 500ms rise 1 fall 1
backend wrongca
    log 127.0.0.1:${logPort} local0
    option log-health-checks
    option httpchk GET /health
    server s 127.0.0.1:${https.port} check check-ssl verify required ca-file ${other.caFile} inter 500ms rise 1 fall 1
backend sslserver
    log 127.0.0.1:${logPort} local0
    option log-health-checks
    server s 127.0.0.1:${https.port} ssl verify required ca-file ${https.caFile} check inter 500ms rise 1 fall 1
`;
  const impls: Impl[] = HAVE_HAPROXY ? ['haproxy', 'portier'] : ['portier'];
  const runs: Running[] = [];
  try {
    for (const impl of impls) runs.push(await start(impl, cfg));
    const results = await Promise.all(runs.map(async (r) => [await firstResult(r, 'good/s'), await firstResult(r, 'wrongca/s'), await firstResult(r, 'sslserver/s')]));
    const portier = results[results.length - 1]!;
    assert.match(portier[0]!, /succeeded, reason: Layer7 check passed, code: 200/);
    assert.match(portier[1]!, /failed, reason: Layer6 invalid response, info: "SSL handshake failure"/);
    assert.match(portier[2]!, /succeeded, reason: Layer6 check passed/);
    if (results.length === 2) assert.deepEqual(portier, results[0]);
    // The HTTPS server saw Portier's request, with the SNI asked for.
    assert.ok(https.requests.some((q) => q.method === 'GET' && q.url === '/health'), JSON.stringify(https.requests));
  } finally {
    for (const r of runs) await stop(r);
    await https.close();
  }
});

test("the seed's advanced example end to end: LDAPS servers checked with ldap-check over TLS, LDAP searches through the unix socket while servers stop and start", { timeout: 120_000 }, async () => {
  const a = await startSlapd();
  const b = await startSlapd();
  let r: Running | undefined;
  try {
    const sockDir = tempDir('checks-seed-');
    const ut = join(sockDir, 'etab_UT.sock');
    // The seed's example (examples/seed-advanced.cfg) with the two LDAPS servers on loopback
    // ports, their CA, and a log target to watch; checks every 300ms instead of HAProxy's 2s so
    // that rise 15 does not take half a minute.
    r = await start('portier', (logPort, sock) => `global
    stats socket ${sock} level admin
defaults
    default-server error-limit 10 rise 3 on-marked-down shutdown-sessions maxconn 125 maxqueue 125 inter 300ms
listen UT
    bind ${ut} mode 666
    mode tcp
    log 127.0.0.1:${logPort} local0
    timeout server 2m
    timeout client 2m
    timeout connect 5s
    timeout check 7s
    option ldap-check
    balance leastconn
    server A 127.0.0.1:${a.ldapsPort} check check-ssl ssl ca-file ${a.caFile} on-error mark-down
    server B 127.0.0.1:${b.ldapsPort} check check-ssl ssl ca-file ${b.caFile} on-error mark-down
`);
    // The stats socket is bound before the listeners: wait for the seed's socket itself.
    await until(() => existsSync(ut), 10_000, 'the UT socket');
    const search = async (): Promise<string> => {
      const out = await run('ldapsearch', ['-x', '-LLL', '-H', `ldapi://${encodeURIComponent(ut)}`, '-b', a.baseDn, `(uid=${a.entry.uid})`, 'cn'], { timeoutMs: 15_000 });
      assert.equal(out.code, 0, out.stderr);
      return out.stdout;
    };
    assert.match(await search(), new RegExp(`cn: ${a.entry.cn}`));
    const state = async (): Promise<string[]> => (await exchange({ path: r!.sock }, 'show servers state UT\n')).split('\n').slice(2, 4).map((l) => l.split(' ')[5]!);
    assert.deepEqual(await state(), ['2', '2']);
    await a.stop();
    await until(() => messages(r!).some((m) => /^Server UT\/A is DOWN, reason: Layer4 connection problem/.test(m)), 15_000, `A down (${JSON.stringify(messages(r!))})`);
    // B alone serves the searches.
    for (let i = 0; i < 3; i++) assert.match(await search(), new RegExp(`cn: ${b.entry.cn}`));
    await a.start();
    await until(() => messages(r!).some((m) => /^Server UT\/A is UP, reason: Layer7 check passed/.test(m)), 20_000, `A up again (${JSON.stringify(messages(r!))})`);
    assert.deepEqual(await state(), ['2', '2']);
    await b.stop();
    await a.stop();
    await until(() => messages(r!).some((m) => /^proxy UT has no server available!/.test(m)), 20_000, `no server (${JSON.stringify(messages(r!))})`);
    await b.start();
    await until(() => messages(r!).some((m) => /^Server UT\/B is UP/.test(m)), 20_000, `B up again (${JSON.stringify(messages(r!))})`);
    assert.match(await search(), new RegExp(`cn: ${b.entry.cn}`));
  } finally {
    await stop(r);
    await a.close();
    await b.close();
  }
});
