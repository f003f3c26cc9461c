/**
 * Scale on the layer-4 path (issue 4): 10,000 idle connections held at once through Portier
 * without error, and no descriptor left open in the Portier process after 100,000 short
 * connections (/proc/<pid>/fd counted before and after).
 *
 * Descriptors: each proxied connection costs Portier two (client side, server side), so 10,000
 * need 20,000 plus Portier's own (~30). Node raises its soft limit to the hard one by itself;
 * the hard limit can only be raised with CAP_SYS_RESOURCE. Where the hard limit is lower (this
 * project's machines, and so CI: 20,000), the test holds as many as the limit allows and says
 * so; to hold the full 10,000, CI needs `ulimit -Hn` >= 20,100 for the test runner.
 * The server is a separate process (it holds as many descriptors as Portier's server side).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { freePort, until, waitForListener, within } from '../helpers/l4/net.js';
import { startPeerProcess, type PeerProcess } from '../helpers/l4/peer-process.js';
import { fdCount, fdTargets } from '../helpers/l4/procfs.js';
import { nofileHardLimit, startProxy, type Proxy } from '../helpers/l4/proxy.js';

const WANTED = 10_000;
/** Descriptors Portier (or the test runner) uses besides connections, with a margin. */
const OWN_FDS = 64;
const SHORT_CONNECTIONS = Number(process.env['L4_SHORT_CONNECTIONS'] ?? 100_000);
const CONCURRENCY = 50;

let echo: PeerProcess | undefined;
let proxy: Proxy | undefined;
let port = 0;
after(async () => {
  await proxy?.stop();
  await echo?.kill();
});

async function portier(): Promise<Proxy> {
  if (proxy) return proxy;
  echo = await startPeerProcess('echo');
  port = await freePort();
  const cfg = `defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s

listen scale
    bind 127.0.0.1:${port}
    server echo 127.0.0.1:${echo.port}
`;
  proxy = startProxy('portier', cfg, { nofile: Math.min(nofileHardLimit(), 1 << 20) });
  const p = proxy;
  await waitForListener({ port, host: '127.0.0.1' }, 15_000, () => p.child.exitCode === null);
  return proxy;
}

/** Connects `n` clients, `batch` at a time; rejects on the first error. */
async function connectMany(n: number, batch: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += batch) {
    const round = await Promise.all(
      Array.from(
        { length: Math.min(batch, n - i) },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const s = connect({ port, host: '127.0.0.1' });
            s.once('connect', () => {
              s.off('error', reject);
              resolve(s);
            });
            s.once('error', reject);
          }),
      ),
    );
    sockets.push(...round);
  }
  return sockets;
}

/** Waits until Portier's descriptor count is back to `expected` (closes may lag a little). */
async function fdsBackTo(pid: number, expected: number, what: string): Promise<void> {
  try {
    await until(() => fdCount(pid) <= expected, 15_000, `${what}: Portier back to ${expected} descriptors`, 100);
  } catch (e) {
    throw new Error(`${(e as Error).message}; it has ${fdCount(pid)}, the last ones: ${fdTargets(pid).slice(-5).join(', ')}`);
  }
}

test(`${WANTED} concurrent idle connections through Portier, held without error`, async (t) => {
  const p = await portier();
  const hard = nofileHardLimit(p.pid);
  // Portier holds two descriptors per connection, this test runner one. Like HAProxy, Portier's
  // default maxconn is (limit - 100) / 2: beyond it, connections wait unserved.
  const n = Math.min(WANTED, Math.floor((hard - 100) / 2), nofileHardLimit() - OWN_FDS);
  if (n < WANTED) {
    t.diagnostic(`holding ${n} connections, not ${WANTED}: the hard limit on open files is ${hard} and cannot be raised here (no CAP_SYS_RESOURCE); ${WANTED} need >= ${2 * WANTED + 100}`);
  }
  const base = fdCount(p.pid);
  const t0 = Date.now();
  const clients = await within(connectMany(n, 500), 120_000, `${n} connections`);
  try {
    let failures = 0;
    for (const c of clients) {
      c.on('error', () => failures++);
      c.on('close', () => failures++);
    }
    // Each connection really reaches the server: one byte there and back on every one.
    let echoed = 0;
    for (const c of clients) {
      c.once('data', () => echoed++);
      c.write('x');
    }
    await until(() => echoed === n || failures > 0, 60_000, `${n} echoes (got ${echoed})`, 50);
    const sockets = fdTargets(p.pid).filter((f) => f.includes('socket:')).length;
    t.diagnostic(`${n} connections established and echoed in ${Date.now() - t0} ms; Portier has ${sockets} sockets open (${base} descriptors before)`);
    assert.equal(failures, 0);
    // Both sides of each connection, and the listener.
    assert.ok(sockets >= 2 * n + 1, `Portier has ${sockets} sockets open for ${n} connections`);
    // Idle for a while: nothing closes (timeouts are 60 s).
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(failures, 0, 'a held connection closed or failed');
    assert.equal(p.child.exitCode, null, `Portier is still running: ${p.output()}`);
  } finally {
    for (const c of clients) {
      c.removeAllListeners('close');
      c.removeAllListeners('error');
      c.on('error', () => {});
      c.destroy();
    }
  }
  await fdsBackTo(p.pid, base, `after closing ${n} idle connections`);
});

test(`no descriptor left in Portier after ${SHORT_CONNECTIONS} short connections`, async (t) => {
  const p = await portier();
  let done = 0;
  let errors = 0;
  const errorCodes = new Map<string, number>();
  const payload = Buffer.from('ping\n');
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const s = connect({ port, host: '127.0.0.1' });
      let got = 0;
      s.once('connect', () => s.write(payload));
      s.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= payload.length) {
          done++;
          s.destroy();
        }
      });
      s.on('error', (e: NodeJS.ErrnoException) => {
        errors++;
        const code = e.code ?? e.message;
        errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
        s.destroy();
      });
      s.on('close', () => resolve());
    });
  let started = 0;
  const loop = async (): Promise<void> => {
    while (started < SHORT_CONNECTIONS) {
      started++;
      await one();
    }
  };
  // Warm up: whatever Portier opens once (e.g. the first connection's lazily created handles)
  // is in the baseline.
  started = SHORT_CONNECTIONS - 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  await new Promise((r) => setTimeout(r, 200));
  const before = fdCount(p.pid);
  const targetsBefore = fdTargets(p.pid);
  started = 0;
  done = 0;
  errors = 0;
  const t0 = Date.now();
  await within(Promise.all(Array.from({ length: CONCURRENCY }, loop)), 240_000, `${SHORT_CONNECTIONS} short connections`);
  const secs = (Date.now() - t0) / 1000;
  t.diagnostic(`${SHORT_CONNECTIONS} short connections (${CONCURRENCY} at a time) in ${secs.toFixed(1)} s: ${(SHORT_CONNECTIONS / secs).toFixed(0)}/s, ${errors} errors ${JSON.stringify([...errorCodes])}`);
  assert.equal(errors, 0);
  assert.equal(done, SHORT_CONNECTIONS);
  await fdsBackTo(p.pid, before, `after ${SHORT_CONNECTIONS} short connections`);
  assert.equal(fdCount(p.pid), before, `descriptors before: ${targetsBefore.join(', ')}\nafter: ${fdTargets(p.pid).join(', ')}`);
});
