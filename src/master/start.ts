/**
 * Starting the configured process (management.txt 3 and 4): refuse what does not run yet
 * (already alerts from the loader), daemonize if asked, bind every listener, write the pid
 * file, drop privileges, tell older processes to leave (-sf / -st), then serve until a signal.
 *
 * Signals (management.txt 4): SIGUSR1 soft stop (stop accepting, finish connections, exit),
 * SIGTERM and SIGINT hard stop (exit status 0 in both cases), SIGTTOU/SIGTTIN pause and
 * resume the network listeners.
 */
import type { CliOptions } from '../cli-args.js';
import type { LoadResult } from '../config/loader.js';
import type { ConfigModel } from '../config/model/index.js';
import type { Console } from '../log/console.js';
import { RunningProcess } from '../runtime/process.js';
import { isDaemonChild, reportToParent, startDaemon } from './daemon.js';
import { writePidfile } from './pidfile.js';
import { dropPrivileges } from './privileges.js';

export async function startProcess(model: ConfigModel, o: CliOptions, loaded: LoadResult, console: Console): Promise<number> {
  const daemon = (o.daemon || model.global.daemon) && !o.foreground && !isDaemonChild();
  const pidfile = o.pidfile ?? model.global.pidfile;
  if (daemon) {
    const r = await startDaemon();
    if ('error' in r) {
      console.message('alert', r.error);
      return 1;
    }
    if (pidfile) {
      const err = writePidfile(pidfile, [r.pid]);
      if (err) console.message('alert', err);
    }
    return 0;
  }

  let running: RunningProcess;
  try {
    running = new RunningProcess(model, loaded.env, o.maxconn, {
      warn: (text) => console.message('warning', text),
      alert: (text) => console.message('alert', text),
    });
  } catch (e) {
    // A server's TLS context could not be built (a file changed since the checks).
    const msg = (e as Error).message;
    console.message('alert', msg);
    if (isDaemonChild()) reportToParent({ error: msg });
    return 1;
  }
  // HAProxy refuses to run with nothing to listen on (a stats socket counts).
  if (running.frontends.length === 0 && model.global.statsSockets.length === 0) {
    const msg = "[haproxy.main()] No enabled listener found (check for 'bind' directives) ! Exiting.";
    console.message('alert', msg);
    if (isDaemonChild()) reportToParent({ error: msg });
    return 1;
  }
  try {
    await running.start();
  } catch (e) {
    const msg = `Starting frontend: ${(e as Error).message}`;
    console.message('alert', msg);
    running.hardStop();
    if (isDaemonChild()) reportToParent({ error: msg });
    return 1;
  }
  if (pidfile && !isDaemonChild()) {
    const err = writePidfile(pidfile, [process.pid]);
    if (err) {
      console.message('alert', err);
      running.hardStop();
      return 1;
    }
  }
  const privError = dropPrivileges(model.global);
  if (privError) {
    console.message('alert', privError);
    running.hardStop();
    if (isDaemonChild()) reportToParent({ error: privError });
    return 1;
  }
  signalOlderProcesses(o, console);
  if (isDaemonChild()) reportToParent({ ready: true });

  return new Promise<number>((resolve) => {
    let done = false;
    const exit = (code: number): void => {
      if (done) return;
      done = true;
      resolve(code);
    };
    process.on('SIGUSR1', () => {
      running.softStop(
        () => exit(0),
        (text) => console.message('warning', text),
      );
    });
    const hard = (): void => {
      running.hardStop();
      exit(0);
    };
    process.on('SIGTERM', hard);
    process.on('SIGINT', hard);
    // SIGTTOU / SIGTTIN: release and take back the network listeners (management.txt 4), so
    // that a new process can bind them, or this one carries on if the new one fails.
    const warn = (text: string): void => console.message('warning', text);
    process.on('SIGTTOU', () => running.pauseListeners(warn));
    process.on('SIGTTIN', () => void running.resumeListeners(warn).catch((e: Error) => console.message('alert', e.message)));
  });
}

/** -sf: SIGUSR1 (finish), -st: SIGTERM (terminate), once this process serves. */
function signalOlderProcesses(o: CliOptions, console: Console): void {
  const send = (pids: readonly number[], signal: NodeJS.Signals): void => {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        console.message('warning', `Failed to send signal ${signal} to old process ${pid}.`);
      }
    }
  };
  send(o.finishPids, 'SIGUSR1');
  send(o.terminatePids, 'SIGTERM');
}
