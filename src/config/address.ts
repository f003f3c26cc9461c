/**
 * Socket addresses as HAProxy writes them (configuration.txt 11 "Address formats"):
 *
 *   [stream+|dgram+][ipv4@|ipv6@|ip@|unix@|abns@|fd@|sockpair@|tcp@|tcp4@|tcp6@|udp@|udp4@|
 *   udp6@|uxst@|uxdg@|quic4@|quic6@]<address>[:port[-port]|:+offset|:-offset]
 *
 * A path starting with '/' is a unix socket. '*' or an empty host means "any address".
 * Hostnames are not resolved here (parsing is synchronous): the address says so and the loader
 * resolves them all afterwards, reporting failures at the statement's file:line.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { AddressModel } from './model/address.js';

export interface AddressRules {
  /** 'stream' for bind/server/peer, 'dgram' for log/nameserver. */
  readonly defaultSocket: 'stream' | 'dgram';
  /** Which socket types the statement accepts. */
  readonly accept: readonly ('stream' | 'dgram')[];
  /** A port must be given (bind). */
  readonly portRequired?: boolean;
  /** A port may be given at all (false for unix-only places). */
  readonly portAllowed?: boolean;
  /** "port1-port2" ranges (bind). */
  readonly portRange?: boolean;
  /** "+N"/"-N" port offsets and a missing port (server). */
  readonly portOffset?: boolean;
  /** Port 0 is acceptable (it is not on bind lines). */
  readonly portZero?: boolean;
  /** fd@ and sockpair@ are acceptable. */
  readonly fdAllowed?: boolean;
}

export const BIND_ADDRESS: AddressRules = {
  defaultSocket: 'stream',
  accept: ['stream'],
  portRequired: true,
  portAllowed: true,
  portRange: true,
  fdAllowed: true,
};

export const SERVER_ADDRESS: AddressRules = {
  defaultSocket: 'stream',
  accept: ['stream'],
  portAllowed: true,
  portOffset: true,
  portZero: true,
  fdAllowed: true,
};

export const LOG_ADDRESS: AddressRules = {
  defaultSocket: 'dgram',
  accept: ['dgram', 'stream'],
  portAllowed: true,
  portZero: true,
  fdAllowed: true,
};

type Family = AddressModel['family'];

/** prefix → [family, forced socket type] */
const PREFIXES: Record<string, [Family | 'ip', 'stream' | 'dgram' | undefined]> = {
  'ipv4@': ['ipv4', undefined],
  'ipv6@': ['ipv6', undefined],
  'ip@': ['ip', undefined],
  'unix@': ['unix', undefined],
  'abns@': ['abns', undefined],
  'fd@': ['fd', undefined],
  'sockpair@': ['sockpair', undefined],
  'tcp@': ['ip', 'stream'],
  'tcp4@': ['ipv4', 'stream'],
  'tcp6@': ['ipv6', 'stream'],
  'udp@': ['ip', 'dgram'],
  'udp4@': ['ipv4', 'dgram'],
  'udp6@': ['ipv6', 'dgram'],
  'uxst@': ['unix', 'stream'],
  'uxdg@': ['unix', 'dgram'],
  'quic4@': ['ipv4', 'dgram'],
  'quic6@': ['ipv6', 'dgram'],
};

export type AddressResult = { address: AddressModel } | { error: string };

