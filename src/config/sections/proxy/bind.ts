/** `bind <address>[,<address>...] [options]` (configuration.txt 4.2 "bind", 5.1). */
import { BIND_ADDRESS, parseAddress, splitAddressList } from '../../address.js';
import { parseBindOptions } from '../../bind-options/index.js';
import type { KeywordRow } from '../../keywords.js';
import type { Mutable } from '../../load-state.js';
import type { AddressModel } from '../../model/address.js';
import type { ProxyModel } from '../../model/proxy.js';
import { CAP_FE } from '../../types.js';

const bind: KeywordRow<ProxyModel> = {
  name: 'bind',
  cap: CAP_FE,
  status: 'partial',
  note: 'bind options are listed in their own table',
  summary: 'Address(es) and port(s) a frontend listens on, with bind options.',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert("'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments.");
      return;
    }
    const addresses: AddressModel[] = [];
    for (const text of splitAddressList(args[1])) {
      const r = parseAddress(text, BIND_ADDRESS);
      if ('error' in r) {
        ctx.alert(`'bind' : ${r.error}`);
        return;
      }
      addresses.push(r.address);
    }
    const label = `'bind ${args[1]}' in section '${ctx.state.kind}'`;
    const options = parseBindOptions(ctx, args, 2, 'proxy', label);
    if (!options) return;
    for (const a of addresses) {
      if (!a.hostname) continue;
      const addr = a as Mutable<AddressModel>;
      ctx.load.resolutions.push({
        where: ctx.where,
        hostname: a.hostname,
        family: a.anyFamily ? 'any' : a.family === 'ipv6' ? 'ipv6' : 'ipv4',
        resolved(ip, family) {
          addr.ip = ip;
          addr.family = family;
        },
        failed: () => ctx.load.diag.alert(ctx.where, `'bind' : invalid address: '${a.hostname}' in '${a.raw}'`),
      });
    }
    ctx.state.binds.push({ where: ctx.where, addresses, options });
  },
};

export const rows: KeywordRow<ProxyModel>[] = [bind];
