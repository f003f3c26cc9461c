/**
 * balance roundrobin (configuration.txt 4.2, "balance"): each server in turn, in proportion to
 * its weight, with weights that may change at run time. HAProxy's "fast weighted round robin"
 * (lb_fwrr.c), reproduced for its exact order:
 *
 * Each group (active servers, backup servers) counts positions. A window of positions is as
 * long as the group's total effective weight; a server of effective weight w comes back every
 * total/w positions (the remainder carried in `rweight`). Three ordered sets hold the servers:
 *   - `curr`: servers placed in the current window, by next position (ties: the heavier, then
 *     the first queued);
 *   - `init`: servers waiting for their first turn, heaviest first (all servers at start);
 *   - `next`: servers whose next position falls beyond the window; when `curr` and `init` are
 *     used up, `next` becomes `init` and a new window starts.
 * A pick takes the head of `curr` if its position has come, else the head of `init`, moves the
 * server to its next position and advances the window by one. Full servers (maxconn) are set
 * aside during a pick and requeued after it, as HAProxy does. A server going down leaves its
 * set; coming back it is placed from the current position in proportion to its weight.
 *
 * Arithmetic follows HAProxy's types: positions and remainders are unsigned 32-bit, the group
 * counters signed, so that every comparison and wrap matches.
 */
import { OrderedList, type OrderedNode } from './ordered.js';
import { applyUpdate, dynamicEweight, EWEIGHT_MAX, isAvoided, LbState, Slot, UWEIGHT_RANGE, WEIGHT_SCALE } from './state.js';
import type { LbAlgorithm, LbOptions, LbRequest, LbServer } from './types.js';

class RrSlot<S extends LbServer> extends Slot<S> implements OrderedNode {
  key = 0;
  seq = 0;
  owner: OrderedList<OrderedNode> | null = null;
  /** The set the server was last queued in (HAProxy's lb_tree); null when down. */
  tree: OrderedList<RrSlot<S>> | null = null;
  /** Next and last positions, remainder of weight: unsigned. */
  npos = 0;
  lpos = 0;
  rweight = 0;
}

interface Group<T extends OrderedNode> {
  currPos: number;
  currWeight: number;
  nextWeight: number;
  readonly curr: OrderedList<T>;
  init: OrderedList<T>;
  next: OrderedList<T>;
}

const u32 = (n: number): number => n >>> 0;
const i32 = (n: number): number => n | 0;

export class RoundRobin<S extends LbServer> implements LbAlgorithm<S> {
  private readonly st: LbState<S, RrSlot<S>>;
  private readonly act: Group<RrSlot<S>>;
  private readonly bck: Group<RrSlot<S>>;

  constructor(servers: readonly S[], options: Pick<LbOptions, 'allBackups'> = { allBackups: false }) {
    this.st = new LbState(servers, (s, i) => new RrSlot(s, i), options.allBackups, dynamicEweight);
    this.st.init();
    this.act = newGroup(this.st.totWact);
    this.bck = newGroup(this.st.totWbck);
    for (const slot of this.st.slots) {
      if (slot.curUsable) this.queueByWeight(this.groupOf(slot).init, slot);
    }
  }

  take(): void {}
  drop(): void {}

  update(s: S): void {
    const slot = this.st.slotOf(s);
    if (slot) applyUpdate(this.st, slot, this);
  }

  pick(req?: LbRequest<S>): S | undefined {
    const st = this.st;
    let grp: Group<RrSlot<S>>;
    if (st.srvAct) grp = this.act;
    else if (st.fbck) return st.fbck.srv;
    else if (st.srvBck) grp = this.bck;
    else return undefined;

    const avoid = req?.avoid;
    let switched = false;
    let avoided: RrSlot<S> | null = null;
    // Servers set aside during this pick (full or avoided), requeued afterwards, last first.
    const full: RrSlot<S>[] = [];
    let srv: RrSlot<S> | null = null;
    for (;;) {
      if (!grp.currWeight) grp.currPos = grp.currWeight = grp.nextWeight;
      let found: RrSlot<S> | null;
      for (;;) {
        found = this.fromGroup(grp);
        if (found) break;
        if (switched) break;
        switched = true;
        switchTrees(grp);
      }
      if (!found) {
        // Both windows used up: the avoided server if any, else nothing.
        srv = avoided;
        if (srv) this.queueSrv(srv);
        break;
      }
      this.updatePosition(grp, found);
      if (found.owner) found.owner.delete(found);
      grp.currPos = i32(grp.currPos + 1);
      if (!found.full()) {
        if (!isAvoided(avoid, found.srv) || avoided) {
          srv = found;
          this.queueSrv(srv);
          break;
        }
        avoided = found;
      }
      full.push(found);
    }
    for (let i = full.length - 1; i >= 0; i--) {
      const f = full[i]!;
      if (f === srv) continue;
      // After a window switch their places are lost: only their weight counts.
      if (switched) this.queueByWeight(grp.init, f);
      else this.queueSrv(f);
    }
    return srv?.srv;
  }

  // --- server events (HAProxy's fwrr_set_server_status_down/up, fwrr_update_server_weight)

  down(slot: RrSlot<S>): void {
    const grp = this.groupOf(slot);
    this.st.countDown(slot);
    grp.nextWeight = this.groupTotal(slot);
    if (slot.owner) slot.owner.delete(slot);
    slot.tree = null;
    this.st.updateBackendWeight();
  }

