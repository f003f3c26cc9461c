/** One direction of a TCP stream's data phase. */
import { Socket, type OnReadOpts } from 'node:net';
import { getSystemErrorName } from 'node:util';
import { LinkedSet, type Linked } from '../runtime/linked-set.js';

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
 * its own, reused while data flows.
 */
const READ_BUFFER = 65536;
/** Buffers of finished or idle streams, kept for the next ones (bounded: idle memory stays small). */
const spare: Buffer[] = [];
const SPARE_MAX = 256;

/**
 * Where Node keeps an `onread` socket's buffer, callback and buffer function: three
 * symbol-keyed properties of the Socket (lib/net.js kBuffer, kBufferCb, kBufferGen), which its
 * read callback (onStreamRead) and pause()/resume()/read() consult. Found once, by value, on
 * a socket made with `onread`; undefined when this Node keeps them otherwise (then accepted
 * sockets use relay() and no stream gives its buffer back while idle), or when the environment
 * sets PORTIER_ADOPT_SOCKETS=0 (the same fallback, on purpose).
 */
const slots = process.env['PORTIER_ADOPT_SOCKETS'] === '0' ? undefined : findReadSlots();

function findReadSlots(): { buffer: symbol; callback: symbol; gen: symbol } | undefined {
  try {
    const buffer = Buffer.alloc(1);
    const callback = (): boolean => true;
    const probe = new Socket({ onread: { buffer, callback } });
    const own = probe as unknown as Record<symbol, unknown>;
    const syms = Object.getOwnPropertySymbols(probe);
    const b = syms.find((s) => own[s] === buffer);
    const c = syms.find((s) => own[s] === callback);
    probe.destroy();
    // With a function as `buffer`, Node keeps the function in a third slot (kBufferGen).
    const gen = (): Buffer => buffer;
    const probe2 = new Socket({ onread: { buffer: gen, callback } });
    const own2 = probe2 as unknown as Record<symbol, unknown>;
    const g = Object.getOwnPropertySymbols(probe2).find((s) => own2[s] === gen);
    probe2.destroy();
    if (b === undefined || c === undefined || g === undefined || g === b || g === c) return undefined;
    return { buffer: b, callback: c, gen: g };
  } catch {
    return undefined;
  }
}

/** Whether accepted sockets can be read like `onread` ones on this Node (see adopt()). */
export const canAdopt = slots !== undefined;

/**
 * What a relay needs to write a chunk straight to a socket's handle (see writeDirect): Node's
 * stream_wrap binding (process.binding, the WriteWrap request and the shared state that tells
 * whether a write went async). Undefined when this Node has no such binding, or with
 * PORTIER_DIRECT_WRITES=0 (then every chunk goes through socket.write(), on purpose).
 */
const directWrites = process.env['PORTIER_DIRECT_WRITES'] === '0' ? undefined : findDirectWrites();

interface DirectWriteReq {
  handle: unknown;
  oncomplete: (this: DirectWriteReq, status: number) => void;
  async: boolean;
  /** Kept while libuv may still read it (an async write). */
  buffer: Uint8Array | null;
  relay: BufferedRelay | undefined;
  /** The chunk is in the relay's read buffer (else a chunk of its own: sendAside). */
  fromBuffer: boolean;
}

function findDirectWrites(): { WriteWrap: new () => DirectWriteReq; state: Int32Array; lastWriteWasAsync: number } | undefined {
  try {
    const sw = (process as unknown as { binding(name: string): Record<string, unknown> }).binding('stream_wrap');
    const WriteWrap = sw['WriteWrap'];
    const state = sw['streamBaseState'];
    const lastWriteWasAsync = sw['kLastWriteWasAsync'];
    if (typeof WriteWrap !== 'function' || !(state instanceof Int32Array) || typeof lastWriteWasAsync !== 'number') return undefined;
    return { WriteWrap: WriteWrap as new () => DirectWriteReq, state, lastWriteWasAsync };
  } catch {
    return undefined;
  }
}

/** A socket's libuv handle, as far as a direct write uses it. */
interface WritableHandle {
  writeBuffer(req: DirectWriteReq, data: Uint8Array): number;
}

/**
 * The handle a chunk can be written to directly, bypassing the socket's Writable machinery: a
 * plain (not TLS) socket, connected, not ended or destroyed, with nothing waiting in its own
 * queue (what waits there must go first; once it is handed to libuv, libuv keeps the order).
 */
