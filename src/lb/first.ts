/**
 * balance first (configuration.txt 4.2, "balance"): the first server with a free connection
 * slot, by server id (HAProxy's lb_fas.c). Servers are ordered by their numeric id, not by
 * their place in the file; a server takes connections until it reaches its maxconn (without
 * maxconn the first server takes everything), then the next one does. A server with a queue is
 * full. An avoided server is taken only when no other has room.
 */
import { OrderedList, type OrderedNode } from './ordered.js';
import { applyUpdate, dynamicEweight, isAvoided, LbState, Slot } from './state.js';
import type { LbAlgorithm, LbOptions, LbRequest, LbServer } from './types.js';

class FasSlot<S extends LbServer> extends Slot<S> implements OrderedNode {
  key = 0;
  seq = 0;
  owner: OrderedList<OrderedNode> | null = null;
}

export class First<S extends LbServer> implements LbAlgorithm<S> {
  private readonly st: LbState<S, FasSlot<S>>;
  private readonly act = new OrderedList<FasSlot<S>>();
  private readonly bck = new OrderedList<FasSlot<S>>();

  constructor(servers: readonly S[], options: Pick<LbOptions, 'allBackups'>) {
    this.st = new LbState(servers, (s, i) => new FasSlot(s, i), options.allBackups, dynamicEweight);
    this.st.init();
    for (const slot of this.st.slots) if (slot.curUsable) this.queue(slot);
  }

  pick(req?: LbRequest<S>): S | undefined {
    const st = this.st;
    let tree: OrderedList<FasSlot<S>>;
    if (st.srvAct) tree = this.act;
    else if (st.fbck) return st.fbck.srv;
    else if (st.srvBck) tree = this.bck;
    else return undefined;
    const avoid = req?.avoid;
    let avoided: FasSlot<S> | undefined;
    for (let i = 0; i < tree.size; i++) {
      const slot = tree.at(i)!;
      if (slot.full()) continue;
      if (!isAvoided(avoid, slot.srv)) return slot.srv;
      avoided ??= slot;
    }
    return avoided?.srv;
  }

  // HAProxy requeues the server under the same key (its id) on each connection: ids are unique,
  // so the order never changes.
  take(): void {}
  drop(): void {}

  update(s: S): void {
    const slot = this.st.slotOf(s);
    if (slot) applyUpdate(this.st, slot, this);
  }

  private queue(slot: FasSlot<S>): void {
    (slot.curBackup ? this.bck : this.act).insert(slot, slot.srv.id);
  }

  down(slot: FasSlot<S>): void {
    this.st.countDown(slot);
    if (slot.owner) slot.owner.delete(slot);
    this.st.updateBackendWeight();
  }

  up(slot: FasSlot<S>): void {
    this.st.countUp(slot);
    this.queue(slot);
    this.st.updateBackendWeight();
  }

  weight(slot: FasSlot<S>): void {
    if (slot.curBackup) this.st.totWbck += slot.nextEweight - slot.curEweight;
    else this.st.totWact += slot.nextEweight - slot.curEweight;
    this.queue(slot);
    this.st.updateBackendWeight();
  }
}