  up(slot: RrSlot<S>): void {
    const grp = this.groupOf(slot);
    this.st.countUp(slot);
    grp.nextWeight = this.groupTotal(slot);
    this.getSrv(slot, grp);
    const span = u32(grp.nextWeight + grp.currWeight - grp.currPos);
    slot.npos = u32(grp.currPos + Math.floor(span / slot.nextEweight));
    this.queueSrv(slot);
    this.st.updateBackendWeight();
  }

  weight(slot: RrSlot<S>): void {
    const grp = this.groupOf(slot);
    grp.nextWeight = i32(grp.nextWeight - slot.curEweight + slot.nextEweight);
    if (slot.curBackup) this.st.totWbck = grp.nextWeight;
    else this.st.totWact = grp.nextWeight;

    if (slot.tree === grp.init) {
      if (slot.owner) slot.owner.delete(slot);
      this.queueByWeight(grp.init, slot);
    } else if (!slot.tree) {
      // Not reachable (a usable server is always in a set); kept as HAProxy places it.
      if (slot.owner) slot.owner.delete(slot);
      this.getSrv(slot, grp);
      const span = u32(grp.nextWeight + grp.currWeight - grp.currPos);
      slot.npos = u32(grp.currPos + Math.floor(span / slot.nextEweight));
      this.queueSrv(slot);
    } else {
      // In the current window or the next: move its next position by the new step.
      this.getSrv(slot, grp);
      if (slot.nextEweight > 0) {
        const prevNext = slot.npos;
        const step = i32(Math.floor(u32(grp.nextWeight) / slot.nextEweight));
        slot.npos = u32(slot.lpos + step);
        slot.rweight = 0;
        if (slot.npos > prevNext) slot.npos = prevNext;
        if (slot.npos < u32(grp.currPos + 2)) slot.npos = u32(grp.currPos + step);
      } else {
        slot.npos = u32(grp.currPos + grp.currWeight);
      }
      if (slot.owner) slot.owner.delete(slot);
      this.queueSrv(slot);
    }
    this.st.updateBackendWeight();
  }

  // --- the sets

  private groupOf(slot: RrSlot<S>): Group<RrSlot<S>> {
    return slot.curBackup ? this.bck : this.act;
  }

  private groupTotal(slot: RrSlot<S>): number {
    return slot.curBackup ? this.st.totWbck : this.st.totWact;
  }

  /** Heaviest first: the key is the complement of the effective weight. */
  private queueByWeight(tree: OrderedList<RrSlot<S>>, slot: RrSlot<S>): void {
    tree.insert(slot, EWEIGHT_MAX - slot.nextEweight);
    slot.tree = tree;
  }

  /** Places a server by its next position: in this window, or the next one. */
  private queueSrv(slot: RrSlot<S>): void {
    const grp = this.groupOf(slot);
    if (!slot.nextUsable) {
      if (slot.owner) slot.owner.delete(slot);
      slot.tree = null;
    } else if (slot.nextEweight <= 0 || slot.npos >= u32(2 * grp.currWeight) || slot.npos >= u32(grp.currWeight + grp.nextWeight)) {
      slot.npos = u32(slot.npos - grp.currWeight);
      this.queueByWeight(grp.next, slot);
    } else {
      // By position; at equal positions the heavier server (and its remainder) first.
      const tie = Math.floor(u32(EWEIGHT_MAX + slot.rweight - slot.nextEweight) / WEIGHT_SCALE);
      grp.curr.insert(slot, u32(UWEIGHT_RANGE * slot.npos + tie));
      slot.tree = grp.curr;
    }
  }

  /** Prepares a server leaving its set: positions restart from where that set implies. */
  private getSrv(slot: RrSlot<S>, grp: Group<RrSlot<S>>): void {
    if (slot.tree === grp.init) {
      slot.npos = slot.rweight = 0;
    } else if (slot.tree === grp.next) {
      slot.npos = u32(slot.npos + grp.currWeight);
    } else if (slot.tree === null) {
      slot.npos = u32(grp.currPos);
    }
  }

  /** The head of `curr` if its turn has come, else the head of `init`, else `curr`'s head. */
  private fromGroup(grp: Group<RrSlot<S>>): RrSlot<S> | null {
    const s1 = grp.curr.first() ?? null;
    if (s1 && s1.curEweight && s1.npos <= u32(grp.currPos)) return s1;
    const s2 = grp.init.first();
    if (s2 && s2.curEweight) {
      s2.npos = s2.rweight = 0;
      return s2;
    }
    return s1;
  }

  /** Moves a server's next position by total/weight, carrying the remainder. */
  private updatePosition(grp: Group<RrSlot<S>>, s: RrSlot<S>): void {
    const w = s.curEweight;
    if (!w) return;
    if (!s.npos) s.npos = u32(grp.currPos);
    s.lpos = s.npos;
    const total = u32(grp.nextWeight);
    s.npos = u32(s.npos + Math.floor(total / w));
    s.rweight = u32(s.rweight + (total % w));
    if (s.rweight >= w) {
      s.rweight = u32(s.rweight - w);
      s.npos = u32(s.npos + 1);
    }
  }
}

function newGroup<T extends OrderedNode>(total: number): Group<T> {
  return { currPos: total, currWeight: total, nextWeight: total, curr: new OrderedList<T>(), init: new OrderedList<T>(), next: new OrderedList<T>() };
}

/** The `next` set becomes `init`, and a new window as long as the total weight starts. */
function switchTrees<T extends OrderedNode>(grp: Group<T>): void {
  const swap = grp.init;
  grp.init = grp.next;
  grp.next = swap;
  grp.currWeight = grp.nextWeight;
  grp.currPos = grp.currWeight;
}
