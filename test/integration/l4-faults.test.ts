/**
 * Faults on the layer-4 path (issue 4; configuration.txt 4.2 "retries", "option redispatch",
 * "timeout client"/"timeout server"): a server refusing connections beside a live one, a server
 * dying mid-stream, a client vanishing with a reset, a client reading slowly. Each scenario runs
 * through haproxy too, which shows the expectation is HAProxy's behaviour.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { closedPort, ending, exchange, freePort, greeter, open, service, until, waitForListener, within, type Service } from '../helpers/l4/net.js';
import { startPeerProcess } from '../helpers/l4/peer-process.js';
import { rssKiB } from '../helpers/l4/procfs.js';
import { startProxy, todoUntilSupported, type Impl, type Proxy } from '../helpers/l4/proxy.js';

const services: Service[] = [];
after(async () => {
  for (const s of services) await s.close();
});

const IMPLS: readonly Impl[] = ['haproxy', 'portier'];

/** Timeouts long enough that only the fault itself can end a connection within the test. */
function config(port: number, servers: string, extra = ''): string {
  return `defaults
    mode tcp
${extra}    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen faults
    bind 127.0.0.1:${port}
    balance roundrobin
${servers}`;
}

async function started(impl: Impl, cfg: string, port: number): Promise<Proxy> {
  const p = startProxy(impl, cfg);
  try {
    await waitForListener({ port, host: '127.0.0.1' }, 15_000, () => p.child.exitCode === null);
  } catch (e) {
    await p.stop();
    throw new Error(`${impl} did not start: ${(e as Error).message}\n${p.output()}`);
  }
  return p;
}

async function stopped(p: Proxy): Promise<void> {
  const code = await p.stop();
  assert.ok(code === 0 || code === 143 || code === 'SIGTERM', `${p.impl} exited with ${code}: ${p.output()}`);
}

const retryCfg = (port: number, dead: number, live: number): string =>
  config(port, `    server dead 127.0.0.1:${dead}\n    server live 127.0.0.1:${live}\n`, '    retries 3\n    option redispatch\n');

test(
  'a server refusing connections beside a live one: with retries and option redispatch, every client is served',
  { todo: todoUntilSupported(retryCfg(1, 2, 3), 'retries and option redispatch') },
  async () => {
    const live = await greeter('live');
    services.push(live);
    const dead = await closedPort();
    for (const impl of IMPLS) {
      const port = await freePort();
      const p = await started(impl, retryCfg(port, dead, live.port), port);
      try {
        // Round robin sends every other connection to the dead server first.
        for (let i = 0; i < 4; i++) {
          assert.equal(await exchange({ port, host: '127.0.0.1' }, `ping ${i}\n`, { timeoutMs: 15_000 }), `live\nping ${i}\n`, `${impl}, connection ${i}`);
        }
      } finally {
        await stopped(p);
      }
    }
  },
);

test('a server dying mid-stream (killed) closes the client connection', async () => {
  for (const impl of IMPLS) {
    const server = await startPeerProcess('stream');
    const port = await freePort();
    const p = await started(impl, config(port, `    server s 127.0.0.1:${server.port}\n`), port);
    try {
      const client = await open({ port, host: '127.0.0.1' });
      let got = 0;
      client.on('data', (d: Buffer) => (got += d.length));
      const ended = ending(client);
      await until(() => got > 1 << 20, 10_000, `data flowing through ${impl}`);
      await server.kill('SIGKILL');
      const how = await within(ended, 5000, `${impl} to close the client after the server died`);
      assert.ok(['end', 'close', 'ECONNRESET', 'EPIPE'].includes(how), `${impl}: client ended with ${how}`);
      assert.equal(p.child.exitCode, null, `${impl} keeps running`);
    } finally {
      await server.kill();
      await stopped(p);
    }
  }
});

