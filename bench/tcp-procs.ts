/**
 * Processes for bench/tcp.ts: start a program pinned to one core, wait until a port answers,
 * read how busy each core and each process was (/proc), stop what was started.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { watchChild, type Watched } from '../test/helpers/child.js';

export type Pinned = Watched;

/** Runs `cmd args` under `taskset -c <core>` (all its threads stay on that core). */
export function startPinned(core: number, cmd: string, args: readonly string[], cwd?: string): Pinned {
  return watchChild(spawn('taskset', ['-c', String(core), cmd, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Runs a pinned command to completion (bounded), returns its stdout; throws on failure. */
export function runPinned(core: number, cmd: string, args: readonly string[], timeoutMs: number): string {
  const r = spawnSync('taskset', ['-c', String(core), cmd, ...args], { encoding: 'latin1', timeout: timeoutMs, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').slice(0, 800)}`);
  return r.stdout;
}

/** Resolves once something accepts on 127.0.0.1:port (bounded). */
export async function waitForPort(port: number, timeoutMs = 15_000, alive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (alive && !alive()) throw new Error(`the process meant to listen on port ${port} has exited`);
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TCP port free on 127.0.0.1 at the time of the call. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Busy and total jiffies of each core, from /proc/stat. */
export function coreTimes(): { busy: number; total: number }[] {
  const out: { busy: number; total: number }[] = [];
  for (const line of readFileSync('/proc/stat', 'latin1').split('\n')) {
    const m = /^cpu(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal
    const idle = f[3]! + f[4]!;
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    out[Number(m[1])] = { busy: total - idle, total };
  }
  return out;
}

/** Fraction of time each core was busy between two coreTimes() readings. */
export function coreBusy(a: ReturnType<typeof coreTimes>, b: ReturnType<typeof coreTimes>): number[] {
  return b.map((x, i) => {
    const dt = x.total - a[i]!.total;
    return dt > 0 ? (x.busy - a[i]!.busy) / dt : 0;
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // Fields after the command name (which may hold spaces) start at ") ".
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / clockTicks();
}

let ticks = 0;
function clockTicks(): number {
  if (ticks === 0) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'latin1' });
    ticks = Number(r.stdout.trim()) || 100;
  }
  return ticks;
}

/** Sockets in TIME_WAIT now (IPv4 and IPv6), from /proc/net/sockstat. */
export function timeWaitSockets(): number {
  let n = 0;
  for (const f of ['/proc/net/sockstat', '/proc/net/sockstat6']) {
    try {
      const m = /\btw (\d+)/.exec(readFileSync(f, 'latin1'));
      if (m) n += Number(m[1]);
    } catch {
      // No such file (no IPv6): nothing counted.
    }
  }
  return n;
}

/**
 * Waits (at most `maxMs`) until fewer than `below` sockets are in TIME_WAIT. Each run of the
 * short-connection measure leaves ~100,000 of them for 60 s, which use up the ephemeral ports
 * the next run's clients and proxy connect from: its `connect` calls then cost the kernel much
 * more (measured: up to twice the kernel time per connection), whichever proxy comes next.
 * Returns how long it waited, ms.
 */
export async function waitForTimeWaitDrain(below = 1000, maxMs = 75_000): Promise<number> {
  const t0 = Date.now();
  while (timeWaitSockets() >= below && Date.now() - t0 < maxMs) await new Promise((r) => setTimeout(r, 500));
  return Date.now() - t0;
}

/** True when `cmd` is on the PATH. */
export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * The configuration of the one-worker nginx the rate measures load (an "ok" answer, no
 * logs), with its files in `dir`, listening on `port`.
 */
export function nginxConfig(dir: string, port: number): string {
  return `worker_processes 1;
daemon off;
master_process off;
error_log ${dir}/error.log;
pid ${dir}/nginx.pid;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};
    uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
    server { listen 127.0.0.1:${port} backlog=4096; location / { return 200 "ok\\n"; } }
}
`;
}
