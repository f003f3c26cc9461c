/** What /proc tells about a process under test: open descriptors, resident memory. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Number of open file descriptors of `pid` (entries of /proc/<pid>/fd). */
export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** What each descriptor of `pid` is ("socket:[123]", "anon_inode:[eventpoll]", a path, ...). */
export function fdTargets(pid: number): string[] {
  const out: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      out.push(`${fd} -> ${readlinkSync(`/proc/${pid}/fd/${fd}`)}`);
    } catch {
      // closed between the listing and the readlink
    }
  }
  return out;
}

/** Resident set size of `pid`, in KiB (VmRSS of /proc/<pid>/status). */
export function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]);
}