test('a server resetting mid-stream closes the client connection', async () => {
  let victim: Socket | undefined;
  // The victim is the server connection that got the client's data: the proxy's start-up
  // probe may reach the server too, at any moment.
  const server = await service((s) => {
    s.write('hello\n');
    s.on('data', (d: Buffer) => {
      if (d.toString('latin1').includes('some data')) victim = s;
    });
  });
  services.push(server);
  for (const impl of IMPLS) {
    const port = await freePort();
    const p = await started(impl, config(port, `    server s 127.0.0.1:${server.port}\n`), port);
    try {
      victim = undefined;
      const client = await open({ port, host: '127.0.0.1' });
      const ended = ending(client);
      client.write('some data\n');
      await until(() => victim !== undefined, 5000, `${impl} to reach the server`);
      victim!.resetAndDestroy();
      const how = await within(ended, 5000, `${impl} to close the client after the server's reset`);
      assert.ok(['end', 'close', 'ECONNRESET', 'EPIPE'].includes(how), `${impl}: client ended with ${how}`);
    } finally {
      await stopped(p);
    }
  }
});

test('a client vanishing with a reset closes the server side', async () => {
  let serverSide: Socket | undefined;
  const server = await service((s) => {
    serverSide = s;
    s.write('hello\n');
    s.pipe(s);
  });
  services.push(server);
  for (const impl of IMPLS) {
    const port = await freePort();
    const p = await started(impl, config(port, `    server s 127.0.0.1:${server.port}\n`), port);
    try {
      serverSide = undefined;
      const client = await open({ port, host: '127.0.0.1' });
      client.on('error', () => {});
      await new Promise((r) => client.once('data', r));
      await until(() => serverSide !== undefined, 5000, `${impl} to reach the server`);
      const ended = ending(serverSide!);
      client.write('in flight\n');
      client.resetAndDestroy();
      const how = await within(ended, 5000, `${impl} to close the server side after the client's reset`);
      assert.ok(['end', 'close', 'ECONNRESET', 'EPIPE'].includes(how), `${impl}: server side ended with ${how}`);
      await until(() => server.open.size === 0, 5000, `the server's socket to be gone (${impl})`);
    } finally {
      await stopped(p);
    }
  }
});

const SLOW_TOTAL = 200 * 1024 * 1024;
/** The reader's pace: a fifth of what loopback proxying does, so the writer is always ahead. */
const SLOW_RATE = 50 * 1024 * 1024;
/**
 * Portier may hold read buffers not yet collected (Node allocates one per read; seen: about
 * 50 MiB of growth), not what the reader has not taken: a proxy that buffered would read the
 * 200 MB at the writer's pace and grow by most of it.
 */
const RSS_GROWTH_LIMIT_KIB = 96 * 1024;

test('a slow reader does not make Portier buffer: 200 MB to a client reading at 50 MB/s, RSS stays bounded', async (t) => {
  const block = Buffer.alloc(1024 * 1024, 'b');
  const server = await service((s) => {
    let sent = 0;
    const pump = (): void => {
      while (sent < SLOW_TOTAL) {
        sent += block.length;
        if (!s.write(block)) {
          s.once('drain', pump);
          return;
        }
      }
      s.end();
    };
    pump();
  });
  services.push(server);
  const port = await freePort();
  const p = await started('portier', config(port, `    server s 127.0.0.1:${server.port}\n`), port);
  try {
    // Warm up, then take the baseline.
    await exchange({ port, host: '127.0.0.1' }, '', { timeoutMs: 30_000 }).catch(() => '');
    const base = rssKiB(p.pid);
    let peak = base;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssKiB(p.pid));
      } catch {
        // process gone: the assertions below say so
      }
    }, 50);
    const received = await within(
      new Promise<number>((resolve, reject) => {
        const t0 = Date.now();
        let got = 0;
        open({ port, host: '127.0.0.1' }).then((c) => {
          c.on('data', (d: Buffer) => {
            got += d.length;
            const ahead = got / SLOW_RATE - (Date.now() - t0) / 1000;
            if (ahead > 0) {
              c.pause();
              setTimeout(() => c.resume(), ahead * 1000);
            }
          });
          c.on('error', reject);
          c.on('close', () => resolve(got));
        }, reject);
      }),
      60_000,
      'the slow transfer',
    );
    clearInterval(sampler);
    assert.equal(received, SLOW_TOTAL);
    const growth = peak - base;
    t.diagnostic(`Portier RSS ${(base / 1024).toFixed(1)} MiB before, peak ${(peak / 1024).toFixed(1)} MiB during the transfer`);
    assert.ok(growth < RSS_GROWTH_LIMIT_KIB, `Portier's RSS grew by ${(growth / 1024).toFixed(1)} MiB (from ${(base / 1024).toFixed(1)} MiB)`);
  } finally {
    await stopped(p);
  }
});
