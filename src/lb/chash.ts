/**
 * The consistent-hashing ring (HAProxy's lb_chash.c), shared by `hash-type consistent` and
 * `balance random`. Each server owns weight × 16 points on a 32-bit ring; point j of the server
 * with id P sits at avalanche(P × 4096 + j), so a server keeps its points whatever the others
 * do, and only the keys near its points move when it comes or goes. A lookup takes the point
 * nearest to the hash (before or after; the one before on a tie), then walks forward past an
 * avoided server or, with `hash-balance-factor`, past servers above their share of the load.
 * Active and backup servers have a ring each; with no active server, the first backup takes
 * everything unless `option allbackups`.
 *
 * Without a key, HAProxy walks the ring point after point from where the last such walk stopped
 * (a weighted round robin); `last` follows the points that leave the ring as HAProxy's does.
 */
import { avalanche } from './hash.js';
import { nextStamp } from './ordered.js';
import { applyUpdate, dynamicEweight, isAvoided, LbState, Slot, WEIGHT_SCALE, EWEIGHT_MAX } from './state.js';
import type { LbOptions, LbServer } from './types.js';

interface Point<S extends LbServer> {
  readonly key: number;
  seq: number;
  readonly slot: ChSlot<S>;
  /** The ring holding the point, or null. */
  ring: Ring<S> | null;
}

export class ChSlot<S extends LbServer> extends Slot<S> {
  /** All the points the server may use (HAProxy's lb_nodes), and how many are on the ring. */
  points: Point<S>[] = [];
  placed = 0;
  ring!: Ring<S>;
}

/** Points ordered by key, equal keys in insertion order (as eb32 trees). */
class Ring<S extends LbServer> {
  points: Point<S>[] = [];

