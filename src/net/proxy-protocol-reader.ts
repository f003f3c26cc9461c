/**
 * Reads the PROXY header from an accepted socket without consuming anything after it
 * (`bind ... accept-proxy`, `tcp-request connection expect-proxy layer4`).
 *
 * HAProxy's behaviour (src/connection.c conn_recv_proxy, src/session.c): it waits for the
 * first bytes, peeks at most tune.bufsize of them and decides at once — a header not complete in
 * that first read is "Truncated PROXY protocol header received" (it cannot wait for more since
 * it only peeked); then it removes exactly the header from the socket. The wait is bounded by
 * the frontend's `timeout client`, counted from the accept for the whole handshake (PROXY header
 * and TLS); no timeout when it is not set. A client that closes before sending anything gets
 * PRX_EMPTY, a reset gets PRX_ABORT. The connection is then closed, and logged as
 * "<src>:<port> [<accept date>] <frontend>/<bind name or id>: <message>" unless `option
 * dontlognull` is set (which silences PRX_EMPTY, PRX_ABORT and timeouts) — the caller's part.
 *
 * Here: the socket is read in flowing mode until a decision; it is then paused and the bytes
 * after the header are pushed back (unshift), so whatever reads the socket next (the TCP
 * forwarder, a TLS wrapper — tls.TLSSocket takes unshifted bytes) sees the stream from its first
 * byte. The caller resumes it (pipe() does). On an error the socket is left open and paused for
 * the caller to log and destroy.
 */
import type { Socket } from 'node:net';
import { DEFAULT_MAX_HEADER, PROXY_ERROR_MESSAGES, parseProxyHeader } from './proxy-protocol-parse.js';
import type { ProxyError, ProxyErrorCode, ProxyHeader } from './proxy-protocol-types.js';

export interface ReadProxyOptions {
  /** tune.bufsize: the most bytes looked at (default 16384). */
  readonly maxLength?: number;
  /**
   * false (default, HAProxy's behaviour): decide on the first bytes received. true: keep
   * reading until the header is complete, wrong, or maxLength bytes are there (for senders
   * that split the header across segments; HAProxy refuses them).
   */
  readonly waitForMore?: boolean;
}

export type ProxyReadResult = { readonly header: ProxyHeader; readonly length: number } | ProxyError;

/** The error result for `code`, with HAProxy's message. */
export function proxyError(code: ProxyErrorCode): ProxyError {
  return { code, error: PROXY_ERROR_MESSAGES[code] };
}

/**
 * The verdict on what was received so far: a header (its length), an error, or undefined when
 * more must be read (only with waitForMore: HAProxy decides on the first read).
 */
export function judgeProxyBytes(received: Buffer, opts: ReadProxyOptions): ProxyReadResult | undefined {
  const r = parseProxyHeader(received, { maxLength: opts.maxLength ?? DEFAULT_MAX_HEADER });
  if ('need' in r) return opts.waitForMore ? undefined : proxyError('PRX_TRUNCATED');
  return r;
}

/**
 * Callback form: calls `done` once, synchronously from the socket event that decides (so the
 * caller may attach its own listeners before anything else happens). `timeoutMs` 0 or
 * undefined: no timeout. Returns a function that stops reading (the socket is left paused,
 * `done` is not called).
 */
export function onProxyHeader(
  socket: Socket,
  timeoutMs: number | undefined,
  opts: ReadProxyOptions,
  done: (r: ProxyReadResult) => void,
): () => void {
  let received: Buffer | undefined;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;

  const cleanup = (): void => {
    finished = true;
    if (timer) clearTimeout(timer);
    socket.off('data', onData);
    socket.off('end', onEnd);
    socket.off('error', onError);
    socket.off('close', onClose);
    socket.pause();
  };
  const finish = (r: ProxyReadResult): void => {
    if (finished) return;
    cleanup();
    done(r);
  };
  function onData(chunk: Buffer): void {
    received = received ? Buffer.concat([received, chunk]) : chunk;
    const r = judgeProxyBytes(received, opts);
    if (r === undefined) return;
    if ('header' in r) {
      cleanup();
      if (r.length < received.length) socket.unshift(received.subarray(r.length));
      done(r);
      return;
    }
    finish(r);
  }
  function onEnd(): void {
    finish(proxyError(received ? 'PRX_TRUNCATED' : 'PRX_EMPTY'));
  }
  function onError(): void {
    finish(proxyError('PRX_ABORT'));
  }
  function onClose(): void {
    finish(proxyError('PRX_ABORT'));
  }

  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('error', onError);
  socket.on('close', onClose);
  if (timeoutMs && timeoutMs > 0) timer = setTimeout(() => finish(proxyError('PRX_TIMEOUT')), timeoutMs);
  socket.resume();
  return () => {
    if (!finished) cleanup();
  };
}

/** Promise form of onProxyHeader (resolves, never rejects). */
export function readProxyHeader(socket: Socket, timeoutMs?: number, opts: ReadProxyOptions = {}): Promise<ProxyReadResult> {
  return new Promise((resolve) => {
    onProxyHeader(socket, timeoutMs, opts, resolve);
  });
}
