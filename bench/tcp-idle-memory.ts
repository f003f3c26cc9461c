/**
 * Memory of idle streams: N connections opened through Portier (128 kB echoed on each, so
 * every read buffer on the way has been filled once), then left idle; the proxy's resident memory (VmRSS) read at start,
 * right after the echoes, after the idle wait, and after the clients closed. The echo server
 * is a separate process (it holds as many descriptors as the proxy's server side).
 *
 * Usage: node dist/bench/tcp-idle-memory.js [--conns=N] [--idle=S] [--warm=BYTES] <dir|haproxy> [...]
 *   each <dir> a checkout with its own build (dist/) and bin/portier (see tcp-side-by-side.ts
 *   for a baseline build). The proxy holds two descriptors per connection: N is capped to what
 *   the hard limit on open files allows ((limit - 100) / 2, as Portier's default maxconn).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitForPort } from './tcp-procs.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const builds = args.filter((a) => !a.startsWith('--')).map((d) => (d === 'haproxy' ? d : resolve(d)));
if (builds.length < 1) throw new Error('usage: tcp-idle-memory.js [--conns=N] [--idle=S] [--warm=BYTES] <dir|haproxy> [...]');
const IDLE = opt('idle', 3);
/** Bytes each client sends first (echoed back): 128 kB fills every read buffer on the way. */
const WARM = opt('warm', 131072);

function hardLimit(): number {
  const line = readFileSync('/proc/self/limits', 'latin1').split('\n').find((l) => l.startsWith('Max open files'));
  const v = line?.split(/\s+/)[4];
  return v === undefined || v === 'unlimited' ? 1 << 20 : Number(v);
}
const CONNS = Math.min(opt('conns', 10_000), Math.floor((hardLimit() - 100) / 2));

const rssMB = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const ECHO = `const s = require('net').createServer((c) => { c.on('error', () => {}); c.pipe(c); });
s.maxConnections = 1e6; s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\n'));`;

async function startEcho(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn('sh', ['-c', 'ulimit -n $(ulimit -Hn) && exec "$0" -e "$1"', process.execPath, ECHO], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((res) => child.stdout!.once('data', (d: Buffer) => res(Number(d.toString().trim()))));
  return { port, child };
}

async function connectAll(port: number): Promise<Socket[]> {
  const all: Socket[] = [];
  for (let i = 0; i < CONNS; i += 500) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(500, CONNS - i) }, () => new Promise<Socket>((res, rej) => {
        const s = connect({ port, host: '127.0.0.1' });
        s.once('error', rej);
        let got = 0;
        const onData = (d: Buffer): void => {
          got += d.length;
          if (got < WARM) return;
          s.off('data', onData);
          res(s);
        };
        s.on('data', onData);
        s.write(Buffer.alloc(WARM, 120));
      })),
    );
    all.push(...batch);
  }
  return all;
}

async function measure(build: string): Promise<string> {
  const echo = await startEcho();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'portier-idle-mem-'));
  const cfg = join(dir, 'idle.cfg');
  writeFileSync(cfg, `global\n    maxconn ${CONNS}\ndefaults\n    mode tcp\n    timeout connect 5s\n    timeout client 300s\n    timeout server 300s\n\nlisten idle\n    bind 127.0.0.1:${port}\n    server echo 127.0.0.1:${echo.port}\n`);
  const bin = build === 'haproxy' ? '/usr/sbin/haproxy' : join(build, 'bin', 'portier');
  const proxy = spawn('sh', ['-c', 'ulimit -n $(ulimit -Hn) && exec "$0" -db -f "$1"', bin, cfg], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForPort(port);
    await sleep(500);
    const pid = proxy.pid!;
    const start = rssMB(pid);
    const t0 = Date.now();
    const clients = await connectAll(port);
    const open = rssMB(pid);
    const openedIn = Date.now() - t0;
    await sleep(IDLE * 1000);
    const idle = rssMB(pid);
    for (const c of clients) c.destroy();
    await sleep(3000);
    const closed = rssMB(pid);
    return `| ${build} | ${clients.length} | ${start} | ${open} | ${idle} | ${closed} | ${(((idle - start) * 1024) / clients.length).toFixed(1)} | (opened in ${openedIn} ms)`;
  } finally {
    proxy.kill('SIGKILL');
    echo.child.kill('SIGKILL');
  }
}

console.log(`| build | connections | RSS at start, MB | all echoed | after ${IDLE} s idle | clients closed | kB per idle stream |`);
console.log('|---|---|---|---|---|---|---|');
for (const b of builds) console.log(await measure(b));
