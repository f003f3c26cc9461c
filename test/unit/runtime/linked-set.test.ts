/** LinkedSet: the insertion-ordered set of streams and relays (src/runtime/linked-set.ts). */
import assert from 'node:assert/strict';
import test from 'node:test';
import { LinkedSet, type Linked } from '../../../src/runtime/linked-set.js';

class Item implements Linked<Item> {
  linkedIn: object | undefined = undefined;
  linkedPrev: Item | undefined = undefined;
  linkedNext: Item | undefined = undefined;
  constructor(readonly n: number) {}
}

const items = (k: number): Item[] => Array.from({ length: k }, (_, i) => new Item(i));
const names = (s: Iterable<Item>): number[] => [...s].map((i) => i.n);

test('add, has, delete and size, in insertion order', () => {
  const s = new LinkedSet<Item>();
  const [a, b, c, d] = items(4) as [Item, Item, Item, Item];
  s.add(a).add(b).add(c);
  assert.equal(s.size, 3);
  assert.deepEqual(names(s), [0, 1, 2]);
  s.add(b);
  assert.equal(s.size, 3, 'adding a member again changes nothing');
  assert.ok(s.has(b) && !s.has(d));
  assert.equal(s.delete(b), true);
  assert.equal(s.delete(b), false);
  assert.equal(s.delete(d), false);
  assert.deepEqual(names(s), [0, 2]);
  s.delete(a);
  s.delete(c);
  assert.equal(s.size, 0);
  assert.deepEqual(names(s), []);
  s.add(c).add(a);
  assert.deepEqual(names(s), [2, 0], 'members added again go to the end');
});

test('a member that leaves keeps no links, and the set none to it', () => {
  const s = new LinkedSet<Item>();
  const [a, b, c] = items(3) as [Item, Item, Item];
  s.add(a).add(b).add(c);
  s.delete(b);
  assert.equal(b.linkedIn, undefined);
  assert.equal(b.linkedPrev, undefined);
  assert.equal(b.linkedNext, undefined);
  assert.equal(a.linkedNext, c);
  assert.equal(c.linkedPrev, a);
});

test('a member is in one set at a time', () => {
  const one = new LinkedSet<Item>();
  const two = new LinkedSet<Item>();
  const [a] = items(1) as [Item];
  one.add(a);
  assert.throws(() => two.add(a), /in another set/);
  assert.equal(two.delete(a), false);
  one.delete(a);
  two.add(a);
  assert.deepEqual(names(two), [0]);
});

test('visiting members while deleting the one visited, or adding new ones', () => {
  const s = new LinkedSet<Item>();
  const all = items(6);
  for (const i of all) s.add(i);
  const seen: number[] = [];
  for (const i of s) {
    seen.push(i.n);
    if (i.n % 2 === 0) s.delete(i);
  }
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(names(s), [1, 3, 5]);
  const later = new Item(9);
  const visited: number[] = [];
  s.forEach((i) => {
    visited.push(i.n);
    s.delete(i);
    if (i.n === 1) s.add(later);
  });
  assert.deepEqual(visited, [1, 3, 5, 9], 'a member added meanwhile is visited too');
  assert.equal(s.size, 0);
});
