/**
 * `hash-type map-based` (configuration.txt 4.2, "hash-type"): a hash-based algorithm (source,
 * uri, url_param, hdr, rdp-cookie, hash) looks the key's hash up in the static server map
 * (server-map.ts): the server at hash % total weight. Any change of the servers in use moves
 * most keys. Without a key (missing header, not an IP source, ...) HAProxy walks the same map
 * in turn, as static-rr. The map lookup itself ignores full servers and the avoided one, as
 * HAProxy's does.
 */
import { ServerMap } from './server-map.js';
import type { LbAlgorithm, LbOptions, LbRequest, LbServer } from './types.js';

export class MapBasedHash<S extends LbServer> implements LbAlgorithm<S> {
  private readonly map: ServerMap<S>;

  constructor(servers: readonly S[], options: Pick<LbOptions, 'allBackups'>) {
    this.map = new ServerMap(servers, options.allBackups);
  }

  pick(req?: LbRequest<S>): S | undefined {
    const hash = req?.hash;
    if (hash !== undefined) {
      const s = this.map.byHash(hash);
      if (s) return s;
    }
    return this.map.nextInTurn(req?.avoid);
  }

  take(): void {}
  drop(): void {}

  update(s: S): void {
    this.map.update(s);
  }
}
