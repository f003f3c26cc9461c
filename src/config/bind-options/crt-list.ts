/**
 * `crt-list <file>` (configuration.txt 5.1): one certificate per line, with optional SSL
 * settings between brackets and SNI filters after them:
 *
 *   <crtfile> [\[<sslbindconf> ...\]] [[!]<snifilter> ...]
 *
 * Empty lines and lines starting with '#' are skipped. Each certificate is loaded now (crt-base
 * applies); the bracketed settings are a subset of the bind options, parsed by their rows.
 */
import { readFileSync } from 'node:fs';
import type { KeywordContext } from '../keywords.js';
import type { CertificateModel, CrtListEntryModel } from '../model/bind.js';
import { loadBindCrt, strerror, withBase } from './tls/files.js';
import type { BindOptionEnv, BindOptionRow } from './types.js';

let crtListRows = new Map<string, BindOptionRow>();

/** Called once by the bind option table: the rows allowed between brackets. */
export function registerCrtListRows(rows: readonly BindOptionRow[]): void {
  crtListRows = new Map(rows.filter((r) => r.crtList).map((r) => [r.name, r]));
}

type LineWords = { words: string[]; sslBegin?: number; sslEnd?: number } | { error: string };

/** Cuts a line into words, noting where '[' and ']' fall (HAProxy's crtlist_parse_line). */
function cutLine(line: string, where: string): LineWords {
  const words: string[] = [];
  let sslBegin: number | undefined;
  let sslEnd: number | undefined;
  let current: string | undefined;
  const flush = (): void => {
    if (current !== undefined) words.push(current);
    current = undefined;
  };
  for (const c of line) {
    if (c === ' ' || c === '\t') {
      flush();
    } else if (c === '[') {
      flush();
      if (sslBegin !== undefined) return { error: `parsing [${where}]: too many '['` };
      sslBegin = words.length;
    } else if (c === ']') {
      flush();
      if (sslEnd !== undefined) return { error: `parsing [${where}]: too many ']'` };
      if (sslBegin === undefined) return { error: `parsing [${where}]: missing '['` };
      sslEnd = words.length;
    } else {
      current = (current ?? '') + c;
    }
  }
  flush();
  return { words, sslBegin, sslEnd };
}

/** Loads and checks a crt-list file. Errors are HAProxy's, to print after "'crt-list' : ". */
export function loadCrtList(ctx: KeywordContext<unknown>, file: string, env: BindOptionEnv): { entries: CrtListEntryModel[] } | { error: string } {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch (e) {
    return { error: `cannot open file '${file}' : ${strerror(e)}` };
  }
  const entries: CrtListEntryModel[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const trimmed = line.replace(/^[ \t]+/, '');
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const where = `${file}:${n + 1}`;
    const cut = cutLine(trimmed, where);
    if ('error' in cut) return cut;
    const { words, sslBegin, sslEnd } = cut;
    if (words.length === 0) continue;
    const options: Record<string, unknown> = {};
    let filters: string[] = [];
    if (sslBegin !== undefined && sslEnd !== undefined) {
      for (let i = sslBegin; i < sslEnd; ) {
        const kw = words[i]!;
        const row = crtListRows.get(kw);
        if (!row) return { error: `parsing [${where}]: unknown ssl keyword ${kw}` };
        if (i + row.values >= sslEnd) return { error: `parsing [${where}]: ssl args out of '[]' for ${kw}` };
        const outcome = row.parse(ctx, words.slice(i + 1, i + 1 + row.values), options, { ...env, inCrtList: true });
        if (typeof outcome === 'string') return { error: outcome === '' ? `error processing '${kw}'` : outcome };
        i += 1 + row.values;
      }
      filters = words.slice(sslEnd);
    } else if (sslBegin === undefined) {
      filters = words.slice(1);
    }
    const loaded = loadBindCrt(ctx.load, withBase(ctx.load, words[0]!, 'crt'));
    if ('error' in loaded) return loaded;
    const certificates: CertificateModel[] = loaded.certs;
    entries.push({ where: { file, line: n + 1 }, certificates, options, filters });
  }
  return { entries };
}
