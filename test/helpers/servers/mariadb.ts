/**
 * A real MariaDB server (Debian's mariadb-server) for mysql-check: a data dir made by
 * mariadb-install-db, then mariadbd on 127.0.0.1 and a unix socket in the temp dir, with the
 * grant tables on (mysql-check logs in as a user, so --skip-grant-tables would prove nothing).
 *
 * Users, all without password: `haproxy_check`@127.0.0.1 and @localhost (USAGE only: what
 * `option mysql-check user haproxy_check` logs in as), and root@127.0.0.1/localhost (all
 * privileges). haproxy_check is created by an --init-file at every start (CREATE USER IF NOT
 * EXISTS), since the bootstrap that mariadb-install-db runs has no grant tables loaded.
 *
 * mariadb-install-db takes seconds, so it runs once per test process into a template that each
 * fixture copies (see copyOfTemplate). No --defaults file is read (--no-defaults): Debian's
 * /etc/mysql/my.cnf points at /run/mysqld and the system's data dir.
 *
 * Start-up, measured on the 2-core dev machine while other sessions loaded it (load average
 * ~11; expect less on an idle one): ~4.5 to 6 s for the first in a test process
 * (mariadb-install-db nearly all of it; 1.2 to 2 s when the machine was quieter), ~0.7 s for
 * the next ones; stop ~0.15 s; restart ~0.4 s.
 *
 * Ready means its "ready for connections" line: mariadbd opens its port before it is done
 * starting, and a SIGTERM in that window hangs it for good in init_slave() (seen with 10.11).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyOfTemplate, fixtureDir, giveToServer, HOST, removeDir, requireBinary, runTool, serverEnv, type ServerFixture } from './common.js';
import { daemon, daemonFixture } from './daemon.js';

export interface Mariadb extends ServerFixture {
  /** The user for `option mysql-check user`: no password, USAGE only. */
  readonly checkUser: string;
  /** root, no password, from 127.0.0.1 or the unix socket. */
  readonly rootUser: string;
  /** Its unix socket (mariadb --socket). */
  readonly socket: string;
  /** Its error log (stderr): start-up, shutdown, aborted connections. */
  output(): string;
}

const CHECK_USER = 'haproxy_check';

/** InnoDB kept small: no 100 MiB redo log to write. */
const INNODB = ['--innodb-buffer-pool-size=8M', '--innodb-log-file-size=4M'];
/**
 * And at run time, no 12 MiB temp file, no buffer-pool dump or load, and small caches: the
 * default 128 MiB Aria page cache and key buffer, and the performance schema, cost a third of
 * the start-up time (their memory is touched as it is set up).
 */
const RUN = [
  ...INNODB,
  '--innodb-temp-data-file-path=ibtmp1:1M:autoextend',
  '--innodb-buffer-pool-load-at-startup=0',
  '--innodb-buffer-pool-dump-at-shutdown=0',
  '--aria-pagecache-buffer-size=1M',
  '--key-buffer-size=64K',
  '--performance-schema=OFF',
  '--query-cache-size=0',
  '--max-connections=20',
  '--table-open-cache=64',
];

export async function startMariadb(): Promise<Mariadb> {
  const mariadbd = requireBinary('/usr/sbin/mariadbd', 'mariadb-server');
  const installDb = requireBinary('/usr/bin/mariadb-install-db', 'mariadb-server');
  const dir = await fixtureDir('mariadb');
  try {
    const data = join(dir, 'data');
    const socket = join(dir, 'mysqld.sock');
    const init = join(dir, 'init.sql');
    writeFileSync(init, [`CREATE USER IF NOT EXISTS '${CHECK_USER}'@'127.0.0.1';`, `CREATE USER IF NOT EXISTS '${CHECK_USER}'@'localhost';`, ''].join('\n'));
    await giveToServer(init);
    const env = serverEnv(dir);
    await copyOfTemplate(
      'mariadb',
      async (target) => {
        await runTool(
          installDb,
          [
            '--no-defaults',
            `--datadir=${target}`,
            // root logs in with an (empty) password, not by unix-socket identity: the tests'
            // user is not the server's.
            '--auth-root-authentication-method=normal',
            '--skip-test-db',
            '--skip-name-resolve',
            ...INNODB,
          ],
          { server: true, env, timeoutMs: 120_000 },
        );
      },
      data,
    );
    const d = daemon({
      name: 'mariadbd',
      command: mariadbd,
      ports: 1,
      args: ([port]) => [
        '--no-defaults',
        `--datadir=${data}`,
        `--bind-address=${HOST}`,
        `--port=${port}`,
        `--socket=${socket}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        // Clients are matched by address (127.0.0.1), never by a DNS name.
        '--skip-name-resolve',
        `--init-file=${init}`,
        '--skip-log-bin',
        ...RUN,
      ],
      env,
      readyLine: /ready for connections/,
    });
    await d.start();
    return {
      ...daemonFixture(d, dir),
      checkUser: CHECK_USER,
      rootUser: 'root',
      socket,
    };
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
