/** One direction of a TCP stream's data phase. */
import type { OnReadOpts, Socket } from 'node:net';

/**
 * Copies `from` into `to` with backpressure (a full writer pauses the reader), calls `active`
 * on every chunk, and `ended` when `from` has closed its half (then `to` is half-closed).
 */
export function relay(from: Socket, to: Socket, active: () => void, ended: () => void): void {
  from.on('data', (chunk: Buffer) => {
    active();
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.once('end', ended);
}

/**
 * Size of a server connection's read buffer. Node's own reads allocate a new 64 kB buffer
 * each time (then garbage to collect); a reader given to net.connect's `onread` reads into one
 * buffer of its own, reused for the life of the connection.
 */
const READ_BUFFER = 65536;
/** Buffers of finished streams, kept for the next ones (bounded: idle memory stays small). */
const spare: Buffer[] = [];
const SPARE_MAX = 256;

/**
 * The server-to-client direction, read with `onread` (net.connect): each read lands in the
 * stream's buffer and is written to the client at once. While a write waits in Node's queue it
 * still uses that buffer, so the server is not read again until the write is done: the same
 * backpressure as relay(), without a chunk allocated per read.
 */
export class BufferedRelay {
  private readonly buffer: Buffer = spare.pop() ?? Buffer.allocUnsafe(READ_BUFFER);
  private from?: Socket;
  private to?: Socket;
  private active: () => void = noop;
  /** A write to `to` is still using the buffer: `from` is paused until it is done. */
  private waiting = false;
  private released = false;

  /** For net.connect({ onread }). */
  readonly onread: OnReadOpts = { buffer: this.buffer, callback: (n, buf) => this.onRead(n, buf) };

  /** Starts relaying what `from` (created with this.onread) reads into `to`. */
  start(from: Socket, to: Socket, active: () => void, ended: () => void): void {
    this.from = from;
    this.to = to;
    this.active = active;
    from.once('end', ended);
  }

  private onRead(n: number, buf: Uint8Array): boolean {
    const to = this.to;
    // Nothing is read before start() (the connection is not up); stop reading just in case.
    if (!to) return false;
    this.active();
    to.write(n === buf.length ? buf : buf.subarray(0, n), this.written);
    if (to.writableLength === 0) return true;
    // Part of it waits for the client: the buffer is not free yet.
    this.waiting = true;
    return false;
  }

  private readonly written = (err?: Error | null): void => {
    // Only once the client's queue is empty: a callback of an earlier (already written) chunk
    // must not resume while the last one still uses the buffer.
    if (!this.waiting || err || (this.to !== undefined && this.to.writableLength > 0)) return;
    this.waiting = false;
    this.from?.resume();
  };

  /** The stream is over: the buffer goes back for another stream unless a write may still use it. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (!this.waiting && spare.length < SPARE_MAX) spare.push(this.buffer);
  }
}

function noop(): void {}
