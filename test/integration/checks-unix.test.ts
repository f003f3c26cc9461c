/**
 * A server on a unix socket is health-checked like any other: the check connects to the socket
 * and closes it (a unix socket cannot be reset: the check must not try), and the server is UP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { exchange, until } from '../helpers/l4/net.js';
import { startProxy, tempDir } from '../helpers/l4/proxy.js';

test('a server on a unix socket is checked, stays UP, and the proxy keeps running', { timeout: 30_000 }, async () => {
  const dir = tempDir('checks-unix-');
  const path = join(dir, 'server.sock');
  const admin = join(dir, 'admin.sock');
  let accepted = 0;
  const server = createServer((c) => {
    accepted++;
    c.on('error', () => undefined);
    c.end('hello\n');
  });
  await new Promise<void>((r) => server.listen(path, r));
  const proxy = startProxy(
    'portier',
    `global
    stats socket ${admin} level admin
defaults
    mode tcp
    timeout client 5s
    timeout server 5s
    timeout connect 1s
listen li
    bind ${join(dir, 'front.sock')}
    server u ${path} check inter 100ms
`,
    { dir },
  );
  try {
    await until(() => existsSync(admin) || proxy.child.exitCode !== null, 15_000, 'Portier to start');
    await until(() => accepted >= 3 || proxy.child.exitCode !== null, 10_000, 'three checks');
    assert.equal(proxy.child.exitCode, null, proxy.output());
    const state = (await exchange({ path: admin }, 'show servers state li\n')).split('\n')[2]!.split(' ');
    assert.equal(state[5], '2', 'running');
    assert.equal(state[10], '6', 'L4OK');
  } finally {
    await proxy.stop();
    server.close();
  }
});
