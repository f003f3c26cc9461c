/** The server option table and the loop that reads the options of a server line. */
import type { KeywordContext } from '../keywords.js';
import { didYouMean } from '../suggest.js';
import { coreServerOptions } from './core.js';
import type { ServerOptionRow } from './types.js';

export const serverOptionRows: readonly ServerOptionRow[] = [...coreServerOptions];

const byName = new Map(serverOptionRows.map((r) => [r.name, r]));

/**
 * Reads `args[from..]` as server options into a copy of `inherited` (the default-server
 * options). `label` prefixes messages ("'server be/srv'"). Returns the options, or undefined
 * after an alert.
 */
export function parseServerOptions(
  ctx: KeywordContext<unknown>,
  args: readonly string[],
  from: number,
  inherited: Readonly<Record<string, unknown>>,
  label: string,
  serverName: string,
  isDefaultServer: boolean,
): Record<string, unknown> | undefined {
  const options: Record<string, unknown> = { ...inherited };
  let i = from;
  while (i < args.length) {
    const name = args[i]!;
    const row = byName.get(name);
    if (!row || (isDefaultServer && row.onDefaultServer === false)) {
      ctx.alert(`${label} : unknown keyword '${name}'${didYouMean(name, byName.keys())}`, 'bare');
      return undefined;
    }
    const values = args.slice(i + 1, i + 1 + row.values);
    const err = row.parse(ctx, values, options, serverName);
    if (err !== undefined) {
      ctx.alert(`${label} : ${err}`, 'bare');
      return undefined;
    }
    if (row.status === 'notyet') ctx.notYet(`server option '${name}'`);
    i += 1 + row.values;
  }
  return options;
}
