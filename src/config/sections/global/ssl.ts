/**
 * Global TLS keywords (configuration.txt 3.1 and 3.2): default directories, the defaults of
 * bind and server TLS settings, OpenSSL providers, DH parameters, TLS limits and tune.ssl.*.
 * TLS runs through node:tls. Applied so far: the directories (ca-base, crt-base: applied as the
 * files are read) and the defaults of server lines (net/server-tls.ts); the others wait for TLS
 * listeners.
 */
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SslDefaultOptionsModel } from '../../model/global.js';
import { atoi, atolRow, effectiveArgs, flagRow, onOffRow, readTime, setTune, stringRow, tooMany, type Ctx, type Row } from './helpers.js';
import { resolveConfigPath } from './paths.js';

type SslState = NonNullable<Ctx['state']['ssl']>;

function ssl(ctx: Ctx): SslState {
  return (ctx.state.ssl ??= {});
}

/** `ca-base` / `crt-base`: a directory set once. */
function baseRow(name: 'ca-base' | 'crt-base', summary: string): Row {
  return stringRow({
    name,
    status: 'supported',
    summary,
    missing: `global statement '${name}' expects a directory path as an argument.`,
    dupe: `'${name}' already specified.`,
    get: (s) => (name === 'ca-base' ? s.caBase : s.crtBase),
    set: (ctx, v) => void (name === 'ca-base' ? (ctx.state.caBase = v) : (ctx.state.crtBase = v)),
  });
}

/** Cipher lists and curves: checked by OpenSSL only when a listener uses them. */
function suiteRow(name: string, key: keyof SslState, what: string, summary: string, status: Row['status'] = 'notyet'): Row {
  return stringRow({
    name,
    status,
    summary,
    missing: `global statement '${name}' expects ${what}.`,
    get: () => undefined,
    set: (ctx, v) => void ((ssl(ctx) as Record<string, unknown>)[key] = v),
  });
}

const TLS_VERSIONS = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const TLS_FLAGS = [
  'no-sslv3', 'no-tlsv10', 'no-tlsv11', 'no-tlsv12', 'no-tlsv13',
  'force-sslv3', 'force-tlsv10', 'force-tlsv11', 'force-tlsv12', 'force-tlsv13',
  'no-tls-tickets',
];

/** `ssl-default-{bind,server}-options [<option>]...` */
function defaultOptionsRow(side: 'bind' | 'server'): Row {
  const name = `ssl-default-${side}-options`;
  const flags = side === 'bind' ? [...TLS_FLAGS, 'prefer-client-ciphers'] : TLS_FLAGS;
  return {
    name,
    status: side === 'server' ? 'supported' : 'notyet',
    summary: side === 'bind' ? 'TLS options every "bind ... ssl" line starts from.' : 'TLS options every "server ... ssl" line starts from.',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (!args[1]) {
        ctx.alert(`global statement '${name}' expects an option as an argument.`);
        return;
      }
      const set: string[] = [];
      let minVersion: string | undefined;
      let maxVersion: string | undefined;
      for (let i = 1; i < args.length; i++) {
        const opt = args[i]!;
        if (opt === 'ssl-min-ver' || opt === 'ssl-max-ver') {
          const v = args[i + 1];
          if (!v) {
            ctx.alert(`'${opt}' : missing the ssl/tls version on global statement '${name}'.`);
            return;
          }
          if (!TLS_VERSIONS.includes(v)) {
            ctx.alert(`'${v}' : unknown ssl/tls version on global statement '${name}'.`);
            return;
          }
          if (opt === 'ssl-min-ver') minVersion = v;
          else maxVersion = v;
          i++;
          continue;
        }
        if (!flags.includes(opt)) {
          ctx.alert(`unknown option '${opt}' on global statement '${name}'.`);
          return;
        }
        set.push(opt);
      }
      const model: SslDefaultOptionsModel = { flags: set, minVersion, maxVersion };
      if (side === 'bind') ssl(ctx).defaultBindOptions = model;
      else ssl(ctx).defaultServerOptions = model;
    },
  };
}

