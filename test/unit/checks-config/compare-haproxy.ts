/**
 * By hand, not a unit test: runs configurations through the real haproxy (-c) and through
 * Portier's loader, and prints where verdicts or messages differ.
 *
 *   npx tsc -p . && node dist/test/unit/checks-config/compare-haproxy.js [cases.json]
 *
 * test/unit/checks-config/haproxy-cases.json holds the cases used while writing this area (run
 * it after a change). cases.json: [{ "lines": ["option httpchk", ...], "section": "backend b", "mode": "http",
 * "before": "peers p\n  peer a 127.0.0.1:1" }, ...]. Without a file, the built-in cases below
 * (a few per keyword family of this area) are used. With --mine, verdicts are not compared and
 * only the messages about this area's lines are (for whole configurations using other areas).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cfg, check, messages } from './load.js';

interface Case {
  /** A whole configuration, instead of lines in a section. */
  readonly text?: string;
  readonly name?: string;
  readonly lines: string[];
  readonly section?: string;
  readonly mode?: string;
  readonly before?: string;
}

const BUILTIN: Case[] = [
  { lines: ['option httpchk GET /health HTTP/1.1', 'http-check send hdr Host x', 'http-check expect status 200-399'] },
  { lines: ['option httpchk', 'http-check send meth GET', 'http-check send meth PUT'] },
  { lines: ['option httpchk', 'http-check connect', 'http-check expect status 200'] },
  { lines: ['http-check send', 'http-check connect'] },
  { lines: ['option tcp-check', 'tcp-check send x', 'tcp-check connect'] },
  { lines: ['option tcp-check', 'tcp-check expect rstring (a'] },
  { lines: ['option tcp-check', 'tcp-check expect ! min-recv 3 string a'] },
  { lines: ['option tcp-check', 'tcp-check connect port 0'] },
  { lines: ['option tcp-check', 'tcp-check connect proto h2'] },
  { lines: ['tcp-check send x'] },
  { lines: ['option tcp-check', 'tcp-check foo'] },
  { lines: ['tcp-check connect'], section: 'frontend f\n  bind :8080' },
  { lines: ['option mysql-check user u foo'] },
  { lines: ['option pgsql-check user'] },
  { lines: ['option external-check', 'external-check command x'] },
  { lines: ['external-check path /x', 'external-check command y'] },
  { lines: ['http-check set-var(check.a-b) int(1)'] },
  { lines: ['tcp-check unset-var(check.a,ifgt)'] },
  { lines: ['stats', 'stats foo'], section: 'listen l' },
  { lines: ['stats admin if TRUE'], section: 'defaults d' },
  { lines: ['stats http-request allow', 'stats http-request deny'], section: 'backend b' },
  { lines: ['stats refresh 5x'] },
  { lines: ['stats show-node a:b'] },
  { lines: ['stats show-desc'] },
  { lines: ['stick-table type string len 0 size 1'] },
  { lines: ['stick-table type ip size 5g'] },
  { lines: ['stick-table type ip size 1 expire 30d'] },
  { lines: ['stick-table type ip size 1 store gpc(2),gpc0'] },
  { lines: ['stick-table type ip size 1 store gpc0,gpc0'] },
  { lines: ['stick-table type ip size 1', 'stick-table type ip size 2'] },
  { lines: ['stick-table type ip size 1 peers p'] },
  { lines: ['stick-table type ip size 1 peers p'], before: 'peers p\n  peer other 127.0.0.1:10000' },
];

/** haproxy -c's messages, as "alert: parsing [t.cfg:7] : ..." lines (continuations joined). */
function haproxy(text: string): { ok: boolean; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'portier-cmp-'));
  const file = join(dir, 't.cfg');
  writeFileSync(file, text);
  const r = spawnSync('/usr/sbin/haproxy', ['-c', '-f', file], { encoding: 'latin1', cwd: dir });
  const out: string[] = [];
  for (const raw of (r.stderr + r.stdout).split('\n')) {
    const m = /^\[(ALERT|WARNING|NOTICE)\] +\(\d+\) : (?:config : )?(.*)$/.exec(raw);
    if (m) {
      const msg = m[2]!.replaceAll(file, 't.cfg');
      if (m[1] === 'NOTICE' || /Error\(s\) found|Fatal errors found/.test(msg)) continue;
      out.push(`${m[1]!.toLowerCase()}: ${msg}`);
    } else if (raw !== '' && out.length > 0 && !/no listener|Warnings were found|Configuration file is valid/.test(raw)) {
      out[out.length - 1] += `\n${raw}`;
    }
  }
  return { ok: r.status !== 1, lines: out };
}

/** Keywords of this area: with --mine, only messages about their lines (or after the last line) are compared. */
const MINE = /^\s*(?:no\s+|default\s+)?(?:option\s+(?:httpchk|ldap-check|mysql-check|pgsql-check|redis-check|smtpchk|spop-check|ssl-hello-chk|tcp-check|external-check)|http-check|tcp-check|external-check|stats|stick-table)\b/;
const MINE_POST = /check|'stats'|sync peers|stick-table/;

function onlyMine(text: string, lines: string[]): string[] {
  const mine = new Set<number>();
  text.split('\n').forEach((l, i) => MINE.test(l) && mine.add(i + 1));
  return lines.filter((l) => {
    const m = /\[t\.cfg:(\d+)\]/.exec(l);
    return m ? mine.has(Number(m[1])) : MINE_POST.test(l);
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mineOnly = args.includes('--mine');
  const file = args.find((a) => !a.startsWith('--'));
  const cases: Case[] = file ? (JSON.parse(readFileSync(file, 'utf8')) as Case[]) : BUILTIN;
  let bad = 0;
  for (const c of cases) {
    const text = c.text ?? cfg(c.lines, c);
    const h = haproxy(text);
    const p = await check(text);
    let mine = messages(p);
    let theirs = h.lines;
    if (mineOnly) [mine, theirs] = [onlyMine(text, mine), onlyMine(text, theirs)];
    const same = (mineOnly || h.ok === p.ok) && JSON.stringify(theirs) === JSON.stringify(mine);
    if (same) continue;
    bad++;
    console.log(`--- ${c.name ?? c.lines.join(' | ')}`);
    console.log(`haproxy ${h.ok ? 'valid' : 'INVALID'}:\n  ${theirs.join('\n  ')}`);
    console.log(`portier ${p.ok ? 'valid' : 'INVALID'}:\n  ${mine.join('\n  ')}`);
  }
  console.log(`${cases.length - bad}/${cases.length} cases agree`);
}

void main();
