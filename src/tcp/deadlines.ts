/**
 * Stream deadlines: one list per duration, each with one Node timer, instead of a Node
 * `Timeout` per stream.
 *
 * Every stream arms a timer when it connects, and most are cleared a few milliseconds later. A
 * Node `Timeout` is an object with async-hook bookkeeping, made and dropped per stream: measured
 * on the short-connection benchmark, stream timers were about 4.5 µs of CPU per connection
 * (bench/RESULTS.md). Here a stream has one small entry for its whole life, and joining or
 * leaving a list (a LinkedSet) is a few assignments. It is Node's own design (lib/internal/timers.js keeps a
 * list per duration too) without the per-timer objects: entries of one list share a duration,
 * so the list is in deadline order and only its first entry needs a timer.
 *
 * A deadline fires at or after its time, never before (an entry found not due yet when its list's
 * timer runs waits for the rest), and deadlines of one list fire in the order they were set.
 * The lists' timers do not keep the process alive (unref): a list emptied by its streams ending
 * keeps its timer until it runs, and a stream's own sockets keep the process alive while it
 * lasts.
 */
import { LinkedSet, type Linked } from '../runtime/linked-set.js';

/** What a stream carries to have deadlines: its entry (made on first use, kept for its life). */
export interface DeadlineMember {
  deadlineEntry: DeadlineEntry | undefined;
  /** Called once the deadline has passed (the entry has left its list). */
  deadlineReached(): void;
}

/** A member's place in a list: a small object made once per stream, reused at each re-arm. */
export class DeadlineEntry implements Linked<DeadlineEntry> {
  linkedIn: object | undefined = undefined;
  linkedPrev: DeadlineEntry | undefined = undefined;
  linkedNext: DeadlineEntry | undefined = undefined;
  /** performance.now() time at which the entry is due. */
  at = 0;

  constructor(readonly member: DeadlineMember) {}
}

/** The entries of one duration, in deadline order (as they were set). */
class DeadlineList extends LinkedSet<DeadlineEntry> {
  /** The Node timer for the oldest entry, while the list has entries. */
  timer: NodeJS.Timeout | undefined = undefined;

  constructor(readonly ms: number) {
    super();
  }
}

/** The lists by duration (ms); a list is dropped once empty when its timer runs. */
const lists = new Map<number, DeadlineList>();

/** Arms `m` to be reached `ms` milliseconds after `now` (replacing a deadline it had). */
export function setDeadline(m: DeadlineMember, ms: number, now: number): void {
  const e = (m.deadlineEntry ??= new DeadlineEntry(m));
  (e.linkedIn as DeadlineList | undefined)?.delete(e);
  let list = lists.get(ms);
  if (list === undefined) {
    list = new DeadlineList(ms);
    lists.set(ms, list);
  }
  e.at = now + ms;
  list.add(e);
  list.timer ??= setTimeout(runList, ms, list).unref();
}

/** Disarms `m` (nothing when it has no deadline). */
export function clearDeadline(m: DeadlineMember): void {
  const e = m.deadlineEntry;
  if (e !== undefined) (e.linkedIn as DeadlineList | undefined)?.delete(e);
}

/** Whether `m` has a deadline set. */
export function hasDeadline(m: DeadlineMember): boolean {
  return m.deadlineEntry?.linkedIn !== undefined;
}

/** A list's timer ran: the entries due fire in order; the timer is set again for the next one. */
function runList(list: DeadlineList): void {
  list.timer = undefined;
  for (;;) {
    const e = list.oldest;
    if (e === undefined) {
      // Empty: dropped (unless an entry came back meanwhile, which set the timer again).
      if (list.timer === undefined && lists.get(list.ms) === list) lists.delete(list.ms);
      return;
    }
    const now = performance.now();
    if (e.at > now) {
      list.timer ??= setTimeout(runList, Math.ceil(e.at - now), list).unref();
      return;
    }
    list.delete(e);
    try {
      e.member.deadlineReached();
    } catch (err) {
      // The rest of the list still gets its turn.
      if (list.oldest !== undefined) list.timer ??= setTimeout(runList, 0, list).unref();
      throw err;
    }
  }
}

/** How many lists exist (tests). */
export function deadlineLists(): number {
  return lists.size;
}