/** A PEM file holding DH parameters ("BEGIN DH PARAMETERS" or X9.42 ones). */
function hasDhParams(file: string): boolean {
  try {
    const text = readFileSync(file, 'latin1');
    return /-----BEGIN (X9\.42 )?DH PARAMETERS-----[\s\S]+?-----END (X9\.42 )?DH PARAMETERS-----/.test(text);
  } catch {
    return false;
  }
}

const dhParamFile: Row = {
  name: 'ssl-dh-param-file',
  status: 'notyet',
  summary: 'DH parameters for DHE ciphers (PEM file).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    const file = args[1] ?? '';
    if (file === '') {
      ctx.alert("'ssl-dh-param-file' expects a file path as an argument.");
      return;
    }
    if (!hasDhParams(resolveConfigPath(ctx.load, ctx.where, file))) {
      ctx.alert(`'ssl-dh-param-file': unable to load DH parameters from file <${file}>.`);
      return;
    }
    ssl(ctx).dhParamFile = file;
  },
};

/**
 * `ssl-propquery <query>`: an OpenSSL property query, "[?|-]name[=|!=value],...". A malformed
 * one is refused on its line ("(null)": HAProxy prints its empty error buffer); one that no
 * loaded provider satisfies fails when the internal HTTP client creates its TLS context
 * (checks/global.ts).
 */
const propquery: Row = {
  name: 'ssl-propquery',
  status: 'notyet',
  summary: 'OpenSSL property query used to choose algorithm implementations.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    const q = args[1] ?? '';
    if (q === '') {
      ctx.alert("global statement 'ssl-propquery' expects a property string as an argument.");
      return;
    }
    const clauses = q.split(',').map((c) => c.trim());
    if (clauses.some((c) => !/^[?-]?[A-Za-z][A-Za-z0-9_.]*(\s*!?=\s*[^,=!]*)?$/.test(c))) {
      ctx.alert('(null)');
      return;
    }
    ssl(ctx).propquery = q;
  },
};

/** Providers that this OpenSSL has: built in, or as modules in the provider path. */
const BUILTIN_PROVIDERS = ['default', 'base', 'null'];
const MODULE_PROVIDERS = ['legacy'];

const provider: Row = {
  name: 'ssl-provider',
  status: 'notyet',
  summary: 'Load an OpenSSL provider (default, legacy, base, ...).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    const name = args[1] ?? '';
    if (name === '') {
      ctx.alert("global statement 'ssl-provider' expects a valid engine provider name as an argument.");
      return;
    }
    const path = ctx.state.ssl?.providerPath;
    const known = BUILTIN_PROVIDERS.includes(name) || (MODULE_PROVIDERS.includes(name) && moduleExists(name, path));
    if (!known) {
      ctx.load.diag.alert(undefined, `ssl-provider ${name}: unknown provider`);
      ctx.alert('(null)');
      return;
    }
    (ssl(ctx).providers ??= []).push(name);
  },
};

/** OpenSSL's default module directory on Debian, or the one `ssl-provider-path` set. */
function moduleExists(name: string, path: string | undefined): boolean {
  const dirs = path !== undefined ? [path] : ['/usr/lib/x86_64-linux-gnu/ossl-modules', '/usr/lib/aarch64-linux-gnu/ossl-modules', '/usr/lib/ossl-modules', '/usr/lib64/ossl-modules'];
  return dirs.some((d) => {
    try {
      return statSync(join(d, `${name}.so`)).isFile();
    } catch {
      return false;
    }
  });
}

/** `issuers-chain-path <dir>`: every file of the directory must hold a PEM certificate. */
const issuersChainPath: Row = {
  name: 'issuers-chain-path',
  status: 'notyet',
  summary: 'Directory of issuer chains used to complete certificate chains.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    const dir = args[1] ?? '';
    let entries: string[] | undefined;
    try {
      const full = resolveConfigPath(ctx.load, ctx.where, dir);
      if (dir !== '' && statSync(full).isDirectory()) entries = readdirSync(full).sort();
    } catch {
      entries = undefined;
    }
    if (entries === undefined) {
      ctx.alert(`global statement 'issuers-chain-path' expects a directory path as an argument.\n`);
      return;
    }
    ctx.state.issuersChainPath = dir;
    for (const name of entries) {
      if (name.startsWith('.')) continue;
      const path = `${dir.replace(/\/+$/, '')}/${name}`;
      const full = resolveConfigPath(ctx.load, ctx.where, path);
      try {
        if (!statSync(full).isFile()) continue;
      } catch {
        continue;
      }
      if (!holdsCertificate(full)) ctx.load.diag.warning(undefined, `unable to load issuers-chain ${path} : pem certificate not found.`);
    }
  },
};

