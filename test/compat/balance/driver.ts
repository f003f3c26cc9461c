/**
 * Plays a balancing scenario (scenarios.ts) against a real proxy process (haproxy or
 * bin/portier): starts the test services on 127.0.0.1 port 0, writes the configuration, starts
 * the proxy with -db, makes the scenario's connections one at a time and returns the name of the
 * server that answered each. Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioConfig, type Scenario } from './scenarios.js';

export interface PlayResult {
  /** Server names in connection order ('-' when a connection got no answer). */
  readonly sequence: string[];
  /** Runtime API answers, in order. */
  readonly cli: string[];
}

/** The proxy refused to start (output attached). */
export class StartError extends Error {}

/** The proxy's runtime API does not know a command of the scenario (the one at step `step`). */
export class CliRefused extends Error {
  constructor(
    readonly command: string,
    readonly step: number,
  ) {
    super(command);
  }
}

const STEP_TIMEOUT = 5000;

/** Services that answer their name and keep the connection until the peer closes it. */
class Services {
  readonly servers = new Map<string, { server: Server; port: number }>();
  open = 0;
  private readonly sockets = new Set<Socket>();
  /** Ports of the services that refuse connections. */
  readonly dead = new Map<string, number>();
  private waiters: (() => void)[] = [];

  /** Starts the services; the `dead` ones get a port where nothing listens. */
  async start(names: readonly string[], dead: readonly string[] = []): Promise<void> {
    for (const name of names) {
      const server = createServer((s) => {
        this.open++;
        this.sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => {
          this.open--;
          this.sockets.delete(s);
          this.wake();
        });
        s.write(`${name}\n`);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      if (dead.includes(name)) {
        const port = (server.address() as AddressInfo).port;
        await new Promise((r) => server.close(r));
        this.dead.set(name, port);
        continue;
      }
      this.servers.set(name, { server, port: (server.address() as AddressInfo).port });
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves once no more than `n` connections are open on the services. */
  async settle(n: number): Promise<void> {
    const deadline = Date.now() + STEP_TIMEOUT;
    while (this.open > n) {
      if (Date.now() > deadline) throw new Error(`services still hold ${this.open} connections (expected ${n})`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    // The proxy releases its side of the stream in the same turn as it closes the server side;
    // a few milliseconds more cover the case where it does not.
    await new Promise((r) => setTimeout(r, 3));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    for (const { server } of this.servers.values()) {
      if (!server.listening) continue;
      await new Promise((r) => server.close(r));
    }
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Waits until the runtime API socket accepts (the listeners are bound by then). */
async function waitForSocket(path: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new StartError(output());
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ path });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new StartError(`nothing listens on ${path}\n${output()}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/**
 * Waits until something listens on 127.0.0.1:`port`, read from /proc/net/tcp: connecting to
 * find out would itself be balanced to a server.
 */
async function waitListening(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new StartError(output());
    let table = '';
    try {
      table = readFileSync('/proc/net/tcp', 'latin1') + readFileSync('/proc/net/tcp6', 'latin1');
    } catch {
      // Not Linux: give the listeners a moment.
      return new Promise((r) => setTimeout(r, 300));
    }
    if (table.split('\n').some((l) => { const f = l.trim().split(/\s+/); return f[1]?.endsWith(`:${hex}`) && f[3] === '0A'; })) return;
    if (Date.now() > deadline) throw new StartError(`nothing listens on port ${port}\n${output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends one runtime API command and returns the answer. */
export function cliCommand(path: string, cmd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ path });
    let got = '';
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer to '${cmd}'`));
    }, STEP_TIMEOUT);
    s.setEncoding('latin1');
    s.on('data', (d: string) => (got += d));
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(t);
      resolve(got);
    });
    s.on('connect', () => s.write(`${cmd}\n`));
  });
}

/** Connects through the proxy and resolves with the socket and the first line it receives. */
function dial(port: number, from: string | undefined): Promise<{ socket: Socket; name: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...(from ? { localAddress: from } : {}) });
    let got = '';
    const t = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer through the proxy${from ? ` from ${from}` : ''} (got ${JSON.stringify(got)})`));
    }, STEP_TIMEOUT);
    socket.setEncoding('latin1');
    const onData = (d: string): void => {
      got += d;
      const nl = got.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(t);
        socket.off('data', onData);
        resolve({ socket, name: got.slice(0, nl) });
      }
    };
    socket.on('data', onData);
    socket.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(t);
      if (!got.includes('\n')) resolve({ socket, name: '-' });
    });
  });
}

function closeSocket(s: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (s.destroyed) return resolve();
    s.once('close', () => resolve());
    s.end();
    setTimeout(() => s.destroy(), STEP_TIMEOUT).unref();
  });
}

/**
 * Plays `sc` through `command` (haproxy or bin/portier) started as `command -db -f cfg`.
 * Throws StartError if the proxy does not start (a Portier refusing an unsupported keyword).
 */
export async function playScenario(command: string, sc: Scenario): Promise<PlayResult> {
  const dir = mkdtempSync(join(tmpdir(), 'balance-'));
  const services = new Services();
  let child: ChildProcess | undefined;
  const held: Socket[] = [];
  try {
    await services.start(sc.services, sc.dead);
    const ports = new Map([...[...services.servers].map(([n, v]) => [n, v.port] as const), ...services.dead]);
    const port = await freePort();
    const sock = join(dir, 'admin.sock');
    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(cfg, scenarioConfig(sc, ports, port, sock));
    let out = '';
    child = spawn(command, ['-db', '-f', cfg], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', (e) => (out += `cannot run ${command}: ${e.message}\n`));
    child.stdout!.setEncoding('latin1').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('latin1').on('data', (d: string) => (out += d));
    await waitForSocket(sock, child, () => out);
    await waitListening(port, child, () => out);

    const sequence: string[] = [];
    const cli: string[] = [];
    let open = 0;
    for (const [index, step] of sc.steps.entries()) {
      if ('connect' in step) {
        for (let i = 0; i < step.connect; i++) {
          const from = step.from ? step.from[i % step.from.length] : undefined;
          const { socket, name } = await dial(port, from);
          sequence.push(name);
          if (step.hold) {
            held.push(socket);
            open++;
          } else {
            held.push(socket);
            await closeSocket(socket);
            held.pop();
            await services.settle(open);
          }
        }
      } else if ('close' in step) {
        for (const i of step.close) {
          const s = held[i];
          if (!s || s.destroyed) throw new Error(`scenario ${sc.name}: no held connection ${i}`);
          await closeSocket(s);
          open--;
        }
        await services.settle(open);
      } else {
        const answer = await cliCommand(sock, step.cli);
        if (/Unknown command/i.test(answer)) throw new CliRefused(step.cli, index);
        cli.push(answer);
      }
    }
    return { sequence, cli };
  } finally {
    for (const s of held) s.destroy();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
