/**
 * -dK<classes>: lists the keyword tables, as HAProxy's -dK does, with Portier's status of each
 * keyword. Classes: cfg (configuration keywords), bind, srv, all, help.
 */
import { bindOptionRows } from './bind-options/index.js';
import { SECTIONS } from './sections/index.js';
import { serverOptionRows } from './server-options/index.js';
import type { RowMeta } from './types.js';

const CLASSES = ['cfg', 'bind', 'srv'] as const;

function line(prefix: string, r: RowMeta): string {
  return `${prefix}${r.name}${r.status === 'supported' ? '' : ` [${r.status}]`}\n`;
}

export function dumpKeywords(classes: string): string {
  const want = new Set(classes.split(','));
  if (want.has('help')) return `# List of supported keyword classes:\n${CLASSES.map((c) => `${c}\n`).join('')}all\n`;
  const all = want.has('all');
  let out = '';
  if (all || want.has('cfg')) {
    out += '# List of registered configuration keywords:\n';
    const seen = new Set<unknown>();
    for (const s of SECTIONS) {
      out += `${s.name}\n`;
      if (seen.has(s.keywords)) continue;
      seen.add(s.keywords);
      for (const r of s.keywords.rows) out += line('\t', r);
    }
  }
  if (all || want.has('bind')) {
    out += '# List of registered bind keywords:\n';
    for (const r of bindOptionRows) out += line('bind <addr> ', r);
  }
  if (all || want.has('srv')) {
    out += '# List of registered server keywords:\n';
    for (const r of serverOptionRows) out += line('server <name> <addr> ', r);
  }
  return out;
}
