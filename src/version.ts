/**
 * What Portier is, which HAProxy it stands in for, and the build features it declares
 * (answered by `-vv`, by the `feature()` predicate of `.if` and `-cc`).
 */
export const PORTIER_VERSION = '0.1.0';
export const PORTIER_DATE = '2026/11/25';

/** The HAProxy release whose configuration language and behaviour Portier follows. */
export const HAPROXY_COMPAT_VERSION = '2.6.12';

/**
 * Build features, as HAProxy's "Feature list" names them: '+' present, '-' absent.
 * Only what Portier really provides is '+'.
 */
export const FEATURES: Readonly<Record<string, boolean>> = {
  OPENSSL: true, // node:tls / node:crypto
  GETADDRINFO: true, // node:dns lookup
  ZLIB: true, // node:zlib (compression, later issue)
  PCRE2: true, // regular expressions: JavaScript's engine, see docs/configuration.md
  PCRE2_JIT: false,
  PCRE: false,
  LUA: false,
  SLZ: false,
  THREAD: false,
  CPU_AFFINITY: false,
  LINUX_SPLICE: false,
  LINUX_TPROXY: false,
  TPROXY: false,
  NETFILTER: false,
  NS: false,
  SYSTEMD: false,
  PROMEX: false,
  OT: false,
  QUIC: false,
  DEVICEATLAS: false,
  '51DEGREES': false,
  WURFL: false,
  OBSOLETE_LINKER: false,
  EPOLL: true, // libuv's event loop on Linux
  POLL: false,
  KQUEUE: false,
  EVPORTS: false,
  ACCEPT4: true,
  TFO: false,
  CRYPT_H: false,
  LIBCRYPT: false,
  ENGINE: false,
  MEMORY_PROFILING: false,
  DL: false,
  RT: true,
  PRCTL: false,
  PROCCTL: false,
  THREAD_DUMP: false,
  BACKTRACE: false,
  CLOSEFROM: false,
  STATIC_PCRE: false,
  STATIC_PCRE2: false,
};

export function hasFeature(name: string): boolean {
  return FEATURES[name] === true;
}

/** "+OPENSSL -LUA ..." in HAProxy's order-free "Feature list" line. */
export function featureLine(): string {
  return Object.keys(FEATURES)
    .sort()
    .map((k) => (FEATURES[k] ? '+' : '-') + k)
    .join(' ');
}

export const sslLibrary = {
  name: 'OpenSSL',
  version: typeof process !== 'undefined' ? (process.versions.openssl ?? '0') : '0',
};

/**
 * Compares two HAProxy-style versions ("2.6.12", "2.5-dev7", "2.4.0-rc1"): negative, 0 or
 * positive like a sort function. Missing components count as zero; a -dev release comes before
 * -pre, -rc and the final release of the same number. An unreadable version reads as 0.
 */
export function compareVersions(a: string, b: string): number {
  const pa = splitVersion(a);
  const pb = splitVersion(b);
  for (let i = 0; i < pa.length; i++) {
    const d = pa[i]! - pb[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

const STAGES: Record<string, number> = { dev: 1, pre: 2, rc: 3 };

/** [major, minor, patch, stage, stageNumber]; a final release has stage 4. */
function splitVersion(v: string): number[] {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-(dev|pre|rc)(\d*))?/.exec(v);
  if (!m) return [0, 0, 0, 4, 0];
  return [
    Number(m[1]),
    Number(m[2] ?? 0),
    Number(m[3] ?? 0),
    m[4] ? STAGES[m[4]]! : 4,
    Number(m[5] || 0),
  ];
}
