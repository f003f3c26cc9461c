/** `server <name> <address> [options]` and `default-server [options]` (configuration.txt 4.2, 5.2). */
import { parseAddress, SERVER_ADDRESS } from '../../address.js';
import type { KeywordRow } from '../../keywords.js';
import type { Mutable } from '../../load-state.js';
import type { AddressModel } from '../../model/address.js';
import type { ProxyModel } from '../../model/proxy.js';
import { parseServerOptions } from '../../server-options/index.js';
import { CAP_BE, CAP_DEF } from '../../types.js';
import { invalidNameChar } from '../names.js';

const server: KeywordRow<ProxyModel> = {
  name: 'server',
  cap: CAP_BE,
  capMismatch: 'alert',
  status: 'partial',
  note: 'server options are listed in their own table',
  summary: 'A server of the backend: name, address, options.',
  parse(ctx, args) {
    const proxy = ctx.state;
    if (!args[1] || !args[2]) {
      ctx.alert("'server' expects <name> and <addr>[:<port>] as arguments.", 'bare');
      return;
    }
    const name = args[1];
    const bad = invalidNameChar(name);
    if (bad !== undefined) {
      ctx.alert(`character '${bad}' is not permitted in server name '${name}'.`, 'bare');
      return;
    }
    const label = `'server ${proxy.name}/${name}'`;
    const r = parseAddress(args[2], SERVER_ADDRESS);
    if ('error' in r) {
      ctx.alert(`${label} : ${r.error}`, 'bare');
      return;
    }
    const options = parseServerOptions(ctx, args, 3, proxy.defaultServer, label, name, false);
    if (!options) return;
    const previous = proxy.servers.find((s) => s.name === name);
    if (previous) {
      ctx.alert(
        `${proxy.kind === 'listen' ? 'proxy' : proxy.kind} '${proxy.name}', another server named '${name}' was already defined at line ${previous.where.line}, please use distinct names.`,
      );
      return;
    }
    const address = r.address;
    if (address.hostname) {
      const addr = address as Mutable<AddressModel>;
      ctx.load.resolutions.push({
        where: ctx.where,
        hostname: address.hostname,
        family: address.anyFamily ? 'any' : address.family === 'ipv6' ? 'ipv6' : 'ipv4',
        resolved(ip, family) {
          addr.ip = ip;
          addr.family = family;
        },
        failed() {
          if (ctx.load.options.ignoreResolveFailures) return;
          ctx.load.diag.alert(ctx.where, `${label} : could not resolve address '${address.hostname}'.`, 'bare');
        },
      });
    }
    proxy.servers.push({ where: ctx.where, name, address, options });
  },
};

const defaultServer: KeywordRow<ProxyModel> = {
  name: 'default-server',
  cap: CAP_BE | CAP_DEF,
  status: 'partial',
  note: 'server options are listed in their own table',
  summary: 'Default options for the servers declared after it.',
  parse(ctx, args) {
    const options = parseServerOptions(ctx, args, 1, ctx.state.defaultServer, "'default-server'", 'default-server', true);
    if (options) ctx.state.defaultServer = options;
  },
};

export const rows: KeywordRow<ProxyModel>[] = [server, defaultServer];
