/** The pid file (-p, `pidfile`): one pid per line, written at startup, as HAProxy does. */
import { writeFileSync } from 'node:fs';

export function writePidfile(path: string, pids: readonly number[]): string | undefined {
  try {
    writeFileSync(path, pids.map((p) => `${p}\n`).join(''), { mode: 0o644 });
    return undefined;
  } catch (e) {
    return `[${process.argv[1] ?? 'portier'}.main()] Cannot create pidfile ${path}`;
  }
}
