/**
 * TLS server options (configuration.txt 5.2). CA and CRL files are loaded at parse time, as
 * HAProxy does; the client certificate (`crt`), cipher lists and TLS versions are checked
 * after the last line for servers that use TLS (checks/servers.ts). The runtime compiles them
 * in net/server-tls.ts. The health checks' options (check-ssl, check-sni, check-alpn) are
 * compiled there too, but run with the health checks.
 */
import { loadCaOption, TLS_VERSIONS } from '../bind-options/ssl.js';
import { withBase } from '../bind-options/tls/files.js';
import { flag, noFlag, stringOption } from './helpers.js';
import type { ServerOptionRow } from './types.js';

const SUPPORTED = { status: 'supported' } as const;

function protocolList(name: 'alpn' | 'npn' | 'check-alpn', meta: Partial<ServerOptionRow> = {}): ServerOptionRow {
  const what = name === 'npn' ? 'NPN' : 'ALPN';
  return {
    name,
    values: 1,
    status: 'notyet',
    ...meta,
    summary: `${what} protocols offered to the server${name === 'check-alpn' ? ' by health checks' : ''}, comma-delimited.`,
    parse(_ctx, [v], options) {
      if (!v) return `'${name}' : missing the comma-delimited ${what} protocol suite`;
      const list = v.split(',');
      const long = list.find((p) => p.length > 255);
      if (long !== undefined) return `'${name}' : ${what} protocol name too long : '${long}'`;
      options[name] = list.filter((p) => p !== '');
      return undefined;
    },
  };
}

function caOption(name: 'ca-file' | 'crl-file', missing: string, summary: string): ServerOptionRow {
  return {
    name,
    values: 1,
    status: 'supported',
    summary,
    parse(ctx, [v], options, env) {
      if (!v) return `'${name}' : ${missing}`;
      const path = loadCaOption(ctx, name, v, (m) => env.messages.alert(m));
      if (path === undefined) return `'${name}' : unable to load ${withBase(ctx.load, v, 'ca')}`;
      options[name] = path;
      return undefined;
    },
  };
}

function versionOption(name: 'ssl-min-ver' | 'ssl-max-ver', summary: string): ServerOptionRow {
  return {
    name,
    values: 1,
    status: 'supported',
    summary,
    parse(_ctx, [v], options) {
      if (!v) return `'${name}' : missing the ssl/tls version`;
      if (!(TLS_VERSIONS as readonly string[]).includes(v)) return `'${v}' : unknown ssl/tls version`;
      options[name] = v;
      return undefined;
    },
  };
}

export const sslServerOptions: ServerOptionRow[] = [
  flag('ssl', 'Connect to the server with TLS.', 'ssl', true, SUPPORTED),
  noFlag('ssl', SUPPORTED),
  flag('check-ssl', 'Run health checks over TLS.', 'check-ssl', true, SUPPORTED),
  noFlag('check-ssl', SUPPORTED),
  {
    name: 'verify',
    values: 1,
    status: 'supported',
    summary: "Verify the server's certificate: none or required.",
    parse(_ctx, [v], options) {
      if (!v) return "'verify' : missing verify method";
      if (v !== 'none' && v !== 'required') return `'verify' : unknown verify method '${v}', only 'none' and 'required' are supported`;
      options['verify'] = v;
      return undefined;
    },
  },
  stringOption('verifyhost', "'verifyhost' : missing hostname to verify against", "Name the server's certificate must match when no SNI is sent.", 'supported'),
  caOption('ca-file', 'missing CAfile path', "CA certificates to verify the server's certificate with."),
  caOption('crl-file', 'missing CRLfile path', "Revocation lists for the server's certificate."),
  {
    name: 'crt',
    values: 1,
    status: 'supported',
    summary: 'Client certificate (PEM with its key) presented to the server.',
    parse(ctx, [v], options) {
      if (!v) return "'crt' : missing certificate file path";
      options['crt'] = withBase(ctx.load, v, 'crt');
      return undefined;
    },
  },
  {
    ...stringOption('sni', "'sni' : missing sni expression", 'SNI sent to the server, from a sample expression.', 'partial'),
    note: 'evaluated on each connection; expressions whose fetches do not run yet (ssl_fc_sni, req.hdr(host), ...) are refused',
  },
  protocolList('alpn', SUPPORTED),
  protocolList('npn', { note: 'node:tls has no NPN (ALPN replaced it)' }),
  protocolList('check-alpn', SUPPORTED),
  stringOption('check-sni', "'check-sni' : missing SNI", 'SNI sent by TLS health checks.', 'supported'),
  stringOption('ciphers', "'ciphers' : missing cipher suite", 'TLS <= 1.2 cipher list for server connections.', 'supported'),
  stringOption('ciphersuites', "'ciphersuites' : missing cipher suite", 'TLS 1.3 cipher suites for server connections.', 'supported'),
  versionOption('ssl-min-ver', 'Lowest TLS version used with the server.'),
  versionOption('ssl-max-ver', 'Highest TLS version used with the server.'),
  ...(['sslv3', 'tlsv10', 'tlsv11', 'tlsv12', 'tlsv13'] as const).map((v) =>
    flag(`no-${v}`, `Do not use ${v} with the server (prefer ssl-min-ver).`, `no-${v}`, true, { onDefaultServer: false, ...SUPPORTED }),
  ),
  ...(['sslv3', 'tlsv10', 'tlsv11', 'tlsv12', 'tlsv13'] as const).map((v) => flag(`force-${v}`, `Use ${v} only with the server.`, `force-${v}`, true, SUPPORTED)),
  flag('ssl-reuse', 'Reuse TLS sessions with the server (default).', 'ssl-reuse', true, SUPPORTED),
  noFlag('ssl-reuse', SUPPORTED),
  flag('tls-tickets', 'Use TLS session tickets with the server.', 'tls-tickets', true, SUPPORTED),
  noFlag('tls-tickets', SUPPORTED),
  flag('allow-0rtt', 'Send early data (TLS 1.3 0-RTT) to the server.', 'allow-0rtt', true, { note: 'node:tls clients cannot send TLS 1.3 early data' }),
];
