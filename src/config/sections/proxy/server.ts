/**
 * `server`, `default-server`, `server-template` and `dispatch` (configuration.txt 4.2, 5.2,
 * 11). A server's address may be port-less or a port offset; its name, if it is not a literal
 * address, is resolved once parsing is over following `init-addr`. Options have their own
 * table (config/server-options).
 */
import { DISPATCH_ADDRESS, neverResolves, parseAddress, SERVER_ADDRESS } from '../../address.js';
import { atoi } from '../../bind-options/c-parse.js';
import type { KeywordContext, KeywordRow } from '../../keywords.js';
import type { AddressModel } from '../../model/address.js';
import type { ProxyModel } from '../../model/proxy.js';
import type { ServerModel } from '../../model/server.js';
import { usedServerIds } from '../../server-options/core.js';
import { finalizeServer, parseServerOptions, serverMessages } from '../../server-options/index.js';
import { resolveServerAddress } from '../../server-options/resolution.js';
import { CAP_ALL, CAP_BE } from '../../types.js';
import type { ProxyRow } from './support.js';

type Ctx = KeywordContext<ProxyModel>;

/** "backend 'b'", "proxy 'l'" (HAProxy calls a listen section a proxy). */
function describe(p: ProxyModel): string {
  return `${p.kind === 'listen' ? 'proxy' : p.kind} '${p.name}'`;
}

/**
 * server lines need the backend capability; HAProxy words this check differently from the
 * other keywords (the location is printed twice), so the rows check it themselves.
 */
function admitServerLine(ctx: Ctx, keyword: string, inDefaults: boolean): boolean {
  const p = ctx.state;
  if (p.kind === 'defaults') {
    if (inDefaults) return true;
    ctx.alert(`'${keyword}' not allowed in 'defaults' section.`, 'bare');
    return false;
  }
  if (!(p.cap & CAP_BE)) {
    ctx.alert(`parsing [${ctx.where.file}:${ctx.where.line}] : '${keyword}' not allowed because ${describe(p)} has no backend capability.`, 'bare');
    return false;
  }
  return true;
}

/** Server names: [A-Za-z0-9_.:-]; template prefixes: [A-Za-z0-9_.-]. An empty name... */
function badNameChar(name: string, prefix: boolean): string | undefined {
  // ... is reported with C's NUL character, which ends the message early.
  if (name === '') return '';
  return (prefix ? /[^A-Za-z0-9_.-]/ : /[^A-Za-z0-9_.:-]/).exec(name)?.[0];
}

/** `server-template` ranges: "<n>" is 1..n, "<low>-<high>" (atoi on both, low >= 0). */
function templateRange(text: string): { low: number; high: number } | undefined {
  let low = atoi(text);
  let high: number;
  const dash = text.indexOf('-');
  if (dash >= 0) high = atoi(text.slice(dash + 1));
  else {
    high = low;
    low = 1;
  }
  if (low < 0 || high < low) return undefined;
  return { low, high };
}

/**
 * Reads a server or server-template line: name (or prefix and range), address, options.
 * Returns the servers it declares, or undefined after an alert.
 */
function parseServerLine(ctx: Ctx, args: readonly string[], template: boolean): ServerModel[] | undefined {
  const proxy = ctx.state;
  const keyword = args[0]!;
  const addrIndex = template ? 3 : 2;
  if (!args[addrIndex]) {
    ctx.alert(
      template ? `'${keyword}' expects <prefix> <nb | range> <addr>[:<port>] as arguments.` : `'${keyword}' expects <name> and <addr>[:<port>] as arguments.`,
      'bare',
    );
    return undefined;
  }
  const name = args[1]!;
  const bad = badNameChar(name, template);
  if (bad !== undefined) {
    ctx.alert(bad === '' ? "character '" : `character '${bad}' is not permitted in ${keyword} ${template ? 'prefix' : 'name'} '${name}'.`, 'bare');
    return undefined;
  }
  let range = { low: 0, high: 0 };
  if (template) {
    const r = templateRange(args[2]!);
    if (!r) {
      ctx.alert(`Wrong ${keyword} number or range arg '${args[2]}'.`, 'bare');
      return undefined;
    }
    range = r;
  }
  // A template has no name while it is parsed: HAProxy prints "(null)".
  const srvId = template ? '(null)' : name;
  const label = `'server ${proxy.name}/${srvId}'`;
  const messages = serverMessages(ctx, label, false);
  const r = parseAddress(args[addrIndex]!, SERVER_ADDRESS);
  if ('error' in r) {
    messages.alert(r.error + (r.newline ? '\n' : ''));
    return undefined;
  }
  const options = parseServerOptions(ctx, args, addrIndex + 1, proxy.defaultServer, label, srvId, false, { keyword, messages, proxy });
  const finalized = options && finalizeServer(ctx, options, srvId, messages);
  if (!options || !finalized) return undefined;

  const names = template ? Array.from({ length: range.high - range.low + 1 }, (_, k) => `${name}${range.low + k}`) : [name];
  const servers: ServerModel[] = [];
  for (const [k, n] of names.entries()) {
    const previous = proxy.servers.find((s) => s.name === n);
    if (previous) {
      ctx.alert(`${describe(proxy)}, another server named '${n}' was already defined at line ${previous.where.line}, please use distinct names.`);
      return undefined;
    }
    const address: AddressModel = { ...r.address };
    servers.push({
      where: ctx.where,
      name: n,
      address,
      options: structuredClone(options),
      ...(finalized.sniExpr ? { sniExpr: finalized.sniExpr } : {}),
      ...(template ? { template: { prefix: name, index: range.low + k } } : {}),
    });
  }
  return servers;
}

