/**
 * TLS bind options (configuration.txt 5.1). Files are loaded at parse time, as HAProxy loads
 * them: `crt` (a PEM file, a directory of them, or a bundle), `crt-list`, `ca-file`,
 * `crl-file`, `ca-verify-file`, `tls-ticket-keys`. What needs the whole bind line (a
 * certificate for `ssl`, a CA for `verify`, cipher lists OpenSSL accepts, TLS versions left)
 * is checked after the last line (checks/servers.ts), with HAProxy's messages.
 */
import { loadCrtList } from './crt-list.js';
import { flag } from './socket.js';
import { caFileProblem, loadBindCrt, loadTicketKeys, withBase } from './tls/files.js';
import type { BindOptionRow, OptionOutcome } from './types.js';
import type { KeywordContext } from '../keywords.js';
import type { CertificateModel, TlsVersion } from '../model/bind.js';

export const TLS_VERSIONS: readonly TlsVersion[] = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** A row whose single value must not be empty; `missing` is HAProxy's message. */
function stringOption(name: string, missing: string, summary: string, extra: Partial<BindOptionRow> = {}): BindOptionRow {
  return {
    name,
    values: 1,
    status: 'notyet',
    summary,
    ...extra,
    parse(_ctx, [v], options) {
      if (!v) return `'${name}' : ${missing}`;
      options[name] = v;
      return undefined;
    },
  };
}

