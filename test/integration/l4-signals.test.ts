/**
 * SIGTERM (hard stop: every stream is closed at once, then the process exits), SIGTTOU and
 * SIGTTIN (management.txt 4: pause and resume the listeners, so that a new process
 * can bind the ports and the old one can take them back if it fails), through haproxy and
 * Portier with the same configuration: Portier on raw handles (the default) and with
 * PORTIER_RAW_SOCKETS=0. While paused, new connections are refused, another process can bind
 * the port, a connection already open carries on, and the process stays up; after SIGTTIN the
 * proxy accepts again. The "Paused proxy" / "Resumed proxy" warnings are HAProxy's.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { freePort, until, waitForListener, within } from '../helpers/l4/net.js';
import { DATA_PATH_RUNS, startProxy } from '../helpers/l4/proxy.js';

const servers: Server[] = [];
after(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

/** An echo server that prefixes what it sends back with "echo:". */
async function echo(): Promise<number> {
  const s = createServer((c) => {
    c.on('error', () => {});
    c.on('data', (d: Buffer) => c.write(`echo:${d.toString('latin1')}`));
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

/** The next data `c` receives (the echo of what is sent next). */
function roundTrip(c: Socket, text: string): Promise<string> {
  return within(new Promise<string>((resolve) => c.once('data', (d: Buffer) => resolve(d.toString('latin1')))), 5000, `the echo of ${text}`);
}

/** "refused", or what the first read brings after sending `text` (then closed). */
function tryOnce(port: number, text: string): Promise<string> {
  return within(
    new Promise<string>((resolve) => {
      const c = connect({ port, host: '127.0.0.1' });
      c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : String(e.code)));
      c.once('data', (d: Buffer) => {
        resolve(d.toString('latin1'));
        c.destroy();
      });
      c.once('connect', () => c.write(text));
    }),
    5000,
    `a connection to ${port}`,
  );
}

const runs = DATA_PATH_RUNS;

/** `run`'s proxy in front of a new echo server: listen l on 127.0.0.1:`port`. */
async function echoProxy(run: (typeof DATA_PATH_RUNS)[number]): Promise<{ port: number; proxy: ReturnType<typeof startProxy> }> {
  const server = await echo();
  const port = await freePort();
  const proxy = startProxy(
    run.impl,
    `defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen l
    bind 127.0.0.1:${port}
    server s 127.0.0.1:${server}
`,
    { env: run.env },
  );
  return { port, proxy };
}

for (const run of runs) {
  test(`${run.name}: SIGTTOU releases the port and keeps open streams, SIGTTIN takes it back`, async () => {
    const { port, proxy } = await echoProxy(run);
    const open: Socket[] = [];
    try {
      await waitForListener({ host: '127.0.0.1', port }, 15_000, () => proxy.child.exitCode === null);
      const a = connect({ port, host: '127.0.0.1' });
      open.push(a);
      a.on('error', () => {});
      const first = roundTrip(a, 'a1');
      a.write('a1');
      assert.equal(await first, 'echo:a1');

      proxy.child.kill('SIGTTOU');
      await until(() => proxy.output().includes('Paused proxy l.'), 5000, `the pause warning (${proxy.output()})`);
      assert.equal(await tryOnce(port, 'x'), 'refused', 'new connections refused while paused');
      const second = roundTrip(a, 'a2');
      a.write('a2');
      assert.equal(await second, 'echo:a2', 'an open stream carries on');

      // Another process could bind the port now.
      const other = createServer((c) => {
        c.on('error', () => {});
        c.resume();
        c.end('other');
      });
      await new Promise<void>((resolve, reject) => {
        other.once('error', reject);
        other.listen(port, '127.0.0.1', resolve);
      });
      assert.equal(await tryOnce(port, 'x'), 'other');
      await new Promise((r) => other.close(r));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(proxy.child.exitCode, null, 'still running while paused');

      proxy.child.kill('SIGTTIN');
      await until(() => proxy.output().includes('Resumed proxy l.'), 5000, `the resume warning (${proxy.output()})`);
      assert.equal(await tryOnce(port, 'b'), 'echo:b', 'accepting again');
      const warnings = proxy.output().split('\n').filter((l) => /Paused|Resumed/.test(l)).map((l) => l.replace(/^\[WARNING\]\s+\(\d+\) : /, ''));
      assert.deepEqual(warnings, ['Paused proxy l.', 'Resumed proxy l.']);
    } finally {
      for (const s of open) s.destroy();
      await proxy.stop();
    }
  });
}

for (const run of runs) {
  test(`${run.name}: SIGTERM closes the open streams at once and exits`, async () => {
    const { port, proxy } = await echoProxy(run);
    const open: Socket[] = [];
    try {
      await waitForListener({ host: '127.0.0.1', port }, 15_000, () => proxy.child.exitCode === null);
      const streams = [0, 1, 2].map(() => connect({ port, host: '127.0.0.1' }));
      open.push(...streams);
      for (const [i, c] of streams.entries()) {
        c.on('error', () => {});
        const back = roundTrip(c, `s${i}`);
        c.write(`s${i}`);
        assert.equal(await back, `echo:s${i}`);
      }
      const closed = Promise.all(streams.map((c) => new Promise<void>((r) => c.once('close', () => r()))));
      proxy.child.kill('SIGTERM');
      // Long before any timeout (30 s): closed by the stop itself.
      await within(closed, 5000, 'the streams closed by the hard stop');
      const code = await within(proxy.exited, 5000, 'the process to exit');
      // haproxy -db dies of the signal; Portier exits with status 0 (src/master/start.ts).
      assert.equal(code, run.impl === 'haproxy' ? 'SIGTERM' : 0, 'how the process ended');
    } finally {
      for (const s of open) s.destroy();
      await proxy.stop();
    }
  });
}
