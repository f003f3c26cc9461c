/**
 * HandleEndpoint: a plain TCP connection on libuv's TCP handle (Node's tcp_wrap binding), with
 * no net.Socket around it: a client connection a listener accepted, or a connection to a
 * server. See endpoint.ts for why, and bench/RESULTS.md for what it saves.
 *
 * Node's internals it relies on (checked at load; without them, or with PORTIER_RAW_SOCKETS=0,
 * `rawSockets` is false and every connection is a net.Socket in a SocketEndpoint):
 * process.binding('tcp_wrap') and ('stream_wrap'); the TCP handle's connect/connect6,
 * bind/bind6, readStart/readStop, useUserBuffer, writeBuffer, shutdown, close, reset,
 * getsockname/getpeername, setNoDelay, setKeepAlive; the `onread` property libuv's listener
 * calls; and the shared streamBaseState array that tells a read's length and whether a write
 * went async. These are what lib/net.js and lib/internal/stream_base_commons.js use (Node 24).
 *
 * Reads, and the buffers they land in (HAProxy holds a buffer only while data waits; 10,000
 * idle connections must not hold 64 kB each):
 * - A new connection reads the way Node's handles do by default: each read gets memory of its
 *   own, sized to what was read (Node allocates 64 kB, reads, then shrinks it). Short
 *   connections and interactive protocols never hold a buffer.
 * - A big read (PROMOTE_AT or more: a bulk transfer) gives the connection a 64 kB buffer of its
 *   own, reused for every read while data flows (handle.useUserBuffer; libuv's listener then
 *   reads into the buffer returned by `onread` after each read).
 * - A connection that owns a buffer and has not read for a sweep period (sweepIdleEndpoints) is
 *   demoted: it reads into LANDING, one buffer for the whole process, and its own goes back to
 *   the spare ones. A read that lands in LANDING is copied out before the owner sees it (so no
 *   write ever refers to LANDING), or, when big, moved into a buffer of its own again.
 * - useUserBuffer() outside a read pushes a new listener on the handle each time (about 56 bytes
 *   that stay until the handle closes: 1,000,000 calls, +56 MB RSS): a connection is demoted at
 *   most DEMOTIONS_MAX times, then keeps its buffer.
 */
import { isIPv6 } from 'node:net';
import { getSystemErrorName } from 'node:util';
import { LinkedSet, type Linked } from '../runtime/linked-set.js';
import type { Endpoint, EndpointOwner } from './endpoint.js';

/** libuv's TCP handle, as tcp_wrap exposes it (the methods used here). */
export interface TcpHandle {
  onread: (this: TcpHandle, arrayBuffer: ArrayBuffer | undefined) => Uint8Array | undefined;
  connect(req: ConnectReq, address: string, port: number): number;
  connect6(req: ConnectReq, address: string, port: number): number;
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  readStart(): number;
  readStop(): number;
  useUserBuffer(buf: Uint8Array): void;
  writeBuffer(req: WriteReq, data: Uint8Array): number;
  shutdown(req: ShutdownReq): number;
  close(cb: (this: TcpHandle) => void): void;
  reset(cb: (this: TcpHandle) => void): number;
  getsockname(out: Record<string, unknown>): number;
  getpeername(out: Record<string, unknown>): number;
  setNoDelay(enable: boolean): number;
  setKeepAlive(enable: boolean, delaySeconds: number): number;
  /** The endpoint that owns the handle (set here; read by the shared callbacks). */
  portierEndpoint?: HandleEndpoint;
}
interface ConnectReq {
  oncomplete: (status: number, handle: TcpHandle) => void;
}
interface WriteReq {
  handle: TcpHandle;
  oncomplete: (this: WriteReq, status: number) => void;
  async: boolean;
  /** Kept while libuv may still read it (an async write). */
  buffer: Uint8Array | null;
  endpoint: HandleEndpoint | undefined;
}
interface ShutdownReq {
  handle: TcpHandle;
  oncomplete: (this: ShutdownReq, status: number) => void;
  endpoint: HandleEndpoint;
}

interface Bindings {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => ConnectReq;
  WriteWrap: new () => WriteReq;
  ShutdownWrap: new () => ShutdownReq;
  socketType: number;
  state: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
}

/** libuv's UV_EOF (lib/internal/stream_base_commons.js compares with the same constant). */
const UV_EOF = -4095;

