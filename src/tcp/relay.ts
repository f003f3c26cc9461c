/** One direction of a TCP stream's data phase. */
import type { Socket } from 'node:net';

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
