/**
 * What health checks cost: Portier against haproxy (/usr/sbin/haproxy), same configuration,
 * each proxy pinned to core 0 (`taskset -c 0`), the checked servers and the load on core 1.
 *
 *   cpu     1,000 servers checked every 100 ms (10,000 plain TCP checks per second): the
 *           proxy's CPU use (% of its core) over the measuring time, and for Portier the checks
 *           it made (connections the servers accepted; haproxy's never reach accept, see below).
 *   rate    short connections through the proxy (wrk, 50 at a time, to one nginx worker),
 *           first with no checks, then while 1,000 checks every 100 ms run in another backend:
 *           the connection rate each time, so the slowdown that checking causes shows. The
 *           servers checked during this measure refuse connections (nothing listens on their
 *           ports), so that answering checks takes no CPU from the load core: only the proxy
 *           pays for them.
 *
 * Usage: npm run bench:checks [-- [--servers=N] [--inter=MS] [--seconds=S]]
 * Needs: haproxy, taskset (util-linux), wrk and nginx (apt-get install wrk nginx-light).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, have, processCpuSeconds, runPinned, startPinned, waitForPort, type Pinned } from './tcp-procs.js';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const PORTIER = join(root, 'bin', 'portier');
const PROXY_CORE = 0;
const LOAD_CORE = 1;

const opts = new Map(
  process.argv.slice(2).map((a) => {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}`);
    return [m[1]!, m[2] ?? ''] as const;
  }),
);
const SERVERS = Number(opts.get('servers') || 1000);
const INTER = Number(opts.get('inter') || 100);
const SECONDS = Number(opts.get('seconds') || 10);

type Impl = 'haproxy' | 'portier';
const work = mkdtempSync(join(tmpdir(), 'portier-bench-checks-'));

/**
 * The checked servers: one process on the load core (this one is not pinned, so a child does
 * it) would be best, but 1,000 listeners in this process are cheap: accepts are counted and the
 * connection dropped. This process is moved to the load core at start.
 */
async function checkedServers(n: number): Promise<{ ports: number[]; accepted: () => number; close(): void }> {
  let accepted = 0;
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = createServer((c) => {
      accepted++;
      c.on('error', () => undefined);
      c.destroy();
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', 4096, r));
    servers.push(s);
    ports.push((s.address() as { port: number }).port);
  }
  return { ports, accepted: () => accepted, close: () => servers.forEach((s) => s.close()) };
}

function config(bind: number, nginx: number, checked: readonly number[]): string {
  const lines = [
    'global',
    '    maxconn 4000',
    'defaults',
    '    mode tcp',
    '    timeout client 10s',
    '    timeout server 10s',
    '    timeout connect 1s',
    'listen front',
    `    bind 127.0.0.1:${bind}`,
    `    server web 127.0.0.1:${nginx}`,
  ];
  if (checked.length > 0) {
    lines.push('backend checked');
    checked.forEach((p, i) => lines.push(`    server s${i} 127.0.0.1:${p} check inter ${INTER}ms`));
  }
  return lines.join('\n') + '\n';
}

function startProxy(impl: Impl, cfg: string): Pinned {
  const file = join(work, `${impl}-${Math.random().toString(36).slice(2)}.cfg`);
  writeFileSync(file, cfg);
  return startPinned(PROXY_CORE, impl === 'portier' ? PORTIER : '/usr/sbin/haproxy', ['-db', '-f', file]);
}

async function startNginx(): Promise<{ port: number; proc: Pinned }> {
  const port = await freePort();
  const dir = mkdtempSync(join(work, 'nginx-'));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
error_log ${dir}/error.log;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    server { listen 127.0.0.1:${port} backlog=4096; location / { return 200 "ok\\n"; } }
}
`,
  );
  const proc = startPinned(LOAD_CORE, 'nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir]);
  await waitForPort(port, 10_000, () => proc.child.exitCode === null);
  return { port, proc };
}

/** Connections per second through `port` (wrk, Connection: close). */
function rate(port: number): number {
  const out = runPinned(LOAD_CORE, 'wrk', ['-t1', '-c50', `-d${SECONDS}s`, '-H', 'Connection: close', `http://127.0.0.1:${port}/`], (SECONDS + 60) * 1000);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!m) throw new Error(`cannot read wrk's output:\n${out}`);
  return Number(m[1]);
}