/** alpn / npn: a comma-delimited list of protocol names of at most 255 characters each. */
function protocolList(name: 'alpn' | 'npn'): BindOptionRow {
  const what = name.toUpperCase();
  return {
    name,
    values: 1,
    status: 'notyet',
    crtList: true,
    summary: `${what} protocols offered, comma-delimited (e.g. h2,http/1.1).`,
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

/** ca-file / ca-verify-file / crl-file: a file of certificates or CRLs, loaded now. */
export function loadCaOption(ctx: KeywordContext<unknown>, name: string, file: string, onProblem: (alert: string) => void): string | undefined {
  const path = withBase(ctx.load, file, 'ca');
  const problem = caFileProblem(path);
  if (problem === undefined) return path;
  onProblem(`Couldn't open the ca-file '${path}' (${problem}).`);
  return undefined;
}

function caOption(name: 'ca-file' | 'ca-verify-file' | 'crl-file', missing: string, summary: string, crtList: boolean): BindOptionRow {
  return {
    name,
    values: 1,
    status: 'notyet',
    crtList,
    summary,
    parse(ctx, [v], options) {
      if (!v) return `'${name}' : ${missing}`;
      const path = loadCaOption(ctx, name, v, (m) => ctx.diag.alert(undefined, m));
      if (path === undefined) return `'${name}' : unable to load ${withBase(ctx.load, v, 'ca')}`;
      options[name] = path;
      return undefined;
    },
  };
}

function versionOption(name: 'ssl-min-ver' | 'ssl-max-ver', summary: string): BindOptionRow {
  return {
    name,
    values: 1,
    status: 'notyet',
    crtList: true,
    summary,
    parse(_ctx, [v], options) {
      if (!v) return `'${name}' : missing the ssl/tls version`;
      if (!(TLS_VERSIONS as readonly string[]).includes(v)) return `'${v}' : unknown ssl/tls version`;
      options[name] = v;
      return undefined;
    },
  };
}

/** OpenSSL's highest X509_V_ERR_* code in the OpenSSL HAProxy 2.6 is built with. */
const X509_V_ERR_MAX = 94;

function ignoreErr(name: 'crt-ignore-err' | 'ca-ignore-err', summary: string): BindOptionRow {
  return {
    name,
    values: 1,
    status: 'notyet',
    summary,
    parse(_ctx, [v], options) {
      if (!v) return `'${name}' : missing error IDs list`;
      if (v === 'all') {
        options[name] = 'all';
        return undefined;
      }
      const ids: number[] = [];
      for (const part of v.split(',')) {
        const id = Number(/^[ \t]*[-+]?[0-9]+/.exec(part)?.[0] ?? 0);
        if (id < 1 || id > X509_V_ERR_MAX) return `'${name}' : ID '${id}' out of range (1..${X509_V_ERR_MAX}) in error IDs list '${v}'`;
        ids.push(id);
      }
      options[name] = ids;
      return undefined;
    },
  };
}

export const sslBindOptions: BindOptionRow[] = [
  flag('ssl', 'Offload TLS on this listener (needs a certificate: crt or crt-list).'),
  {
    name: 'crt',
    values: 1,
    status: 'notyet',
    summary: 'Certificate and key (PEM file, directory of them, or bundle) for TLS.',
    parse(ctx, [v], options): OptionOutcome {
      if (!v) return "'crt' : missing certificate location";
      const path = withBase(ctx.load, v, 'crt');
      const r = loadBindCrt(ctx.load, path);
      if ('error' in r) return r.error;
      options['crt'] = [...((options['crt'] as CertificateModel[] | undefined) ?? []), ...r.certs];
      return undefined;
    },
  },
  {
    name: 'crt-list',
    values: 1,
    status: 'notyet',
    summary: 'A file listing certificates, each with its own TLS settings and SNI filters.',
    parse(ctx, [v], options, env) {
      if (!v) return "'crt-list' : missing certificate location";
      const r = loadCrtList(ctx, v, env);
      if ('error' in r) return `'crt-list' : ${r.error}`;
      options['crt-list'] = [...((options['crt-list'] as unknown[] | undefined) ?? []), ...r.entries];
      return undefined;
    },
  },
  caOption('ca-file', 'missing CAfile path', 'CA certificates to verify client certificates with.', true),
  caOption('ca-verify-file', 'missing CAfile path', 'CA certificates used to verify, not sent to clients.', false),
  caOption('crl-file', 'missing CRLfile path', 'Certificate revocation lists for client certificates.', true),
  stringOption('ca-sign-file', 'missing CAfile path', 'CA certificate and key to sign generated certificates (with generate-certificates).'),
  stringOption('ca-sign-pass', 'missing CAkey password', 'Passphrase of the ca-sign-file key.'),
  {
    name: 'verify',
    values: 1,
    status: 'notyet',
    crtList: true,
    summary: 'Client certificate verification: none, optional or required.',
    parse(_ctx, [v], options) {
      if (!v) return "'verify' : missing verify method";
      if (v !== 'none' && v !== 'optional' && v !== 'required') {
        return `'verify' : unknown verify method '${v}', only 'none', 'optional', and 'required' are supported`;
      }
      options['verify'] = v;
      return undefined;
    },
  },
  protocolList('alpn'),
  protocolList('npn'),
  stringOption('ciphers', 'missing cipher suite', 'TLS <= 1.2 cipher list (OpenSSL syntax).', { crtList: true }),
  stringOption('ciphersuites', 'missing cipher suite', 'TLS 1.3 cipher suites (OpenSSL syntax).', { crtList: true }),
  stringOption('curves', 'missing curve suite', 'Elliptic curves offered for key exchange.', { crtList: true }),
  stringOption('ecdhe', 'missing named curve', 'Named curve for ECDHE key exchange.', { crtList: true }),
  versionOption('ssl-min-ver', 'Lowest TLS version accepted.'),
  versionOption('ssl-max-ver', 'Highest TLS version accepted.'),
  flag('no-sslv3', 'Refuse SSLv3 (prefer ssl-min-ver).'),
  flag('no-tlsv10', 'Refuse TLS 1.0 (prefer ssl-min-ver).'),
  flag('no-tlsv11', 'Refuse TLS 1.1 (prefer ssl-min-ver).'),
  flag('no-tlsv12', 'Refuse TLS 1.2 (prefer ssl-min-ver).'),
  flag('no-tlsv13', 'Refuse TLS 1.3 (prefer ssl-max-ver).'),
  flag('force-sslv3', 'Accept SSLv3 only.'),
  flag('force-tlsv10', 'Accept TLS 1.0 only.'),
  flag('force-tlsv11', 'Accept TLS 1.1 only.'),
  flag('force-tlsv12', 'Accept TLS 1.2 only.'),
  flag('force-tlsv13', 'Accept TLS 1.3 only.'),
  flag('strict-sni', 'Refuse handshakes whose SNI matches no certificate.'),
  flag('generate-certificates', 'Sign certificates on the fly for unknown SNI names (needs ca-sign-file).'),
  flag('allow-0rtt', 'Accept TLS 1.3 early data.', 'notyet', { crtList: true }),
  flag('no-ca-names', 'Do not send the CA names list when asking for a client certificate.', 'notyet', { crtList: true }),
  flag('prefer-client-ciphers', "Use the client's cipher preference order."),
  flag('no-tls-tickets', 'Disable stateless session resumption (TLS tickets).'),
  {
    name: 'tls-ticket-keys',
    values: 1,
    status: 'notyet',
    summary: 'File of base64 keys used to encrypt TLS session tickets (at least 3).',
    parse(_ctx, [v], options) {
      if (!v) return "'tls-ticket-keys' : missing TLS ticket keys file path";
      const r = loadTicketKeys(v);
      if ('error' in r) return r.error;
      options['tls-ticket-keys'] = { file: v, keys: r.keys };
      return undefined;
    },
  },
  ignoreErr('crt-ignore-err', 'Client certificate verification errors to ignore (ids or all).'),
  ignoreErr('ca-ignore-err', 'CA chain verification errors to ignore (ids or all).'),
];
