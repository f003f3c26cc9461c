/**
 * Small real TCP peers for the layer-4 tests, all on loopback addresses with ports chosen by the
 * OS, and bounded waits; extends test/helpers/process.ts (exchange is that file's).
 */
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type NetConnectOpts, type Server, type Socket } from 'node:net';
import { exchange as baseExchange, freePort } from '../process.js';

export type Target = { port: number; host?: string } | { path: string };

/** Resolves when `cond()` is true; rejects after `timeoutMs` with `what` in the message. */
export async function until(cond: () => boolean, timeoutMs: number, what: string, stepMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** `p`, or a rejection after `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** Retries a connection until something accepts (bounded). */
export async function waitForListener(target: Target, timeoutMs = 15_000, alive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(target as NetConnectOpts);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (alive && !alive()) throw new Error(`the process meant to listen on ${JSON.stringify(target)} has exited`);
    if (Date.now() > deadline) throw new Error(`nothing listens on ${JSON.stringify(target)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** A TCP port free on `host` at the time of the call, never handed out twice (process.ts). */
export { freePort };

export interface Service {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  accepted: number;
  /** Sockets currently open on the server side. */
  readonly open: Set<Socket>;
  close(): Promise<void>;
}

/** Listens on host:0 and runs `onSocket` for each connection; counts and tracks them. */
export async function service(onSocket: (s: Socket, svc: Service) => void, host = '127.0.0.1'): Promise<Service> {
  const open = new Set<Socket>();
  const svc = { accepted: 0, open } as Service & { server: Server; port: number; host: string };
  const server = createServer({ allowHalfOpen: false }, (s) => {
    svc.accepted++;
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => s.destroy());
    onSocket(s, svc);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0, backlog: 4096 }, resolve);
  });
  Object.assign(svc, {
    server,
    host,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  });
  return svc;
}

/** Greets each connection with `name` and a newline, then echoes what it receives. */
export function greeter(name: string, host = '127.0.0.1'): Promise<Service> {
  return service((s) => {
    s.write(`${name}\n`);
    s.pipe(s);
  }, host);
}

/** Echoes what it receives, no greeting. */
export function echo(host = '127.0.0.1'): Promise<Service> {
  return service((s) => s.pipe(s), host);
}

/**
 * A port where nothing listens: connecting to it is refused. Taken below the ephemeral range,
 * where the listeners of concurrent tests (port 0) and outgoing connections never land, so it
 * stays closed for the test's duration.
 */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  let low = 32768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'latin1').trim().split(/\s+/)[0]) || low;
  } catch {
    // not Linux: the usual default
  }
  for (let tries = 0; tries < 50; tries++) {
    const port = 10000 + Math.floor(Math.random() * (low - 10001));
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, host, () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  return freePort(host);
}

/**
 * Connects, sends `data` (then half-closes unless told not to), and collects everything until
 * the connection closes (bounded).
 */
export function exchange(target: Target, data: string, opts: { halfClose?: boolean; timeoutMs?: number } = {}): Promise<string> {
  return baseExchange(target as { port: number }, data, opts.halfClose ?? true, opts.timeoutMs ?? 10_000);
}

/** Opens a connection and resolves once it is established (bounded). */
export function open(target: Target, timeoutMs = 10_000): Promise<Socket> {
  return within(
    new Promise<Socket>((resolve, reject) => {
      const s = connect(target as NetConnectOpts);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    }),
    timeoutMs,
    `a connection to ${JSON.stringify(target)}`,
  );
}

/** Resolves with how the socket ended: 'end' (FIN read), 'close', or the error code. */
export function ending(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    if (s.destroyed) return resolve('close');
    let how = '';
    s.once('end', () => (how ||= 'end'));
    s.once('error', (e: NodeJS.ErrnoException) => (how ||= e.code ?? 'error'));
    s.once('close', () => resolve(how || 'close'));
    s.resume();
  });
}