interface CpuResult {
  readonly cpu: number;
  readonly checksPerSecond: number;
}

async function measureCpu(impl: Impl, nginx: number, servers: Awaited<ReturnType<typeof checkedServers>>): Promise<CpuResult> {
  const bind = await freePort();
  const p = startProxy(impl, config(bind, nginx, servers.ports));
  try {
    await waitForPort(bind, 15_000, () => p.child.exitCode === null);
    // Let the startup spread settle (the first checks start over one interval).
    await new Promise((r) => setTimeout(r, 2000));
    const cpu0 = processCpuSeconds(p.child.pid!);
    const acc0 = servers.accepted();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const dt = (performance.now() - t0) / 1000;
    return { cpu: (processCpuSeconds(p.child.pid!) - cpu0) / dt, checksPerSecond: (servers.accepted() - acc0) / dt };
  } finally {
    await p.stop();
  }
}

async function measureRate(impl: Impl, nginx: number, checked: readonly number[]): Promise<number> {
  const bind = await freePort();
  const p = startProxy(impl, config(bind, nginx, checked));
  try {
    await waitForPort(bind, 15_000, () => p.child.exitCode === null);
    await new Promise((r) => setTimeout(r, 2000));
    return rate(bind);
  } finally {
    await p.stop();
  }
}

/** Ports where nothing listens (the kernel refuses), below the ephemeral range. */
function refusingPorts(n: number): number[] {
  const listening = new Set<number>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(f, 'latin1').split('\n').slice(1)) {
      const m = /^\s*\d+: [0-9A-F]+:([0-9A-F]{4}) [0-9A-F]+:[0-9A-F]{4} 0A/.exec(line);
      if (m) listening.add(parseInt(m[1]!, 16));
    }
  }
  const out: number[] = [];
  for (let p = 20000; out.length < n; p++) if (!listening.has(p)) out.push(p);
  return out;
}

async function main(): Promise<void> {
  for (const [cmd, pkg] of [['haproxy', 'haproxy'], ['taskset', 'util-linux'], ['wrk', 'wrk'], ['nginx', 'nginx-light']] as const) {
    if (!have(cmd)) throw new Error(`${cmd} is missing: apt-get install ${pkg}`);
  }
  // This process hosts the checked servers: keep it on the load core.
  runPinned(LOAD_CORE, 'taskset', ['-p', '-c', String(LOAD_CORE), String(process.pid)], 5000);
  const nginx = await startNginx();
  const servers = await checkedServers(SERVERS);
  try {
    console.log(`${SERVERS} servers checked every ${INTER} ms (${Math.round((SERVERS * 1000) / INTER)} checks/s expected), ${SECONDS} s per measure`);
    const cpu: Record<Impl, CpuResult> = { haproxy: await measureCpu('haproxy', nginx.port, servers), portier: await measureCpu('portier', nginx.port, servers) };
    for (const impl of ['haproxy', 'portier'] as const) {
      // haproxy's plain check resets the connection before the handshake completes on the
      // server side (TCP_QUICKACK off, RST after SYN-ACK): its checks are never accepted.
      const accepted = impl === 'haproxy' && cpu[impl].checksPerSecond === 0 ? 'checks not visible to the servers' : `${Math.round(cpu[impl].checksPerSecond)} checks/s accepted`;
      console.log(`  cpu  ${impl.padEnd(8)} ${(cpu[impl].cpu * 100).toFixed(1).padStart(5)}% of a core, ${accepted}`);
    }
    console.log(`  cpu ratio portier/haproxy: ${(cpu.portier.cpu / cpu.haproxy.cpu).toFixed(2)}x`);
    for (const impl of ['haproxy', 'portier'] as const) {
      const without = await measureRate(impl, nginx.port, []);
      const withChecks = await measureRate(impl, nginx.port, refusingPorts(SERVERS));
      console.log(`  rate ${impl.padEnd(8)} ${Math.round(without)} conn/s without checks, ${Math.round(withChecks)} with them (${((withChecks / without) * 100).toFixed(0)}%)`);
    }
  } finally {
    servers.close();
    await nginx.proc.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`bench:checks: ${(e as Error).message}`);
  process.exit(1);
});