  /** Position of a point of this ring. */
  indexOf(p: Point<S>): number {
    const a = this.points;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = a[mid]!;
      if (m.key < p.key || (m.key === p.key && m.seq < p.seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First point with key >= hash, or -1. */
  lookupGe(hash: number): number {
    const a = this.points;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]!.key < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo < a.length ? lo : -1;
  }

  /** Adds points (stamped in the order given) after the existing points of equal key. */
  add(list: Point<S>[]): void {
    for (const p of list) {
      p.seq = nextStamp();
      p.ring = this;
    }
    const add = list.slice().sort((x, y) => x.key - y.key || x.seq - y.seq);
    const old = this.points;
    const out: Point<S>[] = new Array(old.length + add.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < add.length) {
      // Existing points were stamped earlier: on equal keys they stay first.
      if (old[i]!.key <= add[j]!.key) out[k++] = old[i++]!;
      else out[k++] = add[j++]!;
    }
    while (i < old.length) out[k++] = old[i++]!;
    while (j < add.length) out[k++] = add[j++]!;
    this.points = out;
  }

  /** Removes the given points (all in this ring). */
  remove(gone: ReadonlySet<Point<S>>): void {
    this.points = this.points.filter((p) => !gone.has(p));
    for (const p of gone) p.ring = null;
  }
}

/** The ring, the servers' state and the lookups of lb_chash.c. */
export class ChashCore<S extends LbServer> {
  readonly st: LbState<S, ChSlot<S>>;
  private readonly act = new Ring<S>();
  private readonly bck = new Ring<S>();
  /** Where the last keyless walk stopped. */
  private last: Point<S> | null = null;

  constructor(
    servers: readonly S[],
    options: Pick<LbOptions, 'allBackups' | 'hashBalanceFactor'>,
    private readonly balanceFactor = options.hashBalanceFactor ?? 0,
  ) {
    this.st = new LbState(servers, (s, i) => new ChSlot(s, i), options.allBackups, dynamicEweight);
    this.st.init();
    for (const slot of this.st.slots) {
      slot.ring = slot.curBackup ? this.bck : this.act;
      // As many points as the configured weight allows; more are made if the weight grows.
      slot.points = [];
      this.growPoints(slot, slot.srv.weight * WEIGHT_SCALE);
      if (slot.curUsable) this.place(slot);
    }
  }

  update(s: S): void {
    const slot = this.st.slotOf(s);
    if (!slot) return;
    applyUpdate(this.st, slot, {
      down: (x) => {
        this.st.countDown(x);
        this.unplace(x, 0);
        this.st.updateBackendWeight();
      },
      up: (x) => {
        x.ring = x.curBackup ? this.bck : this.act;
        this.st.countUp(x);
        this.place(x);
        this.st.updateBackendWeight();
      },
      weight: (x) => {
        this.place(x);
        if (x.curBackup) this.st.totWbck += x.nextEweight - x.curEweight;
        else this.st.totWact += x.nextEweight - x.curEweight;
        this.st.updateBackendWeight();
      },
    });
  }

  private growPoints(slot: ChSlot<S>, count: number): void {
    const base = Math.imul(slot.srv.id, EWEIGHT_MAX);
    for (let j = slot.points.length; j < count; j++) {
      slot.points.push({ key: avalanche((base + j) >>> 0), seq: 0, slot, ring: null });
    }
  }

  /** Puts exactly `nextEweight` of the server's points on its ring (chash_queue_dequeue_srv). */
  private place(slot: ChSlot<S>): void {
    const want = slot.nextEweight;
    if (slot.placed > want) this.unplace(slot, want);
    if (slot.points.length < want) {
      // HAProxy takes every point off, makes the new ones, then puts them all back in order.
      this.unplace(slot, 0);
      this.growPoints(slot, want);
    }
    if (slot.placed < want) {
      slot.ring.add(slot.points.slice(slot.placed, want));
      slot.placed = want;
    }
  }

  /** Takes the server's points beyond the first `keep` off its ring; `last` moves past them. */
  private unplace(slot: ChSlot<S>, keep: number): void {
    if (slot.placed <= keep) return;
    const gone = new Set(slot.points.slice(keep, slot.placed));
    const ring = slot.ring;
    if (this.last && gone.has(this.last)) {
      // The first remaining point after it, cyclically; none if the ring empties.
      const a = ring.points;
      const at = ring.indexOf(this.last);
      let moved: Point<S> | null = null;
      for (let k = 1; k < a.length; k++) {
        const p = a[(at + k) % a.length]!;
        if (!gone.has(p)) {
          moved = p;
          break;
        }
      }
      this.last = moved;
    }
    ring.remove(gone);
    slot.placed = keep;
  }

  /** The ring to look in, or the first backup alone, or nothing (as every HAProxy lookup). */
  private root(): Ring<S> | ChSlot<S> | null {
    const st = this.st;
    if (st.srvAct) return this.act;
    if (st.fbck) return st.fbck;
    if (st.srvBck) return this.bck;
    return null;
  }

  /**
   * The server for `hash` (chash_get_server_hash): the nearest point, then forward past the
   * avoided servers and, with a balance factor, the servers above their bound.
   */
  byHash(hash: number, avoid: ReadonlySet<S> | undefined): S | undefined {
    const root = this.root();
    if (root === null) return undefined;
    if (root instanceof ChSlot) return root.srv;
    const a = root.points;
    if (a.length === 0) return undefined;
    hash >>>= 0;
    let ni = root.lookupGe(hash);
    if (ni < 0) ni = 0;
    const pi = ni > 0 ? ni - 1 : a.length - 1;
    const dp = (hash - a[pi]!.key) >>> 0;
    const dn = (a[ni]!.key - hash) >>> 0;
    let i = dp <= dn ? pi : ni;
    let nsrv = a[i]!.slot;
    let loop = 0;
    const served = this.balanceFactor ? this.st.served() : 0;
    while (isAvoided(avoid, nsrv.srv) || (this.balanceFactor && !this.eligible(nsrv, served))) {
      i++;
      if (i >= a.length) {
        i = 0;
        if (++loop > 1) break;
      }
      nsrv = a[i]!.slot;
    }
    return nsrv.srv;
  }

  /**
   * Bounded loads ("Consistent Hashing with Bounded Loads", as HAProxy adapts it to weights):
   * the backend's connections + 1, times the factor, spread over the weights; a server may take
   * a new connection while below its share (at least 1). The weights before each server are
   * those counted when the backend started, as HAProxy never recounts them for this algorithm.
   */
  private eligible(slot: ChSlot<S>, served: number): boolean {
    const tot = this.st.totWeight;
    const totSlots = Math.floor(((served + 1) * this.balanceFactor + 99) / 100);
    const perWeight = Math.floor(totSlots / tot);
    const rem = totSlots % tot;
    const cum = slot.cumulativeWeight;
    const w = slot.curEweight;
    let slots = w * perWeight + Math.floor(((cum + w) * rem) / tot) - Math.floor((cum * rem) / tot);
    if (slots === 0) slots = 1;
    return slot.srv.current < slots;
  }

  /**
   * Without a key (chash_get_next_server): the point after the last one used, cyclically,
   * whose server is not full, skipping an avoided server unless it is the only one.
   */
  nextInTurn(avoid: ReadonlySet<S> | undefined): S | undefined {
    const root = this.root();
    if (root === null) return undefined;
    if (root instanceof ChSlot) return root.srv;
    let node = this.last;
    let stop = node;
    let avoided: Point<S> | null = null;
    do {
      // The next point in the point's own ring; past its end, the first of the ring in use.
      let nx: Point<S> | undefined;
      if (node && node.ring) {
        const r = node.ring;
        nx = r.points[r.indexOf(node) + 1];
      }
      node = nx ?? root.points[0] ?? null;
      this.last = node;
      if (!node) return undefined;
      if (!stop) stop = node;
      const slot = node.slot;
      if (!slot.full()) {
        if (!isAvoided(avoid, slot.srv)) return slot.srv;
        avoided = node;
      }
    } while (node !== stop);
    this.last = avoided;
    return avoided?.slot.srv;
  }
}
