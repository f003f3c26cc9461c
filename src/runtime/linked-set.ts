/**
 * An insertion-ordered set of objects that carry their own links (an intrusive doubly linked
 * list), for the objects made and dropped once per connection: the streams of a frontend, the
 * read buffers the idle sweep may take back, the streams' deadlines (tcp/deadlines.ts).
 *
 * Why not a JavaScript Set: at thousands of connections a second, a Set that each stream joins
 * then leaves made V8's young-generation collections keep and promote whole streams (sockets,
 * their stream states, closures) instead of freeing them: measured on the short-connection
 * benchmark, 100-135 MB promoted and ~550 ms of scavenges in 8 s with a Set, 22-24 MB and 150-160 ms
 * without (bench/RESULTS.md). Here joining and leaving are a few assignments on the members,
 * and a member that leaves drops every link, so no list structure refers to it any longer.
 */

/** The fields a member carries (owned by the LinkedSet it is in; not to be touched elsewhere). */
export interface Linked<T> {
  /** The set the member is in. */
  linkedIn: object | undefined;
  linkedPrev: T | undefined;
  linkedNext: T | undefined;
}

export class LinkedSet<T extends Linked<T>> implements Iterable<T> {
  private first: T | undefined = undefined;
  private last: T | undefined = undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The member added first (undefined when empty). */
  get oldest(): T | undefined {
    return this.first;
  }

  has(item: T): boolean {
    return item.linkedIn === this;
  }

  /** Adds `item` at the end (nothing when already in this set). Throws when in another set. */
  add(item: T): this {
    if (item.linkedIn === this) return this;
    if (item.linkedIn !== undefined) throw new Error('LinkedSet: the item is in another set');
    item.linkedIn = this;
    item.linkedPrev = this.last;
    item.linkedNext = undefined;
    if (this.last !== undefined) this.last.linkedNext = item;
    else this.first = item;
    this.last = item;
    this.count++;
    return this;
  }

  /** Removes `item`; false when it was not in this set. */
  delete(item: T): boolean {
    if (item.linkedIn !== this) return false;
    const prev = item.linkedPrev;
    const next = item.linkedNext;
    if (prev !== undefined) prev.linkedNext = next;
    else this.first = next;
    if (next !== undefined) next.linkedPrev = prev;
    else this.last = prev;
    item.linkedIn = undefined;
    item.linkedPrev = undefined;
    item.linkedNext = undefined;
    this.count--;
    return true;
  }

  /**
   * The members in insertion order. The member being visited may be deleted meanwhile (the next
   * one was taken before); members added meanwhile are visited too, as with a Set.
   */
  *[Symbol.iterator](): Iterator<T> {
    for (let item = this.first; item !== undefined; ) {
      const next = item.linkedNext;
      yield item;
      // Deleted while visited: its links are gone, continue from where it was.
      item = item.linkedIn === this ? item.linkedNext : next;
    }
  }

  /** Calls `fn` on each member in insertion order; `fn` may delete the member it is given. */
  forEach(fn: (item: T) => void): void {
    for (let item = this.first; item !== undefined; ) {
      const next = item.linkedNext;
      fn(item);
      item = item.linkedIn === this ? item.linkedNext : next;
    }
  }
}
