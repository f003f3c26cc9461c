/**
 * Every table whose rows are documented in docs/: the generator (tools/gen-docs.ts) renders
 * them, so the documentation cannot drift from the code. A new table is one line here.
 */
import { cliCommands } from '../admin/cli-commands.js';
import { bindOptionRows } from '../config/bind-options/index.js';
import type { KeywordTable } from '../config/keywords.js';
import { SECTIONS } from '../config/sections/index.js';
import { serverOptionRows } from '../config/server-options/index.js';
import type { RowMeta } from '../config/types.js';

export interface DocTable {
  readonly title: string;
  /** Short introduction under the title. */
  readonly intro: string;
  readonly rows: readonly (RowMeta & { readonly cap?: number })[];
  /** Show the proxy-section columns (defaults, frontend, listen, backend). */
  readonly proxyColumns?: boolean;
}

function sectionTables(): DocTable[] {
  const seen = new Set<KeywordTable<unknown>>();
  const out: DocTable[] = [];
  for (const s of SECTIONS) {
    if (seen.has(s.keywords)) continue;
    seen.add(s.keywords);
    const proxy = ['defaults', 'frontend', 'backend', 'listen'].includes(s.kind);
    out.push({
      title: proxy ? 'Proxy sections: defaults, frontend, backend, listen' : `Section \`${s.name}\``,
      intro: proxy ? 'configuration.txt 4. The columns say where a keyword applies ((!): named defaults only).' : s.summary,
      rows: s.keywords.rows,
      proxyColumns: proxy,
    });
  }
  return out;
}

export function configurationTables(): DocTable[] {
  return [
    { title: 'Sections', intro: 'The section keywords of configuration.txt 2.1.', rows: SECTIONS },
    ...sectionTables(),
    { title: 'Bind options', intro: 'Options of `bind` lines and `stats socket` (configuration.txt 5.1).', rows: bindOptionRows },
    { title: 'Server options', intro: 'Options of `server`, `default-server` and `server-template` lines (configuration.txt 5.2).', rows: serverOptionRows },
  ];
}

export function runtimeApiTable(): DocTable {
  return {
    title: 'Runtime API commands',
    intro: 'Commands answered on the `stats socket` (management.txt 9.3), with the lowest level allowed to run them.',
    rows: cliCommands.map((c) => ({ ...c, summary: `${c.help} (level ${c.level})`, name: c.usage })),
  };
}
