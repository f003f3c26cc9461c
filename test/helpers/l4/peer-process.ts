/**
 * A server in its own process, for layer-4 tests that need one to die for real (SIGKILL) or to
 * hold more sockets than the test process should.
 *
 *   node peer-process.js <mode>     listens on 127.0.0.1:0, prints {"port":N} on one line
 *   mode 'echo':   echoes what it receives (idle connections stay open, at no cost)
 *   mode 'stream': sends 64 KiB blocks without end to each connection
 *
 * Also the module that starts it (startPeerProcess), imported by the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { within } from './net.js';

export type PeerMode = 'echo' | 'stream';

export interface PeerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

/**
 * Starts `node <script> <args>` and resolves once it prints {"port":N} (bounded). Its stdin is a
 * pipe from us: a helper process that leaves when its stdin ends leaves with us, even if we die
 * without stopping it.
 */
export async function spawnListening(script: string, args: readonly string[], what: string): Promise<{ port: number; child: ChildProcess; exited: Promise<void> }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let out = '';
  child.stdout!.setEncoding('latin1');
  const port = await within(
    new Promise<number>((resolve, reject) => {
      child.stdout!.on('data', (d: string) => {
        out += d;
        const m = /\{"port":(\d+)\}/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
    }),
    15_000,
    `${what} to listen`,
  );
  return { port, child, exited };
}

export async function startPeerProcess(mode: PeerMode): Promise<PeerProcess> {
  const { port, child, exited } = await spawnListening(SELF, [mode], `the ${mode} peer process`);
  return {
    port,
    child,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await within(exited, 10_000, 'the peer process to exit');
    },
  };
}

function serve(mode: PeerMode): void {
  const block = Buffer.alloc(64 * 1024, 's');
  const server = createServer((s) => {
    s.on('error', () => s.destroy());
    if (mode === 'echo') {
      s.pipe(s);
      return;
    }
    const pump = (): void => {
      while (!s.destroyed && s.write(block));
      if (!s.destroyed) s.once('drain', pump);
    };
    pump();
  });
  server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  // Leave with the test: its exit closes our stdin.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

if (process.argv[1] === SELF) serve(process.argv[2] as PeerMode);
