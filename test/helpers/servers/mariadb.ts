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
 * Start-up, measured on the 2-core dev machine (under load from other sessions): first one
 * ~3 s (install ~1.5 s, server ~1.5 s), next ones in the same process ~1.5 s (copy ~50 ms);
 * restart ~1.5 s. The server waits for its "ready for connections": it opens its port before
 * it is done starting, and a SIGTERM in that window hangs it (seen with 10.11).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyOfTemplate, daemon, fixtureDir, giveToServer, HOST, removeDir, requireBinary, runTool, serverEnv, type ServerFixture } from './common.js';

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

/** InnoDB kept small and quiet: no 100 MiB redo log, no 12 MiB temp file, no pool dump. */
const INNODB = ['--innodb-buffer-pool-size=8M', '--innodb-log-file-size=4M'];
const INNODB_RUN = [
  ...INNODB,
  '--innodb-temp-data-file-path=ibtmp1:1M:autoextend',
  '--innodb-buffer-pool-load-at-startup=0',
  '--innodb-buffer-pool-dump-at-shutdown=0',
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
        ...INNODB_RUN,
      ],
      env,
      readyLine: /ready for connections/,
    });
    await d.start();
    return {
      host: HOST,
      port: d.ports[0]!,
      checkUser: CHECK_USER,
      rootUser: 'root',
      socket,
      output: d.output,
      start: d.start,
      stop: d.stop,
      async close() {
        await d.stop();
        removeDir(dir);
      },
    };
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
