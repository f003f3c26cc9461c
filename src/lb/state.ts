/**
 * What every algorithm keeps about a backend (HAProxy's `lbprm` counters and the per-server
 * "current" state): for each server the state last reported (committed), and the backend's
 * counts of usable active and backup servers, their total effective weights, and the first
 * usable backup server (used alone unless `option allbackups`). The algorithms update these
 * counts as HAProxy does, incrementally on each event, which matters: HAProxy's order after a
 * server goes down or up depends on where each count stood at that moment.
 */
import type { LbServer } from './types.js';

/** BE_WEIGHT_SCALE: dynamic algorithms scale a user weight (0..256) by 16. */
export const WEIGHT_SCALE = 16;
/** SRV_UWGHT_RANGE: user weights are 0..256. */
export const UWEIGHT_RANGE = 256;
/** SRV_EWGHT_MAX / SRV_EWGHT_RANGE: the largest effective weight of a dynamic algorithm. */
export const EWEIGHT_MAX = UWEIGHT_RANGE * WEIGHT_SCALE;

/** One server as an algorithm sees it. Algorithms extend it with their own fields. */
export class Slot<S extends LbServer> {
  /** Committed (HAProxy's cur_*) values: what the algorithm's structures reflect. */
  curEweight = 0;
  curUsable = false;
  curBackup: boolean;
  /** Values being applied during `update` (HAProxy's next_*); equal to cur_* otherwise. */
  nextEweight = 0;
  nextUsable = false;
  /** Sum of the effective weights of the usable servers before this one in its group. */
  cumulativeWeight = 0;

  constructor(
    readonly srv: S,
    /** Position in the backend's server list (HAProxy's declaration order). */
    readonly index: number,
  ) {
    this.curBackup = srv.backup;
  }

  /** HAProxy's srv_lb_commit_status. */
  commit(): void {
    this.curEweight = this.nextEweight;
    this.curUsable = this.nextUsable;
  }

  /** HAProxy's "full" test of round robin, static-rr, first and consistent fallback. */
  full(): boolean {
    const s = this.srv;
    return s.maxconn > 0 && ((s.queued ?? 0) > 0 || s.current >= s.maxconn);
  }
}

/**
 * The backend-wide counters and the server slots. `eweightOf` turns a server's user weight into
 * the algorithm's effective weight (×16 for dynamic algorithms, ÷gcd for the static map).
 */
export class LbState<S extends LbServer, T extends Slot<S> = Slot<S>> {
  readonly slots: T[];
  private readonly bySrv = new Map<S, T>();
  srvAct = 0;
  srvBck = 0;
  totWact = 0;
  totWbck = 0;
  /** The weight the algorithm works with: active total, or the backup(s) in use. */
  totWeight = 0;
  /** Number of servers that weight is spread over. */
  totUsed = 0;
  /** First usable backup server, when backups are used one at a time. */
  fbck: T | null = null;

  constructor(
    servers: readonly S[],
    make: (s: S, index: number) => T,
    readonly allBackups: boolean,
    readonly eweightOf: (s: S) => number,
  ) {
    this.slots = servers.map((s, i) => make(s, i));
    for (const slot of this.slots) this.bySrv.set(slot.srv, slot);
  }

  slotOf(s: S): T | undefined {
    return this.bySrv.get(s);
  }

  /** Reads the server's new state into next_* (HAProxy's srv_willbe_usable inputs). */
  readNext(slot: T): void {
    slot.nextEweight = this.eweightOf(slot.srv);
    slot.nextUsable = slot.nextEweight > 0 && slot.srv.usable();
  }

  /** HAProxy's srv_lb_status_changed. */
  changed(slot: T): boolean {
    return slot.nextEweight !== slot.curEweight || slot.nextUsable !== slot.curUsable;
  }

  /** At creation: next_* from each server, committed (HAProxy's *_init_server_* first loop). */
  init(): void {
    for (const slot of this.slots) {
      this.readNext(slot);
      slot.commit();
    }
    this.recount();
    this.updateBackendWeight();
  }

