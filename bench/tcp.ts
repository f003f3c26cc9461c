/**
 * Layer-4 proxying speed: Portier against haproxy (/usr/sbin/haproxy) with the same
 * configuration (mode tcp, one frontend, one backend with one server), each proxy pinned to core
 * 0 (`taskset -c 0`), the load generator and the server on core 1. Same machine, same run; the
 * ratios are what matter.
 *
 * Measures (issue 4 targets: throughput >= 0.9x haproxy, connection rate >= 0.6x):
 *   bulk1   4 GiB (--gib) through one connection             (Node sink/source: bench/tcp-peer.ts)
 *   bulk1down  4 GiB through one connection, from the server to the client (the source mode
 *           of bench/tcp-peer.ts)
 *   bulk50  4 GiB in all through 50 parallel connections     (same)
 *   rate    short connections, 50 at a time, ~10 s (each run waits until the kernel's TIME_WAIT
 *           table has drained, up to 75 s: see waitForTimeWaitDrain): connect, send a 40-byte request, receive
 *           the ~160-byte answer, close                       (wrk + nginx, C, Debian packages)
 * Each is also run without a proxy ("direct"), which shows what the load core can do: a proxy
 * figure near it means the load side, not the proxy, was the limit.
 *
 * Why wrk + nginx for the rate: on this 2-core machine a Node client and server on core 1 top
 * out near 7,000 connections/s even without a proxy, below haproxy's rate, which would hide the
 * gap; wrk (one thread, `Connection: close`) and one nginx worker reach about twice that. For
 * bulk, the Node peer drives haproxy as fast as iperf3 does (measured), and checks every byte
 * count, so it stays in Node.
 *
 * Usage: npm run bench:tcp [-- [--runs=N] [--seconds=S] [--gib=N] [--only=bulk1,bulk1down,bulk50,rate]
 *                              [--profile[=DIR]]]
 *   --profile: instead of comparing, runs Portier alone under `node --cpu-prof` for each
 *   measure and prints where its time goes (profiles kept in DIR).
 * Needs: haproxy, taskset (util-linux), wrk and nginx (apt-get install wrk nginx-light).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreBusy, coreTimes, freePort, have, nginxConfig, processCpuSeconds, runPinned, startPinned, waitForPort, waitForTimeWaitDrain, type Pinned } from './tcp-procs.js';
import { report, summarize } from './tcp-profile.js';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const NODE = join(root, 'node_modules', '.bin', 'node');
const PEER = join(root, 'dist', 'bench', 'tcp-peer.js');
const MAIN = join(root, 'dist', 'src', 'main.js');
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
const RUNS = Number(opts.get('runs') || 3);
const SECONDS = Number(opts.get('seconds') || 10);
const ONLY = (opts.get('only') || 'bulk1,bulk1down,bulk50,rate').split(',');
const PROFILE = opts.has('profile');
/**
 * GiB moved by each bulk measure (--gib=N). 4 by default: a fresh Node process runs its first
 * second or so in unoptimised code, which a 1 GiB transfer (about a second) mostly is; a proxy
 * runs for days. bench/RESULTS.md gives both.
 */
const BULK_GIB = Number(opts.get('gib') || 4);
const BULK_BYTES = BULK_GIB * 2 ** 30;


type Proxy = 'direct' | 'haproxy' | 'portier';

interface Measure {
  readonly id: string;
  readonly title: string;
  /** Which server the proxy forwards to. */
  readonly server: 'sink' | 'nginx';
  /** Runs the load against `port`: the figure (bigger is better), how long it took, a note. */
  run(port: number): Result;
  /** What one unit of work is, for the CPU cost line. */
  readonly work: (value: number, seconds: number) => number;
  readonly unit: string;
  readonly costUnit: string;
  readonly target: number;
}

const allMeasures: Measure[] = [
  {
    id: 'bulk1',
    title: `bulk, 1 connection, ${BULK_GIB} GiB`,
    server: 'sink',
    run: (port) => bulk(port, 1),
    work: (v, s) => (v * s) / 1024,
    unit: 'MiB/s',
    costUnit: 'CPU ms per GiB',
    target: 0.9,
  },
  {
    id: 'bulk1down',
    title: `bulk download, 1 connection, ${BULK_GIB} GiB`,
    server: 'sink',
    run: (port) => bulk(port, 1, true),
    work: (v, s) => (v * s) / 1024,
    unit: 'MiB/s',
    costUnit: 'CPU ms per GiB',
    target: 0.9,
  },
  {
    id: 'bulk50',
    title: `bulk, 50 connections, ${BULK_GIB} GiB in all`,
    server: 'sink',
    run: (port) => bulk(port, 50),
    work: (v, s) => (v * s) / 1024,
    unit: 'MiB/s',
    costUnit: 'CPU ms per GiB',
    target: 0.9,
  },
  {
    id: 'rate',
    title: `short connections, 50 at a time, ${SECONDS} s`,
    server: 'nginx',
    run: (port) => rate(port),
    work: (v, s) => (v * s) / 1000,
    unit: 'conn/s',
    costUnit: 'CPU ms per 1000 conns',
    target: 0.6,
  },
];
const measures = allMeasures.filter((m) => ONLY.includes(m.id));