const HANDLE_METHODS = [
  'connect', 'connect6', 'bind', 'bind6', 'readStart', 'readStop', 'useUserBuffer', 'writeBuffer',
  'shutdown', 'close', 'reset', 'getsockname', 'getpeername', 'setNoDelay', 'setKeepAlive',
];

function loadBindings(): Bindings | undefined {
  if (process.env['PORTIER_RAW_SOCKETS'] === '0') return undefined;
  try {
    const p = process as unknown as { binding(name: string): Record<string, unknown> };
    const tcp = p.binding('tcp_wrap') as { TCP?: unknown; TCPConnectWrap?: unknown; constants?: { SOCKET?: number } };
    const sw = p.binding('stream_wrap');
    const b = {
      TCP: tcp.TCP,
      TCPConnectWrap: tcp.TCPConnectWrap,
      WriteWrap: sw['WriteWrap'],
      ShutdownWrap: sw['ShutdownWrap'],
      socketType: tcp.constants?.SOCKET,
      state: sw['streamBaseState'],
      kReadBytesOrError: sw['kReadBytesOrError'],
      kArrayBufferOffset: sw['kArrayBufferOffset'],
      kLastWriteWasAsync: sw['kLastWriteWasAsync'],
    };
    if (
      typeof b.TCP !== 'function' ||
      typeof b.TCPConnectWrap !== 'function' ||
      typeof b.WriteWrap !== 'function' ||
      typeof b.ShutdownWrap !== 'function' ||
      typeof b.socketType !== 'number' ||
      !(b.state instanceof Int32Array) ||
      typeof b.kReadBytesOrError !== 'number' ||
      typeof b.kArrayBufferOffset !== 'number' ||
      typeof b.kLastWriteWasAsync !== 'number'
    ) {
      return undefined;
    }
    const probe = new (b.TCP as new (type: number) => Record<string, unknown>)(b.socketType);
    const complete = HANDLE_METHODS.every((m) => typeof probe[m] === 'function');
    (probe['close'] as (cb: () => void) => void).call(probe, () => {});
    return complete ? (b as unknown as Bindings) : undefined;
  } catch {
    return undefined;
  }
}

const bindings = loadBindings();

/** Whether connections are made on raw handles (else net.Socket everywhere). */
export const rawSockets = bindings !== undefined;

/** Whether `handle` (a listener's accepted connection) is a TCP handle this module can take. */
export function isTcpHandle(handle: unknown): handle is TcpHandle {
  return bindings !== undefined && handle instanceof bindings.TCP;
}

/** Size of a connection's own read buffer. */
const READ_BUFFER = 65536;
/** Buffers of finished or idle connections, kept for the next ones (bounded: idle memory stays small). */
const spare: Buffer[] = [];
const SPARE_MAX = 256;
/** Where demoted connections read: one buffer for the process (each read is copied out at once). */
const LANDING = Buffer.allocUnsafe(READ_BUFFER);
/** A read at least this big gives the connection a buffer of its own (bulk). */
const PROMOTE_AT = 16384;
/** A connection is demoted at most this many times (each leaves 56 bytes on its handle), then keeps its buffer. */
const DEMOTIONS_MAX = 1024;
/** How often idle connections are looked for: one with no read for a whole period is demoted. */
const SWEEP_MS = 1000;

/** Connections that own a read buffer and could give it back when idle. */
const owning = new LinkedSet<HandleEndpoint>();
let sweeper: NodeJS.Timeout | undefined;

/**
 * Demotes the connections that own a buffer and have not read since the last sweep, and are not
 * paused (a paused connection's buffer may still be in a pending write). One that joined since
 * the last sweep is only marked seen. Runs every SWEEP_MS while some connection owns a buffer;
 * tests call it directly. Returns how many were demoted.
 */
