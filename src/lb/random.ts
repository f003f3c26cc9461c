/**
 * balance random[(<draws>)] (configuration.txt 4.2, "balance"): a random point on the
 * consistent-hashing ring (chash.ts), so that weights and run-time weight changes apply. With
 * several draws (2 by default: "power of two choices"), HAProxy draws that many servers and keeps
 * the least loaded for its weight (connections × the other's weight compared; the later draw on
 * a tie). If the chosen server is full, nothing is picked and the connection waits in the
 * backend's queue. `hash-balance-factor` applies to each draw.
 */
import { ChashCore, type ChSlot } from './chash.js';
import type { LbAlgorithm, LbOptions, LbRequest, LbServer } from './types.js';

/** A 32-bit unsigned random number. */
function defaultRandom(): number {
  return Math.floor(Math.random() * 0x1_0000_0000) >>> 0;
}

export class RandomDraws<S extends LbServer> implements LbAlgorithm<S> {
  private readonly core: ChashCore<S>;
  private readonly draws: number;
  private readonly random: () => number;

  constructor(servers: readonly S[], options: Pick<LbOptions, 'allBackups' | 'hashBalanceFactor' | 'draws' | 'random'>) {
    this.core = new ChashCore(servers, options);
    this.draws = Math.max(1, options.draws ?? 2);
    this.random = options.random ?? defaultRandom;
  }

  pick(req?: LbRequest<S>): S | undefined {
    if (this.core.st.totWeight === 0) return undefined;
    let curr: S | undefined;
    let draws = this.draws;
    do {
      const prev = curr;
      curr = this.core.byHash(this.random(), req?.avoid);
      if (!curr) break;
      if (prev && prev !== curr && curr.current * this.weightOf(prev) > prev.current * this.weightOf(curr)) curr = prev;
    } while (--draws > 0);
    if (curr && ((curr.queued ?? 0) > 0 || (curr.maxconn > 0 && curr.current >= curr.maxconn))) return undefined;
    return curr;
  }

  private weightOf(s: S): number {
    return (this.core.st.slotOf(s) as ChSlot<S>).curEweight;
  }

  take(): void {}
  drop(): void {}

  update(s: S): void {
    this.core.update(s);
  }
}
