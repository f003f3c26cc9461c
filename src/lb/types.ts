/**
 * Balance algorithms behind one small interface (STYLE.md 4; HAProxy's lb_fwrr.c, lb_fwlc.c,
 * lb_map.c, lb_chash.c, lb_fas.c): one file per algorithm, created for a backend's server list
 * by `createLbAlgorithm` (index.ts). Hash-key extraction (source address, uri, header, ...)
 * lives apart from the lookup structure (map-based or consistent): the caller hashes the key
 * with hash.ts and `pick` receives the hash. Types only.
 *
 * Each algorithm reproduces HAProxy 2.6's choice for the same servers and the same sequence of
 * events (see docs/balancing.md), provided the runtime reports every event:
 *   - `take(s)` right after a connection to `s` was counted in `s.current`,
 *   - `drop(s)` right after one left `s.current`,
 *   - `update(s)` right after `s.usable()`, `s.weight`, `s.slowStartStep` or `s.backup` changed.
 * An algorithm keeps its own copy of the last state it was told (HAProxy's "cur" values), so an
 * unreported change is not seen until `update(s)` is called.
 */

/** What an algorithm needs to know of a server. */
export interface LbServer {
  readonly name: string;
  /**
   * The server's numeric id (`id` option, or the number HAProxy assigns: ids.ts). Consistent
   * hashing places a server on the ring from it, and `first` fills servers in its order.
   */
  readonly id: number;
  /** User weight (0..256, `weight` option or `set weight`; 0 takes no traffic). */
  readonly weight: number;
  /** A backup server (only used when no active server is usable). */
  readonly backup: boolean;
  /** Eligible for new traffic now (UP and not in maintenance/drain). */
  usable(): boolean;
  /** Connections currently being served (HAProxy's `served`): leastconn, first, random, maxconn. */
  readonly current: number;
  /**
   * Connection limit in force now (0: unlimited). HAProxy compares `current` with its dynamic
   * limit (`minconn`/`fullconn`, slow start), so the runtime gives the limit it computes.
   */
  readonly maxconn: number;
  /**
   * Added to HAProxy's contract: connections waiting in this server's own queue (default 0).
   * A server with a queue is "full" for round robin, static-rr, first and random, and leastconn
   * counts queued connections as load.
   */
  readonly queued?: number;
  /** Added: `maxqueue` (default 0). leastconn still picks a full server while its queue has room. */
  readonly maxqueue?: number;
  /**
   * Added: during a slow start, HAProxy's ramp step (1..16, in sixteenths of the weight) for the
   * dynamic algorithms; absent means the full weight. Static algorithms (static-rr, map-based
   * hashing) ignore it, as HAProxy does.
   */
  readonly slowStartStep?: number;
}

/** What a pick may depend on. */
export interface LbRequest<S extends LbServer = LbServer> {
  /**
   * Servers not to pick again (redispatch after a failed attempt). HAProxy avoids one server
   * (the previous one); with a set, any member is avoided. An avoided server is still picked when
   * nothing else is usable, as HAProxy does.
   */
  readonly avoid?: ReadonlySet<S>;
  /**
   * 32-bit hash of the balancing key for hash-based algorithms, modifier included (hash.ts:
   * `createKeyHasher`); undefined when the key is missing: HAProxy then falls back to round robin
   * on the same structure.
   */
  readonly hash?: number;
}

export interface LbAlgorithm<S extends LbServer = LbServer> {
  /**
   * Picks a server for a new connection, or undefined when none is usable or all are full (the
   * caller then queues in the backend or fails). Backup servers are used, as HAProxy does, only
   * when no active server is usable: the first backup, or all of them with `option allbackups`.
   */
  pick(req?: LbRequest<S>): S | undefined;
  /** A connection to `s` starts / ends (leastconn keeps its order from this). */
  take(s: S): void;
  drop(s: S): void;
  /** A server changed state (usable or not), weight, slow-start step or backup status. */
  update(s: S): void;
}

/** How an algorithm is created for one backend. */
export interface LbOptions {
  /** `option allbackups`. */
  readonly allBackups: boolean;
  /** `hash-type` (map-based by default), for hash-based algorithms. */
  readonly hashType?: { readonly method: 'map-based' | 'consistent'; readonly function: string; readonly modifier?: 'avalanche' };
  /** `balance random(<draws>)`: number of draws (default 2, or the balance line's). */
  readonly draws?: number;
  /** `hash-balance-factor` for consistent hashing (0: off). */
  readonly hashBalanceFactor?: number;
  /**
   * Added: the random source of `balance random`, a function returning a 32-bit unsigned
   * integer (HAProxy's statistical_prng). Tests inject a seeded one; default Math.random.
   */
  readonly random?: () => number;
}
