/**
 * The real-server fixtures of test/helpers/servers/, each checked with a real client of its
 * protocol: it serves once started, refuses connections once stopped, serves again when
 * started on the same port, and leaves nothing behind once closed. A missing server or client
 * fails with the Debian package that .ci/run must install; nothing is skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { HOST, requireBinary, runTool, type ServerFixture, type ToolResult } from '../helpers/servers/common.js';
import { startHttps } from '../helpers/servers/https.js';
import { startMariadb } from '../helpers/servers/mariadb.js';
import { startPostgres } from '../helpers/servers/postgres.js';
import { startRedis } from '../helpers/servers/redis.js';
import { startSlapd } from '../helpers/servers/slapd.js';
import { startSmtp } from '../helpers/servers/smtp.js';

const TIMEOUT = 120_000;

/** A client run to completion (bounded), its exit code checked by the caller. */
function client(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ToolResult> {
  // Only PATH from ours: no PGHOST, LDAPTLS_*, CURL_CA_BUNDLE... to change what is tested.
  return runTool(cmd, args, { env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env }, timeoutMs: 30_000, check: false });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: HOST, port });
    s.setTimeout(5000, () => {
      s.destroy();
      resolve(false);
    });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

/**
 * The life of a fixture: `talk` works, stop() makes every port refuse, start() on the same
 * ports makes `talk` work again, close() removes its dir. Logs how long start-up took.
 */
async function lifecycle<F extends ServerFixture>(
  t: { diagnostic(msg: string): void },
  start: () => Promise<F>,
  talk: (f: F) => Promise<void>,
  extraPorts: (f: F) => number[] = () => [],
  dirOf?: (f: F) => string,
): Promise<void> {
  const t0 = performance.now();
  const f = await start();
  t.diagnostic(`started in ${Math.round(performance.now() - t0)} ms`);
  try {
    assert.equal(f.host, '127.0.0.1');
    await talk(f);
    const ports = [f.port, ...extraPorts(f)];
    await f.stop();
    for (const p of ports) assert.ok(await refused(p), `port ${p} still accepts connections after stop()`);
    const t1 = performance.now();
    await f.start();
    t.diagnostic(`restarted in ${Math.round(performance.now() - t1)} ms`);
    assert.equal(f.port, ports[0]);
    await talk(f);
  } finally {
    await f.close();
  }
  for (const p of [f.port, ...extraPorts(f)]) assert.ok(await refused(p), `port ${p} still accepts connections after close()`);
  if (dirOf) assert.equal(existsSync(dirOf(f)), false, `${dirOf(f)} is left after close()`);
}

test('slapd: ldapsearch over ldap://, ldapwhoami over ldaps:// verified with the test CA', { timeout: TIMEOUT }, async (t) => {
  const ldapsearch = requireBinary('/usr/bin/ldapsearch', 'ldap-utils');
  const ldapwhoami = requireBinary('/usr/bin/ldapwhoami', 'ldap-utils');
  await lifecycle(
    t,
    startSlapd,
    async (s) => {
      // LDAPCONF=/dev/null: the system's ldap.conf (its TLS_CACERT) plays no part.
      const found = await client(ldapsearch, ['-x', '-H', `ldap://${s.host}:${s.port}`, '-b', s.baseDn, '-LLL', `(uid=${s.entry.uid})`, 'cn'], { LDAPCONF: '/dev/null' });
      assert.equal(found.code, 0, found.stderr);
      assert.match(found.stdout, new RegExp(`^dn: ${s.entry.dn}\ncn: ${s.entry.cn}\n`));
      const ldaps = `ldaps://${s.host}:${s.ldapsPort}`;
      const tlsEnv = { LDAPCONF: '/dev/null', LDAPTLS_CACERT: s.caFile, LDAPTLS_REQCERT: 'demand' };
      const admin = await client(ldapwhoami, ['-x', '-H', ldaps, '-D', s.admin.dn, '-w', s.admin.password], tlsEnv);
      assert.equal(admin.code, 0, admin.stderr);
      assert.equal(admin.stdout.trim(), `dn:${s.admin.dn}`);
      const user = await client(ldapwhoami, ['-x', '-H', ldaps, '-D', s.entry.dn, '-w', s.entry.password], tlsEnv);
      assert.equal(user.code, 0, user.stderr);
      assert.equal(user.stdout.trim(), `dn:${s.entry.dn}`);
      // An anonymous bind (what ldap-check does) is accepted.
      const anon = await client(ldapwhoami, ['-x', '-H', ldaps], tlsEnv);
      assert.equal(anon.code, 0, anon.stderr);
      assert.equal(anon.stdout.trim(), 'anonymous');
      // The certificate really is checked: with another CA, the handshake fails.
      const untrusted = await client(ldapwhoami, ['-x', '-H', ldaps], { ...tlsEnv, LDAPTLS_CACERT: s.ca.client.cert });
      assert.notEqual(untrusted.code, 0, 'ldaps accepted without the test CA');
    },
    (s) => [s.ldapsPort],
    (s) => s.ca.dir,
  );
});

