/** Renders the documentation tables as Markdown. */
import { CAP_BE, CAP_DEF, CAP_FE, CAP_NAMED_DEF_ONLY } from '../config/types.js';
import type { KeywordStatus, RowMeta } from '../config/types.js';
import { HAPROXY_COMPAT_VERSION } from '../version.js';
import { configurationTables, runtimeApiTable, type DocTable } from './tables.js';

const STATUS: Record<KeywordStatus, string> = {
  supported: 'supported',
  partial: 'partial',
  notyet: 'not yet',
  nomeaning: 'accepted, no effect',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function statusCell(r: RowMeta): string {
  const base = STATUS[r.status];
  return r.note && (r.status === 'partial' || r.status === 'nomeaning') ? `${base}: ${cell(r.note)}` : base;
}

function capCells(cap: number | undefined): string {
  const c = cap ?? CAP_FE | CAP_BE | CAP_DEF;
  const mark = (b: boolean): string => (b ? 'X' : '-');
  const def = c & CAP_DEF ? (c & CAP_NAMED_DEF_ONLY ? 'X (!)' : 'X') : '-';
  return `${def} | ${mark((c & CAP_FE) !== 0)} | ${mark((c & (CAP_FE | CAP_BE)) !== 0)} | ${mark((c & CAP_BE) !== 0)}`;
}

function renderTable(t: DocTable): string {
  const rows = [...t.rows].sort((a, b) => a.name.localeCompare(b.name));
  const counts = { supported: 0, partial: 0, notyet: 0, nomeaning: 0 };
  for (const r of rows) counts[r.status]++;
  let out = `## ${t.title}\n\n${t.intro}\n\n`;
  out += `${rows.length} keywords: ${counts.supported} supported, ${counts.partial} partial, ${counts.notyet} not yet, ${counts.nomeaning} accepted without effect.\n\n`;
  if (t.proxyColumns) {
    out += '| keyword | defaults | frontend | listen | backend | status | meaning |\n|---|---|---|---|---|---|---|\n';
    for (const r of rows) out += `| \`${cell(r.name)}\` | ${capCells((r as { cap?: number }).cap)} | ${statusCell(r)} | ${cell(r.summary)} |\n`;
  } else {
    out += '| keyword | status | meaning |\n|---|---|---|\n';
    for (const r of rows) out += `| \`${cell(r.name)}\` | ${statusCell(r)} | ${cell(r.summary)} |\n`;
  }
  return out + '\n';
}

export function renderConfigurationDoc(): string {
  let out = `# Configuration keywords\n\n`;
  out += `Generated from Portier's keyword tables by \`npm run docs\` — do not edit by hand.\n\n`;
  out += `Every keyword of HAProxy ${HAPROXY_COMPAT_VERSION}'s configuration language has a row: it is parsed with HAProxy's grammar, so `;
  out += `\`portier -c\` judges a configuration as \`haproxy -c\` does. Its status says what Portier does with it:\n\n`;
  out += `- **supported**: acted on with HAProxy's meaning;\n`;
  out += `- **partial**: acted on; the note says what is missing, and the missing parts are refused where they are written;\n`;
  out += `- **not yet**: \`portier -c\` warns \`file:line: keyword 'X' is not supported yet\`, and starting refuses the configuration with that message;\n`;
  out += `- **accepted, no effect**: has no meaning in a Node.js process (the note says why); accepted with a notice.\n\n`;
  for (const t of configurationTables()) out += renderTable(t);
  return out;
}

export function renderRuntimeApiDoc(): string {
  let out = `# Runtime API\n\nGenerated from Portier's command table by \`npm run docs\` — do not edit by hand.\n\n`;
  out += `The \`stats socket\` lines of the global section open the runtime API (management.txt 9.3). `;
  out += `Like HAProxy's, a connection is non-interactive by default (one line of commands separated by \`;\`, `;
  out += `answers, close) and becomes interactive with \`prompt\`. Each answer ends with an empty line. `;
  out += `A command Portier does not know yet gets HAProxy's "Unknown command" answer.\n\n`;
  out += renderTable(runtimeApiTable());
  out += `Also handled by every session: \`help [<command>]\`, \`prompt\`, \`quit\`.\n`;
  return out;
}
