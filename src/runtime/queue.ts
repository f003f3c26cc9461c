/**
 * A stream waiting for a server slot (HAProxy's pendconn): in one server's queue, or in its
 * backend's queue where any server may take it. Queues are FIFO; a slot freed on a server goes
 * to the oldest waiter of that server's queue or of the backend's (configuration.txt 4.2
 * "timeout queue", 5.2 "maxconn", "maxqueue").
 */
import type { RuntimeServer } from './server.js';

/**
 * A FIFO of waiters with HAProxy's dequeue counter: `served` counts the waiters given a slot
 * since startup. A waiter's logged position (%sq / %bq, configuration.txt 8.2.2 "srv_queue",
 * "backend_queue") is how many were served from the queue while it waited, plus one: HAProxy
 * records the counter minus one on arrival and takes the difference when the waiter leaves,
 * served or not, so the first waiter served logs 1 and one that timed out while two others
 * were served logs 3 (not its place in the line when it arrived).
 */
export class WaitQueue {
  readonly items: Pending[] = [];
  served = 0;

  get length(): number {
    return this.items.length;
  }

  /** Adds a waiter at the end. */
  add(p: Omit<Pending, 'arrived' | 'position'>): Pending {
    const pending: Pending = { ...p, arrived: this.served - 1, position: 0 };
    this.items.push(pending);
    return pending;
  }

  /** The oldest waiter, not removed. */
  first(): Pending | undefined {
    return this.items[0];
  }

  /** Removes the oldest waiter to give it a slot: its position is taken, then the counter moves. */
  shift(): Pending | undefined {
    const p = this.items.shift();
    if (!p) return undefined;
    p.position += this.served - p.arrived;
    this.served++;
    return p;
  }

  /** Removes `p` if it is still there (it gave up); true when it was. */
  leave(p: Pending): boolean {
    const i = this.items.indexOf(p);
    if (i < 0) return false;
    this.items.splice(i, 1);
    p.position += this.served - p.arrived;
    return true;
  }
}

export interface Pending {
  /** The server whose queue holds it; undefined in the backend's queue. */
  readonly server?: RuntimeServer;
  /** When it started waiting (ms, monotonic). */
  readonly since: number;
  /** The queue's `served` counter when it arrived, minus one. */
  readonly arrived: number;
  /** Set when it leaves the queue: its %sq / %bq (see WaitQueue). */
  position: number;
  /** Gives it a slot on `server` (already counted as taken). */
  assigned(server: RuntimeServer): void;
  /** Takes it out of a server's queue that stopped serving: it chooses a server again. */
  reassign(): void;
}
