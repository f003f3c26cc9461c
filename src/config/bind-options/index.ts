/**
 * The bind option table and the loop that reads the options of a bind line (configuration.txt
 * 5.1). Rows live in one file per area: socket (listening socket and connections), unix
 * (socket file permissions), cli (runtime API sockets), ssl (TLS offloading).
 */
import type { KeywordContext } from '../keywords.js';
import { bestMatch } from '../suggest.js';
import { cliBindOptions } from './cli.js';
import { registerCrtListRows } from './crt-list.js';
import { indentMsg } from './messages.js';
import { socketBindOptions } from './socket.js';
import { sslBindOptions } from './ssl.js';
import type { BindOptionEnv, BindOptionRow, BindSite } from './types.js';
import { unixBindOptions } from './unix.js';

export type { BindSite } from './types.js';

export const bindOptionRows: readonly BindOptionRow[] = [...socketBindOptions, ...unixBindOptions, ...cliBindOptions, ...sslBindOptions].sort((a, b) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
);

registerCrtListRows(bindOptionRows);

const byName = new Map(bindOptionRows.map((r) => [r.name, r]));

/**
 * Reads `args[from..]` as bind options. `label` prefixes messages ("'bind :80' in section
 * 'frontend'", "'stats socket' "). Returns the options, or undefined after a fatal alert.
 * Options that Portier does not run yet are reported as such (a warning under -c).
 * `env` adds what some options check: the address list text and the number of sockets.
 */
export function parseBindOptions(
  ctx: KeywordContext<unknown>,
  args: readonly string[],
  from: number,
  site: BindSite,
  label: string,
  env: Partial<BindOptionEnv> = {},
): Record<string, unknown> | undefined {
  const options: Record<string, unknown> = {};
  const fullEnv: BindOptionEnv = { ...env, site };
  const cli = site === 'stats socket' || site === 'master cli';
  let i = from;
  while (i < args.length) {
    const name = args[i]!;
    const row = byName.get(name);
    if (!row || (row.sites && !row.sites.includes(site))) {
      const best = bestMatch(name, suggestions(site));
      if (cli) ctx.alert(`${label}: unknown keyword '${name}'.${best ? ` Did you mean '${best}' maybe ?` : ''}`);
      else ctx.alert(`${label}: unknown keyword '${name}'${best ? `; did you mean '${best}' maybe ?` : '.'}`);
      return undefined;
    }
    const values: string[] = [];
    for (let k = 1; k <= row.values; k++) values.push(args[i + k] ?? '');
    const outcome = row.parse(ctx, values, options, fullEnv);
    if (typeof outcome === 'string') {
      if (outcome === '') ctx.alert(cli ? `${label}: error encountered while processing '${name}'` : `${label} : error encountered while processing '${name}'.`);
      else ctx.alert(cli ? `${label}: '${outcome}'` : `${label} : ${indentMsg(outcome)}`);
      return undefined;
    }
    if (outcome) {
      const text = cli ? `${label}: ${outcome.message}` : `${label} : ${indentMsg(outcome.message)}`;
      if (outcome.severity === 'warning') ctx.warning(text);
      else ctx.alertContinuing(text);
    }
    if (row.status === 'notyet') ctx.notYet(`bind option '${name}'`);
    i += 1 + row.values;
  }
  return options;
}

function suggestions(site: BindSite): string[] {
  return bindOptionRows.filter((r) => !r.sites || r.sites.includes(site)).map((r) => r.name);
}
