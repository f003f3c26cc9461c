/**
 * Daemon mode (-D, `daemon`): Node cannot fork(), so the process starts a detached copy of
 * itself (new session, no terminal, stdio closed), waits until that copy has bound its
 * listeners, and exits; errors the copy meets before being ready are shown here and make the
 * start fail, as they would with HAProxy (which binds before forking).
 */
import { spawn } from 'node:child_process';

/** Set in the environment of the detached copy. */
export const DAEMON_CHILD_ENV = 'PORTIER_DAEMON_CHILD';

export type ChildReport = { ready: true } | { error: string };

export function isDaemonChild(): boolean {
  return process.env[DAEMON_CHILD_ENV] === '1';
}

/** In the detached copy: tells the parent how startup went, then lets it go. */
export function reportToParent(r: ChildReport): void {
  if (process.send) {
    process.send(r, () => process.disconnect?.());
  }
}

/** In the parent: starts the detached copy; resolves with its pid once it is ready. */
export function startDaemon(): Promise<{ pid: number } | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: { ...process.env, [DAEMON_CHILD_ENV]: '1' },
    });
    let settled = false;
    const settle = (r: { pid: number } | { error: string }): void => {
      if (settled) return;
      settled = true;
      child.unref();
      child.channel?.unref();
      resolve(r);
    };
    child.on('message', (m: ChildReport) => {
      if ('ready' in m) settle({ pid: child.pid! });
      else settle({ error: m.error });
    });
    child.on('error', (e) => settle({ error: `cannot start the daemon: ${e.message}` }));
    child.on('exit', (code) => settle({ error: `the daemon exited during startup (status ${code})` }));
  });
}
