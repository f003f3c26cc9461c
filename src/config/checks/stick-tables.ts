/**
 * Whole-configuration checks of stick tables (HAProxy's check_config_validity): the peers
 * section named by `stick-table ... peers <name>` must exist ("Proxy 'b': unable to find sync
 * peers 'p'."). A disabled peers section is accepted (the table is then not replicated).
 */
import type { PostCheck } from './types.js';

const peersExist: PostCheck = (load) => {
  for (const p of load.proxies) {
    const peers = p.stickTable?.peers;
    if (peers === undefined || p.disabled) continue;
    if (!load.peers.some((s) => s.name === peers)) {
      load.diag.alert(undefined, `Proxy '${p.name}': unable to find sync peers '${peers}'.`);
    }
  }
};

export const stickTableChecks: PostCheck[] = [peersExist];
