/**
 * Health checks against the real servers they are meant for (test/helpers/servers/): slapd
 * for ldap-check, mariadb for mysql-check, redis for redis-check, postgresql for pgsql-check,
 * exim for smtpchk. For each: the server is UP after its first checks, traffic through Portier
 * reaches it, it goes DOWN (with the reason) when stopped, and comes back UP when started again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exchange, freePort, until } from '../helpers/l4/net.js';
import { startProxy, tempDir, type Proxy } from '../helpers/l4/proxy.js';
import { syslogReceiver, type SyslogReceiver } from '../helpers/l4/syslog.js';
import { syslogMessage } from '../helpers/l4/compare.js';
import { run } from '../helpers/run.js';
import type { ServerFixture } from '../helpers/servers/common.js';
import { startMariadb } from '../helpers/servers/mariadb.js';
import { startPostgres } from '../helpers/servers/postgres.js';
import { startRedis } from '../helpers/servers/redis.js';
import { startSlapd } from '../helpers/servers/slapd.js';
import { startSmtp } from '../helpers/servers/smtp.js';

interface Running {
  readonly proxy: Proxy;
  readonly syslog: SyslogReceiver;
  readonly sock: string;
  readonly bind: number;
}

/** Portier in front of one server `srv` of listen section `li`, checked as `checkLines` say. */
async function portierFor(server: ServerFixture, checkLines: string): Promise<Running> {
  const syslog = await syslogReceiver();
  const dir = tempDir('portier-real-checks-');
  const sock = join(dir, 'admin.sock');
  const bind = await freePort();
  const proxy = startProxy(
    'portier',
    `global
    stats socket ${sock} level admin
defaults
    mode tcp
    timeout client 10s
    timeout server 10s
    timeout connect 2s
    timeout check 3s
listen li
    bind 127.0.0.1:${bind}
    log 127.0.0.1:${syslog.port} local0
    option log-health-checks
${checkLines}
    server srv ${server.host}:${server.port} check inter 300ms fastinter 200ms downinter 300ms rise 2 fall 2
`,
    { dir },
  );
  await until(() => existsSync(sock) || proxy.child.exitCode !== null, 15_000, 'Portier to start');
  if (proxy.child.exitCode !== null) throw new Error(`Portier did not start:\n${proxy.output()}`);
  return { proxy, syslog, sock, bind };
}

const messages = (r: Running): string[] => r.syslog.lines.map(syslogMessage);

async function waitMessage(r: Running, re: RegExp, what: string): Promise<string> {
  await until(() => messages(r).some((m) => re.test(m)), 20_000, `${what} (got ${JSON.stringify(messages(r))})`);
  return messages(r).find((m) => re.test(m))!;
}

/** srv_op_state of li/srv in `show servers state`. */
async function opState(r: Running): Promise<number> {
  const out = await exchange({ path: r.sock }, 'show servers state li\n');
  return Number(out.split('\n')[2]!.split(' ')[5]);
}

/**
 * The life of a checked server: first checks pass (logged, still UP), traffic flows, the
 * server stops (DOWN with a layer-4 reason), starts again (UP). `reason` is what the passing
 * check says.
 */
async function lifecycle(server: ServerFixture, r: Running, reason: RegExp, traffic: () => Promise<void>): Promise<void> {
  const ok = await waitMessage(r, /^Health check for server li\/srv succeeded/, 'a first successful check');
  assert.match(ok, reason);
  assert.equal(await opState(r), 2);
  await traffic();
  await server.stop();
  const down = await waitMessage(r, /^Server li\/srv is DOWN/, 'the server marked DOWN once stopped');
  assert.match(down, /0 active and 0 backup servers left/);
  assert.ok(messages(r).some((m) => /^Health check for server li\/srv failed, reason: Layer4 connection problem, info: "Connection refused"/.test(m)), JSON.stringify(messages(r)));
  await waitMessage(r, /^proxy li has no server available!/, 'no server left');
  assert.equal(await opState(r), 0);
  await server.start();
  await waitMessage(r, /^Server li\/srv is UP/, 'the server UP again once started');
  assert.equal(await opState(r), 2);
  await traffic();
}