function directHandle(to: Socket): WritableHandle | undefined {
  if (directWrites === undefined) return undefined;
  const s = to as Socket & { _handle?: Partial<WritableHandle> | null; encrypted?: boolean };
  const h = s._handle;
  if (!h || typeof h.writeBuffer !== 'function' || s.encrypted === true || s.connecting || s.writableLength !== 0 || s.writableEnded || s.destroyed) return undefined;
  return h as WritableHandle;
}

function afterDirectWrite(this: DirectWriteReq, status: number): void {
  const r = this.relay;
  this.relay = undefined;
  this.buffer = null;
  r?.directWritten(status, this.fromBuffer);
}

/**
 * Where an idle socket reads: one buffer for the whole process. Each read that lands here is
 * copied out (or the bytes written from a buffer of the stream's own) before the callback
 * returns, so before any other socket can read into it: no pending write ever refers to it.
 */
const LANDING = Buffer.allocUnsafe(READ_BUFFER);
/** A read into LANDING at least this big gives the stream a buffer of its own again (bulk). */
const PROMOTE_AT = 16384;
/**
 * Each demotion leaves a 56-byte object in Node's handle until the socket closes (see
 * demote()): a stream is demoted at most this many times (57 kB), then keeps its buffer.
 */
const DEMOTIONS_MAX = 1024;
/** How often idle streams are looked for: a stream with no read for a whole period is demoted. */
const SWEEP_MS = 1000;

/**
 * Relays that own a read buffer and could give it back when idle (see sweepIdleRelays). A
 * finished relay leaves at once (LinkedSet: nothing keeps its sockets alive until the next
 * sweep, which an array emptied by the sweep did).
 */
const owning = new LinkedSet<BufferedRelay>();
let sweeper: NodeJS.Timeout | undefined;

/**
 * Demotes the relays that have not read since the last sweep and have no write waiting (a relay
 * that joined since the last sweep is only marked seen). Runs every SWEEP_MS while some relay
 * owns a buffer; tests call it directly. Returns how many relays were demoted.
 */
