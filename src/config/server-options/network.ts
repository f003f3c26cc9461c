/**
 * Server options about how connections reach the server (configuration.txt 5.2): PROXY
 * protocol, source address, socks4 proxy, and how the server's name is resolved.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { literalIp, type AddressRules } from '../address.js';
import { resolvedAddressOption } from './checks.js';
import { flag, noFlag } from './helpers.js';
import type { ServerOptionRow } from './types.js';
import type { ServerSourceModel } from '../model/server.js';

/** `source`: a port or a range (PA_O_PORT_OK | PA_O_PORT_RANGE), resolved at parse time. */
const SOURCE_ADDRESS: AddressRules = { defaultSocket: 'stream', accept: ['stream'], portAllowed: true, portRange: true };
/** `usesrc <addr>`: a port, no range. */
const USESRC_ADDRESS: AddressRules = { defaultSocket: 'stream', accept: ['stream'], portAllowed: true };
/** `socks4 <addr>:<port>`: the port is mandatory. */
const SOCKS4_ADDRESS: AddressRules = { defaultSocket: 'stream', accept: ['stream'], portAllowed: true, portRequired: true };

const PROXY_V2_OPTIONS = ['ssl', 'cert-cn', 'cert-key', 'cert-sig', 'ssl-cipher', 'authority', 'crc32c', 'unique-id'];

/** HAProxy's MAX_HDR_HISTORY: how far back hdr_ip(name,-n) may look. */
const MAX_HDR_HISTORY = 10;

