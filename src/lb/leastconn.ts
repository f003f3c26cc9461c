/**
 * balance leastconn (configuration.txt 4.2, "balance"): the server with the fewest connections
 * for its weight; round robin among equals. HAProxy's "fast weighted least connections"
 * (lb_fwlc.c), reproduced for its exact order:
 *
 * Servers of a group are ordered by a key: 0 for a server with no connection, otherwise
 * (connections + 1) × 4096 / effective weight (queued connections count). A server whose key
 * changes (it took or released a connection) is moved behind the servers of equal key, which
 * makes the round robin among equals; a server whose key does not change keeps its place. A pick
 * takes the first server that is not full (leastconn lets a server take connections up to
 * maxconn + maxqueue), skipping an avoided one unless it is the only one.
 */
import { OrderedList, type OrderedNode } from './ordered.js';
import { applyUpdate, dynamicEweight, EWEIGHT_MAX, isAvoided, LbState, Slot } from './state.js';
import type { LbAlgorithm, LbOptions, LbRequest, LbServer } from './types.js';

class LcSlot<S extends LbServer> extends Slot<S> implements OrderedNode {
  key = 0;
  seq = 0;
  owner: OrderedList<OrderedNode> | null = null;
  /** The group's set while usable (HAProxy's lb_tree), null when down. */
  tree: OrderedList<LcSlot<S>> | null = null;
}

/** HAProxy's leastconn key for `inflight` connections at effective weight `eweight`. */
function lcKey(inflight: number, eweight: number): number {
  return inflight ? Math.floor(((inflight + 1) * EWEIGHT_MAX) / (eweight || 1)) >>> 0 : 0;
}

function inflight(s: LbServer): number {
  return s.current + (s.queued ?? 0);
}

export class LeastConn<S extends LbServer> implements LbAlgorithm<S> {
  private readonly st: LbState<S, LcSlot<S>>;
  private readonly act = new OrderedList<LcSlot<S>>();
  private readonly bck = new OrderedList<LcSlot<S>>();

  constructor(servers: readonly S[], options: Pick<LbOptions, 'allBackups'>) {
    this.st = new LbState(servers, (s, i) => new LcSlot(s, i), options.allBackups, dynamicEweight);
    this.st.init();
    for (const slot of this.st.slots) {
      if (!slot.curUsable) continue;
      slot.tree = this.treeOf(slot);
      slot.tree.insert(slot, lcKey(inflight(slot.srv), slot.nextEweight));
    }
  }

  pick(req?: LbRequest<S>): S | undefined {
    const st = this.st;
    let tree: OrderedList<LcSlot<S>>;
    if (st.srvAct) tree = this.act;
    else if (st.fbck) return st.fbck.srv;
    else if (st.srvBck) tree = this.bck;
    else return undefined;
    const avoid = req?.avoid;
    let avoided: LcSlot<S> | undefined;
    for (let i = 0; i < tree.size; i++) {
      const slot = tree.at(i)!;
      const s = slot.srv;
      if (!s.maxconn || inflight(s) < s.maxconn + (s.maxqueue ?? 0)) {
        if (!isAvoided(avoid, s)) return s;
        avoided ??= slot;
      }
    }
    return avoided?.srv;
  }

  take(s: S): void {
    this.reposition(s);
  }

  drop(s: S): void {
    this.reposition(s);
  }

  update(s: S): void {
    const slot = this.st.slotOf(s);
    if (slot) applyUpdate(this.st, slot, this);
  }

  /** After a connection starts or ends: moves the server only if its key changed. */
  private reposition(s: S): void {
    const slot = this.st.slotOf(s);
    if (!slot || !slot.tree) return;
    const key = lcKey(inflight(s), slot.curEweight);
    if (slot.owner && slot.key === key) return;
    slot.tree.insert(slot, key);
  }

  private treeOf(slot: LcSlot<S>): OrderedList<LcSlot<S>> {
    return slot.curBackup ? this.bck : this.act;
  }

  // --- server events (HAProxy's fwlc_set_server_status_down/up, fwlc_update_server_weight)

  down(slot: LcSlot<S>): void {
    this.st.countDown(slot);
    if (slot.owner) slot.owner.delete(slot);
    slot.tree = null;
    this.st.updateBackendWeight();
  }

  up(slot: LcSlot<S>): void {
    slot.tree = this.treeOf(slot);
    this.st.countUp(slot);
    slot.tree.insert(slot, lcKey(inflight(slot.srv), slot.nextEweight));
    this.st.updateBackendWeight();
  }

  weight(slot: LcSlot<S>): void {
    if (slot.owner) slot.owner.delete(slot);
    if (slot.curBackup) this.st.totWbck += slot.nextEweight - slot.curEweight;
    else this.st.totWact += slot.nextEweight - slot.curEweight;
    slot.tree = this.treeOf(slot);
    slot.tree.insert(slot, lcKey(inflight(slot.srv), slot.nextEweight));
    this.st.updateBackendWeight();
  }
}
