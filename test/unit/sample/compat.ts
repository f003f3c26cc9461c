/**
 * By-hand comparison with the real haproxy (not a unit test: it needs /usr/sbin/haproxy).
 *
 *   node dist/test/unit/sample/compat.js [file-of-expressions]
 *
 * Each expression is put in "http-request set-var(txn.x) '<expr>'" of a frontend 'f' (with a
 * backend 'b' holding a stick table and a server 's1', a backend 'st' with a table and a
 * userlist 'ul'), checked by `haproxy -c` and by Portier's parser and late checks; the
 * differences are printed. Without a file, a built-in list covering each error kind is used.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSampleRefs } from '../../../src/config/checks/samples.js';
import { locatedMessage } from '../../../src/config/diagnostics.js';
import { parseSampleExpr } from '../../../src/sample/expr.js';
import { testLoad } from './ctx.js';

const BUILTIN = [
  'src,lower',
  'nosuch',
  'int(abc)',
  'req.hdr(x,1,2),lower',
  'req.hdr(x)lower',
  'req.hdr(x),foo',
  'ipv6(::1),neg',
  'src,ipmask(24,129)',
  'str(x),regsub',
  'var(foo)',
  'str(a),field(0,:)',
  'res.hdr(x)',
  'src_conn_cnt(nosuch)',
  'avg_queue',
  'srv_conn(b/s2)',
  "str(a),regsub('(',y)",
  'src_conn_cnt(a\\,b)',
  "src_conn_cnt('a,b')",
];

const HEADER = `defaults
  mode http
  timeout client 1s
  timeout server 1s
  timeout connect 1s
backend b
  stick-table type ip size 1k
  server s1 127.0.0.1:80
backend st
  stick-table type string size 1k
userlist ul
  user u insecure-password p
frontend f
  bind :8080
`;
// The expression's line in the file above.
const LINE = HEADER.split('\n').length;

function quoteWord(e: string): string {
  return e.includes("'") ? `"${e.replace(/[\\"$]/g, (c) => `\\${c}`)}"` : `'${e}'`;
}

function haproxy(dir: string, expr: string): string[] {
  const file = join(dir, 'c.cfg');
  writeFileSync(file, `${HEADER}  http-request set-var(txn.x) ${quoteWord(expr)}\n`);
  let out: string;
  try {
    out = execFileSync('haproxy', ['-c', '-f', file], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
  }
  return out
    .split('\n')
    .filter((l) => l.includes('[ALERT]') && !l.includes('Fatal errors') && !l.includes('Error(s) found'))
    .map((l) => l.replace(/^.*? : config : /, '').replaceAll(file, 't.cfg'));
}

function portier(expr: string): string[] {
  const t = testLoad();
  const r = parseSampleExpr(t.ctx('f', LINE), expr, 'fe-http-request', { fetchWord: 'set-var(txn.x)', context: 'http-request' });
  if ('error' in r) return [`parsing [t.cfg:${LINE}] : error detected in frontend 'f' while parsing 'http-request set-var(txn.x)' rule : ${r.error}.`];
  checkSampleRefs(t.load);
  return t.diag.list.filter((d) => d.severity === 'alert').map((d) => locatedMessage(d).split('\n')[0]!);
}

const exprs = process.argv[2] ? readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim() !== '') : BUILTIN;
const dir = mkdtempSync(join(tmpdir(), 'portier-sample-'));
let differ = 0;
for (const e of exprs) {
  const h = haproxy(dir, e).join(' | ');
  const p = portier(e).join(' | ');
  if (h !== p) {
    differ++;
    console.log(`${e}\n  haproxy: ${h}\n  portier: ${p}`);
  }
}
console.log(`${exprs.length} expressions, ${differ} differences`);
