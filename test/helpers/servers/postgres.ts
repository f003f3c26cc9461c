/**
 * A real PostgreSQL server (Debian's postgresql) for pgsql-check: a cluster made by initdb with
 * `trust` authentication (pg_hba: local, 127.0.0.1/32 and ::1 trusted for every user) and the
 * superuser `postgres`, served by `postgres` itself (no pg_ctl, no pg_ctlcluster) on 127.0.0.1
 * and a unix socket in the temp dir, with durability off (fsync, full pages) since the data is
 * thrown away.
 *
 * initdb takes seconds, so it runs once per test process into a template that each fixture
 * copies (see copyOfTemplate).
 *
 * Start-up, measured on the 2-core dev machine while other sessions loaded it (load average
 * ~11; expect less on an idle one): ~3.3 s for the first in a test process (initdb nearly all
 * of it), ~0.6 s for the next ones; stop ~0.15 s; restart ~0.2 s.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyOfTemplate, fixtureDir, HOST, removeDir, requireBinary, runTool, serverEnv, type ServerFixture } from './common.js';
import { daemon, daemonFixture } from './daemon.js';

export interface Postgres extends ServerFixture {
  /** The superuser, trusted without password: the user for `option pgsql-check user`. */
  readonly user: string;
  /** A database that exists (named after the user, as libpq defaults it). */
  readonly database: string;
  /** The dir of its unix socket (psql -h), beside the TCP port. */
  readonly socketDir: string;
  /** The server binaries' dir (/usr/lib/postgresql/<version>/bin): psql, pg_isready... */
  readonly bin: string;
  /** Its log: connections and authentications are logged. */
  output(): string;
}

const USER = 'postgres';

/** Debian installs the server binaries per major version, out of PATH; the newest is taken. */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'postgres'))) : [];
  if (!versions.length) throw new Error(`${root}/<version>/bin/postgres is missing: .ci/run must install the Debian package 'postgresql'`);
  return join(root, String(Math.max(...versions.map(Number))), 'bin');
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  const initdb = requireBinary(join(bin, 'initdb'), 'postgresql');
  const postgres = requireBinary(join(bin, 'postgres'), 'postgresql');
  const dir = await fixtureDir('postgres');
  try {
    const data = join(dir, 'data');
    const env = serverEnv(dir);
    await copyOfTemplate(
      `postgres-${bin.split('/').at(-2)}`,
      async (target) => {
        await runTool(initdb, ['-D', target, '--auth=trust', `--username=${USER}`, '--no-sync', '--no-instructions', '--no-locale', '--encoding=UTF8'], {
          server: true,
          env,
          timeoutMs: 120_000,
        });
      },
      data,
    );
    const d = daemon({
      name: 'postgres',
      command: postgres,
      ports: 1,
      args: ([port]) => [
        '-D', data,
        '-h', HOST,
        '-p', String(port),
        '-k', dir,
        '-c', 'fsync=off',
        '-c', 'full_page_writes=off',
        '-c', 'synchronous_commit=off',
        '-c', 'max_connections=20',
        '-c', 'logging_collector=off',
        '-c', 'log_connections=on',
      ],
      env,
      readyLine: /database system is ready to accept connections/,
      // SIGINT is postgres's "fast" shutdown; SIGTERM ("smart") would wait for clients to leave.
      stopSignal: 'SIGINT',
    });
    await d.start();
    return {
      ...daemonFixture(d, dir),
      user: USER,
      database: USER,
      socketDir: dir,
      bin,
    };
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
