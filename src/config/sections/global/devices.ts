/**
 * Global keywords that only exist in HAProxy builds with optional libraries: device detection
 * (51Degrees, DeviceAtlas, WURFL: configuration.txt 3.1), QUIC tuning, OpenSSL engines, memory
 * profiling, zlib. The reference build (Debian's HAProxy 2.6, see `haproxy -vv`) has none of
 * them and refuses them as unknown keywords; Portier does the same, so that a configuration gets
 * the same verdict, and adds a notice saying why.
 */

/** Keyword prefix or name → the build option HAProxy needs for it. */
const BUILD_OPTIONS: readonly [RegExp, string][] = [
  [/^51degrees-/, '51Degrees device detection (USE_51DEGREES)'],
  [/^deviceatlas-/, 'DeviceAtlas device detection (USE_DEVICEATLAS)'],
  [/^wurfl-/, 'WURFL device detection (USE_WURFL)'],
  [/^tune\.quic\./, 'QUIC (USE_QUIC)'],
  [/^ssl-engine$/, 'OpenSSL engines (USE_ENGINE)'],
  [/^profiling\.memory$/, 'memory profiling (USE_MEMORY_PROFILING)'],
  [/^tune\.zlib\./, 'zlib (USE_ZLIB; this build uses libslz)'],
];

/** The build option a global keyword needs, when it is one of these. */
export function buildOptionOf(keyword: string): string | undefined {
  for (const [re, what] of BUILD_OPTIONS) if (re.test(keyword)) return what;
  return undefined;
}
