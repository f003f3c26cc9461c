/**
 * Summary of a V8 CPU profile (`node --cpu-prof`, a .cpuprofile file) for bench/tcp.ts: where
 * the sampled time went, by kind (garbage collection, idle, native/system, Node's internals,
 * Portier's code) and by function (self time), so that RESULTS.md can say where time goes.
 *
 *   node dist/bench/tcp-profile.js <file.cpuprofile> [<top N>]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled wall time, ms (idle included). */
  totalMs: number;
  /** Time by kind, ms. */
  kinds: Map<string, number>;
  /** Self time by function ("name url:line"), ms, largest first. */
  functions: [string, number][];
  /** Inclusive time of Portier's own functions (the time spent in them and what they call), ms. */
  portierInclusive: [string, number][];
}

function kindOf(f: CallFrame): string {
  if (f.functionName === '(garbage collector)') return 'garbage collection';
  if (f.functionName === '(idle)') return 'idle (waiting in epoll)';
  if (f.functionName === '(program)') return 'native (V8/libuv/syscalls outside JS)';
  if (f.url.includes('/dist/src/')) return "Portier's code (self)";
  if (f.url.startsWith('node:')) return "Node's JS internals (net, stream, timers)";
  if (f.url === '') return 'native functions called from JS (writev, read, ...)';
  return 'other JS';
}

function label(f: CallFrame): string {
  const where = f.url.replace(/^.*\/dist\//, 'dist/').replace(/^file:\/\//, '');
  return `${f.functionName || '(anonymous)'} ${where}${where ? `:${f.lineNumber + 1}` : ''}`;
}

export function summarize(file: string): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<number, number>();
  let totalUs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    // timeDeltas[i] is the time before sample i: charge it to sample i (V8's convention).
    const dt = p.timeDeltas[i] ?? 0;
    totalUs += dt;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt);
  }
  const kinds = new Map<string, number>();
  const fns = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const k = kindOf(f);
    kinds.set(k, (kinds.get(k) ?? 0) + us / 1000);
    const l = label(f);
    fns.set(l, (fns.get(l) ?? 0) + us / 1000);
    // Inclusive time of Portier's functions: walk up the stack, count each function once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      if (!cf.url.includes('/dist/src/')) continue;
      const cl = label(cf);
      if (seen.has(cl)) continue;
      seen.add(cl);
      incl.set(cl, (incl.get(cl) ?? 0) + us / 1000);
    }
  }
  const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs: totalUs / 1000, kinds, functions: sorted(fns), portierInclusive: sorted(incl) };
}

/** Text report: kinds in % of the busy (non-idle) time, then the top functions. */
export function report(s: ProfileSummary, top = 20): string {
  const idle = s.kinds.get('idle (waiting in epoll)') ?? 0;
  const busy = s.totalMs - idle;
  const pct = (ms: number): string => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const lines = [`sampled ${s.totalMs.toFixed(0)} ms, busy ${busy.toFixed(0)} ms (idle ${idle.toFixed(0)} ms); shares of busy time:`];
  for (const [k, ms] of [...s.kinds].sort((a, b) => b[1] - a[1])) {
    if (k.startsWith('idle')) continue;
    lines.push(`  ${pct(ms)}  ${k}`);
  }
  lines.push('  top functions by self time:');
  for (const [f, ms] of s.functions.filter(([f]) => !f.startsWith('(idle)')).slice(0, top)) lines.push(`  ${pct(ms)}  ${f}`);
  lines.push("  Portier's functions, inclusive time:");
  for (const [f, ms] of s.portierInclusive.slice(0, 8)) lines.push(`  ${pct(ms)}  ${f}`);
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('tcp-profile.js') && process.argv[2]) {
  console.log(report(summarize(process.argv[2]), Number(process.argv[3] ?? 20)));
}
