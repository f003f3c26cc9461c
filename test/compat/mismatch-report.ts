/**
 * Writes test/corpus/MISMATCHES.md: every corpus file on which `portier -c` and `haproxy -c`
 * disagree, grouped by the area of the configuration language that causes it, with both
 * verdicts and first alerts. Run by hand after a build (it needs haproxy):
 *
 *   npx tsc -p . && node dist/test/compat/mismatch-report.js
 *
 * The area is found from the statement at the first line where the two programs disagree (the
 * line Portier refuses, or the line HAProxy refuses and Portier accepts), and from the
 * section that holds it. Everything after the NOTES_MARKER line of the existing file is kept:
 * that is where the hand-written analysis of core mismatches lives.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/run.js';
import {
  CORPUS_DIR,
  compareFile,
  defaultConcurrency,
  describe,
  HAPROXY,
  haproxyInstalled,
  listCorpus,
  pool,
  setupEnvironment,
  type Comparison,
  type Judgement,
} from './corpus.js';

export const NOTES_MARKER = '<!-- Hand-written notes below this line are kept when the file is regenerated. -->';

export const AREAS = [
  'global',
  'proxy options/timeouts',
  'checks/stats/stick-table',
  'bind/server/address',
  'sample fetches/converters',
  'ACL/conditions/log-format',
  'rules/actions',
  'other sections',
  'core lexer/preprocessor/sections/CLI',
] as const;
export type Area = (typeof AREAS)[number];

const OTHER_SECTIONS = new Set(['userlist', 'peers', 'resolvers', 'http-errors', 'mailers', 'ring', 'program', 'cache', 'log-forward', 'fcgi-app']);
const PROXY_SECTIONS = new Set(['frontend', 'backend', 'listen', 'defaults']);
const ALL_SECTIONS = new Set([...OTHER_SECTIONS, ...PROXY_SECTIONS, 'global']);

/** Proxy keywords (first word) → area; anything else in a proxy is 'proxy options/timeouts'. */
const PROXY_KEYWORD_AREA: Record<string, Area> = {
  bind: 'bind/server/address',
  server: 'bind/server/address',
  'default-server': 'bind/server/address',
  'server-template': 'bind/server/address',
  'http-check': 'checks/stats/stick-table',
  'tcp-check': 'checks/stats/stick-table',
  stats: 'checks/stats/stick-table',
  'stick-table': 'checks/stats/stick-table',
  stick: 'checks/stats/stick-table',
  'email-alert': 'checks/stats/stick-table',
  acl: 'ACL/conditions/log-format',
  'log-format': 'ACL/conditions/log-format',
  'log-format-sd': 'ACL/conditions/log-format',
  'error-log-format': 'ACL/conditions/log-format',
  'unique-id-format': 'ACL/conditions/log-format',
  'http-request': 'rules/actions',
  'http-response': 'rules/actions',
  'http-after-response': 'rules/actions',
  'tcp-request': 'rules/actions',
  'tcp-response': 'rules/actions',
  use_backend: 'rules/actions',
  'use-server': 'rules/actions',
  redirect: 'rules/actions',
  filter: 'rules/actions',
  'use-fcgi-app': 'rules/actions',
};
const CHECK_OPTIONS = /^(httpchk|ssl-hello-chk|smtpchk|ldap-check|mysql-check|pgsql-check|redis-check|tcp-check|external-check|spop-check)$/;

/** Text that only the lexer, the preprocessor or the section parser produce. */
const CORE_MESSAGE = /quote|hexadecimal|environment variable|Missing LF|too many words|conditional expression|'\.(if|elif|else|endif|alert|warning|notice|diag)'|directive|out of section|'listen' or 'defaults' expected|has the same name as|defaults section/;

/** The line where the two programs first disagree, or null when no line tells. */
export function culpritLine(h: Judgement, p: Judgement): number | null {
  if (p.verdict === 'invalid' && h.verdict !== 'invalid') return p.firstLine;
  if (h.verdict === 'invalid' && p.verdict !== 'invalid') return h.firstLine;
  if (h.verdict === 'invalid' && p.verdict === 'invalid') {
    const ls = [h.firstLine, p.firstLine].filter((n): n is number => n !== null);
    return ls.length ? Math.min(...ls) : null;
  }
  return null;
}