interface Result {
  readonly value: number;
  readonly seconds: number;
  readonly detail: string;
}

function bulk(port: number, conns: number, down = false): Result {
  const out = runPinned(LOAD_CORE, NODE, [PEER, down ? 'down' : 'bulk', String(port), String(conns), String(BULK_BYTES)], 300_000);
  const r = JSON.parse(out.trim().split('\n').pop()!) as { bytes: number; ms: number };
  return { value: r.bytes / (1 << 20) / (r.ms / 1000), seconds: r.ms / 1000, detail: `${(r.ms / 1000).toFixed(2)} s` };
}

function rate(port: number): Result {
  const out = runPinned(LOAD_CORE, 'wrk', ['-t1', '-c50', `-d${SECONDS}s`, '-H', 'Connection: close', `http://127.0.0.1:${port}/`], (SECONDS + 60) * 1000);
  const requests = /(\d+) requests in ([\d.]+)(m?s)/.exec(out);
  if (!requests) throw new Error(`cannot read wrk's output:\n${out}`);
  const secs = Number(requests[2]) / (requests[3] === 'ms' ? 1000 : 1);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const bad = (errors ? errors.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return { value: Number(requests[1]) / secs, seconds: secs, detail: `${requests[1]} conns${bad ? `, ${bad} errors` : ''}` };
}

function config(bindPort: number, serverPort: number): string {
  return `defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend fe
    bind 127.0.0.1:${bindPort}
    default_backend be

backend be
    server s1 127.0.0.1:${serverPort}
`;
}

const work = mkdtempSync(join(tmpdir(), 'portier-bench-tcp-'));
const started: Pinned[] = [];

async function startServers(): Promise<{ sink: number; nginx: number }> {
  const sinkProc = startPinned(LOAD_CORE, NODE, [PEER, 'server']);
  started.push(sinkProc);
  let sink = 0;
  for (let i = 0; i < 300 && !sink; i++) {
    const m = /\{"port":(\d+)\}/.exec(sinkProc.output());
    if (m) sink = Number(m[1]);
    else await new Promise((r) => setTimeout(r, 20));
  }
  if (!sink) throw new Error(`the sink server did not start: ${sinkProc.output()}`);
  let nginx = 0;
  if (measures.some((m) => m.server === 'nginx')) {
    nginx = await freePort();
    const dir = join(work, 'nginx');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'nginx.conf'),
      nginxConfig(dir, nginx),
    );
    const n = startPinned(LOAD_CORE, 'nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir]);
    started.push(n);
    await waitForPort(nginx, 10_000, () => n.child.exitCode === null);
  }
  return { sink, nginx };
}

interface Sample extends Result {
  proxyCpu: number;
  busy: number[];
}

