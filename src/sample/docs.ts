/**
 * Documentation rows for docs/configuration.md: every fetch and converter with its argument
 * grammar and types in the name column ("req.hdr([string,integer]) → str"), the manual
 * section, deprecation and aliases in the summary. Shaped like src/docs/tables.ts' DocTable.
 */
import type { RowMeta } from '../config/types.js';
import { describeArgSpec, parseArgSpec } from './args.js';
import { converterRows } from './converters/index.js';
import { fetchRows } from './fetches/index.js';
import type { ConverterRow, FetchRow } from './types.js';
import { sourceLabel } from './usage.js';

function signature(name: string, args: string): string {
  const a = describeArgSpec(parseArgSpec(args));
  return a === '' ? name : `${name}(${a})`;
}

function fetchDocRow(r: FetchRow): RowMeta {
  const extra = [
    r.deprecated ? `deprecated${r.aliasOf ? `, use ${r.aliasOf}` : ''}` : r.aliasOf ? `like ${r.aliasOf}` : '',
    `${r.section}, reads: ${sourceLabel(r.src)}`,
  ].filter((s) => s !== '');
  return { name: `${signature(r.name, r.args)} → ${r.out}`, status: r.status, ...(r.note ? { note: r.note } : {}), summary: `${r.summary} (${extra.join('; ')})` };
}

function converterDocRow(r: ConverterRow): RowMeta {
  return { name: `${signature(r.name, r.args)}: ${r.in} → ${r.out}`, status: r.status, ...(r.note ? { note: r.note } : {}), summary: r.summary };
}

export function sampleDocTables(): { title: string; intro: string; rows: readonly RowMeta[] }[] {
  return [
    {
      title: 'Sample fetches',
      intro:
        'configuration.txt 7.3.2 to 7.3.7. Arguments in brackets are optional; an empty or omitted table, backend or frontend argument means the current proxy. "reads" is the information the fetch needs, which decides where it may be used.',
      rows: fetchRows.map(fetchDocRow),
    },
    {
      title: 'Converters',
      intro: 'configuration.txt 7.3.1, with the type each takes and gives (a sample is cast to the input type when possible).',
      rows: converterRows.map(converterDocRow),
    },
  ];
}