/** Words of a line, roughly (enough to find the keyword). */
const wordsOf = (line: string): string[] => line.replace(/#.*$/, '').trim().split(/[ \t]+/).filter(Boolean);

export function classify(c: Comparison): { area: Area; statement: string | null } {
  const lines = c.file.text.split('\n');
  const n = culpritLine(c.haproxy, c.portier);
  const messages = [c.haproxy.firstMessage, c.portier.firstMessage].filter(Boolean).join(' ');
  if (n === null || n < 1 || n > lines.length) return { area: areaFromName(c.file.rel), statement: null };
  const statement = lines[n - 1]!.replace(/\r$/, '').trim();
  const words = wordsOf(statement);
  if (statement.startsWith('.') || (CORE_MESSAGE.test(messages) && !/\bfetch|converter/.test(messages))) {
    return { area: 'core lexer/preprocessor/sections/CLI', statement };
  }
  let section = '';
  for (let i = n - 1; i >= 0; i--) {
    const w = wordsOf(lines[i]!)[0];
    if (w && ALL_SECTIONS.has(w)) {
      section = w;
      if (i === n - 1) return { area: OTHER_SECTIONS.has(w) ? 'other sections' : 'core lexer/preprocessor/sections/CLI', statement };
      break;
    }
  }
  if (section === 'global') {
    return { area: words[0] === 'stats' ? 'checks/stats/stick-table' : 'global', statement };
  }
  if (OTHER_SECTIONS.has(section)) return { area: 'other sections', statement };
  const kw = words[0] === 'no' || words[0] === 'default' ? words[1] : words[0];
  if (/\bfetch|converter/.test(messages)) return { area: 'sample fetches/converters', statement };
  if (kw === 'option' && CHECK_OPTIONS.test(words[words[0] === 'option' ? 1 : 2] ?? '')) return { area: 'checks/stats/stick-table', statement };
  return { area: (kw && PROXY_KEYWORD_AREA[kw]) || 'proxy options/timeouts', statement };
}

/** For files where no line tells (valid vs no-listener, alerts without a line): the file's topic. */
function areaFromName(rel: string): Area {
  const name = rel.replace(/^(valid|invalid)\//, '');
  const prefix = name.split('-')[0]!;
  const table: Record<string, Area> = {
    lexer: 'core lexer/preprocessor/sections/CLI',
    env: 'core lexer/preprocessor/sections/CLI',
    cond: 'core lexer/preprocessor/sections/CLI',
    section: 'core lexer/preprocessor/sections/CLI',
    kw: 'core lexer/preprocessor/sections/CLI',
    dup: 'core lexer/preprocessor/sections/CLI',
    capability: 'core lexer/preprocessor/sections/CLI',
    addr: 'bind/server/address',
    server: 'bind/server/address',
    tls: 'bind/server/address',
    global: 'global',
    acl: 'ACL/conditions/log-format',
    logformat: 'ACL/conditions/log-format',
    fetch: 'sample fetches/converters',
    converter: 'sample fetches/converters',
    action: 'rules/actions',
    stick: 'checks/stats/stick-table',
    check: 'checks/stats/stick-table',
    stats: 'checks/stats/stick-table',
  };
  if (table[prefix]) return table[prefix]!;
  if ([...OTHER_SECTIONS].some((s) => name.startsWith(s)) || name.startsWith('quirk-log-forward')) return 'other sections';
  if (name.startsWith('missing-')) return 'proxy options/timeouts';
  return 'proxy options/timeouts';
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const shorten = (s: string | null, max = 160): string => (s === null ? '' : s.length > max ? s.slice(0, max - 1) + '…' : s);

function verdictCell(j: Judgement): string {
  const v = describe(j);
  return j.firstMessage && j.verdict === 'invalid' ? `${v}: ${shorten(j.firstMessage)}` : v;
}

export function renderReport(rows: readonly Comparison[], notes: string): string {
  const bad = rows.filter((r) => r.problems.length > 0);
  const rev = gitRevision();
  const out: string[] = [];
  out.push('# Corpus mismatches: `portier -c` vs `haproxy -c`');
  out.push('');
  out.push(`Generated by \`node dist/test/compat/mismatch-report.js\`${rev ? ` at ${rev}` : ''}: **${bad.length} of ${rows.length}** corpus files disagree.`);
  out.push('Each row gives the verdict and the first located alert of both programs, and the statement at the first line where they');
  out.push('disagree (which decides the area). Most rows are keyword tables not merged yet; the core rows are analysed at the end.');
  out.push('');
  const byArea = new Map<Area, { c: Comparison; statement: string | null }[]>();
  for (const c of bad) {
    const { area, statement } = classify(c);
    if (!byArea.has(area)) byArea.set(area, []);
    byArea.get(area)!.push({ c, statement });
  }
  out.push('| area | files |');
  out.push('|---|---|');
  for (const a of AREAS) out.push(`| ${a} | ${byArea.get(a)?.length ?? 0} |`);
  out.push('');
  for (const a of AREAS) {
    const list = byArea.get(a);
    if (!list?.length) continue;
    out.push(`## ${a} (${list.length})`);
    out.push('');
    out.push('| file | haproxy | portier | statement |');
    out.push('|---|---|---|---|');
    for (const { c, statement } of list) {
      out.push(`| ${c.file.rel} | ${cell(verdictCell(c.haproxy))} | ${cell(verdictCell(c.portier))} | ${statement ? '`' + cell(shorten(statement, 80)) + '`' : ''} |`);
    }
    out.push('');
  }
  const wording = rows.filter((r) => r.problems.length === 0 && r.notes.length > 0);
  if (wording.length) {
    out.push(`## Agreeing files with other differences (${wording.length}, not asserted)`);
    out.push('');
    out.push('Same verdict and same first line, but other alert lines or a differently worded first alert.');
    out.push('');
    out.push('| file | difference |');
    out.push('|---|---|');
    for (const r of wording) out.push(`| ${r.file.rel} | ${cell(r.notes.map((n) => shorten(n, 400)).join('; '))} |`);
    out.push('');
  }
  out.push(NOTES_MARKER);
  out.push(notes);
  return out.join('\n').replace(/\n*$/, '\n');
}

function gitRevision(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  if (!haproxyInstalled()) {
    process.stderr.write(`${HAPROXY} is not installed: cannot compare.\n`);
    process.exitCode = 1;
    return;
  }
  const target = join(CORPUS_DIR, 'MISMATCHES.md');
  let notes = '';
  if (existsSync(target)) {
    const old = readFileSync(target, 'utf8');
    const at = old.indexOf(NOTES_MARKER);
    if (at >= 0) notes = old.slice(at + NOTES_MARKER.length).replace(/^\n/, '');
  }
  const env = setupEnvironment();
  try {
    const files = listCorpus().filter((f) => env.certs || !f.needsCerts);
    const rows = await pool(files, defaultConcurrency(), (f) => compareFile(f, env));
    writeFileSync(target, renderReport(rows, notes));
    const bad = rows.filter((r) => r.problems.length > 0).length;
    process.stdout.write(`${target}: ${bad} of ${rows.length} files disagree\n`);
  } finally {
    env.cleanup();
  }
}

await main();
