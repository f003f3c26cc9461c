/**
 * balance roundrobin (configuration.txt 4.2, "balance"): each usable server in turn, in
 * proportion to its weight. Smooth weighted round robin: every pick adds each server's weight
 * to its credit and takes the server with the most credit, which spreads a heavier server's
 * turns between the others instead of in a burst.
 * (HAProxy's exact order for unequal weights comes with the layer-4 work.)
 */
import type { LbAlgorithm, LbRequest, LbServer } from './types.js';

export class RoundRobin<S extends LbServer> implements LbAlgorithm<S> {
  private readonly credit: Map<S, number>;

  constructor(private readonly servers: readonly S[]) {
    this.credit = new Map(servers.map((s) => [s, 0]));
  }

  take(): void {}
  drop(): void {}
  update(): void {}

  pick(req?: LbRequest<S>): S | undefined {
    const avoid = req?.avoid;
    let best: S | undefined;
    let bestCredit = -Infinity;
    let total = 0;
    for (const s of this.servers) {
      if (s.weight <= 0 || !s.usable() || avoid?.has(s)) continue;
      const c = this.credit.get(s)! + s.weight;
      this.credit.set(s, c);
      total += s.weight;
      if (c > bestCredit) {
        bestCredit = c;
        best = s;
      }
    }
    if (best) this.credit.set(best, bestCredit - total);
    return best;
  }
}
