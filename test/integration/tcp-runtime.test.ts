/**
 * The TCP slice the foundation runs: round robin across real servers, half-close, soft and hard
 * stop, pid file, daemon mode, and replacing a running process with -sf.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { exchange, freePort, greeter, startPortier, tempDir, waitForListener } from '../helpers/process.js';
import { portier } from '../helpers/run.js';

const servers: { close(): void }[] = [];
after(() => {
  for (const s of servers) s.close();
});

async function backends(): Promise<[number, number]> {
  const a = await greeter('app1');
  const b = await greeter('app2');
  servers.push(a.server, b.server);
  return [a.port, b.port];
}

function config(port: number, [a, b]: [number, number], extra = ''): string {
  return `${extra}
defaults
    mode tcp
    timeout connect 5s
    timeout client 10s
    timeout server 10s

listen demo
    bind 127.0.0.1:${port}
    balance roundrobin
    server app1 127.0.0.1:${a}
    server app2 127.0.0.1:${b}
`;
}

test('round robin across two servers; data flows both ways; half-close is passed on', async () => {
  const port = await freePort();
  const p = startPortier(config(port, await backends()));
  try {
    await waitForListener({ port, host: '127.0.0.1' });
    // waitForListener's probe took one turn: align on the next server.
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push(await exchange({ port, host: '127.0.0.1' }, `ping ${i}\n`));
    const names = seen.map((s) => s.split('\n')[0]);
    assert.deepEqual(new Set(names), new Set(['app1', 'app2']));
    assert.notEqual(names[0], names[1]);
    assert.equal(names[0], names[2]);
    // The client half-closed after its line: the echo came back, then the server's close.
    assert.match(seen[0]!, /^app[12]\nping 0\n$/);
  } finally {
    assert.equal(await p.stop('SIGTERM'), 0);
  }
});

test('a port range listens on every port of the range', async () => {
  // Three consecutive free ports, below the ephemeral range (ports the kernel hands out to
  // outgoing connections, of which other tests may hold thousands).
  const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'latin1').trim().split(/\s+/)[0] ?? 32768);
  let first = 0;
  for (let tries = 0; tries < 50 && !first; tries++) {
    const p0 = 10000 + Math.floor(Math.random() * (low - 10000 - 3));
    const { createServer } = await import('node:net');
    const free = await Promise.all([0, 1, 2].map((d) => {
      const srv = createServer();
      return new Promise<boolean>((r) => {
        srv.once('error', () => r(false));
        srv.listen(p0 + d, '127.0.0.1', () => srv.close(() => r(true)));
      });
    }));
    if (free.every(Boolean)) first = p0;
  }
  assert.ok(first > 0, 'no three consecutive free ports');
  const [a] = await backends();
  const p = startPortier(`
defaults
    mode tcp
    timeout connect 5s
    timeout client 10s
    timeout server 10s

listen range
    bind 127.0.0.1:${first}-${first + 2}
    server app1 127.0.0.1:${a}
`);
  try {
    for (let port = first; port <= first + 2; port++) {
      await waitForListener({ port, host: '127.0.0.1' });
      assert.equal(await exchange({ port, host: '127.0.0.1' }, 'x\n'), 'app1\nx\n');
    }
  } finally {
    assert.equal(await p.stop('SIGTERM'), 0);
  }
});

test('SIGUSR1 (soft stop): no new connections, the open one finishes, then exit 0', async () => {
  const port = await freePort();
  const p = startPortier(config(port, await backends()));
  await waitForListener({ port, host: '127.0.0.1' });
  const s = connect(port, '127.0.0.1');
  s.setEncoding('latin1');
  let got = '';
  s.on('data', (d: string) => (got += d));
  await new Promise((r) => s.once('data', r));
  p.child.kill('SIGUSR1');
  await new Promise((r) => setTimeout(r, 300));
  // Listener closed...
  await assert.rejects(exchange({ port, host: '127.0.0.1' }, 'x'), /ECONNREFUSED/);
  // ...but the open connection still works.
  s.write('still here\n');
  for (let i = 0; i < 100 && !got.includes('still here'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(got, /still here/);
  assert.equal(p.child.exitCode, null);
  s.end();
  assert.equal(await p.exited, 0);
});

test('-p writes the pid file; a second process with -sf takes over and the first leaves', async () => {
  const port = await freePort();
  const dir = tempDir();
  const pidfile = join(dir, 'portier.pid');
  const cfg = config(port, await backends());
  const first = startPortier(cfg, ['-p', pidfile], dir);
  await waitForListener({ port, host: '127.0.0.1' });
  assert.equal(readFileSync(pidfile, 'utf8'), `${first.child.pid}\n`);
  const second = startPortier(cfg, ['-p', pidfile, '-sf', String(first.child.pid)], dir);
  assert.equal(await first.exited, 0);
  await waitForListener({ port, host: '127.0.0.1' });
  assert.equal(readFileSync(pidfile, 'utf8'), `${second.child.pid}\n`);
  assert.match(await exchange({ port, host: '127.0.0.1' }, 'hi\n'), /^app[12]\nhi\n$/);
  assert.equal(await second.stop(), 0);
});

test('-D: the command returns once the daemon serves; its pid is in the pid file', async () => {
  const port = await freePort();
  const dir = tempDir();
  const pidfile = join(dir, 'portier.pid');
  const cfgFile = join(dir, 'haproxy.cfg');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(cfgFile, config(port, await backends()));
  const r = await portier(['-D', '-p', pidfile, '-f', cfgFile]);
  assert.equal(r.code, 0, r.stderr);
  const pid = Number(readFileSync(pidfile, 'utf8'));
  try {
    assert.match(await exchange({ port, host: '127.0.0.1' }, 'hi\n'), /^app[12]\nhi\n$/);
  } finally {
    process.kill(pid, 'SIGTERM');
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
      await new Promise((r) => setTimeout(r, 50));
    } catch {
      break;
    }
  }
  assert.throws(() => process.kill(pid, 0));
});

test('-D with a port already in use: the error is shown and the command fails', async () => {
  const busy = await greeter('busy');
  servers.push(busy.server);
  const dir = tempDir();
  const cfgFile = join(dir, 'haproxy.cfg');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(cfgFile, config(busy.port, await backends()).replace('bind 127.0.0.1', 'bind 127.0.0.1'));
  // Port in use by a socket without SO_REUSEPORT: binding fails.
  const r = await portier(['-D', '-f', cfgFile]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot bind socket/);
  assert.ok(!existsSync(join(dir, 'portier.pid')));
});

test('a keyword that does not run yet refuses startup with the -c warning as an alert', async () => {
  const dir = tempDir();
  const cfgFile = join(dir, 'haproxy.cfg');
  const port = await freePort();
  const { writeFileSync } = await import('node:fs');
  writeFileSync(cfgFile, config(port, await backends()).replace('balance roundrobin', 'balance roundrobin\n    option persist'));
  const checked = await portier(['-c', '-f', cfgFile]);
  assert.equal(checked.code, 0);
  assert.match(checked.stderr, /\[WARNING\] +\(\d+\) : config : .*haproxy\.cfg:11: keyword 'option persist' is not supported yet/);
  const started = await portier(['-db', '-f', cfgFile]);
  assert.equal(started.code, 1);
  assert.match(started.stderr, /\[ALERT\] +\(\d+\) : config : .*haproxy\.cfg:11: keyword 'option persist' is not supported yet/);
});
