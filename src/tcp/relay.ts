/** One direction of a TCP stream's data phase. */
import { Socket, type OnReadOpts } from 'node:net';

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
  from.on('end', ended);
}

/**
 * Relays a socket a server accepted (`from`) into `to`, reading it into a buffer of its own
 * (BufferedRelay.adopt) when this Node allows it, else with relay(). What Node read ahead while
 * `from` was paused (up to its high-water mark) is still in the socket's own buffer: it is
 * written first. Returns the BufferedRelay to release when the stream ends, if one was used.
 * `adopt`: false forces relay() (tests).
 */
export function relayAccepted(from: Socket, to: Socket, active: () => void, ended: () => void, adopt = canAdopt): BufferedRelay | undefined {
  if (adopt) {
    for (let chunk = from.read() as Buffer | null; chunk !== null; chunk = from.read() as Buffer | null) to.write(chunk);
    const r = new BufferedRelay();
    if (r.adopt(from)) {
      r.start(from, to, active, ended);
      return r;
    }
    r.release();
  }
  relay(from, to, active, ended);
  return undefined;
}

/**
 * Size of a connection's read buffer. Node's own reads allocate a new 64 kB buffer each time
 * (then garbage to collect); a reader given to net.connect's `onread` reads into one buffer of
 * its own, reused for the life of the connection.
 */
const READ_BUFFER = 65536;
/** Buffers of finished streams, kept for the next ones (bounded: idle memory stays small). */
const spare: Buffer[] = [];
const SPARE_MAX = 256;

/**
 * Where Node keeps an `onread` socket's buffer and callback: two symbol-keyed properties of the
 * Socket (lib/net.js kBuffer, kBufferCb), which its read callback (onStreamRead) and
 * pause()/resume()/read() consult. Found once, by value, on a socket made with `onread`;
 * undefined when this Node keeps them otherwise (then accepted sockets use relay()), or when
 * the environment sets PORTIER_ADOPT_SOCKETS=0 (the same fallback, on purpose).
 */
const slots = process.env['PORTIER_ADOPT_SOCKETS'] === '0' ? undefined : findReadSlots();

function findReadSlots(): { buffer: symbol; callback: symbol } | undefined {
  try {
    const buffer = Buffer.alloc(1);
    const callback = (): boolean => true;
    const probe = new Socket({ onread: { buffer, callback } });
    const own = probe as unknown as Record<symbol, unknown>;
    const syms = Object.getOwnPropertySymbols(probe);
    const b = syms.find((s) => own[s] === buffer);
    const c = syms.find((s) => own[s] === callback);
    probe.destroy();
    return b !== undefined && c !== undefined ? { buffer: b, callback: c } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether accepted sockets can be read like `onread` ones on this Node (see adopt()). */
export const canAdopt = slots !== undefined;

/**
 * One direction read into one buffer of the stream's: each read lands in the buffer and is
 * written to the other side at once. While a write waits in Node's queue it still uses that
 * buffer, so the source is not read again until the write is done: the same backpressure as
 * relay(), without a chunk allocated per read.
 *
 * A socket Portier connects gets it through net.connect's `onread` (this.onread); a socket a
 * server accepted, through adopt(), which does to it what Node does for `onread`.
 */
export class BufferedRelay {
  private readonly buffer: Buffer = spare.pop() ?? Buffer.allocUnsafe(READ_BUFFER);
  private from?: Socket;
  private to?: Socket;
  private active: () => void = noop;
  /** A write to `to` is still using the buffer: `from` is paused until it is done. */
  private waiting = false;
  private released = false;
  /**
   * Before start(), where an adopted socket's reads go: a copy of each (the buffer is read into
   * again at once). Without it nothing is read before start().
   */
  early?: (chunk: Buffer) => void;

  /** For net.connect({ onread }). */
  readonly onread: OnReadOpts = { buffer: this.buffer, callback: (n, buf) => this.onRead(n, buf) };

  /**
   * Makes an accepted socket read into this relay's buffer, as `onread` would have (Node's
   * Socket constructor stores the buffer and callback, then its handle's useUserBuffer() makes
   * the reads land there). Returns false, changing nothing, when this Node's internals are not
   * the expected ones or when the socket already has something read but not consumed
   * (`readableLength`): the caller then relays 'data' events. Once adopted the socket emits no
   * more 'data'; 'end', 'error', 'close', pause() and resume() behave as before.
   */
  adopt(socket: Socket): boolean {
    const s = slots;
    const own = socket as unknown as Record<symbol, unknown> & { _handle?: { useUserBuffer?: unknown } | null };
    const handle = own._handle;
    if (s === undefined || !handle || typeof handle.useUserBuffer !== 'function') return false;
    if (own[s.buffer] !== null || own[s.callback] !== null || socket.readableLength > 0) return false;
    own[s.buffer] = this.buffer;
    own[s.callback] = this.onread.callback;
    (handle.useUserBuffer as (b: Buffer) => void).call(handle, this.buffer);
    this.from = socket;
    return true;
  }

  /** Starts relaying what `from` (created with this.onread, or adopted) reads into `to`. */
  start(from: Socket, to: Socket, active: () => void, ended: () => void): void {
    this.from = from;
    this.to = to;
    this.active = active;
    this.early = undefined;
    from.on('end', ended);
  }

  private onRead(n: number, buf: Uint8Array): boolean {
    const to = this.to;
    if (!to) {
      const early = this.early;
      // Nothing is read before start() (the connection is not up); stop reading just in case.
      if (!early) return false;
      early(Buffer.copyBytesFrom(buf, 0, n));
      return true;
    }
    this.active();
    to.write(n === buf.length ? buf : buf.subarray(0, n), this.written);
    if (to.writableLength === 0) return true;
    // Part of it waits for the other side: the buffer is not free yet.
    this.waiting = true;
    return false;
  }

  private readonly written = (err?: Error | null): void => {
    // Only once the writer's queue is empty: a callback of an earlier (already written) chunk
    // must not resume while the last one still uses the buffer.
    if (!this.waiting || err || (this.to !== undefined && this.to.writableLength > 0)) return;
    this.waiting = false;
    this.from?.resume();
  };

  /**
   * The stream is over: the buffer goes back for another stream unless a write may still use
   * it, or its socket may still read into it (not destroyed yet: a rejected client is shut
   * down before it is closed).
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (!this.waiting && (this.from === undefined || this.from.destroyed) && spare.length < SPARE_MAX) spare.push(this.buffer);
  }
}

function noop(): void {}
