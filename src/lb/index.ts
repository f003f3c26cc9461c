/**
 * Creates the balance algorithm of a backend (configuration.txt 4.2 "balance"). Until every
 * algorithm exists, the ones not built yet fall back to round robin — they are refused at
 * startup by the configuration layer ("not supported yet"), so this is never reached for them.
 */
import type { BalanceModel } from '../config/model/proxy.js';
import { RoundRobin } from './roundrobin.js';
import type { LbAlgorithm, LbOptions, LbServer } from './types.js';

export function createLbAlgorithm<S extends LbServer>(_balance: BalanceModel | undefined, _options: LbOptions, servers: readonly S[]): LbAlgorithm<S> {
  return new RoundRobin(servers);
}
