/**
 * Server options about health checks and agent checks (configuration.txt 5.2): enabling them,
 * their address, port, intervals, thresholds and protocol.
 */
import { literalIp, neverResolves, parseAddress, validHostname, type AddressRules } from '../address.js';
import { atoi } from '../bind-options/c-parse.js';
import { MUX_PROTOCOLS } from '../bind-options/socket.js';
import type { KeywordContext } from '../keywords.js';
import type { Mutable } from '../load-state.js';
import type { AddressModel } from '../model/address.js';
import { flag, intervalOption, noFlag, stringOption } from './helpers.js';
import type { ServerOptionEnv, ServerOptionRow } from './types.js';

/** `addr`: PA_O_PORT_OK only (no range, no offset), resolved at parse time. */
const CHECK_ADDRESS: AddressRules = { defaultSocket: 'stream', accept: ['stream'], portAllowed: true };

/**
 * Queues the resolution of a name an option gives (HAProxy resolves it while parsing; Portier
 * once parsing is over). `fail` prints the option's message in the server line's context.
 */
export function resolveLater(ctx: KeywordContext<unknown>, address: AddressModel, fail: () => void): void {
  if (!address.hostname) return;
  const addr = address as Mutable<AddressModel>;
  ctx.load.resolutions.push({
    where: ctx.where,
    hostname: address.hostname,
    family: address.anyFamily ? 'any' : address.family === 'ipv6' ? 'ipv6' : 'ipv4',
    resolved(ip, family) {
      addr.ip = ip;
      addr.family = family;
    },
    failed: fail,
  });
}

/** An address option resolved now: parse, then check the name can be resolved. */
export function resolvedAddressOption(
  ctx: KeywordContext<unknown>,
  env: ServerOptionEnv,
  text: string,
  rules: AddressRules,
  wrap: (err: string) => string,
  fatalLater: (err: string) => void,
): AddressModel | { error: string } {
  const r = parseAddress(text, rules);
  if ('error' in r) return { error: wrap(r.error + (r.newline ? '\n' : '')) };
  const a = r.address;
  if (a.hostname !== undefined) {
    const invalid = `invalid address: '${a.hostname}' in '${text}'\n`;
    if (neverResolves(a.hostname)) return { error: wrap(invalid) };
    resolveLater(ctx, a, () => fatalLater(wrap(invalid)));
  }
  return a;
}

export const checkServerOptions: ServerOptionRow[] = [
  {
    name: 'addr',
    values: 1,
    status: 'supported',
    summary: 'Address health checks and agent checks connect to.',
    parse(ctx, [v], options, env) {
      if (!v) return "'addr' expects <ipv4|ipv6> as argument.";
      const wrap = (err: string): string => `'addr' : ${err}`;
      const a = resolvedAddressOption(ctx, env, v, CHECK_ADDRESS, wrap, (err) => env.messages.parserError(err));
      if ('error' in a) return a.error;
      options['addr'] = a;
      return undefined;
    },
  },
  {
    name: 'agent-addr',
    values: 1,
    status: 'supported',
    summary: 'Address of the agent (agent-check), an IP or a name.',
    parse(ctx, [v], options, env) {
      if (!v) return "'agent-addr' expects an address as argument.";
      const failure = `parsing agent-addr failed. Check if '${v}' is correct address.`;
      // str2ip(): an address without port, or a name resolved now.
      const ip = literalIp(v, undefined);
      if (ip) {
        options['agent-addr'] = { raw: v, family: ip.family, socket: 'stream', ip: ip.ip } satisfies AddressModel;
        return undefined;
      }
      if (!validHostname(v)) return failure;
      const a: AddressModel = { raw: v, family: 'ipv4', anyFamily: true, socket: 'stream', hostname: v };
      resolveLater(ctx, a, () => env.messages.parserError(failure));
      options['agent-addr'] = a;
      return undefined;
    },
  },
  flag('agent-check', 'Ask an agent on the server for its state and weight.', 'agent-check', true, { status: 'supported' }),
  noFlag('agent-check', { status: 'supported' }),
  intervalOption('agent-inter', 'Interval between two agent checks.', 'supported'),
  {
    name: 'agent-port',
    values: 1,
    status: 'supported',
    summary: 'TCP port of the agent.',
    parse(_ctx, [v], options) {
      if (!v) return "'agent-port' expects a port number as argument.";
      options['agent-port'] = atoi(v);
      return undefined;
    },
  },
  stringOption('agent-send', "'agent-send' expects a string as argument.", 'String sent to the agent when connecting.', 'supported'),
  flag('check', 'Enable health checks of this server.', 'check', true, { status: 'supported' }),
  noFlag('check', { status: 'supported' }),
  {
    name: 'check-proto',
    values: 1,
    status: 'notyet',
    summary: 'Multiplexer for health check connections.',
    parse(_ctx, [v], options) {
      if (!v) return "'check-proto' : missing value";
      if (!(MUX_PROTOCOLS as readonly string[]).includes(v)) return `'check-proto' :  unknown MUX protocol '${v}'`;
      options['check-proto'] = v;
      return undefined;
    },
  },
  flag('check-send-proxy', 'Send a PROXY protocol header on health check connections.', 'check-send-proxy', true, { status: 'supported' }),
  noFlag('check-send-proxy', { status: 'supported' }),
  flag('check-via-socks4', 'Run health checks through the socks4 proxy.'),
  ...(['rise', 'fall'] as const).map(
    (name): ServerOptionRow => ({
      name,
      values: 1,
      status: 'supported',
      summary: name === 'rise' ? 'Successful checks before a server is considered up.' : 'Failed checks before a server is considered down.',
      parse(_ctx, [v], options) {
        if (!v) return `'${name}' expects an integer argument.`;
        const n = atoi(v);
        if (n <= 0) return `'${name}' has to be > 0.`;
        options[name] = n;
        return undefined;
      },
    }),
  ),
  intervalOption('inter', 'Interval between two health checks.', 'supported'),
  intervalOption('fastinter', 'Interval between checks while a server changes state.', 'supported'),
  intervalOption('downinter', 'Interval between checks while a server is down.', 'supported'),
  {
    name: 'port',
    values: 1,
    status: 'supported',
    summary: 'TCP port health checks connect to.',
    parse(_ctx, [v], options) {
      if (!v) return "'port' expects a port number as argument.";
      options['port'] = atoi(v);
      return undefined;
    },
  },
];
