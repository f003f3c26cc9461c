/**
 * The global TLS defaults bind and server lines start from (configuration.txt 3.1
 * "ssl-default-bind-*", "ssl-default-server-*", "ssl-server-verify"), read from the global
 * model (typed fields when the global section recorded them, raw words otherwise). The
 * configuration checks and the runtime (net/server-tls.ts) read them through these functions.
 */
import type { GlobalModel } from '../../model/global.js';

export interface TlsDefaults {
  readonly ciphers?: string;
  readonly ciphersuites?: string;
  readonly curves?: string;
  /** Words of ssl-default-*-options: no-sslv3, force-tlsv12, ssl-min-ver X, ... */
  readonly options: readonly string[];
}

/** What the functions below read: the global model, or a load state holding it. */
type GlobalSource = GlobalModel | { readonly global: GlobalModel };

function globalOf(src: GlobalSource): GlobalModel {
  return 'settings' in src ? src : src.global;
}

function typed(g: GlobalModel): NonNullable<GlobalModel['ssl']> {
  return g.ssl ?? {};
}

function word(g: GlobalModel, keyword: string): string | undefined {
  return g.settings[keyword]?.[0];
}

function optionWords(t: { flags?: readonly string[]; minVersion?: string; maxVersion?: string } | undefined, raw: readonly string[] | undefined): string[] {
  if (t) {
    const out = [...(t.flags ?? [])];
    if (t.minVersion) out.push('ssl-min-ver', t.minVersion);
    if (t.maxVersion) out.push('ssl-max-ver', t.maxVersion);
    return out;
  }
  return [...(raw ?? [])];
}

export function bindTlsDefaults(src: GlobalSource): TlsDefaults {
  const g = globalOf(src);
  const t = typed(g);
  return {
    ciphers: t.defaultBindCiphers ?? word(g, 'ssl-default-bind-ciphers'),
    ciphersuites: t.defaultBindCiphersuites ?? word(g, 'ssl-default-bind-ciphersuites'),
    curves: t.defaultBindCurves ?? word(g, 'ssl-default-bind-curves'),
    options: optionWords(t.defaultBindOptions, g.settings['ssl-default-bind-options']),
  };
}

export function serverTlsDefaults(src: GlobalSource): TlsDefaults {
  const g = globalOf(src);
  const t = typed(g);
  return {
    ciphers: t.defaultServerCiphers ?? word(g, 'ssl-default-server-ciphers'),
    ciphersuites: t.defaultServerCiphersuites ?? word(g, 'ssl-default-server-ciphersuites'),
    options: optionWords(t.defaultServerOptions, g.settings['ssl-default-server-options']),
  };
}

/**
 * `ssl-server-verify` (default required). The command line's -dV is recorded in the model by
 * the loader when the configuration does not say (HAProxy reads its command line first, so an
 * explicit `ssl-server-verify` wins over -dV).
 */
export function serverVerifyDefault(src: GlobalSource): 'none' | 'required' {
  const g = globalOf(src);
  const v = typed(g).serverVerify ?? word(g, 'ssl-server-verify');
  return v === 'none' ? 'none' : 'required';
}
