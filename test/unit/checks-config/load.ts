/**
 * Test helper for the health-check, stats and stick-table areas: `check()` of
 * test/helpers/config.ts, with this area's whole-configuration checks (health-checks.ts, stats.ts,
 * stick-tables.ts, and the sample references of samples.ts) run as well until
 * src/config/post-checks.ts lists them.
 */
import { postChecks, type PostCheck } from '../../../src/config/post-checks.js';
import { healthCheckChecks } from '../../../src/config/checks/health-checks.js';
import { stickTableChecks } from '../../../src/config/checks/stick-tables.js';
import { statsChecks } from '../../../src/config/checks/stats.js';
import { sampleChecks } from '../../../src/config/checks/samples.js';
import { check, type Checked } from '../../helpers/config.js';

const list = postChecks as PostCheck[];
for (const c of [...healthCheckChecks, ...statsChecks, ...stickTableChecks, ...sampleChecks]) if (!list.includes(c)) list.push(c);

export { check, type Checked };

/** A configuration with the usual timeouts, then `lines` in a section (default "backend b"). */
export function cfg(lines: readonly string[], opts: { section?: string; mode?: string; before?: string } = {}): string {
  return [
    ...(opts.before ? [opts.before] : []),
    'defaults',
    `  mode ${opts.mode ?? 'http'}`,
    '  timeout client 1s',
    '  timeout server 1s',
    '  timeout connect 1s',
    opts.section ?? 'backend b',
    ...lines.map((l) => `  ${l}`),
    '',
  ].join('\n');
}

/** The messages other than "not supported yet" ones. */
export function messages(r: Checked): string[] {
  return r.diag.list.filter((d) => d.code !== 'notyet').map((d) => r.lines[r.diag.list.indexOf(d)]!);
}

/** Checks `lines` in a backend (see cfg) and returns the result. */
export async function checkLines(lines: readonly string[], opts: Parameters<typeof cfg>[1] = {}): Promise<Checked> {
  return check(cfg(lines, opts));
}

/** The alerts and warnings as "alert: parsing [t.cfg:7] : ..." (without "not supported yet"). */
export function said(r: Checked): string[] {
  return messages(r);
}