test('mariadb: the check user and root log in over TCP', { timeout: TIMEOUT }, async (t) => {
  const mariadb = requireBinary('/usr/bin/mariadb', 'mariadb-client');
  await lifecycle(
    t,
    startMariadb,
    async (m) => {
      const sql = (user: string, query: string): Promise<ToolResult> =>
        client(mariadb, ['--no-defaults', '--protocol=TCP', '-h', m.host, '-P', String(m.port), '-u', user, '-N', '-B', '-e', query]);
      const check = await sql(m.checkUser, 'SELECT CURRENT_USER()');
      assert.equal(check.code, 0, check.stderr);
      assert.equal(check.stdout.trim(), `${m.checkUser}@127.0.0.1`);
      const root = await sql(m.rootUser, "SELECT COUNT(*) FROM mysql.user WHERE user = 'haproxy_check'");
      assert.equal(root.code, 0, root.stderr);
      assert.equal(root.stdout.trim(), '2');
      // Real authentication: an unknown user is refused.
      const nobody = await sql('no_such_user', 'SELECT 1');
      assert.notEqual(nobody.code, 0);
      assert.match(nobody.stderr, /Access denied/);
    },
    () => [],
    (m) => join(m.socket, '..'),
  );
});

test('redis: redis-cli PING', { timeout: TIMEOUT }, async (t) => {
  const cli = requireBinary('/usr/bin/redis-cli', 'redis-tools');
  await lifecycle(
    t,
    startRedis,
    async (r) => {
      const ping = await client(cli, ['-h', r.host, '-p', String(r.port), 'PING']);
      assert.equal(ping.code, 0, ping.stderr);
      assert.equal(ping.stdout.trim(), 'PONG');
    },
  );
  // With a password, PING without AUTH is refused: redis-check's failing case.
  const locked = await startRedis({ password: 'sesame' });
  try {
    const ping = await client(cli, ['-h', locked.host, '-p', String(locked.port), 'PING']);
    assert.match(ping.stdout, /NOAUTH/);
    const authed = await client(cli, ['-h', locked.host, '-p', String(locked.port), '--no-auth-warning', '-a', 'sesame', 'PING']);
    assert.equal(authed.stdout.trim(), 'PONG');
  } finally {
    await locked.close();
  }
});

test('postgres: pg_isready, and psql logs in as the trusted superuser over TCP', { timeout: TIMEOUT }, async (t) => {
  await lifecycle(
    t,
    startPostgres,
    async (p) => {
      const psql = requireBinary(join(p.bin, 'psql'), 'postgresql');
      const isready = requireBinary(join(p.bin, 'pg_isready'), 'postgresql');
      const ready = await client(isready, ['-h', p.host, '-p', String(p.port)]);
      assert.equal(ready.code, 0, ready.stdout + ready.stderr);
      const who = await client(psql, ['-X', '-w', '-h', p.host, '-p', String(p.port), '-U', p.user, '-d', p.database, '-Atc', 'SELECT current_user']);
      assert.equal(who.code, 0, who.stderr);
      assert.equal(who.stdout.trim(), p.user);
    },
    () => [],
    (p) => p.socketDir,
  );
});

