/** An outgoing plain connection (to a server) as an Endpoint: on a raw handle when it can be, else a net.Socket. */
import { connect, isIP, type NetConnectOpts } from 'node:net';
import type { Endpoint, EndpointOwner } from './endpoint.js';
import { HandleEndpoint, rawSockets } from './handle-endpoint.js';
import { SocketEndpoint } from './socket-endpoint.js';

/**
 * Connects as net.connect(opts) would (an address and port, or a unix socket `path`), with a
 * half-open connection allowed and Nagle's algorithm off. Addresses are IPs by now (hostnames
 * are resolved at startup): those get a raw handle (handle-endpoint.ts); unix sockets, and every
 * connection when raw handles are off, a net.Socket.
 */
export function connectEndpoint(owner: EndpointOwner, opts: NetConnectOpts): Endpoint {
  const o = opts as { host?: string; port?: number; path?: string; localAddress?: string; localPort?: number };
  if (rawSockets && o.path === undefined && o.host !== undefined && o.port !== undefined && isIP(o.host) !== 0) {
    return HandleEndpoint.connect(owner, o.host, o.port, o.localAddress, o.localPort);
  }
  return new SocketEndpoint(connect({ ...opts, allowHalfOpen: true, noDelay: true }), owner, 'connect');
}
