/**
 * Balance algorithms behind one small interface (STYLE.md 4): each algorithm is one file.
 * Types only.
 */

/** What an algorithm needs to know of a server. */
export interface LbServer {
  readonly name: string;
  /** Configured weight (0..256); 0 takes no traffic. */
  readonly weight: number;
  /** Eligible now (UP, not in maintenance). */
  usable(): boolean;
}

export interface LbAlgorithm<S extends LbServer = LbServer> {
  /** Picks a server, skipping those in `avoid` (redispatch), or undefined when none is usable. */
  pick(avoid?: ReadonlySet<S>): S | undefined;
}
