/**
 * One of a stream's two connections (the client's, the server's), as the stream sees it.
 *
 * Two kinds implement it:
 * - HandleEndpoint (handle-endpoint.ts): a plain TCP connection on libuv's handle, with no
 *   net.Socket around it. At thousands of short connections a second, a net.Socket's machinery
 *   (a Duplex stream with its states, events, and ticks for each phase) costs more than the rest
 *   of the proxy together (bench/RESULTS.md); a relay needs none of it.
 * - SocketEndpoint (socket-endpoint.ts): a net.Socket or tls.TLSSocket, for what a handle alone
 *   cannot do here (TLS, unix sockets).
 *
 * Events go straight to the owner's methods (no event emitter). The owner changes as the
 * connection is handed on (the frontend, a PROXY header's reader, the stream); a stream tells
 * its two endpoints apart by identity.
 */

/** The addresses of a connection, under net.Socket's names (a net.Socket has them too). */
export interface SocketAddresses {
  readonly remoteAddress: string | undefined;
  readonly remoteFamily: string | undefined;
  readonly remotePort: number | undefined;
  readonly localAddress: string | undefined;
  readonly localFamily: string | undefined;
  readonly localPort: number | undefined;
}

/** Who an endpoint reports to. Every method is called from an I/O callback, never from a call the owner made. */
export interface EndpointOwner {
  /** An outgoing connection is established (for TLS: its handshake is done). */
  endpointConnected(ep: Endpoint): void;
  /**
   * Data was read. `chunk` may be the endpoint's own read buffer: it stays as it is until the
   * endpoint reads again, which it does only after this returns true or, after false (the
   * endpoint is then paused), once resume() is called. So an owner that keeps the bytes copies
   * them, and one whose write() of them returned false returns false.
   */
  endpointData(ep: Endpoint, chunk: Buffer): boolean;
  /** The peer shut its side (FIN). */
  endpointEnd(ep: Endpoint): void;
  /** Everything written so far has been handed to the kernel (after a write() that returned false). */
  endpointDrain(ep: Endpoint): void;
  /** The connection failed (refused, reset, a failed write...): endpointClose follows. */
  endpointError(ep: Endpoint, err: Error): void;
  /** The connection is closed: no more calls come from it. */
  endpointClose(ep: Endpoint): void;
}

export interface Endpoint extends SocketAddresses {
  owner: EndpointOwner;
  /** Still connecting (an outgoing connection before endpointConnected). */
  readonly connecting: boolean;
  /** destroy() or reset() was called, or the connection failed. */
  readonly destroyed: boolean;
  /** Bytes read from the connection. */
  readonly bytesRead: number;
  /** Bytes written (handed to write()) to the connection. */
  readonly bytesWritten: number;
  /** Some written data is not yet handed to the kernel. */
  readonly writePending: boolean;
  /** Reading is stopped (pause(), or before the first resume()). */
  readonly paused: boolean;
  /** Starts or restarts reading. */
  resume(): void;
  /** Stops reading. */
  pause(): void;
  /**
   * Writes a chunk (after what is still pending: the order is kept). True when it was all handed
   * to the kernel at once; false when part of it waits, and still uses `chunk`: endpointDrain
   * tells when nothing waits any more.
   */
  write(chunk: Buffer): boolean;
  /**
   * Shuts the writing side (a FIN once pending data is sent; a TLS close_notify first).
   * `thenClose`: the connection is closed once that is done.
   */
  end(thenClose?: boolean): void;
  /** Closes the connection now. */
  destroy(): void;
  /** Closes the connection with a reset (RST), when it is TCP; else as destroy(). */
  reset(): void;
  /** TCP keep-alive probes after `delayMs` of silence. */
  setKeepAlive(delayMs: number): void;
}
