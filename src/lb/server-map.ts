/**
 * The server map of the static algorithms (HAProxy's lb_map.c): an array as long as the total
 * weight of the servers in use, where each server appears as many times as its weight, spread
 * so that heavier servers come back regularly. `balance static-rr` walks it in turn;
 * `hash-type map-based` indexes it with hash % length. Weights are reduced by their greatest
 * common divisor first (so weights 10 and 20 make a map of 3 slots), and the whole map is
 * rebuilt on every change of state (which is why weights cannot change at run time, other than
 * to 0% and back to 100%).
 *
 * Quirk kept: with no active server and no `option allbackups`, the map is as long as the first
 * backup's weight but filled from every usable backup in turn, as HAProxy fills it.
 */
import { applyUpdate, LbState, Slot } from './state.js';
import type { LbServer } from './types.js';

class MapSlot<S extends LbServer> extends Slot<S> {
  /** Running score while the map is built (HAProxy's wscore). */
  wscore = 0;
}

export class ServerMap<S extends LbServer> {
  readonly st: LbState<S, MapSlot<S>>;
  /** map[i]: the server at slot i; `st.totWeight` slots are in use. */
  private map: MapSlot<S>[] = [];
  /** Next slot of static round robin (HAProxy's rr_idx). */
  private rrIdx = 0;

  constructor(servers: readonly S[], allBackups: boolean) {
    // Weights are divided by the gcd of the user weights (of every server, 0 ignored).
    let gcd = 1;
    const first = servers.findIndex((s) => s.weight > 0);
    if (first >= 0) {
      gcd = servers[first]!.weight;
      for (let i = first + 1; i < servers.length && gcd > 1; i++) {
        let w = servers[i]!.weight;
        while (w) {
          const t = gcd % w;
          gcd = w;
          w = t;
        }
      }
    }
    const wmult = gcd;
    this.st = new LbState(servers, (s, i) => new MapSlot(s, i), allBackups, (s) => Math.floor((s.weight + wmult - 1) / wmult));
    this.st.init();
    this.recalc();
  }

  update(s: S): void {
    const slot = this.st.slotOf(s);
    if (!slot) return;
    const rebuild = (): void => {
      this.st.recount();
      this.st.updateBackendWeight();
      this.recalc();
    };
    applyUpdate(this.st, slot, { down: rebuild, up: rebuild, weight: rebuild });
  }

  /**
   * Rebuilds the map from the servers' next state (HAProxy's recalc_server_map): for each slot,
   * every usable server of the group in use adds its weight to its score, and the first server
   * with the best score/total takes the slot and pays the total back.
   */
  private recalc(): void {
    const st = this.st;
    if (st.totUsed === 0) return;
    const tot = st.totWeight;
    const backup = st.srvAct === 0;
    const slots = st.slots;
    for (const s of slots) s.wscore = 0;
    const map: MapSlot<S>[] = new Array(tot);
    for (let o = 0; o < tot; o++) {
      let max = 0;
      let best: MapSlot<S> | null = null;
      for (const cur of slots) {
        if (cur.curBackup !== backup || !cur.nextUsable) continue;
        if (tot === 1) {
          best = cur;
          break;
        }
        cur.wscore += cur.nextEweight;
        const v = Math.floor((cur.wscore + tot) / tot);
        if (best === null || v > max) {
          max = v;
          best = cur;
        }
      }
      map[o] = best!;
      if (best) best.wscore -= tot;
    }
    this.map = map;
  }

  /**
   * Static round robin (HAProxy's map_get_server_rr): the next slot whose server is not full,
   * skipping an avoided server unless it is the only one left.
   */
  nextInTurn(avoid: ReadonlySet<S> | undefined): S | undefined {
    const tot = this.st.totWeight;
    if (tot === 0) return undefined;
    if (this.rrIdx < 0 || this.rrIdx >= tot) this.rrIdx = 0;
    let idx = this.rrIdx;
    let avoided: MapSlot<S> | null = null;
    let avoidedIdx = 0;
    do {
      const slot = this.map[idx++]!;
      if (!slot.full()) {
        avoided = slot;
        avoidedIdx = idx;
        if (!avoid || !avoid.has(slot.srv)) {
          this.rrIdx = idx;
          return slot.srv;
        }
      }
      if (idx === tot) idx = 0;
    } while (idx !== this.rrIdx);
    if (avoided) this.rrIdx = avoidedIdx;
    return avoided?.srv;
  }

  /** Map-based hashing (HAProxy's map_get_server_hash): the slot hash % total weight. */
  byHash(hash: number): S | undefined {
    const tot = this.st.totWeight;
    if (tot === 0) return undefined;
    return this.map[(hash >>> 0) % tot]?.srv;
  }
}
