/** The two ends of a client connection as logs, balancing and PROXY headers see them. */
import type { ProxyHeader } from '../net/proxy-protocol.js';
import type { SocketAddresses } from './endpoint.js';

/**
 * The addresses a stream's logs and rules see (configuration.txt 8.2.3): the PROXY header's
 * when one was received, else the socket's. A client on a unix socket is "unix", its port the
 * id of the listener that accepted it.
 */
export function clientAddresses(
  c: SocketAddresses,
  proxied: ProxyHeader | undefined,
  listenerId: number,
): { clientIp: string; clientPort: number | string; frontendIp: string; frontendPort: number | string } {
  const unix = c.remoteAddress === undefined;
  return {
    clientIp: proxied?.src ? proxied.src.address : unix ? 'unix' : stripMapped(c.remoteAddress!),
    clientPort: proxied?.src ? proxied.src.port : unix ? listenerId : (c.remotePort ?? 0),
    frontendIp: proxied?.dst ? proxied.dst.address : unix ? 'unix' : stripMapped(c.localAddress ?? '-'),
    frontendPort: proxied?.dst ? proxied.dst.port : unix ? listenerId : (c.localPort ?? 0),
  };
}

/** "::ffff:1.2.3.4" → "1.2.3.4" (an IPv4 client on a dual-stack listener). */
export function stripMapped(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