function holdsCertificate(file: string): boolean {
  try {
    const text = readFileSync(file, 'latin1');
    const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text);
    if (!m) return false;
    new X509Certificate(m[0]);
    return true;
  } catch {
    return false;
  }
}

const EXTRA_FILES = ['none', 'all', 'bundle', 'sctl', 'ocsp', 'issuer', 'key'];

const loadExtraFiles: Row = {
  name: 'ssl-load-extra-files',
  status: 'notyet',
  summary: 'Which files next to a certificate are loaded with it (.key, .ocsp, .issuer, ...).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    const words = args.slice(1);
    const expects = "'ssl-load-extra-files' expects one or multiple arguments (none, all, bundle, sctl, ocsp, issuer).";
    if (words.length === 0 || words[0] === '') {
      ctx.alert(expects);
      return;
    }
    for (const w of words) {
      if ((w === 'none' || w === 'all') && words.length > 1) {
        ctx.alert("'ssl-load-extra-files' 'none' and 'all' can be only used alone");
        return;
      }
      if (!EXTRA_FILES.includes(w)) {
        ctx.alert(expects);
        return;
      }
    }
    ssl(ctx).loadExtraFiles = [...words];
  },
};

const serverVerify: Row = {
  name: 'ssl-server-verify',
  status: 'supported',
  summary: 'Default verification of server certificates: none or required.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    const v = args[1] ?? '';
    if (v === '') {
      ctx.alert("'ssl-server-verify' expects an integer argument.");
      return;
    }
    if (v !== 'none' && v !== 'required') {
      ctx.alert("'ssl-server-verify' expects 'none' or 'required' as argument.");
      return;
    }
    ssl(ctx).serverVerify = v;
  },
};

/** `tune.ssl.<n> <number>`: "expects a positive numeric value." for negative numbers. */
function sslNumber(name: string, summary: string, opts: { deprecated?: string } = {}): Row {
  const inner = atolRow({
    name,
    status: 'notyet',
    summary,
    check: (v) => (atoi(String(v)) < 0 ? `'${name}' expects a positive numeric value.` : undefined),
  });
  if (!opts.deprecated) return inner;
  return {
    ...inner,
    parse(ctx, args) {
      ctx.warning(`'${name}' is deprecated and will be removed in version 2.7. Please use '${opts.deprecated}' instead.`, 'tight');
      inner.parse(ctx, args);
    },
  };
}

const lifetime: Row = {
  name: 'tune.ssl.lifetime',
  status: 'notyet',
  summary: 'Lifetime of TLS sessions in the session cache (seconds by default).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 1)) return;
    const text = args[1] ?? '';
    if (text === '') {
      ctx.alert("'tune.ssl.lifetime' expects ssl sessions <lifetime> in seconds as argument.");
      return;
    }
    const r = readTime(text, 's');
    // The lifetime is kept in seconds: HAProxy has no millisecond overflow limit here.
    if ('error' in r && r.error === 'char') {
      ctx.alert(`unexpected character '${r.char}' in argument to <tune.ssl.lifetime>.`);
      return;
    }
    setTune(ctx, 'tune.ssl.lifetime', 'value' in r ? r.value : text);
  },
};

