/**
 * A real Redis server (Debian's redis-server) for redis-check, configured on its command line:
 * 127.0.0.1 only, no persistence (nothing to save at shutdown, nothing to load at start), in
 * the foreground, working dir in a temp dir. With `password`, it answers PING with -NOAUTH
 * until authenticated: the failing case of redis-check.
 *
 * Start-up, measured on the 2-core dev machine while other sessions loaded it (load average
 * ~11; expect less on an idle one): ~0.1 s; stop ~30 ms; restart ~80 ms.
 */
import { fixtureDir, HOST, removeDir, requireBinary, serverEnv, type ServerFixture } from './common.js';
import { daemon, daemonFixture } from './daemon.js';

export interface Redis extends ServerFixture {
  /** The password it requires (requirepass), if one was asked for. */
  readonly password: string | undefined;
  output(): string;
}

export async function startRedis(opts: { password?: string } = {}): Promise<Redis> {
  const redis = requireBinary('/usr/bin/redis-server', 'redis-server');
  const dir = await fixtureDir('redis');
  try {
    const d = daemon({
      name: 'redis-server',
      command: redis,
      ports: 1,
      args: ([port]) => [
        '--bind', HOST,
        '--port', String(port),
        '--unixsocket', '',
        '--daemonize', 'no',
        '--dir', dir,
        '--save', '',
        '--appendonly', 'no',
        '--logfile', '',
        ...(opts.password ? ['--requirepass', opts.password] : []),
      ],
      env: serverEnv(dir),
      readyLine: /Ready to accept connections/,
    });
    await d.start();
    return {
      ...daemonFixture(d, dir),
      password: opts.password,
    };
  } catch (e) {
    removeDir(dir);
    throw e;
  }
}
