/**
 * What a connection to a server uses of TLS, resolved from its `server` line (configuration.txt
 * 5.2: ssl, verify, verifyhost, ca-file, crl-file, crt, sni, alpn, ciphers, ciphersuites,
 * ssl-min-ver, ssl-max-ver, no-tlsv1x, force-tlsv1x, no-ssl-reuse, no-tls-tickets; check-ssl, check-sni,
 * check-alpn for health checks) and the global defaults (3.1: ssl-server-verify,
 * ssl-default-server-options, ssl-default-server-ciphers, ssl-default-server-ciphersuites).
 * Plain data, no file read: net/server-tls.ts turns it into a node:tls context.
 *
 * HAProxy's rules, as its manual gives them and haproxy 2.6 behaves:
 * - traffic uses TLS with `ssl`;
 * - health checks use TLS with `check-ssl`, or, when the server has `ssl` and neither `port` nor
 *   `addr` sends the checks elsewhere, unless `no-check-ssl` says not to ("check", "check-ssl");
 * - SNI: traffic sends the `sni` expression's value (only constant `str(...)` runs here), checks
 *   send `check-sni` (never the server's `sni`);
 * - ALPN: traffic offers `alpn`; checks offer `check-alpn`, else the server's `alpn` (it is a
 *   setting of the server's TLS context, which checks share);
 * - verification: `verify` (default `ssl-server-verify`, default required, -dV: none). With
 *   verify required, the certificate must chain to `ca-file` (and pass `crl-file`), and its
 *   names must match the SNI sent, else `verifyhost`, else no name is checked;
 * - versions: min and max from ssl-default-server-options then the line (no-* flags are ignored
 *   once a min or max is set; a hole in the range is filled). No minimum means the lowest the
 *   TLS library has (TLS 1.0; OpenSSL 3 still refuses it at its default security level).
 */
import { serverTlsDefaults, serverVerifyDefault } from '../config/bind-options/tls/defaults.js';
import { tlsVersions } from '../config/bind-options/tls/versions.js';
import type { GlobalModel } from '../config/model/global.js';
import type { TlsVersion } from '../config/model/bind.js';
import type { ServerModel } from '../config/model/server.js';
import type { SampleExprModel } from '../config/model/sample.js';
import { parseArgSpec, readArgList } from '../sample/args.js';

export interface ServerTlsSettings {
  /** Verify the server's certificate (verify required). */
  readonly verify: boolean;
  /** The name the certificate must match: the SNI sent, else verifyhost; none: no name check. */
  readonly verifyName?: string;
  /** The name checked is the SNI sent (HAProxy does not retry on a mismatch then). */
  readonly verifyNameIsSni: boolean;
  /** SNI sent to the server. */
  readonly servername?: string;
  /** ALPN protocols offered, in order. */
  readonly alpn?: readonly string[];
  /** CA file, directory or "@system-ca" (only read with verify required, as HAProxy). */
  readonly caFile?: string;
  /** CRL file (only with verify required). */
  readonly crlFile?: string;
  /** PEM file with the client certificate, its chain and (or "<file>.key") its key. */
  readonly crt?: string;
  readonly minVersion: TlsVersion;
  readonly maxVersion: TlsVersion;
  /** TLS <= 1.2 cipher list; undefined: OpenSSL's default ("DEFAULT"), as HAProxy. */
  readonly ciphers?: string;
  /** TLS 1.3 cipher suites; undefined: OpenSSL's default. */
  readonly ciphersuites?: string;
  /** no-tls-tickets (server line or ssl-default-server-options). */
  readonly noTickets: boolean;
  /** Keep the last TLS session and resume it (ssl-reuse, the default). */
  readonly reuse: boolean;
}

/** Traffic to the server uses TLS (`ssl`). */
export function usesTlsForTraffic(server: ServerModel): boolean {
  return server.options['ssl'] === true;
}

/**
 * Health checks use TLS: `check-ssl`, or the server's `ssl` when the checks go to the server's
 * own address and port (no `port`, no `addr`) and `no-check-ssl` was not given.
 */
export function usesTlsForChecks(server: ServerModel): boolean {
  const o = server.options;
  if (o['check-ssl'] === true) return true;
  if (o['check-ssl'] === false) return false;
  const port = typeof o['port'] === 'number' && o['port'] > 0;
  return o['ssl'] === true && !port && o['addr'] === undefined;
}

/**
 * The constant value of an `sni` expression, or undefined when it needs a stream to be
 * evaluated (config/server-options reports those as "not supported yet"). Only `str(<text>)`
 * without converters is constant here.
 */
export function constantSni(expr: SampleExprModel | string): string | undefined {
  if (typeof expr === 'string') {
    if (!expr.startsWith('str(')) return undefined;
    const r = readArgList(expr, 3, parseArgSpec('str'), '');
    if ('error' in r || r.end !== expr.length) return undefined;
    const v = r.values[0];
    return v && v.type === 'str' ? v.value : '';
  }
  if (expr.fetch.name !== 'str' || expr.converters.length > 0) return undefined;
  const v = expr.fetch.values[0];
  return v && v.type === 'str' ? v.value : '';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function list(v: unknown): readonly string[] | undefined {
  return Array.isArray(v) && v.length > 0 ? (v as string[]) : undefined;
}

/**
 * The TLS settings of connections to `server`: for its traffic (`forCheck` false) or its health
 * checks. Undefined when that connection is plain TCP, unless `force` (a check rule asking for
 * TLS itself: `tcp-check connect ssl`).
 */
export function serverTlsSettings(server: ServerModel, global: GlobalModel, forCheck: boolean, force = false): ServerTlsSettings | undefined {
  if (!force && !(forCheck ? usesTlsForChecks(server) : usesTlsForTraffic(server))) return undefined;
  const o = server.options;
  const defaults = serverTlsDefaults(global);
  const verify = (str(o['verify']) ?? serverVerifyDefault(global)) === 'required';
  const sniExpr = str(o['sni']);
  const rawSni = forCheck ? str(o['check-sni']) : sniExpr !== undefined ? constantSni(sniExpr) : undefined;
  const servername = rawSni === '' ? undefined : rawSni;
  const verifyhost = str(o['verifyhost']);
  const alpn = forCheck ? (list(o['check-alpn']) ?? list(o['alpn'])) : list(o['alpn']);
  const range = tlsVersions(defaults.options, o).range ?? { min: 'TLSv1.3', max: 'TLSv1.3' };
  const noTickets = o['tls-tickets'] === false || (o['tls-tickets'] === undefined && defaults.options.includes('no-tls-tickets'));
  return {
    verify,
    verifyName: servername ?? verifyhost,
    verifyNameIsSni: servername !== undefined,
    servername,
    alpn,
    caFile: verify ? str(o['ca-file']) : undefined,
    crlFile: verify ? str(o['crl-file']) : undefined,
    crt: str(o['crt']),
    minVersion: range.min,
    maxVersion: range.max,
    ciphers: str(o['ciphers']) ?? defaults.ciphers,
    ciphersuites: str(o['ciphersuites']) ?? defaults.ciphersuites,
    noTickets,
    reuse: o['ssl-reuse'] !== false,
  };
}
