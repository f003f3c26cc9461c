/**
 * A stream waiting for a server slot (HAProxy's pendconn): in one server's queue, or in its
 * backend's queue where any server may take it. Queues are FIFO; a slot freed on a server goes
 * to the oldest waiter of that server's queue or of the backend's (configuration.txt 4.2
 * "timeout queue", 5.2 "maxconn", "maxqueue").
 */
import type { RuntimeServer } from './server.js';

export interface Pending {
  /** The server whose queue holds it; undefined in the backend's queue. */
  readonly server?: RuntimeServer;
  /** When it started waiting (ms, monotonic). */
  readonly since: number;
  /** Streams in the same queue ahead of it when it arrived (%sq / %bq). */
  readonly position: number;
  /** Gives it a slot on `server` (already counted as taken). */
  assigned(server: RuntimeServer): void;
}

/** Removes `p` from `queue` if it is still there; true when it was. */
export function leaveQueue(queue: Pending[], p: Pending): boolean {
  const i = queue.indexOf(p);
  if (i < 0) return false;
  queue.splice(i, 1);
  return true;
}
