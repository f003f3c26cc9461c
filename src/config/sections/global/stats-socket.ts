/** `stats socket <address> [bind options]` in the global section (configuration.txt 3.1). */
import { BIND_ADDRESS } from '../../address.js';
import { parseBindOptions } from '../../bind-options/index.js';
import type { KeywordContext } from '../../keywords.js';
import type { GlobalModel } from '../../model/global.js';
import { addressError, parseAddressChecked, resolveLater } from './addresses.js';

export function parseStatsSocket(ctx: KeywordContext<GlobalModel>, args: readonly string[]): void {
  const addrText = args[2];
  if (!addrText) {
    ctx.alert("'stats socket' in global section expects an address or a path to a UNIX socket");
    return;
  }
  // HAProxy repeats the location inside the message and ends it with a newline.
  const at = `parsing [${ctx.where.file}:${ctx.where.line}] : 'stats socket' : `;
  const r = parseAddressChecked(addrText, BIND_ADDRESS, { emptyUnixPath: true });
  if ('error' in r) {
    ctx.alert(`${at}${addressError(r.error)}\n`);
    return;
  }
  resolveLater(ctx, r.address, `${at}invalid address: '${r.address.hostname}' in '${addrText}'\n\n`);
  const options = parseBindOptions(ctx, args, 3, 'stats socket', "'stats socket' ");
  if (!options) return;
  ctx.state.statsSockets.push({ where: ctx.where, bind: { where: ctx.where, addresses: [r.address], options } });
}
