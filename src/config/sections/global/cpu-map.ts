/**
 * `cpu-map [auto:]<thread-group>[/<thread-set>] <cpu-set>...` (configuration.txt 3.1).
 * Node.js cannot pin threads to CPUs: the statement is checked with HAProxy's grammar and
 * accepted with a notice (taskset or systemd's CPUAffinity= do it for the whole process).
 */
import type { CpuMapModel } from '../../model/global.js';
import { effectiveArgs, type Row } from './helpers.js';
import { leadingUint, parseProcessSet } from './process.js';

/** Highest thread or group number (HAProxy's LONGBITS on 64-bit machines). */
const LONGBITS = 64;
/** CPUs are numbered 0..CPU_SETSIZE-1. */
const CPU_SETSIZE = 1024;

/** HAProxy's reading of CPU sets: "<n>" or "<n>-[<m>]", one per word. */
function parseCpuSet(words: readonly string[]): { cpus: number[] } | { error: string } {
  const cpus = new Set<number>();
  for (const w of words) {
    if (w === '' || w[0]! < '0' || w[0]! > '9') return { error: `'${w}' is not a CPU range.` };
    let low = leadingUint(w);
    const dash = w.indexOf('-');
    let high = dash < 0 ? low : dash + 1 < w.length ? leadingUint(w.slice(dash + 1)) : CPU_SETSIZE - 1;
    if (high < low) [low, high] = [high, low];
    if (high >= CPU_SETSIZE) return { error: `supports CPU numbers from 0 to ${CPU_SETSIZE - 1}.` };
    for (let c = low; c <= high; c++) cpus.add(c);
  }
  return { cpus: [...cpus].sort((a, b) => a - b) };
}

export const cpuMap: Row = {
  name: 'cpu-map',
  status: 'nomeaning',
  note: 'Node.js cannot pin threads to CPUs; use taskset or systemd CPUAffinity= for the process',
  summary: 'Bind threads or thread groups to CPUs.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (!args[1] || !args[2]) {
      ctx.alert(
        `cpu-map expects a process number  ('all', 'odd', 'even', a number from 1 to ${LONGBITS} or a range),  followed by a list of CPU ranges with numbers from 0 to ${LONGBITS - 1}.`,
      );
      return;
    }
    let spec = args[1];
    const auto = spec.startsWith('auto:');
    if (auto) spec = spec.slice(5);
    const slash = spec.indexOf('/');
    const groupText = slash < 0 ? spec : spec.slice(0, slash);
    const groups = parseProcessSet(groupText, LONGBITS);
    if (groups.error) {
      ctx.alert(`cpu-map : ${groups.error}`);
      return;
    }
    let threads: number[] | undefined;
    if (slash >= 0) {
      const t = parseProcessSet(spec.slice(slash + 1), LONGBITS);
      if (t.error) {
        ctx.alert(`cpu-map : ${t.error}`);
        return;
      }
      threads = t.set;
    }
    const cpus = parseCpuSet(args.slice(2));
    if ('error' in cpus) {
      ctx.alert(`cpu-map : ${cpus.error}`);
      return;
    }
    const n = cpus.cpus.length;
    if (auto && groups.set!.length !== n && (threads?.length ?? LONGBITS) !== n) {
      ctx.alert('cpu-map : PROC/THREAD range and CPU sets must have the same size to be automatically bound');
      return;
    }
    const model: CpuMapModel = { where: ctx.where, auto, groups: groups.set!, threads, cpus: cpus.cpus };
    (ctx.state.cpuMaps ??= []).push(model);
  },
};