/**
 * Starts a server, Portier in front of it with the check `checkLines` gives, runs `body`, and
 * stops both whatever happens.
 */
async function withChecked<S extends ServerFixture>(start: () => Promise<S>, checkLines: (s: S) => string, body: (s: S, r: Running) => Promise<void>): Promise<void> {
  let server: S | undefined;
  let r: Running | undefined;
  try {
    server = await start();
    r = await portierFor(server, `    ${checkLines(server)}`);
    await body(server, r);
  } finally {
    await r?.proxy.stop();
    r?.syslog.close();
    await server?.close();
  }
}

test('ldap-check against slapd: LDAPv3 bind answer, LDAP searches through Portier', { timeout: 120_000 }, () =>
  withChecked(startSlapd, () => 'option ldap-check', (s, r) =>
    lifecycle(s, r, /reason: Layer7 check passed, code: 0, info: "Success"/, async () => {
      const out = await run('ldapsearch', ['-x', '-LLL', '-H', `ldap://127.0.0.1:${r.bind}`, '-b', s.baseDn, `(uid=${s.entry.uid})`, 'cn']);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, new RegExp(`cn: ${s.entry.cn}`));
    }),
  ),
);

test('mysql-check against mariadb: the check user logs in (post-41) and quits', { timeout: 120_000 }, () =>
  withChecked(startMariadb, (s) => `option mysql-check user ${s.checkUser} post-41`, (s, r) =>
    lifecycle(s, r, /reason: Layer7 check passed, code: 0, info: "[^"]*"/, async () => {
      const out = await run('mariadb', ['-h', '127.0.0.1', '-P', String(r.bind), '-u', s.checkUser, '-N', '-e', 'SELECT 40+2']);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout.trim(), '42');
    }),
  ),
);

test('redis-check against redis: PING answered +PONG, redis-cli through Portier', { timeout: 120_000 }, () =>
  withChecked(startRedis, () => 'option redis-check', (s, r) =>
    lifecycle(s, r, /reason: Layer7 check passed, code: 0, info: "Redis server is ok"/, async () => {
      const out = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(r.bind), 'PING']);
      assert.equal(out.stdout.trim(), 'PONG');
    }),
  ),
);

test('redis-check against a redis that wants a password: its -NOAUTH keeps the connection open, the check times out (as haproxy)', { timeout: 60_000 }, () =>
  withChecked(() => startRedis({ password: 'secret' }), () => 'option redis-check', async (_s, r) => {
    const down = await waitMessage(r, /^Health check for server li\/srv failed/, 'a failed check');
    // HAProxy judges a redis error reply only once the server closes: redis keeps the
    // connection open, so the check ends on `timeout check`.
    assert.match(down, /reason: Layer7 timeout/);
  }),
);

test('pgsql-check against postgresql: a startup message for the user, answered with authentication', { timeout: 120_000 }, () =>
  withChecked(startPostgres, (s) => `option pgsql-check user ${s.user}`, (s, r) =>
    lifecycle(s, r, /reason: Layer7 check passed, code: 0, info: "PostgreSQL server is ok"/, async () => {
      const out = await run('psql', ['-h', '127.0.0.1', '-p', String(r.bind), '-U', s.user, '-d', s.database, '-tAc', 'SELECT 6*7'], { env: { ...process.env, PGCONNECT_TIMEOUT: '5' } });
      assert.equal(out.stdout.trim(), '42', out.stderr);
    }),
  ),
);

test('smtpchk against exim: greeting, EHLO, 250, QUIT', { timeout: 120_000 }, () =>
  withChecked(startSmtp, () => 'option smtpchk EHLO portier.test', (s, r) =>
    lifecycle(s, r, /reason: Layer7 check passed, code: 2\d\d, info: "/, async () => {
      const banner = await exchange({ port: r.bind }, 'QUIT\r\n');
      assert.match(banner, /^220 /);
    }),
  ),
);
