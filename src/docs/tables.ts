/**
 * Every table whose rows are documented in docs/: the generator (tools/gen-docs.ts) renders
 * them, so the documentation cannot drift from the code. A new table is one line here.
 */
import { aclKeywordRows } from '../acl/keywords.js';
import { matcherRows } from '../acl/matchers.js';
import { predefinedAclRows } from '../acl/predefined.js';
import { actionRows } from '../actions/index.js';
import { cliCommands } from '../admin/cli-commands.js';
import { bindOptionRows } from '../config/bind-options/index.js';
import type { KeywordTable } from '../config/keywords.js';
import { SECTIONS } from '../config/sections/index.js';
import { serverOptionRows } from '../config/server-options/index.js';
import type { RowMeta } from '../config/types.js';
import { logFormatVarRows } from '../log/log-format-vars.js';
import { converterRows } from '../sample/converters/index.js';
import { fetchRows } from '../sample/fetches/index.js';

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
    { title: 'Rule actions', intro: 'Actions of http-request, http-response, http-after-response, tcp-request and tcp-response rules (configuration.txt 4.2); the meaning says which rule sets take each.', rows: actionRows.map((r) => ({ ...r, summary: `${r.summary} (${r.rulesets.join(', ')})` })) },
    { title: 'Sample fetches', intro: 'Sources of samples for ACLs, rules and log formats (configuration.txt 7.3.2 to 7.3.7).', rows: fetchRows },
    { title: 'Converters', intro: 'Transformations applied to samples (configuration.txt 7.3.1).', rows: converterRows },
    { title: 'ACL match methods', intro: 'The `-m` methods of ACLs (configuration.txt 7.1).', rows: matcherRows },
    { title: 'ACL keywords', intro: 'Sample fetches whose name also picks a match method in ACLs (`hdr_beg` is `req.hdr -m beg`, configuration.txt 7.3).', rows: aclKeywordRows },
    { title: 'Predefined ACLs', intro: 'ACLs that need no declaration (configuration.txt 7.4).', rows: predefinedAclRows },
    { title: 'Log-format variables', intro: 'The `%` variables of log-format strings (configuration.txt 8.2.4).', rows: logFormatVarRows },
  ];
}

export function runtimeApiTable(): DocTable {
  return {
    title: 'Runtime API commands',
    intro: 'Commands answered on the `stats socket` (management.txt 9.3), with the lowest level allowed to run them.',
    rows: cliCommands.map((c) => ({ ...c, summary: `${c.help} (level ${c.level})`, name: c.usage })),
  };
}