  /** HAProxy's recount_servers: counts and totals from the next_* values, and fbck. */
  recount(): void {
    this.srvAct = this.srvBck = this.totWact = this.totWbck = 0;
    this.fbck = null;
    for (const slot of this.slots) {
      if (!slot.nextUsable) continue;
      if (slot.curBackup) {
        if (!this.srvBck && !this.allBackups) this.fbck = slot;
        this.srvBck++;
        slot.cumulativeWeight = this.totWbck;
        this.totWbck += slot.nextEweight;
      } else {
        this.srvAct++;
        slot.cumulativeWeight = this.totWact;
        this.totWact += slot.nextEweight;
      }
    }
  }

  /** HAProxy's update_backend_weight. */
  updateBackendWeight(): void {
    if (this.srvAct) {
      this.totWeight = this.totWact;
      this.totUsed = this.srvAct;
    } else if (this.fbck) {
      this.totWeight = this.fbck.nextEweight;
      this.totUsed = 1;
    } else {
      this.totWeight = this.totWbck;
      this.totUsed = this.srvBck;
    }
  }

  /** Counts a usable server leaving (the *_set_server_status_down bookkeeping). */
  countDown(slot: T): void {
    if (slot.curBackup) {
      this.totWbck -= slot.curEweight;
      this.srvBck--;
      if (slot === this.fbck) {
        // The next usable backup after it in the list (HAProxy does not look before it).
        let next: T | null = null;
        for (let i = slot.index + 1; i < this.slots.length; i++) {
          const c = this.slots[i]!;
          if (c.curBackup && c.nextUsable) {
            next = c;
            break;
          }
        }
        this.fbck = next;
      }
    } else {
      this.totWact -= slot.curEweight;
      this.srvAct--;
    }
  }

  /** Counts a server becoming usable (the *_set_server_status_up bookkeeping). */
  countUp(slot: T): void {
    if (slot.curBackup) {
      this.totWbck += slot.nextEweight;
      this.srvBck++;
      if (!this.allBackups) {
        // A backup declared before the current first one replaces it.
        if (!this.fbck || slot.index < this.fbck.index) this.fbck = slot;
      }
    } else {
      this.totWact += slot.nextEweight;
      this.srvAct++;
    }
  }

  /** Sum of the connections served by the backend's servers (HAProxy's proxy `served`). */
  served(): number {
    let n = 0;
    for (const slot of this.slots) n += slot.srv.current;
    return n;
  }
}

/** Whether `s` is to be avoided by this pick (redispatch). */
export function isAvoided<S>(avoid: ReadonlySet<S> | undefined, s: S): boolean {
  return avoid !== undefined && avoid.has(s);
}

/** Effective weight of a dynamic algorithm: user weight × 16, or × the slow-start step. */
export function dynamicEweight(s: LbServer): number {
  const step = s.slowStartStep ?? WEIGHT_SCALE;
  return s.weight * Math.max(0, Math.min(WEIGHT_SCALE, step));
}

/** What an algorithm does on each kind of server event (HAProxy's lbprm callbacks). */
export interface UpdateOps<T> {
  /** A usable server becomes unusable (set_server_status_down). */
  down(slot: T): void;
  /** An unusable server becomes usable (set_server_status_up). */
  up(slot: T): void;
  /** A usable server stays usable with another weight (update_server_eweight). */
  weight(slot: T): void;
}

/**
 * `update(s)` as HAProxy's srv_update_status dispatches it: nothing when nothing changed, then
 * down, up or weight, then the new state is committed. A change of backup status (which HAProxy
 * cannot do at run time) is applied as leaving one group and joining the other.
 */
export function applyUpdate<S extends LbServer, T extends Slot<S>>(state: LbState<S, T>, slot: T, ops: UpdateOps<T>): void {
  if (slot.srv.backup !== slot.curBackup) {
    if (slot.curUsable) {
      slot.nextEweight = slot.curEweight;
      slot.nextUsable = false;
      ops.down(slot);
      slot.commit();
    }
    slot.curBackup = slot.srv.backup;
  }
  state.readNext(slot);
  if (!state.changed(slot)) return;
  if (slot.curUsable && slot.nextUsable) ops.weight(slot);
  else if (slot.nextUsable) ops.up(slot);
  else if (slot.curUsable) ops.down(slot);
  slot.commit();
}
