/**
 * Layer-4 forwarding between a client and a server socket (configuration.txt 4.2,
 * "timeout client"/"timeout server"): bytes both ways at once, backpressure through pipe()
 * (a slow reader pauses the other side), a half-close on one side passed on to the other,
 * and the inactivity timeout of each side closing both.
 */
import type { Socket } from 'node:net';

export interface ForwardTimeouts {
  /** Client-side inactivity, ms (0: none). */
  readonly client: number;
  /** Server-side inactivity, ms (0: none). */
  readonly server: number;
}

export interface ForwardResult {
  bytesIn: number;
  bytesOut: number;
}

/** Forwards until both directions are closed; `done` runs once, when both sockets are gone. */
export function forward(client: Socket, server: Socket, timeouts: ForwardTimeouts, done: (r: ForwardResult) => void): void {
  let finished = false;
  let closed = 0;
  const result: ForwardResult = { bytesIn: 0, bytesOut: 0 };
  const abort = (): void => {
    client.destroy();
    server.destroy();
  };
  const onClose = (hadError: boolean): void => {
    // A reset or error on one side: nothing more can flow either way.
    if (hadError) abort();
    if (++closed < 2 || finished) return;
    finished = true;
    result.bytesIn = client.bytesRead;
    result.bytesOut = client.bytesWritten;
    done(result);
  };
  client.on('error', abort);
  server.on('error', abort);
  client.on('close', onClose);
  server.on('close', onClose);
  if (timeouts.client > 0) client.setTimeout(timeouts.client, abort);
  if (timeouts.server > 0) server.setTimeout(timeouts.server, abort);
  client.pipe(server);
  server.pipe(client);
  client.resume();
}
