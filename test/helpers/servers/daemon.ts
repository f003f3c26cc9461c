/**
 * A server process that can be stopped and started again on the same port(s): spawned as the
 * server account in its own process group (listed with the reaper while it runs), ready only on
 * its own evidence, stopped with its own shutdown signal and then SIGKILL for what is left.
 */
import { spawn } from 'node:child_process';
import { watchChild, type Watched } from '../child.js';
import { waitForListener, within } from '../l4/net.js';
import { asServer, HOST, removeDir, stablePort, waitRefused, type ServerFixture } from './common.js';
import { forgetGroup, reapGroup } from './reaper.js';

/** How a daemon is started, told it is ready, and stopped. */
export interface DaemonSpec {
  /** For messages: 'slapd', 'mariadbd'... */
  readonly name: string;
  readonly command: string;
  /** The arguments, given the ports it must listen on (as many as `ports`). */
  args(ports: readonly number[]): string[];
  /** How many TCP ports on 127.0.0.1 it listens on. */
  readonly ports: number;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /**
   * A line its output prints once it serves. Where a server opens its port before it is done
   * starting (mariadbd), only this says it is ready; without it, the open port(s) do.
   */
  readonly readyLine?: RegExp;
  /**
   * A protocol-level check that the server answering on `port` is this one (its greeting, say),
   * tried until it says true; for servers that print no ready line of their own.
   */
  readonly probe?: (port: number) => Promise<boolean>;
  /** Its graceful-shutdown signal (SIGTERM unless said: postgres wants SIGINT, its "fast" stop). */
  readonly stopSignal?: NodeJS.Signals;
  readonly readyTimeoutMs?: number;
}

export interface Daemon {
  /** Ports chosen at the first start, kept for later ones. */
  readonly ports: readonly number[];
  /** Everything it printed, over all its runs. */
  output(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** How slapd, mariadbd, redis, postgres and exim all say it (after their own words). */
const ADDRESS_IN_USE = /Address already in use/;

/**
 * A restartable server process. The first start() takes fresh ports (and new ones again if
 * another process took one in the meantime); later starts reuse them. Each run is a detached
 * process group, run as the server account, listed with the reaper while it runs.
 */
export function daemon(spec: DaemonSpec): Daemon {
  let ports: number[] = [];
  let current: Watched | undefined;
  let log = '';
  const readyTimeoutMs = spec.readyTimeoutMs ?? 60_000;

  async function once(): Promise<void> {
    const child = spawn(spec.command, spec.args(ports), {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...asServer(),
    });
    const pid = child.pid;
    if (pid === undefined) {
      await new Promise((r) => child.once('error', r));
      throw new Error(`${spec.name}: ${spec.command} could not be started`);
    }
    reapGroup(pid);
    const w = watchChild(child);
    // 'exit' may come before the last of its output: a failure report waits for the pipes.
    const drained = new Promise<void>((r) => child.once('close', () => r()));
    current = w;
    // Neither the server nor its pipes keep the test process alive: a test that forgets
    // close() still ends, and the reaper stops the server then.
    child.unref();
    (child.stdout as unknown as { unref(): void }).unref();
    (child.stderr as unknown as { unref(): void }).unref();
    const alive = (): boolean => child.exitCode === null && child.signalCode === null;
    try {
      const line = spec.readyLine;
      if (line) {
        await within(
          new Promise<void>((resolve, reject) => {
            const look = (): void => {
              if (line.test(w.output())) resolve();
              else if (!alive()) reject(new Error('exited'));
              else setTimeout(look, 10);
            };
            look();
          }),
          readyTimeoutMs,
          `${spec.name} to print ${line}`,
        );
      }
      for (const port of ports) await waitForListener({ host: HOST, port }, readyTimeoutMs, alive);
      const probe = spec.probe;
      if (probe) {
        const deadline = Date.now() + readyTimeoutMs;
        while (!(await probe(ports[0]!))) {
          if (!alive()) throw new Error('exited');
          if (Date.now() > deadline) throw new Error(`no answer of its own on port ${ports[0]} after ${readyTimeoutMs} ms`);
          await new Promise((r) => setTimeout(r, 30));
        }
      }
    } catch (e) {
      await halt(w, pid);
      await within(drained, 2000, 'its output').catch(() => undefined);
      log += w.output();
      current = undefined;
      throw new Error(`${spec.name} did not start (${(e as Error).message}):\n${w.output()}`);
    }
  }

  /**
   * Stops the run: its shutdown signal to the server itself (which stops its own workers in
   * order), SIGKILL to its whole group after a grace, and to whatever is left of the group once
   * the server has exited (a worker still busy with a connection).
   */
  async function halt(w: Watched, pid: number): Promise<void> {
    const kill = (target: number, sig: NodeJS.Signals): void => {
      try {
        process.kill(target, sig);
      } catch {
        // gone already
      }
    };
    kill(pid, spec.stopSignal ?? 'SIGTERM');
    const timer = setTimeout(() => kill(-pid, 'SIGKILL'), 15_000);
    await w.exited;
    clearTimeout(timer);
    kill(-pid, 'SIGKILL');
    forgetGroup(pid);
  }

  return {
    get ports() {
      return ports;
    },
    output: () => log + (current?.output() ?? ''),
    async start() {
      if (current) throw new Error(`${spec.name} is already running`);
      if (ports.length) return once();
      for (let attempt = 1; ; attempt++) {
        ports = [];
        // Chosen one by one, each free when chosen; a collision among them is retried below.
        while (ports.length < spec.ports) {
          const p = await stablePort();
          if (!ports.includes(p)) ports.push(p);
        }
        try {
          return await once();
        } catch (e) {
          if (attempt >= 3 || !ADDRESS_IN_USE.test((e as Error).message)) {
            ports = [];
            throw e;
          }
        }
      }
    },
    async stop() {
      const w = current;
      if (!w) return;
      await halt(w, w.child.pid!);
      log += w.output();
      current = undefined;
      for (const port of ports) await waitRefused(port);
    },
  };
}

/**
 * The common part of a daemon-backed fixture: where it listens (its first port), its output,
 * start and stop, and close() that stops it and removes its temp dir `dir`.
 */
export function daemonFixture(d: Daemon, dir: string): ServerFixture & { output(): string } {
  return {
    host: HOST,
    port: d.ports[0]!,
    output: d.output,
    start: d.start,
    stop: d.stop,
    async close() {
      await d.stop();
      removeDir(dir);
    },
  };
}
