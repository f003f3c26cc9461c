/**
 * By hand, not a unit test: runs rule statements through the real haproxy (-c) and through
 * Portier's loader, and prints the cases where the verdict or the messages differ.
 *
 *   npx tsc -p . && node dist/test/unit/actions/compare-haproxy.js [cases.txt ...]
 *
 * A cases file has one case per line, put in a template at "@@" ("\n" in a case starts a new
 * line of the same section). "@template <name>" switches the template for the cases after it;
 * "#" starts a comment. Without files, test/unit/actions/cases/*.txt are used.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../../helpers/config.js';

const TIMEOUTS = 'defaults\n timeout client 1s\n timeout server 1s\n timeout connect 1s\n';

/** Where the cases go: "@@" is replaced by the case. */
const TEMPLATES: Record<string, string> = {
  'listen-http': `${TIMEOUTS}listen f\n bind :80\n mode http\n server s 127.0.0.1:80\n @@\n`,
  'listen-tcp': `${TIMEOUTS}listen f\n bind :80\n server s 127.0.0.1:80\n @@\n`,
  'frontend-backend': `${TIMEOUTS}frontend f\n bind :80\n mode http\n @@\nbackend b\n mode http\n server s 127.0.0.1:80\n @@\n`,
  sections: `${TIMEOUTS}listen f\n bind :80\n mode http\n server s 127.0.0.1:80\n @@\nbackend b\n mode http\n stick-table type ip size 1\nbackend be_tcp\nhttp-errors e\n errorfile 400 @DIR@/ok.http\ncache c\n total-max-size 4\nresolvers r\n nameserver n 127.0.0.1:53\n`,
  experimental: `global\n expose-experimental-directives\n${TIMEOUTS}listen f\n bind :80\n mode http\n server s 127.0.0.1:80\n @@\n`,
};

const NOISE = /NOTICE|Warnings were found|Configuration file is valid|Error\(s\) found|Fatal errors found|missing timeouts|^ {3}\||is not supported yet|no listener|Removing incomplete section/;

/** haproxy's stderr as "alert: msg" lines. */
function haproxyLines(out: string, path: string): string[] {
  const res: string[] = [];
  for (const line of out.split('\n')) {
    if (NOISE.test(line) || line.trim() === '') continue;
    const m = /^\[(ALERT|WARNING)\] +\(\d+\) : (?:config : )?(.*)$/.exec(line);
    res.push(m ? `${m[1]!.toLowerCase()}: ${m[2]!.split(path).join('t.cfg')}` : line);
  }
  return res;
}

async function portierLines(text: string): Promise<{ lines: string[]; ok: boolean }> {
  const r = await check(text);
  const lines = r.lines
    .filter((l) => !NOISE.test(l))
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.trim() !== '');
  return { lines, ok: r.alerts.length === 0 };
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const srcCases = join(here, '..', '..', '..', '..', 'test', 'unit', 'actions', 'cases');
  const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(srcCases).map((f) => join(srcCases, f));
  const dir = mkdtempSync(join(tmpdir(), 'portier-actions-'));
  // Files the cases name as @DIR@/<file>.
  writeFileSync(join(dir, 'ok.http'), 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  writeFileSync(join(dir, 'body.txt'), 'hello');
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(join(dir, 'lf.txt'), 'x %[src]');
  let total = 0;
  let differ = 0;
  for (const file of files) {
    let template = TEMPLATES['listen-http']!;
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      if (raw.trim() === '' || raw.startsWith('#')) continue;
      if (raw.startsWith('@template ')) {
        template = TEMPLATES[raw.slice(10).trim()] ?? template;
        continue;
      }
      const text = template.split('@@').join(raw.split('\\n').join('\n ')).split('@DIR@').join(dir);
      const path = join(dir, 'c.cfg');
      writeFileSync(path, text);
      const h = spawnSync('haproxy', ['-c', '-f', path], { encoding: 'utf8' });
      const hl = haproxyLines(h.stdout + h.stderr, path);
      const hok = h.status === 0 || h.status === 2;
      const p = await portierLines(text);
      total++;
      if (JSON.stringify(hl) !== JSON.stringify(p.lines) || hok !== p.ok) {
        differ++;
        console.log(`== ${raw}${hok !== p.ok ? `   [VERDICT haproxy ${hok ? 'valid' : 'invalid'}]` : ''}`);
        for (const l of hl) console.log(`   H ${l}`);
        for (const l of p.lines) console.log(`   P ${l}`);
      }
    }
  }
  console.log(`${differ}/${total} differ`);
}

void main();
