/**
 * An ordered set of nodes with 32-bit unsigned keys where equal keys keep their insertion order:
 * the behaviour of HAProxy's eb32 trees (ebtree.h: "duplicates will be walked in the exact same
 * order they were inserted"), on which every dynamic algorithm's order depends. A sorted array:
 * the trees of one backend hold one node per server, so insertion by binary search is cheap.
 */

export interface OrderedNode {
  /** The sorting key (unsigned 32-bit). */
  key: number;
  /** Insertion stamp: orders equal keys. */
  seq: number;
  /** The list holding the node, or null. */
  owner: OrderedList<OrderedNode> | null;
}

let stamp = 0;

/** A fresh insertion stamp (global, so that merged lists keep one order). */
export function nextStamp(): number {
  return ++stamp;
}

export class OrderedList<N extends OrderedNode> {
  private items: N[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Inserts `n` with `key` after every node of a smaller or equal key. */
  insert(n: N, key: number): void {
    if (n.owner) n.owner.delete(n);
    n.key = key >>> 0;
    n.seq = nextStamp();
    const a = this.items;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]!.key <= n.key) lo = mid + 1;
      else hi = mid;
    }
    a.splice(lo, 0, n);
    n.owner = this as unknown as OrderedList<OrderedNode>;
  }

  /** Removes `n` if it is here (deleting a node that is in no list does nothing, as eb_delete). */
  delete(n: N): void {
    if (n.owner !== (this as unknown as OrderedList<OrderedNode>)) return;
    const i = this.indexOf(n);
    this.items.splice(i, 1);
    n.owner = null;
  }

  first(): N | undefined {
    return this.items[0];
  }

  last(): N | undefined {
    return this.items[this.items.length - 1];
  }

  /** The node after `n` (which must be here), or undefined at the end. */
  next(n: N): N | undefined {
    return this.items[this.indexOf(n) + 1];
  }

  /** Node at position `i` (0-based), for walks. */
  at(i: number): N | undefined {
    return this.items[i];
  }

  /** Position of `n`, which must be in this list. */
  indexOf(n: N): number {
    const a = this.items;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = a[mid]!;
      if (m.key < n.key || (m.key === n.key && m.seq < n.seq)) lo = mid + 1;
      else hi = mid;
    }
    if (a[lo] !== n) throw new Error('ordered list: node not in the list');
    return lo;
  }
}