export function sweepIdleEndpoints(): number {
  let n = 0;
  owning.forEach((ep) => {
    if (ep.sweep()) n++;
  });
  if (owning.size === 0 && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
  return n;
}

/** How many connections hold a read buffer of their own now (tests). */
export function endpointsOwningBuffers(): number {
  return owning.size;
}

/** Buffers kept for the next connections (tests). */
export function spareBuffers(): number {
  return spare.length;
}

/** An error as Node's net makes them (code, errno, syscall), from a libuv status. */
export function uvError(status: number, syscall: string): Error {
  let code: string;
  try {
    code = getSystemErrorName(status);
  } catch {
    code = `E${-status}`;
  }
  return Object.assign(new Error(`${syscall} ${code}`), { code, errno: status, syscall });
}

interface Address {
  address: string;
  family: string;
  port: number;
}

export class HandleEndpoint implements Endpoint, Linked<HandleEndpoint> {
  owner: EndpointOwner;
  connecting: boolean;
  destroyed = false;
  bytesRead = 0;
  bytesWritten = 0;
  paused = true;
  linkedIn: object | undefined = undefined;
  linkedPrev: HandleEndpoint | undefined = undefined;
  linkedNext: HandleEndpoint | undefined = undefined;
  private readonly handle: TcpHandle;
  /** Async writes still in libuv's queue. */
  private pendingWrites = 0;
  /** A write() returned false: endpointDrain is due when none is pending. */
  private drainWanted = false;
  /** Where reads land: undefined (memory of their own per read), a buffer of its own, or LANDING. */
  private buffer: Buffer | undefined = undefined;
  /**
   * The owner returned false for the last read (that read's bytes may be in a pending write):
   * the buffer is not given to another connection until resume().
   */
  private lent = false;
  private readEnded = false;
  private shutRequested = false;
  private shutDone = false;
  /** end(true): closed once the shutdown is done. */
  private closeAfterShut = false;
  /** Why the connection failed: endpointError is called with it before endpointClose. */
  private failure: Error | undefined = undefined;
  private readLately = true;
  private seen = false;
  private demotions = 0;
  private peer: Address | null | undefined = undefined;
  private sock: Address | null | undefined = undefined;

  private constructor(handle: TcpHandle, owner: EndpointOwner, connecting: boolean) {
    this.handle = handle;
    this.owner = owner;
    this.connecting = connecting;
    handle.portierEndpoint = this;
    handle.onread = onHandleRead;
  }

  /** A connection a listener accepted (not read until resume()). */
  static accepted(handle: TcpHandle, owner: EndpointOwner): HandleEndpoint {
    handle.setNoDelay(true);
    return new HandleEndpoint(handle, owner, false);
  }

  /**
   * A connection to `host` (an IPv4 or IPv6 address) and `port`, from `localAddress`/`localPort`
   * when given (server or backend `source`). A failure to bind or connect is reported to the
   * owner (endpointError, endpointClose), as for a refused connection. Nothing may be written
   * before endpointConnected.
   */
  static connect(owner: EndpointOwner, host: string, port: number, localAddress?: string, localPort?: number): HandleEndpoint {
    const b = bindings!;
    const h = new b.TCP(b.socketType);
    const ep = new HandleEndpoint(h, owner, true);
    const v6 = isIPv6(host);
    let err = 0;
    if (localAddress !== undefined || localPort !== undefined) {
      const local = localAddress ?? (v6 ? '::' : '0.0.0.0');
      err = v6 ? h.bind6(local, localPort ?? 0, 0) : h.bind(local, localPort ?? 0);
      if (err) {
        ep.fail(uvError(err, 'bind'));
        return ep;
      }
    }
    const req = new b.TCPConnectWrap();
    req.oncomplete = afterConnect;
    err = v6 ? h.connect6(req, host, port) : h.connect(req, host, port);
    if (err) ep.fail(uvError(err, 'connect'));
    return ep;
  }

  get writePending(): boolean {
    return this.pendingWrites > 0;
  }

  /** Called by afterConnect. */
  connected(status: number): void {
    if (this.destroyed) return;
    this.connecting = false;
    if (status < 0) {
      this.fail(uvError(status, 'connect'));
      return;
    }
    this.handle.setNoDelay(true);
    // resume() while connecting only noted that reads are wanted.
    if (!this.paused) {
      const err = this.handle.readStart();
      if (err) {
        this.fail(uvError(err, 'read'));
        return;
      }
    }
    this.owner.endpointConnected(this);
  }

  resume(): void {
    this.lent = false;
    if (!this.paused) return;
    this.paused = false;
    if (this.connecting || this.destroyed || this.readEnded) return;
    const err = this.handle.readStart();
    if (err) this.fail(uvError(err, 'read'));
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (!this.connecting && !this.destroyed && !this.readEnded) this.handle.readStop();
  }

  /** Called by onHandleRead: `n` bytes read (in `arrayBuffer`, or in this.buffer), or n < 0 (EOF, an error). */
  read(n: number, arrayBuffer: ArrayBuffer | undefined): Uint8Array | undefined {
    if (this.destroyed) return undefined;
    if (n <= 0) {
      if (n < 0) this.readFailed(n);
      return undefined;
    }
    this.bytesRead += n;
    this.readLately = true;
    let chunk: Buffer;
    const buf = this.buffer;
    if (buf === undefined) {
      // Memory of its own, sized to the read (Node's default listener).
      chunk = Buffer.from(arrayBuffer!, bindings!.state[bindings!.kArrayBufferOffset]!, n);
      if (n >= PROMOTE_AT) this.promote();
    } else if (buf !== LANDING) {
      chunk = n === buf.length ? buf : buf.subarray(0, n);
    } else if (n >= PROMOTE_AT) {
      // Bulk again: a buffer of its own, which libuv reads into next (returned below).
      const own = takeBuffer();
      buf.copy(own, 0, 0, n);
      this.buffer = own;
      chunk = n === own.length ? own : own.subarray(0, n);
      this.own();
    } else {
      chunk = Buffer.copyBytesFrom(buf, 0, n);
    }
    if (!this.owner.endpointData(this, chunk)) {
      this.lent = true;
      this.pause();
    }
    return this.buffer;
  }

  /** Reads land in a buffer of the connection's own from the next one on (the chunk just read stays where it is). */
  private promote(): void {
    const own = takeBuffer();
    this.buffer = own;
    this.handle.useUserBuffer(own);
    this.own();
  }

  /** The sweep may take the buffer back when idle (not after DEMOTIONS_MAX demotions). */
  private own(): void {
    if (this.linkedIn !== undefined || this.demotions >= DEMOTIONS_MAX) return;
    this.readLately = true;
    this.seen = false;
    owning.add(this);
    sweeper ??= setInterval(sweepIdleEndpoints, SWEEP_MS).unref();
  }

  /** Called by sweepIdleEndpoints(): true when the connection was demoted. */
  sweep(): boolean {
    if (!this.seen) {
      this.seen = true;
      return false;
    }
    if (this.readLately) {
      this.readLately = false;
      return false;
    }
    if (this.paused || this.destroyed) return false;
    owning.delete(this);
    const mine = this.buffer;
    if (mine === undefined || mine === LANDING) return false;
    this.handle.useUserBuffer(LANDING);
    this.buffer = LANDING;
    this.demotions++;
    giveBack(mine);
    return true;
  }

  /** A read buffer of its own (not demoted; tests). */
  get holdsBuffer(): boolean {
    return this.buffer !== undefined && this.buffer !== LANDING;
  }

  private readFailed(n: number): void {
    if (n !== UV_EOF) {
      this.fail(uvError(n, 'read'));
      return;
    }
    // libuv stops reading at EOF.
    this.readEnded = true;
    this.owner.endpointEnd(this);
    if (this.shutDone && !this.destroyed) this.destroy();
  }

  write(chunk: Buffer): boolean {
    if (this.destroyed) return true;
    const b = bindings!;
    const req = new b.WriteWrap();
    req.handle = this.handle;
    req.oncomplete = afterWrite;
    req.async = false;
    req.buffer = null;
    req.endpoint = this;
    const err = this.handle.writeBuffer(req, chunk);
    if (err !== 0) {
      this.fail(uvError(err, 'write'));
      return true;
    }
    this.bytesWritten += chunk.length;
    if (b.state[b.kLastWriteWasAsync] === 0) return true;
    // The rest waits in libuv's queue, which reads `chunk` until afterWrite.
    req.async = true;
    req.buffer = chunk;
    this.pendingWrites++;
    this.drainWanted = true;
    return false;
  }

  /** Called by afterWrite once libuv has written (or given up on) an async write. */
  written(status: number): void {
    this.pendingWrites--;
    if (this.destroyed) return;
    if (status < 0) {
      this.fail(uvError(status, 'write'));
      return;
    }
    if (this.pendingWrites === 0 && this.drainWanted) {
      this.drainWanted = false;
      this.owner.endpointDrain(this);
    }
  }

  /** A FIN once what was written is sent (libuv queues the shutdown after the writes). */
  end(thenClose = false): void {
    if (this.destroyed || this.shutRequested) return;
    this.shutRequested = true;
    this.closeAfterShut = thenClose;
    const req = new bindings!.ShutdownWrap();
    req.handle = this.handle;
    req.oncomplete = afterShutdown;
    req.endpoint = this;
    const err = this.handle.shutdown(req);
    if (err) this.fail(uvError(err, 'shutdown'));
  }

  /** Called by afterShutdown. Both directions over: closed (as a net.Socket with allowHalfOpen). */
  shut(): void {
    this.shutDone = true;
    if ((this.readEnded || this.closeAfterShut) && !this.destroyed) this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.close(false);
  }

  reset(): void {
    if (this.destroyed) return;
    this.close(true);
  }

  /** The connection failed: closed, the owner told why (endpointError) then that it closed. */
  private fail(err: Error): void {
    if (this.destroyed) return;
    this.failure = err;
    this.close(false);
  }

  private close(withReset: boolean): void {
    this.destroyed = true;
    this.connecting = false;
    this.paused = true;
    owning.delete(this);
    const mine = this.buffer;
    // A buffer whose bytes may still be in a pending write (lent) is left to the collector.
    if (mine !== undefined && mine !== LANDING && !this.lent) giveBack(mine);
    this.buffer = undefined;
    const h = this.handle;
    h.onread = noRead;
    // libuv cancels what is pending (connect, writes, shutdown: their callbacks see destroyed).
    if (!withReset || h.reset(onHandleClosed) !== 0) h.close(onHandleClosed);
  }

  /** Called once the handle is closed. */
  closed(): void {
    this.handle.portierEndpoint = undefined;
    const err = this.failure;
    if (err !== undefined) this.owner.endpointError(this, err);
    this.owner.endpointClose(this);
  }

  setKeepAlive(delayMs: number): void {
    if (!this.destroyed) this.handle.setKeepAlive(true, Math.trunc(delayMs / 1000));
  }

  private peerAddress(): Address | null {
    if (this.peer === undefined) this.peer = this.destroyed ? null : addressOf(this.handle, 'getpeername');
    return this.peer;
  }

  private sockAddress(): Address | null {
    if (this.sock === undefined) this.sock = this.destroyed ? null : addressOf(this.handle, 'getsockname');
    return this.sock;
  }

  get remoteAddress(): string | undefined {
    return this.peerAddress()?.address;
  }
  get remoteFamily(): string | undefined {
    return this.peerAddress()?.family;
  }
  get remotePort(): number | undefined {
    return this.peerAddress()?.port;
  }
  get localAddress(): string | undefined {
    return this.sockAddress()?.address;
  }
  get localFamily(): string | undefined {
    return this.sockAddress()?.family;
  }
  get localPort(): number | undefined {
    return this.sockAddress()?.port;
  }
}

function addressOf(h: TcpHandle, how: 'getpeername' | 'getsockname'): Address | null {
  const out: Record<string, unknown> = {};
  if (h[how](out) !== 0) return null;
  return { address: String(out['address']), family: String(out['family']), port: Number(out['port']) };
}

function takeBuffer(): Buffer {
  return spare.pop() ?? Buffer.allocUnsafe(READ_BUFFER);
}

function giveBack(buf: Buffer): void {
  if (spare.length < SPARE_MAX) spare.push(buf);
}

// Callbacks shared by all connections (libuv calls them with the handle or request as `this`).

function onHandleRead(this: TcpHandle, arrayBuffer: ArrayBuffer | undefined): Uint8Array | undefined {
  const ep = this.portierEndpoint;
  if (ep === undefined) return undefined;
  return ep.read(bindings!.state[bindings!.kReadBytesOrError]!, arrayBuffer);
}

function noRead(): undefined {
  return undefined;
}

function afterConnect(status: number, handle: TcpHandle): void {
  handle.portierEndpoint?.connected(status);
}

function afterWrite(this: WriteReq, status: number): void {
  const ep = this.endpoint;
  this.endpoint = undefined;
  this.buffer = null;
  ep?.written(status);
}

function afterShutdown(this: ShutdownReq): void {
  // A failed shutdown (the peer reset) is not an error of its own: the read side reports it.
  this.endpoint.shut();
}

/** Node calls a handle's close callback with the handle as `this` (HandleWrap::OnClose). */
function onHandleClosed(this: TcpHandle): void {
  this.portierEndpoint?.closed();
}
