/**
 * SocketEndpoint: a net.Socket or tls.TLSSocket as a stream's Endpoint (endpoint.ts), for the
 * connections a raw handle cannot carry here (TLS to a server, unix sockets), and every
 * connection when raw handles are off (PORTIER_RAW_SOCKETS=0, or a Node without the internals
 * handle-endpoint.ts needs).
 *
 * The socket's events become the owner's calls. Reads come as 'data' chunks of their own; a
 * written chunk is still the caller's until the socket has handed it to the kernel, so write()
 * returns true only when nothing waits in the socket's queue (not when its queue is below the
 * high-water mark, as socket.write() does).
 */
import type { Socket } from 'node:net';
import type { Endpoint, EndpointOwner } from './endpoint.js';

export class SocketEndpoint implements Endpoint {
  /** A write returned false: endpointDrain is due once the socket's queue is empty. */
  private drainWanted = false;
  private connected: boolean;
  /** The 'data' listener is attached at the first resume(). */
  private reading = false;

  /**
   * `connectEvent`: the event that says an outgoing connection is up ('connect', or
   * 'secureConnect' for TLS, whose handshake is part of the connection); undefined for an
   * accepted socket. Nothing read reaches the owner before resume(): the socket keeps it (an
   * outgoing one is not paused meanwhile, which would hold up a TLS handshake).
   */
  constructor(
    readonly socket: Socket,
    public owner: EndpointOwner,
    connectEvent?: 'connect' | 'secureConnect',
  ) {
    this.connected = connectEvent === undefined;
    socket.on('end', () => this.owner.endpointEnd(this));
    socket.on('error', (err: Error) => this.owner.endpointError(this, err));
    socket.on('close', () => this.owner.endpointClose(this));
    if (connectEvent !== undefined) {
      socket.once(connectEvent, () => {
        this.connected = true;
        this.owner.endpointConnected(this);
      });
    }
  }

  get connecting(): boolean {
    return !this.connected && !this.socket.destroyed;
  }
  get destroyed(): boolean {
    return this.socket.destroyed;
  }
  get bytesRead(): number {
    return this.socket.bytesRead;
  }
  get bytesWritten(): number {
    return this.socket.bytesWritten;
  }
  get writePending(): boolean {
    return this.socket.writableLength > 0;
  }
  get paused(): boolean {
    return !this.reading || this.socket.isPaused();
  }

  resume(): void {
    if (!this.reading) {
      this.reading = true;
      this.socket.on('data', this.onData);
    }
    this.socket.resume();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (!this.owner.endpointData(this, chunk)) this.socket.pause();
  };

  pause(): void {
    this.socket.pause();
  }

  write(chunk: Buffer): boolean {
    this.socket.write(chunk, this.written);
    if (this.socket.writableLength === 0) return true;
    this.drainWanted = true;
    return false;
  }

  /** A write's callback: once the queue is empty, the owner is told (only a callback of the last chunk finds it so). */
  private readonly written = (err?: Error | null): void => {
    if (err || !this.drainWanted || this.socket.writableLength > 0) return;
    this.drainWanted = false;
    this.owner.endpointDrain(this);
  };

  end(thenClose = false): void {
    if (thenClose) this.socket.end(() => this.socket.destroy());
    else this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  reset(): void {
    if (this.socket.remoteAddress !== undefined && !this.socket.destroyed) this.socket.resetAndDestroy();
    else this.socket.destroy();
  }

  setKeepAlive(delayMs: number): void {
    this.socket.setKeepAlive(true, delayMs);
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }
  get remoteFamily(): string | undefined {
    return this.socket.remoteFamily;
  }
  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }
  get localFamily(): string | undefined {
    return this.socket.localFamily;
  }
  get localPort(): number | undefined {
    return this.socket.localPort;
  }
}
