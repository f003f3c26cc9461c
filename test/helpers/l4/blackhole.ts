/**
 * A TCP address where a connection attempt hangs (no answer, no refusal), on loopback: a
 * listening socket in another process that never accepts, its accept queue filled. Linux drops
 * the SYNs of a listener whose accept queue is full (the client retransmits after 1 s), so an
 * attempt in flight stays in SYN_SENT for longer than any short `timeout connect`. A
 * non-routable address (192.0.2.1) is not reliable: in a container it may be the gateway and
 * refuse at once.
 *
 *   node blackhole.js     listens on 127.0.0.1:0 with backlog 1 (Node takes 0 for its default), prints {"port":N}, then blocks
 *                         its event loop so that nothing is ever accepted; leaves when its
 *                         parent does.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { within } from './net.js';
import { spawnListening } from './peer-process.js';

const SELF = fileURLToPath(import.meta.url);

export interface Blackhole {
  readonly port: number;
  close(): Promise<void>;
}

export async function blackhole(): Promise<Blackhole> {
  const { port, child, exited } = await spawnListening(SELF, [], 'the blackhole process');
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const s of fillers) s.destroy();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await within(exited, 10_000, 'the blackhole process to exit');
  };
  // Fill the accept queue: attempts that connect are queued; stop at the first that hangs.
  for (let i = 0; i < 16; i++) {
    const s = connect({ port, host: '127.0.0.1' });
    s.on('error', () => undefined);
    fillers.push(s);
    const ok = await new Promise<boolean>((r) => {
      const t = setTimeout(() => r(false), 300);
      s.once('connect', () => {
        clearTimeout(t);
        r(true);
      });
    });
    if (!ok) break;
    if (i === 15) {
      await close();
      throw new Error('the blackhole listener kept accepting connections');
    }
  }
  return { port, close };
}

function serve(): void {
  const server = createServer(() => undefined);
  server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`, () => {
      // Never return to the event loop: the kernel queues connections and nobody accepts them.
      // Wake every 200 ms to see whether the parent is gone (then we are re-parented).
      const parent = process.ppid;
      const cell = new Int32Array(new SharedArrayBuffer(4));
      while (process.ppid === parent) Atomics.wait(cell, 0, 0, 200);
      process.exit(0);
    });
  });
}

if (process.argv[1] === SELF) serve();
