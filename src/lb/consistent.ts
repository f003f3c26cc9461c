/**
 * `hash-type consistent` (configuration.txt 4.2, "hash-type"): a hash-based algorithm (source,
 * uri, url_param, hdr, rdp-cookie, hash) looks the key's hash up on the consistent-hashing ring
 * (chash.ts): a server coming or going only moves the keys near its own points, and weights may
 * change at run time. `hash-balance-factor` bounds each server's share of the load. Without a
 * key, HAProxy walks the ring in turn.
 */
import { ChashCore } from './chash.js';
import type { LbAlgorithm, LbOptions, LbRequest, LbServer } from './types.js';

export class ConsistentHash<S extends LbServer> implements LbAlgorithm<S> {
  private readonly core: ChashCore<S>;

  constructor(servers: readonly S[], options: Pick<LbOptions, 'allBackups' | 'hashBalanceFactor'>) {
    this.core = new ChashCore(servers, options);
  }

  pick(req?: LbRequest<S>): S | undefined {
    if (this.core.st.totWeight === 0) return undefined;
    const hash = req?.hash;
    if (hash !== undefined) {
      const s = this.core.byHash(hash, req?.avoid);
      if (s) return s;
    }
    return this.core.nextInTurn(req?.avoid);
  }

  take(): void {}
  drop(): void {}

  update(s: S): void {
    this.core.update(s);
  }
}
