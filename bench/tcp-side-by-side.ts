/**
 * Two (or more) builds of Portier on the short-connection measure of bench/tcp.ts, run at the
 * same time, side by side: every proxy on core 0, one wrk per proxy (25 connections each,
 * `Connection: close`) and one nginx worker on core 1. Each proxy's CPU per 1000 connections is
 * read from /proc. On a shared, noisy machine the proxies meet the same noise at the same time,
 * so their ratio stays steady where alternating runs of bench/tcp.ts vary by ±30%; the absolute
 * figures are higher than in bench/tcp.ts (the proxies share a core).
 *
 * Usage: node dist/bench/tcp-side-by-side.js [--rounds=N] [--seconds=S] <dir> <dir> [...]
 *   each <dir> a checkout with its own build (dist/) and bin/portier; "haproxy" for haproxy.
 * Example, a baseline built in /tmp/base:
 *   git worktree add /tmp/base <commit> && ln -s $PWD/node_modules /tmp/base/ && (cd /tmp/base && npx tsc -p .)
 *   node dist/bench/tcp-side-by-side.js --rounds=5 /tmp/base .
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, nginxConfig, processCpuSeconds, startPinned, waitForPort, type Pinned } from './tcp-procs.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const ROUNDS = opt('rounds', 5);
const SECONDS = opt('seconds', 5);
const builds = args.filter((a) => !a.startsWith('--')).map((d) => (d === 'haproxy' ? d : resolve(d)));
if (builds.length < 1) throw new Error('usage: tcp-side-by-side.js [--rounds=N] [--seconds=S] <dir> <dir> [...]');

const work = mkdtempSync(join(tmpdir(), 'portier-bench-sbs-'));
const started: Pinned[] = [];

function wrk(port: number, seconds: number): Promise<number> {
  return new Promise((done) => {
    const c = spawn('taskset', ['-c', '1', 'wrk', '-t1', '-c25', `-d${seconds}s`, '-H', 'Connection: close', `http://127.0.0.1:${port}/`]);
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    c.on('close', () => done(Number(/(\d+) requests in/.exec(out)?.[1] ?? 0)));
  });
}

async function main(): Promise<void> {
  const nginx = await freePort();
  writeFileSync(
    join(work, 'nginx.conf'),
    nginxConfig(work, nginx),
  );
  started.push(startPinned(1, 'nginx', ['-c', join(work, 'nginx.conf'), '-p', work]));
  await waitForPort(nginx);
  const costs = new Map<string, number[]>(builds.map((b) => [b, []]));
  for (let r = 1; r <= ROUNDS; r++) {
    const procs: { build: string; p: Pinned; port: number }[] = [];
    for (const build of builds) {
      const port = await freePort();
      const cfg = join(work, `p${procs.length}.cfg`);
      writeFileSync(
        cfg,
        `defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nfrontend fe\n    bind 127.0.0.1:${port}\n    default_backend be\n\nbackend be\n    server s1 127.0.0.1:${nginx}\n`,
      );
      const p = build === 'haproxy' ? startPinned(0, 'haproxy', ['-db', '-f', cfg]) : startPinned(0, join(build, 'bin', 'portier'), ['-db', '-f', cfg]);
      started.push(p);
      await waitForPort(port, 15_000, () => p.child.exitCode === null);
      procs.push({ build, p, port });
    }
    // One second of warm-up (the JIT), then the measure.
    await Promise.all(procs.map((x) => wrk(x.port, 1)));
    const cpu0 = procs.map((x) => processCpuSeconds(x.p.child.pid!));
    const conns = await Promise.all(procs.map((x) => wrk(x.port, SECONDS)));
    const line = procs.map((x, i) => {
      const ms = (1000 * (processCpuSeconds(x.p.child.pid!) - cpu0[i]!)) / (conns[i]! / 1000);
      costs.get(x.build)!.push(ms);
      return `${x.build} ${ms.toFixed(0)} ms (${(conns[i]! / SECONDS).toFixed(0)} conn/s)`;
    });
    console.log(`round ${r}: ${line.join(', ')}`);
    for (const x of procs) await x.p.stop();
  }
  console.log('\nCPU ms per 1000 short connections, median of the rounds:');
  for (const [build, xs] of costs) {
    const s = [...xs].sort((a, b) => a - b);
    console.log(`  ${build}: ${s[Math.floor(s.length / 2)]!.toFixed(0)} (all: ${xs.map((x) => x.toFixed(0)).join(' ')})`);
  }
}

main()
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const p of started) await p.stop();
  });
