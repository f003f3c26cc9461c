/**
 * The TLS versions a bind or server line leaves enabled, computed as HAProxy does from
 * `ssl-min-ver`, `ssl-max-ver`, `force-*` and `no-*` (configuration.txt 5.1, 5.2), on top of
 * the global ssl-default-*-options. The no-* flags are ignored when a minimum or maximum is
 * set; a bind line's default minimum is TLS 1.2. SSLv3 is not available (OpenSSL 3).
 */
import type { TlsVersion } from '../../model/bind.js';

const ORDER: readonly TlsVersion[] = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
/** Versions the TLS library offers. */
const AVAILABLE = new Set<TlsVersion>(['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);

const WORD_VERSION: Record<string, TlsVersion> = { sslv3: 'SSLv3', tlsv10: 'TLSv1.0', tlsv11: 'TLSv1.1', tlsv12: 'TLSv1.2', tlsv13: 'TLSv1.3' };

interface VersionConf {
  disabled: Set<TlsVersion>;
  min?: TlsVersion;
  max?: TlsVersion;
}

function apply(conf: VersionConf, key: string, value: unknown): void {
  const m = /^(no|force)-(sslv3|tlsv1[0-3])$/.exec(key);
  if (m && value === true) {
    const v = WORD_VERSION[m[2]!]!;
    if (m[1] === 'no') conf.disabled.add(v);
    else conf.min = conf.max = v;
  } else if (key === 'ssl-min-ver' && typeof value === 'string') conf.min = value as TlsVersion;
  else if (key === 'ssl-max-ver' && typeof value === 'string') conf.max = value as TlsVersion;
}

export interface VersionOutcome {
  /** no-* flags were given along with a minimum or maximum: they are ignored. */
  readonly flagsIgnored: boolean;
  /** Only a maximum below the default minimum: the minimum becomes the maximum. */
  readonly ambiguous?: TlsVersion;
  /** Undefined when every version is disabled. */
  readonly range?: { readonly min: TlsVersion; readonly max: TlsVersion };
}

/**
 * `defaults`: words of ssl-default-*-options; `options`: the line's options in the order
 * written. `defaultMin`: TLSv1.2 for bind lines, none for servers.
 */
export function tlsVersions(defaults: readonly string[], options: Readonly<Record<string, unknown>>, defaultMin?: TlsVersion): VersionOutcome {
  const conf: VersionConf = { disabled: new Set() };
  for (let i = 0; i < defaults.length; i++) {
    const w = defaults[i]!;
    if (w === 'ssl-min-ver' || w === 'ssl-max-ver') apply(conf, w, defaults[++i]);
    else apply(conf, w, true);
  }
  for (const [k, v] of Object.entries(options)) apply(conf, k, v);

  const flagsIgnored = conf.disabled.size > 0 && (conf.min !== undefined || conf.max !== undefined);
  const disabled = flagsIgnored ? new Set<TlsVersion>() : conf.disabled;
  let min = conf.min;
  const max = conf.max;
  let ambiguous: TlsVersion | undefined;
  if (min === undefined && defaultMin !== undefined) {
    if (max === undefined || ORDER.indexOf(max) >= ORDER.indexOf(defaultMin)) min = defaultMin;
    else min = ambiguous = max;
  }
  const lo = min ? ORDER.indexOf(min) : 0;
  const hi = max ? ORDER.indexOf(max) : ORDER.length - 1;
  const enabled = ORDER.filter((v, i) => i >= lo && i <= hi && AVAILABLE.has(v) && !disabled.has(v));
  return {
    flagsIgnored,
    ...(ambiguous ? { ambiguous } : {}),
    ...(enabled.length > 0 ? { range: { min: enabled[0]!, max: enabled[enabled.length - 1]! } } : {}),
  };
}
