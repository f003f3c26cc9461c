/**
 * The balance algorithms by name (configuration.txt 4.2, "balance"): one row per algorithm,
 * each naming the file that implements it. The runtime calls `createLbAlgorithm` once per
 * backend with its `balance` line, `lbOptionsOf(backend)` and its servers (in the order of the
 * file, with HAProxy's ids: ids.ts), then hashes the keys with `createKeyHasher` (hash.ts).
 *
 * Hash-based algorithms (source, uri, url_param, hdr, rdp-cookie, hash) share the lookup chosen
 * by `hash-type`: the static map (map-hash.ts) or the consistent ring (consistent.ts). Which key
 * is hashed is the caller's business: `balance source` hashes the client address
 * (hash.ts: `source`), the others come with HTTP and sample expressions.
 */
import type { BalanceModel, ProxyModel } from '../config/model/proxy.js';
import { ConsistentHash } from './consistent.js';
import { First } from './first.js';
import { LeastConn } from './leastconn.js';
import { MapBasedHash } from './map-hash.js';
import { RandomDraws } from './random.js';
import { RoundRobin } from './roundrobin.js';
import { StaticRoundRobin } from './static-rr.js';
import type { LbAlgorithm, LbOptions, LbServer } from './types.js';

export type BalanceName = BalanceModel['algorithm'];

interface AlgorithmRow {
  /** Whether the algorithm picks by a hashed key (and so follows `hash-type`). */
  readonly hashed: boolean;
  create<S extends LbServer>(servers: readonly S[], options: LbOptions): LbAlgorithm<S>;
}

/** Hash-based algorithms: the lookup follows `hash-type` (map-based unless consistent). */
const byHashType: AlgorithmRow = {
  hashed: true,
  create: (servers, options) => (options.hashType?.method === 'consistent' ? new ConsistentHash(servers, options) : new MapBasedHash(servers, options)),
};

export const LB_ALGORITHMS: Readonly<Record<BalanceName, AlgorithmRow>> = {
  roundrobin: { hashed: false, create: (servers, options) => new RoundRobin(servers, options) },
  'static-rr': { hashed: false, create: (servers, options) => new StaticRoundRobin(servers, options) },
  leastconn: { hashed: false, create: (servers, options) => new LeastConn(servers, options) },
  first: { hashed: false, create: (servers, options) => new First(servers, options) },
  random: { hashed: false, create: (servers, options) => new RandomDraws(servers, options) },
  source: byHashType,
  uri: byHashType,
  url_param: byHashType,
  hdr: byHashType,
  'rdp-cookie': byHashType,
  hash: byHashType,
};

/**
 * The algorithm of a backend. `balance` undefined is HAProxy's default, roundrobin; for
 * `random`, the draws come from `options.draws`, else the balance line, else 2.
 */
export function createLbAlgorithm<S extends LbServer>(balance: Pick<BalanceModel, 'algorithm' | 'args'> | undefined, options: LbOptions, servers: readonly S[]): LbAlgorithm<S> {
  const name = balance?.algorithm ?? 'roundrobin';
  const row = LB_ALGORITHMS[name] ?? LB_ALGORITHMS.roundrobin;
  let opts = options;
  if (name === 'random' && opts.draws === undefined) {
    const d = balance?.args['draws'];
    if (typeof d === 'number') opts = { ...opts, draws: d };
  }
  return row.create(servers, opts);
}

/** The options of a backend's model: `option allbackups`, `hash-type`, `hash-balance-factor`. */
export function lbOptionsOf(proxy: Pick<ProxyModel, 'options' | 'hashType' | 'hashBalanceFactor'>): LbOptions {
  const ht = proxy.hashType;
  return {
    allBackups: proxy.options['allbackups']?.enabled === true,
    hashType: ht ? { method: ht.method, function: ht.function, ...(ht.avalanche ? { modifier: 'avalanche' as const } : {}) } : undefined,
    hashBalanceFactor: proxy.hashBalanceFactor ?? 0,
  };
}

export { createKeyHasher, hashSourceAddress, type KeyHasher } from './hash.js';
export { assignServerIds } from './ids.js';
