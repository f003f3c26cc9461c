/** Stream deadlines (src/tcp/deadlines.ts): one list per duration, with real Node timers. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { clearDeadline, deadlineLists, hasDeadline, setDeadline, type DeadlineEntry, type DeadlineMember } from '../../../src/tcp/deadlines.js';

class Entry implements DeadlineMember {
  deadlineEntry: DeadlineEntry | undefined = undefined;
  reachedAt = -1;
  constructor(
    readonly name: string,
    private readonly log: string[],
    private readonly then?: () => void,
  ) {}
  deadlineReached(): void {
    this.reachedAt = performance.now();
    this.log.push(this.name);
    this.then?.();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('deadlines are reached at or after their time, in order, each once', async () => {
  const log: string[] = [];
  const start = performance.now();
  const a = new Entry('a', log);
  const b = new Entry('b', log);
  const c = new Entry('c', log);
  setDeadline(a, 30, performance.now());
  setDeadline(b, 30, performance.now());
  setDeadline(c, 10, performance.now());
  await sleep(80);
  assert.deepEqual(log, ['c', 'a', 'b']);
  for (const e of [a, b, c]) assert.ok(e.reachedAt >= e.deadlineEntry!.at, `${e.name} not before its time`);
  assert.ok(c.reachedAt - start >= 10 && a.reachedAt - start >= 30);
  assert.equal(hasDeadline(a), false, 'an entry reached has left its list');
  assert.equal(deadlineLists(), 0, 'empty lists are dropped');
});

test('a cleared deadline is not reached; setting one again replaces it', async () => {
  const log: string[] = [];
  const a = new Entry('a', log);
  const b = new Entry('b', log);
  const c = new Entry('c', log);
  setDeadline(a, 15, performance.now());
  setDeadline(b, 15, performance.now());
  setDeadline(c, 15, performance.now());
  clearDeadline(b);
  clearDeadline(b);
  setDeadline(a, 40, performance.now());
  await sleep(25);
  assert.deepEqual(log, ['c'], 'b cleared; a moved later');
  await sleep(40);
  assert.deepEqual(log, ['c', 'a']);
  assert.equal(deadlineLists(), 0);
});

test('a deadline set from inside another one is reached too', async () => {
  const log: string[] = [];
  const later = new Entry('later', log);
  const first = new Entry('first', log, () => setDeadline(later, 10, performance.now()));
  const next = new Entry('next', log);
  setDeadline(first, 10, performance.now());
  setDeadline(next, 10, performance.now());
  await sleep(60);
  assert.deepEqual(log, ['first', 'next', 'later']);
  assert.equal(deadlineLists(), 0);
});

test('one Node timer per list, however many entries', async () => {
  const log: string[] = [];
  const entries = Array.from({ length: 1000 }, (_, i) => new Entry(String(i), log));
  const now = performance.now();
  for (const e of entries) setDeadline(e, 20, now);
  assert.equal(deadlineLists(), 1);
  for (const e of entries.slice(0, 500)) clearDeadline(e);
  await sleep(60);
  assert.deepEqual(log, entries.slice(500).map((e) => e.name));
});
