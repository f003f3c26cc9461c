/** Loads configuration text in-process, for unit tests of keyword tables. */
import { ConfigEnvironment } from '../../src/config/environment.js';
import { loadConfig, type LoadResult } from '../../src/config/loader.js';
import { locatedMessage } from '../../src/config/diagnostics.js';

export interface Checked extends LoadResult {
  /** "alert: parsing [t.cfg:2] : ..." lines, for readable assertions. */
  readonly lines: string[];
  readonly alerts: string[];
  readonly warnings: string[];
}

/** Checks `text` as the file "t.cfg" (as `portier -c` would, unless `start` is set). */
export async function check(text: string, opts: { env?: Record<string, string>; start?: boolean } = {}): Promise<Checked> {
  const env = new ConfigEnvironment(opts.env ?? {});
  const r = await loadConfig({
    files: ['t.cfg'],
    texts: new Map([['t.cfg', text]]),
    env,
    options: {
      checkOnly: !opts.start,
      diagnostics: true,
      localPeer: 'testhost',
      ignoreResolveFailures: false,
      noServerVerify: false,
    },
  });
  const lines = r.diag.list.map((d) => `${d.severity}: ${locatedMessage(d)}`);
  return {
    ...r,
    lines,
    // Messages that refuse the configuration: alerts, and the warnings HAProxy makes fatal.
    alerts: r.diag.list.filter((d) => (d.severity === 'alert' && !d.nonFatal) || d.fatal).map((d) => locatedMessage(d)),
    warnings: r.diag.list.filter((d) => d.severity === 'warning' && !d.fatal).map((d) => locatedMessage(d)),
  };
}
