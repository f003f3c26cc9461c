/** Starts bin/portier as a long-running process for integration tests, and stops it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PORTIER } from './run.js';

export interface Started {
  readonly child: ChildProcess;
  readonly dir: string;
  output(): string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export function tempDir(prefix = 'portier-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `cfg` to a temp dir and starts `portier -db -f cfg [extra]`. */
export function startPortier(cfg: string, extra: readonly string[] = [], dir = tempDir()): Started {
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, cfg);
  const child = spawn(PORTIER, ['-db', '-f', file, ...extra], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('latin1').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('latin1').on('data', (d: string) => (out += d));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  return {
    child,
    dir,
    output: () => out,
    exited,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Retries a connection until something listens (bounded). */
export async function waitForListener(target: { port: number; host?: string } | { path: string }, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(target as { port: number });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${JSON.stringify(target)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A free TCP port on 127.0.0.1 (bound by the OS, then released). */
/**
 * Ports this test process handed out: never twice. Two tests running at once must not get the
 * same one, and since Portier and haproxy listen with SO_REUSEPORT, both would bind it and share
 * each other's clients.
 */
const handedOut = new Set<number>();

/** A port the OS has just found free on `host`, and that this process has not handed out before. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (;;) {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, host, r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** A TCP service that greets each connection with its name and echoes what it receives. */
export async function greeter(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    s.on('error', () => s.destroy());
    s.write(`${name}\n`);
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Connects, sends `data` (then half-closes if asked), and collects everything until close. */
export function exchange(target: { port: number; host?: string } | { path: string }, data: string, halfClose = true, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(target as { port: number });
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no close after ${timeoutMs} ms; got ${JSON.stringify(got)}`));
    }, timeoutMs);
    s.setEncoding('latin1');
    s.on('data', (d: string) => (got += d));
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    s.on('connect', () => {
      if (halfClose) s.end(data);
      else s.write(data);
    });
  });
}