/** Comma-separated lists as HAProxy walks them: a trailing comma ends the list. */
function commaList(text: string): string[] {
  if (text === '') return [];
  const parts = text.split(',');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** str2net(): IPv4 "addr[/mask]", the mask dotted or a prefix length. */
function ipv4Network(text: string): boolean {
  const slash = text.lastIndexOf('/');
  const addr = slash >= 0 ? text.slice(0, slash) : text;
  if (!isIPv4(addr)) return false;
  if (slash < 0) return true;
  const mask = text.slice(slash + 1);
  if (mask.includes('.')) return isIPv4(mask);
  return /^[0-9]+$/.test(mask) && Number(mask) <= 32;
}

/** str62net(): IPv6 "addr[/len]". */
function ipv6Network(text: string): boolean {
  const slash = text.lastIndexOf('/');
  const addr = slash >= 0 ? text.slice(0, slash) : text;
  if (!isIPv6(addr) || addr.includes('%')) return false;
  return slash < 0 || (/^[0-9]+$/.test(text.slice(slash + 1)) && Number(text.slice(slash + 1)) <= 128);
}

export const networkServerOptions: ServerOptionRow[] = [
  flag('send-proxy', 'Send a PROXY protocol v1 header on connections to the server.'),
  noFlag('send-proxy'),
  flag('send-proxy-v2', 'Send a PROXY protocol v2 header on connections to the server.'),
  noFlag('send-proxy-v2'),
  flag('send-proxy-v2-ssl', 'PROXY v2 header with the client TLS information.'),
  noFlag('send-proxy-v2-ssl'),
  flag('send-proxy-v2-ssl-cn', 'PROXY v2 header with the client TLS information and certificate CN.'),
  noFlag('send-proxy-v2-ssl-cn'),
  {
    name: 'proxy-v2-options',
    values: 1,
    status: 'notyet',
    summary: 'Extra PROXY v2 fields: ssl, cert-cn, cert-key, cert-sig, ssl-cipher, authority, crc32c, unique-id.',
    parse(_ctx, [v], options) {
      const list = (v ?? '').split(',');
      for (const o of list) if (!PROXY_V2_OPTIONS.includes(o)) return `'${o}' : proxy v2 option not implemented`;
      options['proxy-v2-options'] = list;
      return undefined;
    },
  },
  {
    name: 'source',
    values: -1,
    status: 'partial',
    note: 'usesrc and interface need kernel features Node.js cannot reach (IP_TRANSPARENT, SO_BINDTODEVICE): refused',
    summary: 'Source address of connections to the server, with usesrc (transparent proxy) and interface.',
    parse(ctx, words, options, env) {
      const v = words[0];
      if (!v) {
        return "'source' expects <addr>[:<port>[-<port>]], and optionally 'usesrc' <addr>, and 'interface' <name> as argument.\n";
      }
      const wrap = (err: string): string => `'source ${v}' : ${err}\n`;
      const a = resolvedAddressOption(ctx, env, v, SOURCE_ADDRESS, wrap, (err) => env.messages.parserError(err));
      if ('error' in a) return a.error;
      let source: ServerSourceModel = { address: a };
      let i = 1;
      while (i < words.length) {
        const kw = words[i]!;
        const value = words[i + 1] ?? '';
        if (kw === 'usesrc') {
          if (!value) {
            env.messages.alert("'usesrc' expects <addr>[:<port>], 'client', 'clientip', or 'hdr_ip(name,#)' as argument.");
            return { processing: 'usesrc' };
          }
          if (value === 'client' || value === 'clientip') {
            source = { ...source, usesrc: { kind: value } };
          } else if (value.startsWith('hdr_ip(')) {
            const m = /^hdr_ip\([ \t]*([^ \t,)]*)[ \t]*(?:,(-?[0-9]*))?/.exec(value)!;
            const occurrence = m[2] !== undefined ? Number(m[2] === '' || m[2] === '-' ? 0 : m[2]) : -1;
            if (occurrence < -MAX_HDR_HISTORY) {
              env.messages.alert(`usesrc hdr_ip(name,num) does not support negative occurrences values smaller than ${MAX_HDR_HISTORY}.`);
              return { processing: 'usesrc' };
            }
            source = { ...source, usesrc: { kind: 'hdr_ip', header: m[1]!, occurrence } };
          } else {
            const fail = (err: string): void => {
              env.messages.alert(`'usesrc ${value}' : ${err}`);
              env.messages.alert("error encountered while processing 'usesrc'.");
            };
            const u = resolvedAddressOption(ctx, env, value, USESRC_ADDRESS, (err) => err, fail);
            if ('error' in u) {
              env.messages.alert(`'usesrc ${value}' : ${u.error}`);
              return { processing: 'usesrc' };
            }
            source = { ...source, usesrc: { kind: 'address', address: u } };
          }
          i += 2;
          continue;
        }
        if (kw === 'interface') {
          if (!value) {
            env.messages.alert(`'${env.keyword}' : missing interface name.`);
            return { processing: 'interface' };
          }
          source = { ...source, interface: value };
          i += 2;
          continue;
        }
        break;
      }
      // Node.js opens sockets without IP_TRANSPARENT nor SO_BINDTODEVICE: these parts cannot run.
      if (source.usesrc) ctx.notYet("server option 'source ... usesrc' (transparent proxying needs IP_TRANSPARENT, which Node.js cannot set)");
      if (source.interface !== undefined) ctx.notYet("server option 'source ... interface' (SO_BINDTODEVICE cannot be set from Node.js)");
      options['source'] = source;
      return { consumed: i };
    },
  },
  {
    name: 'socks4',
    values: 1,
    status: 'notyet',
    summary: 'Connect to the server through this SOCKS4 proxy.',
    parse(ctx, [v], options, env) {
      if (!v) return "'socks4' expects <addr>:<port> as argument.\n";
      const wrap = (err: string): string => `'socks4 ${v}' : ${err}\n`;
      const a = resolvedAddressOption(ctx, env, v, SOCKS4_ADDRESS, wrap, (err) => env.messages.parserError(err));
      if ('error' in a) return a.error;
      options['socks4'] = a;
      return undefined;
    },
  },
  {
    name: 'init-addr',
    values: 1,
    status: 'notyet',
    summary: "How the server's name is resolved at startup: last, libc, none, or an IP, in order.",
    parse(_ctx, [v], options) {
      const methods: string[] = [];
      let ip: string | undefined;
      for (const m of commaList(v ?? '')) {
        if (m === 'libc' || m === 'last' || m === 'none') {
          methods.push(m);
          continue;
        }
        const lit = literalIp(m, undefined);
        if (!lit) return `'init-addr' : unknown init-addr method '${m}', supported methods are 'libc', 'last', 'none'.`;
        if (ip !== undefined) return `'init-addr' : initial address already specified, cannot add '${m}'.`;
        ip = lit.ip;
        methods.push(lit.ip);
      }
      options['init-addr'] = methods;
      return undefined;
    },
  },
  {
    name: 'resolvers',
    values: 1,
    status: 'notyet',
    summary: 'resolvers section used to follow the server name at runtime.',
    parse(_ctx, [v], options) {
      options['resolvers'] = v ?? '';
      return undefined;
    },
  },
  {
    name: 'resolve-net',
    values: 1,
    status: 'notyet',
    summary: 'Preferred networks when a name resolves to several addresses.',
    parse(_ctx, [v], options) {
      if (!v) return "'resolve-net' expects a list of networks.";
      const nets = commaList(v);
      for (let k = 0; k < nets.length; k++) {
        if (k >= 5) return "'resolve-net' exceed 5 networks.";
        if (!ipv4Network(nets[k]!) && !ipv6Network(nets[k]!)) return `'resolve-net' invalid network '${nets[k]}'.`;
      }
      options['resolve-net'] = nets;
      return undefined;
    },
  },
  {
    name: 'resolve-opts',
    values: 1,
    status: 'notyet',
    summary: 'Resolution options: allow-dup-ip, ignore-weight, prevent-dup-ip.',
    parse(_ctx, [v], options) {
      const opts = commaList(v ?? '');
      for (const o of opts) {
        if (o !== 'allow-dup-ip' && o !== 'ignore-weight' && o !== 'prevent-dup-ip') {
          return `'resolve-opts' : unknown resolve-opts option '${o}', supported methods are 'allow-dup-ip', 'ignore-weight', and 'prevent-dup-ip'.`;
        }
      }
      options['resolve-opts'] = opts;
      return undefined;
    },
  },
  {
    name: 'resolve-prefer',
    values: 1,
    status: 'notyet',
    summary: 'Address family preferred when resolving: ipv4 or ipv6.',
    parse(_ctx, [v], options) {
      if (v !== 'ipv4' && v !== 'ipv6') return "'resolve-prefer' expects either ipv4 or ipv6 as argument.";
      options['resolve-prefer'] = v;
      return undefined;
    },
  },
];
