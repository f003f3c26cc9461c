/**
 * Balance algorithms behind one small interface (STYLE.md 4; HAProxy's lb_fwrr.c, lb_fwlc.c,
 * lb_map.c, lb_chash.c, lb_fas.c): one file per algorithm, created for a backend's server list.
 * Hash-key extraction (source address, uri, header, ...) lives apart from the lookup structure
 * (map-based or consistent), so `pick` receives the key already hashed. Types only.
 */

/** What an algorithm needs to know of a server. */
export interface LbServer {
  readonly name: string;
  /** The server's numeric id (`id` option, or its position from 1): HAProxy's puid. */
  readonly id: number;
  /** Current effective weight (0..256; 0 takes no traffic). May change at run time. */
  readonly weight: number;
  /** A backup server (only used when no active server is usable). */
  readonly backup: boolean;
  /** Eligible for new traffic now (UP and not in maintenance/drain). */
  usable(): boolean;
  /** Connections currently being served (leastconn, first). */
  readonly current: number;
  /** `maxconn` (0: unlimited), for `first` which fills one server before the next. */
  readonly maxconn: number;
}

/** What a pick may depend on. */
export interface LbRequest<S extends LbServer = LbServer> {
  /** Servers not to pick again (redispatch after a failed attempt). */
  readonly avoid?: ReadonlySet<S>;
  /**
   * 32-bit hash of the balancing key (source address, uri, header, ...) for hash-based
   * algorithms; undefined when the key is missing (HAProxy then falls back to round robin).
   */
  readonly hash?: number;
}

export interface LbAlgorithm<S extends LbServer = LbServer> {
  /**
   * Picks a server for a new connection, or undefined when none is usable (the caller then
   * queues in the backend or fails). Backup servers are used, as HAProxy does, only when no
   * active server is usable: the first backup, or all of them with `option allbackups`.
   */
  pick(req?: LbRequest<S>): S | undefined;
  /** A connection to `s` starts / ends (leastconn and first keep their order from this). */
  take(s: S): void;
  drop(s: S): void;
  /** A server changed state (usable or not), weight or backup status. */
  update(s: S): void;
}

/** How an algorithm is created for one backend. */
export interface LbOptions {
  /** `option allbackups`. */
  readonly allBackups: boolean;
  /** `hash-type` (map-based by default), for hash-based algorithms. */
  readonly hashType?: { readonly method: 'map-based' | 'consistent'; readonly function: string; readonly modifier?: 'avalanche' };
  /** `balance random(<draws>)`: number of draws (default 2). */
  readonly draws?: number;
  /** `hash-balance-factor` for consistent hashing (0: off). */
  readonly hashBalanceFactor?: number;
}
