/**
 * Peers for the log tests: a UDP syslog receiver on 127.0.0.1 port 0, an echo server, and a
 * runner that starts /usr/sbin/haproxy on a configuration, lets a client talk through it, stops
 * it softly (SIGUSR1: it then logs "Proxy X stopped") and returns what it sent to the receiver.
 * Run by hand: `node dist/test/integration/log-peers.js <cfg>` prints haproxy's datagrams.
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import { freePort, tempDir, waitForListener } from '../helpers/process.js';
import type { StreamLogInfo } from '../../src/runtime/stream-info.js';

export const HAPROXY = '/usr/sbin/haproxy';

/** The defaults section the log tests share: tcp mode and short timeouts. */
export const TCP_DEFAULTS = `defaults
    mode tcp
    timeout client 5s
    timeout server 5s
    timeout connect 1s
`;
export const haveHaproxy = (): boolean => existsSync(HAPROXY);

export interface Receiver {
  readonly port: number;
  readonly lines: string[];
  /** Waits until `n` datagrams arrived (or `ms` passed). */
  wait(n: number, ms?: number): Promise<string[]>;
  close(): void;
}

/** Runs `fn` with a UDP syslog receiver, closed afterwards whatever happens. */
export async function withReceiver(fn: (recv: Receiver) => Promise<void>): Promise<void> {
  const recv = await udpReceiver();
  try {
    await fn(recv);
  } finally {
    recv.close();
  }
}

export async function udpReceiver(): Promise<Receiver> {
  const socket: DgramSocket = createSocket('udp4');
  const lines: string[] = [];
  socket.on('message', (m) => lines.push(m.toString('latin1')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    lines,
    async wait(n, ms = 3000) {
      const end = Date.now() + ms;
      while (lines.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      return lines;
    },
    close: () => socket.close(),
  };
}

export async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((c) => {
    c.on('data', (d) => c.write(d));
    c.on('end', () => c.end());
    c.on('error', () => c.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  return { server, port: typeof a === 'object' && a ? a.port : 0 };
}

/** Sends `data`, half-closes, reads until the server closes. */
export function talk(port: number, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let got = '';
    c.on('connect', () => c.end(data));
    c.on('data', (d) => (got += d.toString('latin1')));
    c.on('close', () => resolve(got));
    c.on('error', reject);
    c.setTimeout(5000, () => c.destroy(new Error('timeout')));
  });
}

/**
 * Runs haproxy on `cfg` (it must bind `port`), calls `client`, then stops haproxy with SIGUSR1
 * and waits for it to exit. Returns haproxy's stderr.
 */
export async function runHaproxy(cfg: string, port: number, client: () => Promise<void>): Promise<string> {
  const dir = tempDir('portier-log-');
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, cfg);
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  child.stdout.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await waitForListener({ port, host: '127.0.0.1' }, 5000);
    await client();
  } finally {
    child.kill('SIGUSR1');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
  return err;
}

export { freePort };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A tcplog message read back into the stream information that produced it. */
export function parseTcplog(msg: string, feconnAt = 0): StreamLogInfo {
  const m =
    /^(\S+):(\d+) \[(\d+)\/(\w+)\/(\d+):(\d+):(\d+):(\d+)\.(\d+)\] (\S+) (\S+)\/(\S+) (-?\d+)\/(-?\d+)\/(\+?)(-?\d+) \+?(\d+) (.)(.) (\d+)\/(\d+)\/(\d+)\/(\d+)\/(\+?)(\d+) (\d+)\/(\d+)$/.exec(
      msg,
    );
  if (!m) throw new Error(`not a tcplog line: ${msg}`);
  const n = (i: number): number => Number(m[i]);
  return {
    acceptDate: new Date(Date.UTC(n(5), MONTHS.indexOf(m[4]!), n(3), n(6), n(7), n(8), n(9))),
    clientIp: m[1]!,
    clientPort: n(2),
    frontend: m[10]!.replace(/~$/, ''),
    frontendTransport: m[10]!,
    backend: m[11]!,
    server: m[12]!,
    frontendIp: '127.0.0.1',
    frontendPort: 0,
    queueTime: n(13) >= 0 ? n(13) - 1 : -1,
    connectTime: n(14),
    totalTime: n(16),
    handshakeTime: 0,
    idleTime: 0,
    bytesIn: 5,
    bytesOut: n(17),
    termination: { cause: m[18]!, phase: m[19]! },
    actconn: n(20),
    feconn: n(21) + feconnAt,
    beconn: n(22),
    srvConn: n(23),
    redispatched: m[24] === '+',
    retries: n(25),
    srvQueue: n(26),
    backendQueue: n(27),
    logasap: m[15] === '+',
  };
}


/** By hand: print the datagrams haproxy sends for a configuration given with ${RECV} and ${ECHO}. */
if (process.argv[1]?.endsWith('log-peers.js') && process.argv[2]) {
  const { readFileSync } = await import('node:fs');
  const recv = await udpReceiver();
  const echo = await echoServer();
  const port = await freePort();
  const cfg = readFileSync(process.argv[2], 'utf8').replaceAll('${RECV}', String(recv.port)).replaceAll('${ECHO}', String(echo.port)).replaceAll('${PORT}', String(port));
  await runHaproxy(cfg, port, async () => void (await talk(port, 'hello')));
  for (const l of await recv.wait(1000, 500)) process.stdout.write(JSON.stringify(l) + '\n');
  recv.close();
  echo.server.close();
}
