/** `stats socket <address> [bind options]` in the global section (configuration.txt 3.1). */
import { BIND_ADDRESS, parseAddress } from '../../address.js';
import { parseBindOptions } from '../../bind-options/index.js';
import type { KeywordContext } from '../../keywords.js';
import type { GlobalModel } from '../../model/global.js';

/** A stats socket accepts a path, an address with a port, or fd@. */
const STATS_SOCKET_ADDRESS = { ...BIND_ADDRESS, portRange: false };

export function parseStatsSocket(ctx: KeywordContext<GlobalModel>, args: readonly string[]): void {
  const addrText = args[2];
  if (!addrText) {
    ctx.alert("'stats socket' in global section expects an address or a path to a UNIX socket");
    return;
  }
  const r = parseAddress(addrText, STATS_SOCKET_ADDRESS);
  if ('error' in r) {
    ctx.alert(`'stats socket' : ${r.error}`);
    return;
  }
  if (r.address.hostname) {
    ctx.alert(`'stats socket' : invalid address: '${r.address.hostname}' in '${addrText}'`);
    return;
  }
  const options = parseBindOptions(ctx, args, 3, 'stats socket', "'stats socket' ");
  if (!options) return;
  ctx.state.statsSockets.push({ where: ctx.where, bind: { where: ctx.where, addresses: [r.address], options } });
}
