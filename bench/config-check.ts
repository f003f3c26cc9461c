/**
 * Configuration check speed: `portier -c` against `haproxy -c` on a generated configuration of
 * 1,000 backends with 10 servers each (10,000 servers), same machine, same run. Prints the
 * median wall time of each and the ratio. Usage: npm run bench:config [-- <runs>]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const runs = Number(process.argv[2] ?? 7);
const BACKENDS = 1000;
const SERVERS = 10;

function generate(): string {
  let cfg = 'global\n    stats timeout 30s\n\ndefaults\n    mode tcp\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\n';
  cfg += 'frontend fe\n    bind 127.0.0.1:19999\n    default_backend be0\n\n';
  for (let b = 0; b < BACKENDS; b++) {
    cfg += `backend be${b}\n    balance roundrobin\n`;
    for (let s = 0; s < SERVERS; s++) cfg += `    server s${s} 10.${(b >> 8) & 255}.${b & 255}.${s + 1}:8080 weight ${1 + (s % 3)}\n`;
    cfg += '\n';
  }
  return cfg;
}

function time(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} -c failed (${r.status}): ${r.stderr.toString().slice(0, 500)}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'portier-bench-'));
const file = join(dir, 'big.cfg');
writeFileSync(file, generate());
const portier = join(root, 'bin', 'portier');
const p: number[] = [];
const h: number[] = [];
for (let i = 0; i < runs; i++) {
  p.push(time(portier, ['-c', '-f', file]));
  h.push(time('haproxy', ['-c', '-f', file]));
}
const pm = median(p);
const hm = median(h);
console.log(`config check, ${BACKENDS} backends x ${SERVERS} servers, median of ${runs} runs:`);
console.log(`  portier -c: ${pm.toFixed(0)} ms`);
console.log(`  haproxy -c: ${hm.toFixed(0)} ms`);
console.log(`  time ratio portier/haproxy: ${(pm / hm).toFixed(2)}`);