function addServers(ctx: Ctx, servers: readonly ServerModel[]): void {
  const proxy = ctx.state;
  for (const s of servers) {
    proxy.servers.push(s);
    if (s.address.hostname !== undefined) {
      resolveServerAddress(ctx.load, ctx.where, `'server ${proxy.name}/${s.name}'`, s.address, s.options['init-addr']);
    }
    const w = s.options['weight'];
    if (w === 0 && proxy.kind !== 'frontend') ctx.diagnostic(`'server ${proxy.name}/${s.name}' : configured with weight of 0 will never be selected by load balancing algorithms`, 'bare');
  }
  // The id of the first server is taken (HAProxy registers it once the line is read).
  const first = servers[0];
  const id = first?.options['id'];
  if (first && typeof id === 'number') {
    let ids = usedServerIds.get(proxy);
    if (!ids) usedServerIds.set(proxy, (ids = new Map()));
    ids.set(id, { file: ctx.where.file, line: ctx.where.line, name: first.name });
  }
  for (const s of servers) {
    if (s.address.hostname?.startsWith('_')) ctx.notYet(`DNS SRV record '${s.address.hostname}' as server address`);
    if (s.address.family === 'sockpair' || s.address.family === 'abns') ctx.notYet(`${s.address.family}@ server address '${s.address.raw}'`);
  }
}

const server: KeywordRow<ProxyModel> = {
  name: 'server',
  // Checked by the row itself, with HAProxy's wording (see admitServerLine).
  cap: CAP_ALL,
  status: 'partial',
  note: 'the server options say their own status; port offsets run, SRV records do not',
  summary: 'A server of the backend: name, address, options.',
  parse(ctx, args) {
    if (!admitServerLine(ctx, 'server', false)) return;
    const servers = parseServerLine(ctx, args, false);
    if (servers) addServers(ctx, servers);
  },
};

const serverTemplate: KeywordRow<ProxyModel> = {
  name: 'server-template',
  cap: CAP_ALL,
  status: 'notyet',
  summary: 'Several servers named <prefix><n>, for addresses found by DNS at runtime.',
  parse(ctx, args) {
    if (!admitServerLine(ctx, 'server-template', false)) return;
    const servers = parseServerLine(ctx, args, true);
    if (servers) addServers(ctx, servers);
  },
};

const defaultServer: KeywordRow<ProxyModel> = {
  name: 'default-server',
  cap: CAP_ALL,
  status: 'partial',
  note: 'the server options say their own status',
  summary: 'Default options for the servers declared after it.',
  parse(ctx, args) {
    if (!admitServerLine(ctx, 'default-server', true)) return;
    const messages = serverMessages(ctx, '', true);
    const options = parseServerOptions(ctx, args, 1, ctx.state.defaultServer, '', 'default-server', true, { keyword: 'default-server', messages, proxy: ctx.state });
    if (options) ctx.state.defaultServer = options;
  },
};

const dispatch: ProxyRow = {
  name: 'dispatch',
  cap: CAP_BE,
  // In a frontend HAProxy warns that it is ignored, then reads it all the same.
  capThenParse: true,
  status: 'notyet',
  summary: 'Send connections to this address when the backend has no server (legacy).',
  parse(ctx, args) {
    const text = args[1] ?? '';
    const r = parseAddress(text, DISPATCH_ADDRESS);
    if ('error' in r) {
      ctx.alert(`'dispatch' : ${r.error}${r.newline ? '\n' : ''}`);
      return;
    }
    if (args[2] !== undefined) {
      ctx.alert(`'dispatch' cannot handle unexpected argument '${args[2]}'.`);
      return;
    }
    const host = r.address.hostname;
    if (host !== undefined) {
      const invalid = `'dispatch' : invalid address: '${host}' in '${text}'\n`;
      if (neverResolves(host)) {
        ctx.alert(invalid);
        return;
      }
      const where = ctx.where;
      ctx.load.resolutions.push({
        where,
        hostname: host,
        family: r.address.anyFamily ? 'any' : r.address.family === 'ipv6' ? 'ipv6' : 'ipv4',
        resolved() {},
        failed: () => ctx.load.diag.alert(where, invalid),
      });
    }
    if (ctx.state.cap & CAP_BE) ctx.state.dispatch = { where: ctx.where, address: r.address };
  },
};

export const rows: KeywordRow<ProxyModel>[] = [server, serverTemplate, defaultServer, dispatch];
