/**
 * Stream deadlines: one list per duration, each with one Node timer, instead of a Node
 * `Timeout` per stream.
 *
 * Every stream arms a timer when it connects, and most are cleared a few milliseconds later. A
 * Node `Timeout` is an object with async-hook bookkeeping, made and dropped per stream: measured
 * on the short-connection benchmark, stream timers were about 4.5 µs of CPU per connection
 * (bench/RESULTS.md). Here a stream is its own list entry (no allocation), and joining or
 * leaving a list is a few assignments. It is Node's own design (lib/internal/timers.js keeps a
 * list per duration too) without the per-timer objects: entries of one list share a duration,
 * so the list is in deadline order and only its first entry needs a timer.
 *
 * A deadline fires at or after its time, never before (an entry found not due yet when its list's
 * timer runs waits for the rest), and deadlines of one list fire in the order they were set.
 * The lists' timers do not keep the process alive (unref): a list emptied by its streams ending
 * keeps its timer until it runs, and a stream's own sockets keep the process alive while it
 * lasts.
 */

/** The fields a stream carries to be in a list (owned by this module). */
export interface DeadlineMember {
  deadlineList: DeadlineList | undefined;
  deadlinePrev: DeadlineMember | undefined;
  deadlineNext: DeadlineMember | undefined;
  /** performance.now() time at which the entry is due. */
  deadlineAt: number;
  /** Called once the deadline has passed (the entry has left its list). */
  deadlineReached(): void;
}

class DeadlineList {
  first: DeadlineMember | undefined = undefined;
  last: DeadlineMember | undefined = undefined;
  /** The Node timer for `first`, while the list has entries. */
  timer: NodeJS.Timeout | undefined = undefined;

  constructor(readonly ms: number) {}
}

/** The lists by duration (ms); a list is dropped once empty when its timer runs. */
const lists = new Map<number, DeadlineList>();

/** Arms `m` to be reached `ms` milliseconds after `now` (replacing a deadline it had). */
export function setDeadline(m: DeadlineMember, ms: number, now: number): void {
  clearDeadline(m);
  let list = lists.get(ms);
  if (list === undefined) {
    list = new DeadlineList(ms);
    lists.set(ms, list);
  }
  m.deadlineAt = now + ms;
  m.deadlineList = list;
  m.deadlinePrev = list.last;
  m.deadlineNext = undefined;
  if (list.last !== undefined) list.last.deadlineNext = m;
  else list.first = m;
  list.last = m;
  list.timer ??= setTimeout(runList, ms, list).unref();
}

/** Disarms `m` (nothing when it has no deadline). */
export function clearDeadline(m: DeadlineMember): void {
  const list = m.deadlineList;
  if (list === undefined) return;
  const prev = m.deadlinePrev;
  const next = m.deadlineNext;
  if (prev !== undefined) prev.deadlineNext = next;
  else list.first = next;
  if (next !== undefined) next.deadlinePrev = prev;
  else list.last = prev;
  m.deadlineList = undefined;
  m.deadlinePrev = undefined;
  m.deadlineNext = undefined;
}

/** A list's timer ran: the entries due fire in order; the timer is set again for the next one. */
function runList(list: DeadlineList): void {
  list.timer = undefined;
  for (;;) {
    const m = list.first;
    if (m === undefined) {
      // Empty: dropped (unless an entry came back meanwhile, which set the timer again).
      if (list.timer === undefined && lists.get(list.ms) === list) lists.delete(list.ms);
      return;
    }
    const now = performance.now();
    if (m.deadlineAt > now) {
      list.timer ??= setTimeout(runList, Math.ceil(m.deadlineAt - now), list).unref();
      return;
    }
    clearDeadline(m);
    try {
      m.deadlineReached();
    } catch (e) {
      // The rest of the list still gets its turn.
      if (list.first !== undefined) list.timer ??= setTimeout(runList, 0, list).unref();
      throw e;
    }
  }
}

/** How many lists exist (tests). */
export function deadlineLists(): number {
  return lists.size;
}