/** Parses one address (not a comma-separated list). */
export function parseAddress(text: string, rules: AddressRules): AddressResult {
  let rest = text;
  let socket: 'stream' | 'dgram' | undefined;
  const forced = /^(stream|dgram)\+/.exec(rest);
  if (forced) {
    socket = forced[1] as 'stream' | 'dgram';
    rest = rest.slice(forced[0].length);
  }
  let family: Family | 'ip' | undefined;
  const at = /^[a-z0-9]+@/.exec(rest);
  if (at && PREFIXES[at[0]]) {
    const [fam, sock] = PREFIXES[at[0]]!;
    family = fam;
    if (sock) socket = sock;
    rest = rest.slice(at[0].length);
  }
  socket ??= rules.defaultSocket;
  if (!rules.accept.includes(socket)) {
    return { error: `${socket}-type address not acceptable in '${text}'` };
  }

  if (family === 'fd' || family === 'sockpair') {
    if (!rules.fdAllowed) return { error: `file descriptors are not permitted here in '${text}'` };
    if (!/^[0-9]+$/.test(rest)) return { error: `file descriptor '${rest}' is not a valid integer in '${text}'` };
    return { address: { raw: text, family, socket, fd: Number(rest) } };
  }
  if (family === 'abns') {
    return { address: { raw: text, family, socket, path: rest } };
  }
  if (family === 'unix' || (family === undefined && rest.startsWith('/'))) {
    if (rest === '') return { error: `empty path in '${text}'` };
    if (Buffer.byteLength(rest, 'latin1') > 107) {
      return { error: `socket path '${rest}' too long (max 107)` };
    }
    return { address: { raw: text, family: 'unix', socket, path: rest } };
  }

  // host[:port]: "[v6]:port", or the last ':' separates the port.
  let host: string;
  let portText: string | undefined;
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      host = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    } else {
      host = rest;
    }
  }

  const ports = parsePorts(text, portText, rules);
  if ('error' in ports) return ports;

  const wantV6 = family === 'ipv6';
  const wantV4 = family === 'ipv4';
  let fam: 'ipv4' | 'ipv6';
  let ip: string | undefined;
  let hostname: string | undefined;
  if (host === '' || host === '*') {
    fam = wantV6 ? 'ipv6' : 'ipv4';
    ip = fam === 'ipv6' ? '::' : '0.0.0.0';
  } else if (isIPv4(host) && !wantV6) {
    fam = 'ipv4';
    ip = host;
  } else if (isIPv6(host) && !wantV4) {
    fam = 'ipv6';
    ip = host;
  } else if (isIPv4(host) || isIPv6(host)) {
    return { error: `invalid address: '${host}' in '${text}'` };
  } else {
    // Resolved later; the family prefix (if any) restricts the answer.
    fam = wantV6 ? 'ipv6' : 'ipv4';
    hostname = host;
  }
  return {
    address: {
      raw: text,
      family: fam,
      anyFamily: family === undefined || family === 'ip',
      socket,
      ip,
      hostname,
      ...ports,
    },
  };
}

type Ports = Pick<AddressModel, 'port' | 'portHigh' | 'portOffset'>;

function parsePorts(text: string, portText: string | undefined, rules: AddressRules): Ports | { error: string } {
  if (portText === undefined || portText === '') {
    if (rules.portRequired) return { error: `missing port specification in '${text}'` };
    return {};
  }
  if (!rules.portAllowed) return { error: `port specification not permitted here in '${text}'` };
  if (portText[0] === '+' || portText[0] === '-') {
    if (!rules.portOffset) return { error: `port offset not permitted here in '${text}'` };
    const digits = portText.slice(1);
    const bad = /[^0-9]/.exec(digits);
    if (bad || digits === '') return { error: `invalid character '${bad?.[0] ?? ''}' in port number '${portText}' in '${text}'` };
    const v = Number(digits);
    if (v > 65535) return { error: `invalid port '${portText}'` };
    return { portOffset: portText[0] === '-' ? -v : v };
  }
  const dash = portText.indexOf('-');
  const lowText = dash >= 0 ? portText.slice(0, dash) : portText;
  const highText = dash >= 0 ? portText.slice(dash + 1) : undefined;
  if (highText !== undefined && !rules.portRange) return { error: `port range not permitted here in '${text}'` };
  for (const part of [lowText, highText]) {
    if (part === undefined) continue;
    const bad = /[^0-9]/.exec(part);
    if (bad) return { error: `invalid character '${bad[0]}' in port number '${portText}' in '${text}'` };
  }
  const low = Number(lowText);
  if (lowText === '' || low > 65535 || (low === 0 && !rules.portZero)) return { error: `invalid port '${lowText}'` };
  if (highText === undefined) return { port: low };
  const high = Number(highText);
  if (highText === '' || high > 65535) return { error: `invalid port '${highText}'` };
  if (high < low) return { error: `invalid port range '${portText}'` };
  return { port: low, portHigh: high };
}

/** "ipv4@:80,:81" → ["ipv4@:80", ":81"] (bind lines may list several addresses). */
export function splitAddressList(text: string): string[] {
  return text.split(',');
}
