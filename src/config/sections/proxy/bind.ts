/**
 * `bind <address>[,<address>...] [options]` (configuration.txt 4.2 "bind", 5.1, 11).
 * Addresses are parsed with HAProxy's grammar; hostnames are resolved once parsing is over
 * (HAProxy resolves them while parsing, with the same message); options have their own table
 * (config/bind-options).
 */
import { BIND_ADDRESS, neverResolves, parseAddress, splitAddressList } from '../../address.js';
import { parseBindOptions } from '../../bind-options/index.js';
import { indentMsg } from '../../bind-options/messages.js';
import type { KeywordContext, KeywordRow } from '../../keywords.js';
import type { LoadState, Mutable } from '../../load-state.js';
import type { AddressModel } from '../../model/address.js';
import type { ProxyModel } from '../../model/proxy.js';
import { CAP_FE } from '../../types.js';
import type { ProxyRow } from './support.js';

/** The global `unix-bind prefix`, which shortens the room left for unix socket paths. */
export function unixBindPrefix(load: LoadState): string | undefined {
  const g = load.global as unknown as { unixBind?: { prefix?: string } };
  if (g.unixBind?.prefix !== undefined) return g.unixBind.prefix;
  const words = load.global.settings['unix-bind'];
  const i = words ? words.indexOf('prefix') : -1;
  return i >= 0 ? words![i + 1] : undefined;
}

/**
 * Parses a bind address list, alerting with `what` ("'bind'") before HAProxy's message.
 * Hostnames are queued for resolution; `failed` words the message for a name that does not
 * resolve. Returns undefined after an alert.
 */
export function parseBindAddresses(ctx: KeywordContext<unknown>, text: string, what: string): AddressModel[] | undefined {
  const addresses: AddressModel[] = [];
  const rules = { ...BIND_ADDRESS, unixPrefix: unixBindPrefix(ctx.load) };
  for (const part of splitAddressList(text)) {
    const r = parseAddress(part, rules);
    if ('error' in r) {
      ctx.alert(`${what} : ${indentMsg(r.error + (r.newline ? '\n' : ''))}`);
      return undefined;
    }
    const a = r.address;
    if (a.hostname !== undefined && neverResolves(a.hostname)) {
      ctx.alert(`${what} : invalid address: '${a.hostname}' in '${part}'`);
      return undefined;
    }
    addresses.push(a);
  }
  for (const a of addresses) {
    if (a.hostname === undefined) continue;
    const addr = a as Mutable<AddressModel>;
    const where = ctx.where;
    ctx.load.resolutions.push({
      where,
      hostname: a.hostname,
      family: a.anyFamily ? 'any' : a.family === 'ipv6' ? 'ipv6' : 'ipv4',
      resolved(ip, family) {
        addr.ip = ip;
        addr.family = family;
      },
      failed: () => ctx.load.diag.alert(where, `${what} : invalid address: '${a.hostname}' in '${a.raw}'`),
    });
  }
  return addresses;
}

/** Sockets a list opens: one per address, one per port of a range. */
function socketCount(addresses: readonly AddressModel[]): number {
  return addresses.reduce((n, a) => n + (a.portHigh !== undefined && a.port !== undefined ? a.portHigh - a.port + 1 : 1), 0);
}

const bind: ProxyRow = {
  name: 'bind',
  cap: CAP_FE,
  // In a backend HAProxy warns that the line is ignored, yet reads it and counts its listener.
  capThenParse: true,
  status: 'partial',
  note: 'sockpair@ addresses are not supported yet; bind options say their own status',
  summary: 'Address(es) and port(s) a frontend listens on, with bind options.',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert("'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments.");
      return;
    }
    const addresses = parseBindAddresses(ctx, args[1], "'bind'");
    if (!addresses) return;
    const label = `'bind ${args[1]}' in section '${ctx.state.kind}'`;
    const options = parseBindOptions(ctx, args, 2, 'proxy', label, { addressText: args[1], sockets: socketCount(addresses) });
    if (!options) return;
    for (const a of addresses) {
      if (a.family === 'sockpair') ctx.notYet(`sockpair@ address '${a.raw}' in 'bind'`);
    }
    ctx.state.binds.push({ where: ctx.where, text: args[1], addresses, options });
  },
};

export const rows: KeywordRow<ProxyModel>[] = [bind];
