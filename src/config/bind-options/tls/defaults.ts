/**
 * The global TLS defaults bind and server lines start from (configuration.txt 3.1
 * "ssl-default-bind-*", "ssl-default-server-*", "ssl-server-verify"), read from the global
 * model (typed fields when the global section recorded them, raw words otherwise).
 */
import type { LoadState } from '../../load-state.js';

export interface TlsDefaults {
  readonly ciphers?: string;
  readonly ciphersuites?: string;
  readonly curves?: string;
  /** Words of ssl-default-*-options: no-sslv3, force-tlsv12, ssl-min-ver X, ... */
  readonly options: readonly string[];
}

interface TypedSsl {
  defaultBindCiphers?: string;
  defaultBindCiphersuites?: string;
  defaultBindCurves?: string;
  defaultBindOptions?: { flags?: readonly string[]; minVersion?: string; maxVersion?: string };
  defaultServerCiphers?: string;
  defaultServerCiphersuites?: string;
  defaultServerOptions?: { flags?: readonly string[]; minVersion?: string; maxVersion?: string };
  serverVerify?: 'none' | 'required';
}

function typed(load: LoadState): TypedSsl {
  return ((load.global as unknown as { ssl?: TypedSsl }).ssl ?? {}) as TypedSsl;
}

function word(load: LoadState, keyword: string): string | undefined {
  return load.global.settings[keyword]?.[0];
}

function optionWords(t: TypedSsl['defaultBindOptions'], raw: readonly string[] | undefined): string[] {
  if (t) {
    const out = [...(t.flags ?? [])];
    if (t.minVersion) out.push('ssl-min-ver', t.minVersion);
    if (t.maxVersion) out.push('ssl-max-ver', t.maxVersion);
    return out;
  }
  return [...(raw ?? [])];
}

export function bindTlsDefaults(load: LoadState): TlsDefaults {
  const t = typed(load);
  return {
    ciphers: t.defaultBindCiphers ?? word(load, 'ssl-default-bind-ciphers'),
    ciphersuites: t.defaultBindCiphersuites ?? word(load, 'ssl-default-bind-ciphersuites'),
    curves: t.defaultBindCurves ?? word(load, 'ssl-default-bind-curves'),
    options: optionWords(t.defaultBindOptions, load.global.settings['ssl-default-bind-options']),
  };
}

export function serverTlsDefaults(load: LoadState): TlsDefaults {
  const t = typed(load);
  return {
    ciphers: t.defaultServerCiphers ?? word(load, 'ssl-default-server-ciphers'),
    ciphersuites: t.defaultServerCiphersuites ?? word(load, 'ssl-default-server-ciphersuites'),
    options: optionWords(t.defaultServerOptions, load.global.settings['ssl-default-server-options']),
  };
}

/** `ssl-server-verify` (default required); -dV turns it to none. */
export function serverVerifyDefault(load: LoadState): 'none' | 'required' {
  if (load.options.noServerVerify) return 'none';
  const v = typed(load).serverVerify ?? word(load, 'ssl-server-verify');
  return v === 'none' ? 'none' : 'required';
}