export function sweepIdleRelays(): number {
  let n = 0;
  owning.forEach((r) => {
    if (r.sweep()) n++;
  });
  if (owning.size === 0 && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
  return n;
}

/** How many relays hold a read buffer of their own now (tests). */
export function relaysOwningBuffers(): number {
  return owning.size;
}

/** Buffers kept for the next streams (tests). */
export function spareBuffers(): number {
  return spare.length;
}

/**
 * One direction read into one buffer of the stream's: each read lands in the buffer and is
 * written to the other side at once. While a write waits in Node's queue it still uses that
 * buffer, so the source is not read again until the write is done: the same backpressure as
 * relay(), without a chunk allocated per read.
 *
 * A socket Portier connects gets it through net.connect's `onread` (this.onread); a socket a
 * server accepted, through adopt(), which does to it what Node does for `onread`.
 *
 * Idle streams hold no buffer (HAProxy holds buffers only while data waits): a relay that has
 * not read for a sweep period, with no write waiting, is demoted: its socket reads into the
 * process-wide LANDING buffer and its own buffer goes back to the spare ones. A read that lands
 * in LANDING is copied out at once; a big one (PROMOTE_AT, a bulk transfer starting again)
 * takes a buffer of its own for the next reads, small ones (an interactive protocol) stay on
 * LANDING.
 *
 * How the socket's buffer is changed (Node 24, checked by hand on this Node: bench/RESULTS.md):
 * - Node's C++ listener (CustomBufferJSListener) reads into the buffer given to the handle's
 *   useUserBuffer(), and after each read replaces it with what the JS handler returns, when
 *   that is not undefined. The handler (stream_base_commons.js onStreamRead) returns a buffer
 *   only when `onread.buffer` was a function (kBufferGen): it calls it after every read, stores
 *   the result in kBuffer (what the next callback receives as `buf`) and returns it. With a
 *   plain Buffer it returns undefined: setting kBuffer alone would make the callback get a
 *   buffer other than the one read into. So a demoted socket reads through a buffer function
 *   (this.next, put in kBufferGen at the demotion; before that the plain buffer is enough), and
 *   a promotion, made inside a read, only changes what it returns.
 * - Outside a read (the sweep) the only way is useUserBuffer(LANDING) (and kBuffer = LANDING),
 *   which pushes a new listener on the handle each time: about 56 bytes that stay until the
 *   socket closes (measured: 1,000,000 calls, +56 MB RSS). Hence DEMOTIONS_MAX, and small reads
 *   staying on LANDING instead of being promoted then demoted again.
 */
export class BufferedRelay implements Linked<BufferedRelay> {
  /** What the socket reads into next: a buffer of the relay's own, or LANDING once demoted. */
  private buffer: Buffer = spare.pop() ?? Buffer.allocUnsafe(READ_BUFFER);
  private from?: Socket;
  private to?: Socket;
  private active: () => void = noop;
  /** A write to `to` is still using the buffer: `from` is paused until it is done. */
  private waiting = false;
  /** Direct writes (writeDirect) still in libuv's queue. */
  private directPending = 0;
  private released = false;
  /** A read came since the last sweep. */
  private readLately = true;
  private demotions = 0;
  /** A sweep has passed since the relay joined `owning`. */
  private seen = false;
  linkedIn: object | undefined = undefined;
  linkedPrev: BufferedRelay | undefined = undefined;
  linkedNext: BufferedRelay | undefined = undefined;
  /**
   * Before start(), where an adopted socket's reads go: a copy of each (the buffer is read into
   * again at once). Without it nothing is read before start().
   */
  early?: (chunk: Buffer) => void;

  /** The relay holds a read buffer of its own (not demoted; tests). */
  get holdsBuffer(): boolean {
    return this.buffer !== LANDING;
  }

  /** Node calls it after each read: the buffer of the next read (see the class comment). */
  private readonly next = (): Buffer => this.buffer;

  private readonly callback = (n: number, buf: Uint8Array): boolean => this.onRead(n, buf as Buffer);

  /**
   * For net.connect({ onread }): the current buffer (this.next is put in place at a demotion).
   * Made at each call: an object kept here would keep the buffer alive after a demotion.
   */
  get onread(): OnReadOpts {
    return { buffer: this.buffer, callback: this.callback };
  }

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
    if (own[s.buffer] !== null || own[s.callback] !== null || own[s.gen] !== null || socket.readableLength > 0) return false;
    own[s.buffer] = this.buffer;
    own[s.callback] = this.callback;
    (handle.useUserBuffer as (b: Buffer) => void).call(handle, this.buffer);
    this.from = socket;
    this.own();
    return true;
  }

  /** Starts relaying what `from` (created with this.onread, or adopted) reads into `to`. */
  start(from: Socket, to: Socket, active: () => void, ended: () => void): void {
    this.from = from;
    this.to = to;
    this.active = active;
    this.early = undefined;
    from.on('end', ended);
    if (this.buffer !== LANDING) this.own();
  }

  /** The relay holds a buffer of its own: the sweep may take it back when idle. */
  private own(): void {
    if (slots === undefined || this.released || this.linkedIn !== undefined || this.demotions >= DEMOTIONS_MAX) return;
    this.readLately = true;
    this.seen = false;
    owning.add(this);
    sweeper ??= setInterval(sweepIdleRelays, SWEEP_MS).unref();
  }

  /** Out of `owning`. */
  private disown(): void {
    owning.delete(this);
  }

  private onRead(n: number, buf: Buffer): boolean {
    this.readLately = true;
    const to = this.to;
    if (!to) {
      const early = this.early;
      // Nothing is read before start() (the connection is not up); stop reading just in case.
      if (!early) return false;
      early(Buffer.copyBytesFrom(buf, 0, n));
      return true;
    }
    this.active();
    let chunk: Buffer;
    if (buf !== LANDING) chunk = n === buf.length ? buf : buf.subarray(0, n);
    else if (n >= PROMOTE_AT && !this.released) {
      // Bulk again: a buffer of its own, which Node reads into next (this.next returns it).
      const own = spare.pop() ?? Buffer.allocUnsafe(READ_BUFFER);
      buf.copy(own, 0, 0, n);
      this.buffer = own;
      chunk = n === own.length ? own : own.subarray(0, n);
      this.own();
    } else chunk = Buffer.copyBytesFrom(buf, 0, n);
    const handle = directHandle(to);
    if (handle !== undefined) return this.writeDirect(to, handle, chunk, true);
    to.write(chunk, this.written);
    if (to.writableLength === 0) return true;
    // Part of it waits for the other side: the buffer is not free yet.
    this.waiting = true;
    return false;
  }

  /**
   * Writes `chunk` straight to the socket's libuv handle, as Node's own socket.write() does at
   * its end (lib/internal/stream_base_commons.js writeGeneric), without the Writable stream
   * steps before it (its queue, state updates, a callback deferred to the next tick): at 50
   * bulk connections these were about a tenth of the proxy's CPU (bench/RESULTS.md). The
   * socket's byte count is its handle's, so it counts these bytes too. Returns true when all
   * was written at once; otherwise the rest waits in libuv's queue, which reads the buffer until
   * directWritten(): until then `from` is paused (the same backpressure as with write()), and
   * `waitingWrite` tells the stream that data is still on its way (before it ends or closes
   * the socket).
   */
  private writeDirect(to: Socket, handle: WritableHandle, chunk: Buffer, fromBuffer: boolean): boolean {
    const d = directWrites!;
    const req = new d.WriteWrap();
    req.handle = handle;
    req.oncomplete = afterDirectWrite;
    req.async = false;
    req.buffer = null;
    req.relay = this;
    req.fromBuffer = fromBuffer;
    const err = handle.writeBuffer(req, chunk);
    if (err !== 0) {
      // As Node's socket.write() does with a failed write: the socket is destroyed with it.
      to.destroy(errnoError(err));
      return false;
    }
    if (d.state[d.lastWriteWasAsync] === 0) return true;
    req.async = true;
    req.buffer = chunk;
    this.directPending++;
    if (fromBuffer) this.waiting = true;
    return false;
  }

  /**
   * Writes a chunk that is not in the relay's buffer (what the client sent before its server
   * was connected, copied out then) to `to`, ahead of what the relay reads: directly when it
   * can, as the relay's own reads, else with write().
   */
  sendAside(to: Socket, chunk: Buffer): void {
    const handle = directHandle(to);
    if (handle !== undefined) this.writeDirect(to, handle, chunk, false);
    else to.write(chunk);
  }

  /**
   * A direct write that went async is done (status < 0: it failed, the socket is destroyed).
   * `fromBuffer`: it used the read buffer, which is free again, so `from` reads again.
   */
  directWritten(status: number, fromBuffer: boolean): void {
    this.directPending--;
    if (status < 0) {
      if (this.to && !this.to.destroyed) this.to.destroy(errnoError(status));
      return;
    }
    if (!fromBuffer || !this.waiting) return;
    this.waiting = false;
    if (!this.released) this.from?.resume();
  }

  /** Data this relay wrote is still waiting to be sent (the socket's writableLength does not count a direct write). */
  get waitingWrite(): boolean {
    return this.directPending > 0;
  }

  private readonly written = (err?: Error | null): void => {
    // Only once the writer's queue is empty: a callback of an earlier (already written) chunk
    // must not resume while the last one still uses the buffer.
    if (!this.waiting || err || (this.to !== undefined && this.to.writableLength > 0)) return;
    this.waiting = false;
    this.from?.resume();
  };

  /** Called by sweepIdleRelays(): true when the relay was demoted. */
  sweep(): boolean {
    // The first sweep after joining only marks the relay: it has had less than a period.
    if (!this.seen) {
      this.seen = true;
      return false;
    }
    if (this.readLately) {
      this.readLately = false;
      return false;
    }
    if (this.waiting) return false;
    return this.demote();
  }

  /**
   * The socket reads into LANDING from now on, and the relay's buffer goes to the spare ones
   * (no write uses it: none waits). useUserBuffer() is the only way to change the buffer of a
   * handle outside a read (see the class comment).
   */
  private demote(): boolean {
    const s = slots;
    const from = this.from;
    this.disown();
    const own = from as unknown as (Record<symbol, unknown> & { _handle?: { useUserBuffer?: unknown } | null }) | undefined;
    const handle = own?._handle;
    if (s === undefined || !own || from!.destroyed || !handle || typeof handle.useUserBuffer !== 'function') return false;
    if (own[s.callback] !== this.callback || (own[s.gen] !== null && own[s.gen] !== this.next)) return false;
    (handle.useUserBuffer as (b: Buffer) => void).call(handle, LANDING);
    own[s.buffer] = LANDING;
    // From now on Node asks this.next for the buffer after each read (a promotion changes it).
    own[s.gen] = this.next;
    const mine = this.buffer;
    this.buffer = LANDING;
    this.demotions++;
    if (spare.length < SPARE_MAX) spare.push(mine);
    return true;
  }

  /**
   * The stream is over: the buffer goes back for another stream unless a write may still use
   * it, or its socket may still read into it (not destroyed yet: a rejected client is shut
   * down before it is closed).
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.disown();
    const mine = this.buffer;
    if (mine === LANDING) return;
    if (!this.waiting && (this.from === undefined || this.from.destroyed) && spare.length < SPARE_MAX) spare.push(mine);
  }
}

/** An error as Node makes them for a failed system call (code, errno, syscall). */
function errnoError(status: number): Error {
  let code: string;
  try {
    code = getSystemErrorName(status);
  } catch {
    code = `E${-status}`;
  }
  return Object.assign(new Error(`write ${code}`), { code, errno: status, syscall: 'write' });
}

function noop(): void {}
