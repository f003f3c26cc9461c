/**
 * Reads the PROXY header from an accepted connection that no stream has taken yet (`bind ...
 * accept-proxy`), on the connection kinds streams use (tcp/endpoint.ts: a raw handle or a
 * net.Socket). HAProxy's behaviour is the one proxy-protocol-reader.ts describes (one read,
 * decided at once; `timeout client` from the accept; PRX_EMPTY, PRX_ABORT, PRX_TIMEOUT...).
 *
 * The reader is the connection's owner until it decides; it then pauses the connection and
 * gives it back to its previous owner. What came after the header in the same read is handed
 * over with the verdict (the stream sends it first): a raw handle cannot take bytes back as a
 * net.Socket's unshift() does. proxy-protocol-reader.ts keeps the socket form, which a TLS
 * layer reading the socket after the header needs.
 */
import type { Endpoint, EndpointOwner } from '../tcp/endpoint.js';
import { judgeProxyBytes, proxyError, type ProxyReadResult, type ReadProxyOptions } from './proxy-protocol-reader.js';

const NOTHING = Buffer.alloc(0);

/**
 * Calls `done` once, with the verdict and the bytes read after the header (empty on an error,
 * or when nothing followed it). `timeoutMs` 0 or undefined: no timeout. On an error the
 * connection is left open and paused, for the caller to log and close.
 */
export function onEndpointProxyHeader(
  ep: Endpoint,
  timeoutMs: number | undefined,
  opts: ReadProxyOptions,
  done: (r: ProxyReadResult, rest: Buffer) => void,
): void {
  new ProxyHeaderReader(ep, timeoutMs, opts, done);
}

class ProxyHeaderReader implements EndpointOwner {
  private received: Buffer | undefined = undefined;
  private finished = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly previous: EndpointOwner;

  constructor(
    private readonly ep: Endpoint,
    timeoutMs: number | undefined,
    private readonly opts: ReadProxyOptions,
    private readonly done: (r: ProxyReadResult, rest: Buffer) => void,
  ) {
    this.previous = ep.owner;
    ep.owner = this;
    if (timeoutMs && timeoutMs > 0) this.timer = setTimeout(() => this.finish(proxyError('PRX_TIMEOUT'), NOTHING), timeoutMs);
    ep.resume();
  }

  endpointData(_ep: Endpoint, chunk: Buffer): boolean {
    if (this.finished) return true;
    // A copy: the chunk may be the connection's read buffer.
    const received = this.received ? Buffer.concat([this.received, chunk]) : Buffer.copyBytesFrom(chunk);
    this.received = received;
    const r = judgeProxyBytes(received, this.opts);
    if (r === undefined) return true;
    this.finish(r, 'header' in r && r.length < received.length ? received.subarray(r.length) : NOTHING);
    return true;
  }

  endpointEnd(): void {
    this.finish(proxyError(this.received ? 'PRX_TRUNCATED' : 'PRX_EMPTY'), NOTHING);
  }

  endpointError(): void {
    this.finish(proxyError('PRX_ABORT'), NOTHING);
  }

  endpointClose(): void {
    this.finish(proxyError('PRX_ABORT'), NOTHING);
  }

  endpointConnected(): void {}
  endpointDrain(): void {}

  private finish(r: ProxyReadResult, rest: Buffer): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.ep.pause();
    if (this.ep.owner === this) this.ep.owner = this.previous;
    this.done(r, rest);
  }
}
