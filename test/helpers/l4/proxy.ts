/**
 * Starts the proxy under test — Portier (bin/portier) or the reference haproxy — on a
 * configuration text, for the layer-4 integration tests; tells which parts of a configuration
 * Portier does not run yet, so that a test can be marked `todo` for exactly that reason.
 */
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchChild, type Watched } from '../child.js';

export const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..');
export const PORTIER = join(ROOT, 'bin', 'portier');
export const HAPROXY = '/usr/sbin/haproxy';

export type Impl = 'portier' | 'haproxy';

export interface Proxy extends Watched {
  readonly impl: Impl;
  readonly pid: number;
  readonly dir: string;
}

/**
 * The runs a data-path test compares: haproxy, Portier on raw handles (its default), and
 * Portier with net.Sockets throughout (PORTIER_RAW_SOCKETS=0, tcp/handle-endpoint.ts).
 */
export const DATA_PATH_RUNS: readonly { readonly name: string; readonly impl: Impl; readonly env: Record<string, string> }[] = [
  { name: 'haproxy', impl: 'haproxy', env: {} },
  { name: 'portier (raw handles)', impl: 'portier', env: {} },
  { name: 'portier (PORTIER_RAW_SOCKETS=0)', impl: 'portier', env: { PORTIER_RAW_SOCKETS: '0' } },
];

export function tempDir(prefix = 'portier-l4-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Writes `cfg` in `dir` and starts `<impl> -db -f cfg`. With `nofile`, the process is started by
 * a shell that first sets its open-file limit (`ulimit -n`, soft and hard): the caller must
 * stay within the hard limit the test runner has (see nofileHardLimit()).
 */
export function startProxy(impl: Impl, cfg: string, opts: { dir?: string; nofile?: number; env?: Record<string, string> } = {}): Proxy {
  const dir = opts.dir ?? tempDir();
  const file = join(dir, `${impl}.cfg`);
  writeFileSync(file, cfg);
  const bin = impl === 'portier' ? PORTIER : HAPROXY;
  const args = ['-db', '-f', file];
  const spawnOpts: SpawnOptions = { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } };
  const child =
    opts.nofile === undefined
      ? spawn(bin, args, spawnOpts)
      : spawn('sh', ['-c', `ulimit -n ${opts.nofile} && exec "$0" "$@"`, bin, ...args], spawnOpts);
  return { ...watchChild(child), impl, pid: child.pid!, dir };
}

/**
 * What `portier -c` reports as "not supported yet" in `cfg`: keywords ("retries", "option
 * tcplog"), algorithms ("balance leastconn"), server and bind options ("server option
 * 'maxconn'"). Empty when Portier runs all of it.
 */
export function unsupported(cfg: string, env: Record<string, string> = {}): string[] {
  const dir = tempDir('portier-l4-check-');
  const file = join(dir, 'check.cfg');
  writeFileSync(file, cfg);
  const r = spawnSync(PORTIER, ['-c', '-f', file], { encoding: 'latin1', timeout: 20_000, env: { ...process.env, ...env } });
  const found = new Set<string>();
  for (const m of `${r.stdout}\n${r.stderr}`.matchAll(/: (?:keyword )?((?:[a-z-]+ option )?'[^']+') is not supported yet/g)) found.add(m[1]!);
  return [...found];
}

/**
 * The `todo` reason for a test whose configuration Portier cannot run yet, or false. The test
 * still runs (and shows what fails); it stops being a todo by itself once the runtime supports
 * every part of the configuration.
 */
export function todoUntilSupported(cfg: string, what: string): string | false {
  const missing = unsupported(cfg);
  return missing.length > 0 ? `needs ${what} in the runtime (portier -c: ${missing.join(', ')} not supported yet)` : false;
}

/** The hard limit on open files this process (and so its children) can reach. */
export function nofileHardLimit(pid: number | 'self' = 'self'): number {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'latin1'));
  if (!m) return 1024;
  return m[2] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[2]);
}
