/**
 * Socket addresses as HAProxy writes them (configuration.txt 11 "Address formats"):
 *
 *   [stream+|dgram+][ipv4@|ipv6@|ip@|unix@|abns@|fd@|sockpair@|tcp@|tcp4@|tcp6@|udp@|udp4@|
 *   udp6@|uxst@|uxdg@|quic4@|quic6@]<address>[:port[-port]|:+offset|:-offset]
 *
 * The rules reproduce HAProxy's str2sa_range(): the last ':' (or ']') separates the port, so
 * "::1" is host ':' port 1 and IPv6 needs brackets or a trailing colon; ports are read with
 * atoi() ("80x" is 80); a path starting with '/' is a unix socket whose length is limited by
 * what the unix socket API can hold once HAProxy adds its ".<pid>.tmp" suffix; '*' or an empty
 * host means "any address". Hostnames are not resolved here (parsing is synchronous): the
 * address says so and the loader resolves them afterwards, reporting failures at the
 * statement's file:line.
 */
import { fstatSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { atoi } from './bind-options/c-parse.js';
import type { AddressModel } from './model/address.js';

export interface AddressRules {
  /** 'stream' for bind/server/peer, 'dgram' for log/nameserver. */
  readonly defaultSocket: 'stream' | 'dgram';
  /** Which socket types the statement accepts. */
  readonly accept: readonly ('stream' | 'dgram')[];
  /** A port must be given (bind): HAProxy's PA_O_PORT_MAND. Port 0 is then invalid too. */
  readonly portRequired?: boolean;
  /** A port may be given at all (false for unix-only places): PA_O_PORT_OK. */
  readonly portAllowed?: boolean;
  /** "port1-port2" ranges (bind): PA_O_PORT_RANGE. */
  readonly portRange?: boolean;
  /** "+N"/"-N" port offsets (server): PA_O_PORT_OFS. */
  readonly portOffset?: boolean;
  /**
   * Port 0 is acceptable. Kept for callers that set it; by default port 0 is refused exactly
   * when a port is required, as in HAProxy.
   */
  readonly portZero?: boolean;
  /** fd@ and sockpair@ are acceptable. */
  readonly fdAllowed?: boolean;
  /**
   * What fd@ means: 'socket' checks the descriptor is an open socket (listeners,
   * PA_O_SOCKET_FD), 'raw' takes the number as is (PA_O_RAW_FD). Default: 'socket' when
   * fdAllowed, otherwise fd@ is refused ("a file descriptor is not acceptable here").
   */
  readonly fdMode?: 'socket' | 'raw';
  /** Prefix added to unix socket paths (global `unix-bind prefix`): shortens the limit. */
  readonly unixPrefix?: string;
}

export const BIND_ADDRESS: AddressRules = {
  defaultSocket: 'stream',
  accept: ['stream'],
  portRequired: true,
  portAllowed: true,
  portRange: true,
  fdAllowed: true,
  fdMode: 'socket',
};

export const SERVER_ADDRESS: AddressRules = {
  defaultSocket: 'stream',
  accept: ['stream'],
  portAllowed: true,
  portOffset: true,
};

/** `dispatch <addr>:<port>` (configuration.txt 4.2): a port, no range, no offset. */
export const DISPATCH_ADDRESS: AddressRules = {
  defaultSocket: 'stream',
  accept: ['stream'],
  portRequired: true,
  portAllowed: true,
};

export const LOG_ADDRESS: AddressRules = {
  defaultSocket: 'dgram',
  accept: ['dgram', 'stream'],
  portAllowed: true,
  portZero: true,
  fdAllowed: true,
  fdMode: 'raw',
};

type Family = AddressModel['family'];

/**
 * A failed parse: HAProxy's message. `newline` says that HAProxy's message ends with a line
 * feed, which some statements (server, dispatch) print as is, leaving an empty line.
 */
export interface AddressError {
  readonly error: string;
  readonly newline?: boolean;
}

export type AddressResult = { address: AddressModel } | AddressError;

/** prefix → [family, socket type, control type]; a later prefix overrides "stream+"/"dgram+". */
const PREFIXES: readonly [string, Family | 'ip', 'stream' | 'dgram' | undefined, 'stream' | 'dgram' | undefined][] = [
  ['unix@', 'unix', undefined, undefined],
  ['abns@', 'abns', undefined, undefined],
  ['ipv4@', 'ipv4', undefined, undefined],
  ['ipv6@', 'ipv6', undefined, undefined],
  ['ip@', 'ip', undefined, undefined],
  ['tcp4@', 'ipv4', 'stream', 'stream'],
  ['tcp6@', 'ipv6', 'stream', 'stream'],
  ['tcp@', 'ip', 'stream', 'stream'],
  ['udp4@', 'ipv4', 'dgram', 'dgram'],
  ['udp6@', 'ipv6', 'dgram', 'dgram'],
  ['udp@', 'ip', 'dgram', 'dgram'],
  ['uxst@', 'unix', 'stream', 'stream'],
  ['uxdg@', 'unix', 'dgram', 'dgram'],
  // QUIC: datagram sockets carrying a stream transport.
  ['quic4@', 'ipv4', 'dgram', 'stream'],
  ['quic6@', 'ipv6', 'dgram', 'stream'],
  ['fd@', 'fd', undefined, undefined],
  ['sockpair@', 'sockpair', undefined, undefined],
];

/** sizeof(sun_path) - 1 on Linux. */
const UNIX_PATH_MAX = 107;

/** Parses one address (not a comma-separated list). */
export function parseAddress(text: string, rules: AddressRules): AddressResult {
  if (text === '') return { error: `'${text}' resolves to an empty address (environment variable missing?)`, newline: true };
  let rest = text;
  let sock: 'stream' | 'dgram' = rules.defaultSocket;
  let ctrl: 'stream' | 'dgram' = rules.defaultSocket;
  if (rest.startsWith('stream+')) {
    sock = ctrl = 'stream';
    rest = rest.slice(7);
  } else if (rest.startsWith('dgram+')) {
    sock = ctrl = 'dgram';
    rest = rest.slice(6);
  }
  let family: Family | 'ip' | undefined;
  for (const [prefix, fam, s, c] of PREFIXES) {
    if (rest.startsWith(prefix)) {
      family = fam;
      if (s) sock = s;
      if (c) ctrl = c;
      rest = rest.slice(prefix.length);
      break;
    }
  }
  if (family === undefined && rest.startsWith('/')) family = 'unix';

  let address: AddressModel;
  if (family === 'fd' || family === 'sockpair') {
    const r = parseFd(text, rest, family, rules);
    if ('error' in r) return r;
    address = { raw: text, family, socket: sock, fd: r.fd };
  } else if (family === 'unix' || family === 'abns') {
    const abstract = family === 'abns';
    const prefixLen = !abstract && rules.unixPrefix ? Buffer.byteLength(rules.unixPrefix) : 0;
    // The socket is created as "<prefix><path>.<pid>.tmp" first: room is kept for that suffix.
    const max = UNIX_PATH_MAX - (abstract ? 0 : prefixLen + 1 + 5 + 1 + 3);
    if (Buffer.byteLength(rest) > max) return { error: `socket path '${text}' too long (max ${max})`, newline: true };
    address = { raw: text, family, socket: sock, path: rest };
  } else {
    const r = parseInet(text, rest, family, rules);
    if ('error' in r) return r;
    address = { ...r.address, socket: sock };
  }

  if (!rules.accept.includes(ctrl)) return { error: `${ctrl}-type address not acceptable in '${text}'`, newline: true };
  if (ctrl === 'stream' && sock === 'dgram') {
    // QUIC is not built in HAProxy 2.6 as Debian ships it, nor in Portier.
    const af = address.family === 'ipv6' ? 10 : 2;
    return {
      error: `unsupported stream protocol for datagram family ${af} address '${text}'; QUIC is not compiled in if this is what you were looking for.`,
    };
  }
  return { address };
}

/** fd@<n> / sockpair@<n>: strtol with nothing after the digits. */
function parseFd(text: string, rest: string, family: 'fd' | 'sockpair', rules: AddressRules): { fd: number } | AddressError {
  const m = /^[ \t\n\v\f\r]*([-+]?[0-9]+)$/.exec(rest);
  const fd = m ? Number(m[1]) : NaN;
  if (!m || fd < 0 || !Number.isSafeInteger(fd) || fd > 0x7fffffff) {
    return { error: `file descriptor '${rest}' is not a valid integer in '${text}'`, newline: true };
  }
  const mode = rules.fdMode ?? (rules.fdAllowed ? 'socket' : undefined);
  if (family === 'sockpair' || mode === 'socket') {
    const why = socketProblem(fd);
    if (why) return { error: `cannot use file descriptor '${fd}' : ${why}.`, newline: true };
  } else if (mode !== 'raw') {
    return { error: `a file descriptor is not acceptable here in '${text}'`, newline: true };
  }
  return { fd };
}

/**
 * What getsockname() would answer for an inherited descriptor: nothing when it is a socket,
 * else the strerror() text HAProxy prints.
 */
function socketProblem(fd: number): string | undefined {
  try {
    return fstatSync(fd).isSocket() ? undefined : 'Socket operation on non-socket';
  } catch {
    return 'Bad file descriptor';
  }
}

/** host[:port]: the last ':' or ']' decides; a ':' found first is the port separator. */
function parseInet(text: string, rest: string, family: 'ipv4' | 'ipv6' | 'ip' | undefined, rules: AddressRules): { address: AddressModel } | AddressError {
  let sep = -1;
  for (let i = rest.length - 1; i >= 0; i--) {
    if (rest[i] === ']' || rest[i] === ':') {
      sep = i;
      break;
    }
  }
  let host = rest;
  let portText = '';
  if (sep >= 0 && rest[sep] === ':') {
    if (!rules.portAllowed) return { error: `port specification not permitted here in '${text}'` };
    host = rest.slice(0, sep);
    portText = rest.slice(sep + 1);
  } else if (rules.portRequired) {
    return { error: `missing port specification in '${text}'` };
  }

  const ports = parsePorts(text, portText, rules);
  if ('error' in ports) return ports;

  const ip = literalIp(host, family === 'ip' ? undefined : family);
  const base = {
    raw: text,
    socket: 'stream' as const,
    ...ports,
  };
  if (ip) return { address: { ...base, family: ip.family, anyFamily: family === undefined || family === 'ip', ip: ip.ip } };
  // Not a literal address: a name to resolve once parsing is over. The family prefix (if any)
  // restricts the answer.
  return {
    address: {
      ...base,
      family: family === 'ipv6' ? 'ipv6' : 'ipv4',
      anyFamily: family === undefined || family === 'ip',
      hostname: host,
    },
  };
}

type Ports = Pick<AddressModel, 'port' | 'portHigh' | 'portOffset' | 'mapPorts'>;

function parsePorts(text: string, portText: string, rules: AddressRules): Ports | AddressError {
  const mandatory = rules.portRequired === true;
  const minPort = rules.portZero === false || (mandatory && rules.portZero !== true) ? 1 : 0;
  const c = portText[0];
  if (c !== undefined && c >= '0' && c <= '9') {
    const dash = portText.indexOf('-');
    if (dash >= 0 && !rules.portRange) return { error: `port range not permitted here in '${text}'` };
    const lowText = dash >= 0 ? portText.slice(0, dash) : portText;
    const highText = dash >= 0 ? portText.slice(dash + 1) : lowText;
    const low = atoi(lowText);
    const high = atoi(highText);
    if (low < minPort || low > 65535) return { error: `invalid port '${lowText}'` };
    if (high < minPort || high > 65535) return { error: `invalid port '${highText}'` };
    if (low > high) return { error: `invalid port range '${low}-${high}'` };
    if (dash >= 0) return { port: low, portHigh: high, ...(low === 0 ? { mapPorts: true } : {}) };
    return low === 0 ? { port: 0, mapPorts: true } : { port: low };
  }
  if (c === '-' || c === '+') {
    if (!rules.portOffset) return { error: `port offset not permitted here in '${text}'` };
    const v = atoi(portText.slice(1));
    return { portOffset: c === '-' ? -v : v, mapPorts: true };
  }
  if (c !== undefined) return { error: `invalid character '${c}' in port number '${portText}' in '${text}'`, newline: true };
  if (mandatory) return { error: `missing port specification in '${text}'` };
  return { mapPorts: true };
}

/**
 * str2ip2() without resolution: "[v6]" brackets, "::" and ""/"*" (any address of the family,
 * IPv4 by default), then inet_pton for IPv6 and IPv4 as the family allows.
 */
export function literalIp(host: string, family: 'ipv4' | 'ipv6' | undefined): { family: 'ipv4' | 'ipv6'; ip: string } | undefined {
  let h = host;
  if (h.startsWith('[')) {
    if (h.length < 4 || h.length >= 48 || !h.endsWith(']')) return undefined;
    h = h.slice(1, -1);
  }
  if (h === '::') return family === 'ipv4' ? undefined : { family: 'ipv6', ip: '::' };
  if (h === '' || h === '*') return family === 'ipv6' ? { family: 'ipv6', ip: '::' } : { family: 'ipv4', ip: '0.0.0.0' };
  // inet_pton accepts neither zone ids nor anything Node's isIP is lenient about.
  if (family !== 'ipv4' && !h.includes('%') && isIPv6(h)) return { family: 'ipv6', ip: h };
  if (family !== 'ipv6' && isIPv4(h)) return { family: 'ipv4', ip: h };
  return undefined;
}

/**
 * resolv_hostname_validation(): what HAProxy accepts as a name to resolve (letters, digits, '-',
 * '_' and dots, labels of at most 63 characters, 255 in all). Other names never resolve.
 */
export function validHostname(name: string): boolean {
  if (name.length > 255) return false;
  for (const label of name.split('.')) {
    if (label.length > 63 || !/^[A-Za-z0-9_-]*$/.test(label)) return false;
  }
  return true;
}

/**
 * A name HAProxy's resolution can never turn into an address: invalid for
 * resolv_hostname_validation(), or a literal address of the family the prefix excluded
 * ("ipv6@127.0.0.1", which Node's lookup would answer anyway).
 */
export function neverResolves(name: string): boolean {
  return !validHostname(name) || isIPv4(name) || isIPv6(name.replace(/^\[(.*)\]$/, '$1'));
}

/**
 * Splits a bind address list as HAProxy does: on commas, a trailing comma ignored, an empty
 * element in the middle kept (it is then "an empty address").
 */
export function splitAddressList(text: string): string[] {
  const parts = text.split(',');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