export const sslRows: Row[] = [
  baseRow('ca-base', 'Directory that relative CA and CRL file names are taken from.'),
  baseRow('crt-base', 'Directory that relative certificate file names are taken from.'),
  issuersChainPath,
  suiteRow('ssl-default-bind-ciphers', 'defaultBindCiphers', 'a cipher suite as an argument', 'TLS 1.2 ciphers of "bind ... ssl" lines without "ciphers".'),
  suiteRow('ssl-default-bind-ciphersuites', 'defaultBindCiphersuites', 'a cipher suite as an argument', 'TLS 1.3 cipher suites of "bind ... ssl" lines.'),
  suiteRow('ssl-default-bind-curves', 'defaultBindCurves', 'a curves suite as an arguments', 'ECDHE curves of "bind ... ssl" lines.'),
  defaultOptionsRow('bind'),
  suiteRow('ssl-default-server-ciphers', 'defaultServerCiphers', 'a cipher suite as an argument', 'TLS 1.2 ciphers of "server ... ssl" lines.', 'supported'),
  suiteRow('ssl-default-server-ciphersuites', 'defaultServerCiphersuites', 'a cipher suite as an argument', 'TLS 1.3 cipher suites of "server ... ssl" lines.', 'supported'),
  defaultOptionsRow('server'),
  dhParamFile,
  propquery,
  provider,
  {
    name: 'ssl-provider-path',
    status: 'notyet',
    summary: 'Directory OpenSSL providers are loaded from.',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (!args[1]) {
        ctx.alert("global statement 'ssl-provider-path' expects a directory path as an argument.");
        return;
      }
      ssl(ctx).providerPath = args[1];
    },
  },
  flagRow({
    name: 'ssl-load-extra-del-ext',
    status: 'notyet',
    checkArgs: false,
    summary: 'Look for extra files without the certificate file\'s extension ("a.crt" → "a.key").',
    apply: (ctx) => void (ssl(ctx).loadExtraDelExt = true),
  }),
  loadExtraFiles,
  serverVerify,
  flagRow({
    name: 'ssl-skip-self-issued-ca',
    status: 'notyet',
    checkArgs: false,
    summary: 'Do not send self-issued CA certificates in the chain.',
    apply: (ctx) => void (ssl(ctx).skipSelfIssuedCa = true),
  }),
  flagRow({
    name: 'ssl-mode-async',
    status: 'nomeaning',
    checkArgs: false,
    note: 'asynchronous OpenSSL engines are not reachable from node:tls',
    summary: 'Asynchronous TLS operations with OpenSSL engines.',
    apply: (ctx) => void (ssl(ctx).modeAsync = true),
  }),
  atolRow({ name: 'maxsslconn', status: 'notyet', summary: 'Process-wide limit of concurrent TLS connections.' }),
  atolRow({ name: 'maxsslrate', status: 'notyet', once: 'continue', summary: 'Process-wide limit of new TLS sessions per second.' }),
  sslNumber('tune.ssl.cachesize', 'Number of entries of the TLS session cache.'),
  sslNumber('tune.ssl.capture-buffer-size', 'Bytes of the ClientHello kept for ssl_c_* fetches.'),
  sslNumber('tune.ssl.capture-cipherlist-size', 'Old name of tune.ssl.capture-buffer-size.', { deprecated: 'tune.ssl.capture-buffer-size' }),
  {
    name: 'tune.ssl.default-dh-param',
    status: 'notyet',
    summary: 'Size of the DH parameters generated when none are given (>= 1024).',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (tooMany(ctx, args, 1)) return;
      if (!args[1]) {
        ctx.alert("'tune.ssl.default-dh-param' expects an integer argument.");
        return;
      }
      const v = atoi(args[1]);
      if (v < 1024) {
        ctx.alert("'tune.ssl.default-dh-param' expects a value >= 1024.");
        return;
      }
      setTune(ctx, 'tune.ssl.default-dh-param', v);
    },
  },
  flagRow({
    name: 'tune.ssl.force-private-cache',
    status: 'nomeaning',
    note: 'Portier runs one process: its TLS session cache is always private',
    summary: 'Do not share the TLS session cache between processes.',
    apply: (ctx) => setTune(ctx, 'tune.ssl.force-private-cache', true),
  }),
  sslNumber('tune.ssl.hard-maxrecord', 'Largest TLS record size ever sent.'),
  onOffRow({ name: 'tune.ssl.keylog', status: 'notyet', summary: 'Keep TLS secrets for the ssl_*_keylog fetches.' }),
  lifetime,
  sslNumber('tune.ssl.maxrecord', 'Largest TLS record size sent at the start of a connection.'),
  sslNumber('tune.ssl.ssl-ctx-cache-size', 'Number of generated certificates kept in cache.'),
];
