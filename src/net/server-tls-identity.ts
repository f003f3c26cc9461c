/**
 * The name check HAProxy makes on a server's certificate with `verify required`
 * (configuration.txt 5.2 "verify", "verifyhost", "sni"), as haproxy 2.6 behaves:
 * - only the server's own certificate (depth 0) is checked;
 * - the name matches a DNS subject alternative name or, failing that, any common name of the
 *   subject — the common names count even when DNS names are present (RFC 6125 would ignore
 *   them; Node's tls.checkServerIdentity does); IP address alternative names are not used;
 * - comparisons ignore case; a pattern may hold one '*' in its leftmost label, standing for
 *   part or all of exactly one label ("*.example.com" matches "a.example.com", not
 *   "example.com" nor "a.b.example.com"; "f*o.example.com" matches "fuzzo.example.com").
 */
import type { PeerCertificate } from 'node:tls';

/** One certificate name against the expected host name (HAProxy's hostcheck). */
export function hostMatches(pattern: string, hostname: string): boolean {
  const p = pattern.toLowerCase();
  const h = hostname.toLowerCase();
  if (p === h) return true;
  const labelEnd = p.indexOf('.');
  if (labelEnd < 0) return false;
  const left = p.slice(0, labelEnd);
  const star = left.indexOf('*');
  if (star < 0 || left.indexOf('*', star + 1) >= 0) return false;
  const hostDot = h.indexOf('.');
  if (hostDot < 0 || h.slice(hostDot) !== p.slice(labelEnd)) return false;
  const hostLeft = h.slice(0, hostDot);
  // The wildcard may stand for no character, never for a dot.
  if (hostLeft.length < left.length - 1) return false;
  const prefix = left.slice(0, star);
  const suffix = left.slice(star + 1);
  return hostLeft.startsWith(prefix) && hostLeft.endsWith(suffix);
}

/** DNS names of a certificate's subjectAltName ("DNS:a, IP Address:1.2.3.4, DNS:\"b,c\""). */
export function dnsAltNames(subjectaltname: string | undefined): string[] {
  if (!subjectaltname) return [];
  const out: string[] = [];
  // Node quotes (JSON) the values that hold a comma or a quote.
  const re = /(?:^|, )([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)/g;
  for (let m = re.exec(subjectaltname); m; m = re.exec(subjectaltname)) {
    if (m[1] !== 'DNS') continue;
    const v = m[2]!;
    if (v.startsWith('"')) {
      try {
        out.push(JSON.parse(v) as string);
      } catch {
        out.push(v.slice(1, -1));
      }
    } else out.push(v);
  }
  return out;
}

/** The subject's common names (Node gives an array when there are several). */
function commonNames(cert: PeerCertificate): string[] {
  const cn = (cert.subject as unknown as Record<string, string | string[] | undefined> | undefined)?.['CN'];
  if (cn === undefined) return [];
  return Array.isArray(cn) ? cn : [cn];
}

/** The certificate holds a name matching `hostname`. */
export function certificateMatches(cert: PeerCertificate, hostname: string): boolean {
  for (const name of dnsAltNames(cert.subjectaltname)) if (hostMatches(name, hostname)) return true;
  for (const name of commonNames(cert)) if (hostMatches(name, hostname)) return true;
  return false;
}
