/**
 * balance static-rr (configuration.txt 4.2, "balance"): each server in turn, in proportion to
 * its weight, weights fixed at startup. HAProxy walks its static server map (lb_map.c, see
 * server-map.ts): no limit on the number of servers, no change of weight on the fly, and a
 * server coming back is used at once.
 */
import { ServerMap } from './server-map.js';
import type { LbAlgorithm, LbOptions, LbRequest, LbServer } from './types.js';

export class StaticRoundRobin<S extends LbServer> implements LbAlgorithm<S> {
  private readonly map: ServerMap<S>;

  constructor(servers: readonly S[], options: Pick<LbOptions, 'allBackups'>) {
    this.map = new ServerMap(servers, options.allBackups);
  }

  pick(req?: LbRequest<S>): S | undefined {
    return this.map.nextInTurn(req?.avoid);
  }

  take(): void {}
  drop(): void {}

  update(s: S): void {
    this.map.update(s);
  }
}