async function once(proxy: Proxy, m: Measure, serverPort: number, profileDir?: string): Promise<Sample> {
  let port = serverPort;
  let p: Pinned | undefined;
  if (proxy !== 'direct') {
    port = await freePort();
    const cfg = join(work, `${proxy}-${m.id}.cfg`);
    writeFileSync(cfg, config(port, serverPort));
    const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=portier-${m.id}.cpuprofile`] : [];
    // Portier as users run it (bin/portier), or under the profiler.
    p =
      proxy === 'haproxy'
        ? startPinned(PROXY_CORE, 'haproxy', ['-db', '-f', cfg])
        : prof.length > 0
          ? startPinned(PROXY_CORE, NODE, [...prof, MAIN, '-db', '-f', cfg])
          : startPinned(PROXY_CORE, PORTIER, ['-db', '-f', cfg]);
    started.push(p);
    const proc = p;
    await waitForPort(port, 15_000, () => proc.child.exitCode === null);
  }
  // Every short-connection run starts with the kernel's TIME_WAIT table as empty as the last
  // one did (see waitForTimeWaitDrain).
  if (m.server === 'nginx') await waitForTimeWaitDrain();
  const cpu0 = p ? processCpuSeconds(p.child.pid!) : 0;
  const t0 = coreTimes();
  const r = m.run(port);
  const busy = coreBusy(t0, coreTimes());
  const proxyCpu = p ? processCpuSeconds(p.child.pid!) - cpu0 : 0;
  if (p) {
    const code = await p.stop();
    if (code !== 0 && code !== 'SIGTERM' && code !== 143) console.error(`${proxy} exited with ${code}:\n${p.output()}`);
  }
  return { ...r, proxyCpu, busy };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (v: number, unit: string): string => `${v.toFixed(0)} ${unit}`;

async function compare(ports: { sink: number; nginx: number }): Promise<void> {
  const hv = spawnSync('haproxy', ['-v'], { encoding: 'latin1' }).stdout.split('\n')[0];
  console.log(`layer-4 bench, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${hv}`);
  console.log(`proxies on core ${PROXY_CORE}, load and servers on core ${LOAD_CORE}; median of ${RUNS} runs\n`);
  const rows: string[][] = [['measure', 'direct', 'haproxy', 'portier', 'portier/haproxy', 'target']];
  const costs: string[] = [];
  for (const m of measures) {
    const server = m.server === 'sink' ? ports.sink : ports.nginx;
    const got: Record<Proxy, Sample[]> = { direct: [], haproxy: [], portier: [] };
    for (let i = 0; i < RUNS; i++) {
      // Alternate, so that a slow patch of the machine hits both proxies alike.
      for (const proxy of ['direct', 'haproxy', 'portier'] as const) {
        if (proxy === 'direct' && i > 0) continue;
        const s = await once(proxy, m, server);
        got[proxy].push(s);
        const own = proxy === 'direct' ? '' : `, ${proxy} used ${((100 * s.proxyCpu) / s.seconds).toFixed(0)}% of it`;
        console.log(`  ${m.id} ${proxy.padEnd(7)} run ${i + 1}: ${fmt(s.value, m.unit)} (${s.detail}; core 0 ${(100 * s.busy[0]!).toFixed(0)}% busy${own}; core 1 ${(100 * s.busy[1]!).toFixed(0)}% busy)`);
      }
    }
    const med = (p: Proxy): number => median(got[p].map((s) => s.value));
    const ratio = med('portier') / med('haproxy');
    rows.push([m.title, fmt(med('direct'), m.unit), fmt(med('haproxy'), m.unit), fmt(med('portier'), m.unit), ratio.toFixed(2), `>= ${m.target}`]);
    const cost = (p: Proxy): string => {
      const per = got[p].map((s) => (1000 * s.proxyCpu) / m.work(s.value, s.seconds));
      const busy = median(got[p].map((s) => s.busy[1]!));
      return `${median(per).toFixed(0)} (load core ${(100 * busy).toFixed(0)}% busy)`;
    };
    costs.push(`  ${m.title}: haproxy ${cost('haproxy')}, portier ${cost('portier')}  [${m.costUnit}]`);
  }
  console.log('');
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(r.map((x, c) => x.padEnd(widths[c]!)).join('  '));
  console.log('\nproxy CPU cost:');
  for (const c of costs) console.log(c);
}

async function profile(ports: { sink: number; nginx: number }): Promise<void> {
  const dir = opts.get('profile') || join(work, 'profiles');
  mkdirSync(dir, { recursive: true });
  for (const m of measures) {
    const s = await once('portier', m, m.server === 'sink' ? ports.sink : ports.nginx, dir);
    console.log(`\n== ${m.title}: portier under --cpu-prof: ${fmt(s.value, m.unit)} (${s.detail})`);
    const file = readdirSync(dir).find((f) => f === `portier-${m.id}.cpuprofile`);
    if (!file) {
      console.log(`  (no profile written in ${dir})`);
      continue;
    }
    console.log(`  ${join(dir, file)}`);
    console.log(report(summarize(join(dir, file)), 25));
  }
}

async function main(): Promise<void> {
  for (const [cmd, pkg] of [['haproxy', 'haproxy'], ['taskset', 'util-linux'], ...(measures.some((m) => m.server === 'nginx') ? [['wrk', 'wrk'], ['nginx', 'nginx-light']] : [])] as const) {
    if (!have(cmd)) throw new Error(`'${cmd}' is needed: apt-get install ${pkg}`);
  }
  if (cpus().length < 2) throw new Error('needs 2 cores: the proxy on core 0, the load on core 1');
  readFileSync(MAIN);
  const ports = await startServers();
  try {
    if (PROFILE) await profile(ports);
    else await compare(ports);
  } finally {
    for (const p of started) await p.stop();
  }
}

main().catch(async (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  for (const p of started) await p.stop();
  process.exit(1);
});
