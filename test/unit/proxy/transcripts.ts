/**
 * Reference transcripts of haproxy 2.6.12 for proxy keywords, and how the unit tests replay
 * them. A case file (cases/<area>.txt) lists statements; each becomes one or more small
 * configurations; `haproxy -c` was run on each and its verdict and messages stored in
 * cases/<area>.json. The unit tests check Portier against the JSON without needing haproxy.
 *
 * Case file format, one case a line ('#' starts a comment):
 *   [KINDS:] statement | statement ...   KINDS among D (anonymous defaults), N (named defaults),
 *                                        F (frontend), B (backend), L (listen), H (listen in
 *                                        mode http); all of DNFBL when omitted.
 *   @raw config with \n for new lines    used as is.
 * "@DIR@" stands for the folder of the files the cases use (cases/files).
 *
 * Regenerate (needs /usr/sbin/haproxy), then compare by hand:
 *   npx tsc -p . && node dist/test/unit/proxy/transcripts.js record <area>...
 *   node dist/test/unit/proxy/transcripts.js compare <area>...
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from '../../helpers/config.js';
import { ROOT } from '../../helpers/run.js';

export interface Transcript {
  /** The case as written in the case file, and the kind of section it was put in. */
  readonly case: string;
  readonly kind: string;
  /** haproxy's verdict: true for exit code 0 (or 2: valid but no listener). */
  readonly ok: boolean;
  /** "alert: parsing [t.cfg:9] : ..." / "warning: ..." lines, in order. */
  readonly lines: readonly string[];
}

/** The configuration a transcript was recorded with. */
export function transcriptConfig(t: Transcript): string {
  const found = expandCase(t.case).find(([kind]) => kind === t.kind);
  if (!found) throw new Error(`no section kind ${t.kind} for case ${t.case}`);
  return found[1];
}

export const CASES_DIR = join(ROOT, 'test', 'unit', 'proxy', 'cases');
export const FILES_DIR = join(CASES_DIR, 'files');

/** A listener first, so that haproxy does not refuse a configuration without one. */
const BASE = 'frontend zz\n  bind :9999\n  timeout client 1s\ndefaults\n  timeout client 1s\n  timeout server 1s\n  timeout connect 1s\n';
const HEADERS: Record<string, string> = {
  D: 'defaults\n',
  N: 'defaults d\n',
  F: 'frontend f\n  bind :8080\n',
  B: 'backend b\n',
  L: 'listen l\n  bind :8081\n',
  H: 'listen l\n  mode http\n  bind :8081\n',
};

/** The configurations a case line stands for: [kind, text]. */
export function expandCase(line: string): [string, string][] {
  const sub = (s: string): string => s.replaceAll('@DIR@', FILES_DIR);
  if (line.startsWith('@')) return [['@', sub(line.slice(1).replaceAll('\\n', '\n')) + '\n']];
  const m = /^([DNFBLH]+):\s(.*)$/.exec(line);
  const kinds = m ? m[1]! : 'DNFBL';
  const body = (m ? m[2]! : line)
    .split(' | ')
    .map((s) => `  ${sub(s)}\n`)
    .join('');
  return [...kinds].map((k) => [k, BASE + HEADERS[k] + body]);
}

/** The case lines of cases/<area>.txt. */
export function caseLines(area: string): string[] {
  return readFileSync(join(CASES_DIR, `${area}.txt`), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** haproxy's messages as "severity: text" lines (without its pid and banner). */
function haproxyLines(stderr: string): string[] {
  const out: string[] = [];
  // The output's own final line feed is not an empty line of the last message.
  for (const raw of stderr.replace(/\n$/, '').split('\n')) {
    const m = /^\[(ALERT|WARNING|NOTICE)\]\s+\(\d+\) : (?:config : )?(.*)$/.exec(raw);
    if (m) {
      const text = m[2]!;
      if (m[1] === 'NOTICE' || /^Error\(s\) found in configuration file|^Fatal errors found in configuration/.test(text)) {
        out.push('');
        continue;
      }
      out.push(`${m[1]!.toLowerCase()}: ${text}`);
    } else if (out.length > 0 && out[out.length - 1] !== '') {
      // A continuation line; an empty one is a message ending with a line feed.
      out[out.length - 1] += `\n${raw}`;
    }
  }
  return out.filter((l) => l !== '').map((l) => l.replaceAll(FILES_DIR, '@DIR@'));
}

function runHaproxy(cfg: string): { ok: boolean; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'portier-proxy-'));
  try {
    writeFileSync(join(dir, 't.cfg'), cfg);
    const r = spawnSync('/usr/sbin/haproxy', ['-c', '-f', 't.cfg'], { cwd: dir, encoding: 'latin1' });
    return { ok: r.status === 0 || r.status === 2, lines: haproxyLines(r.stderr) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Portier's messages for a configuration, in the transcripts' form (notes about support left out). */
export async function portierLines(cfg: string): Promise<{ ok: boolean; lines: string[] }> {
  const r = await check(cfg);
  const lines = r.diag.list
    .filter((d) => (d.severity === 'alert' || d.severity === 'warning') && d.code !== 'notyet')
    .map((d) => {
      const where = d.where;
      let located = d.message;
      if (where) {
        const loc = `${where.file}:${where.line}`;
        located = {
          spaced: `parsing [${loc}] : ${d.message}`,
          tight: `parsing [${loc}]: ${d.message}`,
          portier: `${loc}: ${d.message}`,
          bare: `[${loc}] : ${d.message}`,
          capital: `Parsing [${loc}]: ${d.message}`,
        }[d.style ?? 'spaced'];
      }
      return `${d.severity}: ${located}`.replaceAll(FILES_DIR, '@DIR@');
    });
  return { ok: r.ok, lines };
}

async function main(): Promise<void> {
  const [verb, ...areas] = process.argv.slice(2);
  for (const area of areas) {
    const out: Transcript[] = [];
    let same = 0;
    let diff = 0;
    for (const line of caseLines(area)) {
      for (const [kind, cfg] of expandCase(line)) {
        const h = runHaproxy(cfg);
        out.push({ case: line, kind, ok: h.ok, lines: h.lines });
        if (verb === 'compare') {
          const p = await portierLines(cfg);
          if (JSON.stringify(p) === JSON.stringify(h)) same++;
          else {
            diff++;
            console.log(`DIFF ${kind}: ${line}\n  haproxy (${h.ok}):\n    ${h.lines.join('\n    ')}\n  portier (${p.ok}):\n    ${p.lines.join('\n    ')}`);
          }
        }
      }
    }
    if (verb === 'record') {
      // One transcript a line: small files, readable diffs.
      writeFileSync(join(CASES_DIR, `${area}.json`), `[\n${out.map((t) => JSON.stringify(t)).join(',\n')}\n]\n`);
      console.log(`${area}: ${out.length} transcripts recorded`);
    } else {
      console.log(`${area}: same=${same} diff=${diff}`);
    }
  }
}

if (process.argv[1]?.endsWith('transcripts.js')) await main();