/** An SMTP exchange over a raw socket: the banner, EHLO, QUIT; returns each reply. */
function smtpEhlo(port: number): Promise<{ banner: string; ehlo: string; quit: string }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: HOST, port });
    s.setEncoding('latin1');
    s.setTimeout(10_000, () => s.destroy(new Error('SMTP server silent for 10 s')));
    let buf = '';
    const replies: string[] = [];
    s.on('data', (d: string) => {
      buf += d;
      // A reply is complete at its last line: code, a space (not a dash), text, CRLF.
      for (let m; (m = /^(?:\d{3}-.*\r\n)*\d{3} .*\r\n/.exec(buf)); ) {
        replies.push(m[0]);
        buf = buf.slice(m[0].length);
        if (replies.length === 1) s.write('EHLO portier.client\r\n');
        else if (replies.length === 2) s.write('QUIT\r\n');
      }
    });
    s.on('error', reject);
    s.on('close', () => {
      if (replies.length < 3) reject(new Error(`SMTP exchange cut short: ${JSON.stringify(replies)} ${JSON.stringify(buf)}`));
      else resolve({ banner: replies[0]!, ehlo: replies[1]!, quit: replies[2]! });
    });
  });
}

test('smtp (exim): banner, EHLO and QUIT over a raw socket', { timeout: TIMEOUT }, async (t) => {
  await lifecycle(
    t,
    startSmtp,
    async (m) => {
      const r = await smtpEhlo(m.port);
      assert.match(r.banner, new RegExp(`^220 ${m.hostname} ESMTP`));
      assert.match(r.ehlo, new RegExp(`^250-${m.hostname} Hello`));
      assert.match(r.ehlo, /^250 /m);
      assert.match(r.quit, /^221 /);
    },
    () => [],
    (m) => join(m.mainLog, '..', '..'),
  );
});

test('https: curl verifies the server with the test CA; a required client certificate is checked', { timeout: TIMEOUT }, async (t) => {
  const curl = requireBinary('/usr/bin/curl', 'curl');
  const get = (url: string, ...extra: string[]): Promise<ToolResult> => client(curl, ['-sS', '--max-time', '20', ...extra, url]);
  await lifecycle(
    t,
    startHttps,
    async (h) => {
      for (const url of [h.url, `https://localhost:${h.port}`]) {
        const r = await get(`${url}/health`, '--cacert', h.caFile);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, 'OK\n');
      }
      assert.equal(h.requests.at(-1)?.url, '/health');
      // Without the test CA, verification fails (curl's exit 60).
      const untrusted = await get(h.url, '--cacert', h.client.cert);
      assert.equal(untrusted.code, 60, untrusted.stderr);
    },
    () => [],
    (h) => h.ca.dir,
  );

  const strict = await startHttps({ clientCert: 'require' });
  try {
    strict.handle((_req, res) => {
      res.writeHead(503);
      res.end('down\n');
    });
    const without = await get(strict.url, '--cacert', strict.caFile);
    assert.notEqual(without.code, 0, 'the handshake succeeded without a client certificate');
    const withCert = await get(strict.url, '--cacert', strict.caFile, '--cert', strict.client.cert, '--key', strict.client.key, '-o', '/dev/null', '-w', '%{http_code}');
    assert.equal(withCert.code, 0, withCert.stderr);
    assert.equal(withCert.stdout, '503');
    assert.equal(strict.requests.at(-1)?.clientCn, 'portier-client');
  } finally {
    await strict.close();
  }
});
