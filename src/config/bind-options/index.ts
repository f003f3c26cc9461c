/**
 * The bind option table and the loop that reads the options of a bind line. Rows live in one
 * file per area: core (socket settings), unix (permissions), ssl (TLS offloading), ...
 */
import type { KeywordContext } from '../keywords.js';
import { didYouMean } from '../suggest.js';
import { coreBindOptions } from './core.js';
import type { BindOptionRow, BindSite } from './types.js';

export const bindOptionRows: readonly BindOptionRow[] = [...coreBindOptions];

const byName = new Map(bindOptionRows.map((r) => [r.name, r]));

/**
 * Reads `args[from..]` as bind options. `label` prefixes messages ("'bind :80' in section
 * 'frontend'", "'stats socket'"). Returns the options, or undefined after an alert.
 * Options that Portier does not run yet are reported as such (warning under -c).
 */
export function parseBindOptions(
  ctx: KeywordContext<unknown>,
  args: readonly string[],
  from: number,
  site: BindSite,
  label: string,
): Record<string, unknown> | undefined {
  const options: Record<string, unknown> = {};
  let i = from;
  while (i < args.length) {
    const name = args[i]!;
    const row = byName.get(name);
    if (!row || (row.sites && !row.sites.includes(site))) {
      ctx.alert(`${label}: unknown keyword '${name}'.${suggestion(name, site)}`);
      return undefined;
    }
    const values = args.slice(i + 1, i + 1 + row.values);
    if (values.length < row.values) {
      ctx.alert(`${label}: '${name}' : missing value.`);
      return undefined;
    }
    const err = row.parse(ctx, values, options, site);
    if (err !== undefined) {
      ctx.alert(`${label}: ${err}`);
      return undefined;
    }
    if (row.status === 'notyet') ctx.notYet(`bind option '${name}'`);
    i += 1 + row.values;
  }
  return options;
}

function suggestion(name: string, site: BindSite): string {
  const names = bindOptionRows.filter((r) => !r.sites || r.sites.includes(site)).map((r) => r.name);
  const s = didYouMean(name, names);
  return s ? s.replace(/^; /, ' ').replace(/^ did/, ' Did') : '';
}
