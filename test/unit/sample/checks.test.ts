import type { PeersTableModel } from '../../../src/config/model/sections.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSampleRefs } from '../../../src/config/checks/samples.js';
import { KeywordContext } from '../../../src/config/keywords.js';
import { locatedMessage } from '../../../src/config/diagnostics.js';
import { parseSampleExpr } from '../../../src/sample/expr.js';
import type { SampleArgContext, SampleUse } from '../../../src/sample/types.js';
import { testLoad } from './ctx.js';

/** Parses each [proxy, expr] then runs the late check; returns the alerts as printed. */
function resolve(exprs: readonly (readonly [string, string, SampleArgContext?])[], use: SampleUse = 'fe-http-request'): string[] {
  const t = testLoad();
  exprs.forEach(([px, text, context], i) => {
    const r = parseSampleExpr(t.ctx(px, 18 + i), text, px === 'b' || px === 'st' ? 'be-http-request' : use, { context: context ?? 'http-request' });
    assert.ok('expr' in r, `${text}: ${'error' in r ? r.error : ''}`);
  });
  checkSampleRefs(t.load);
  return t.diag.list.map((d) => `${d.severity}: ${locatedMessage(d)}`);
}

test('tables must exist; an empty table argument names the current proxy', () => {
  assert.deepEqual(resolve([['f', 'src_conn_cnt(st)'], ['f', 'src_conn_cnt(b),table_conn_cnt(b)'], ['b', 'sc0_conn_cnt']]), []);
  assert.deepEqual(resolve([['f', 'src_conn_cnt(nosuch)']]), [
    "alert: parsing [t.cfg:18]: unable to find table 'nosuch' referenced in arg 1 of sample fetch keyword 'src_conn_cnt' in http-request expression in proxy 'f'.",
  ]);
  assert.deepEqual(resolve([['f', 'req.hdr(x),table_conn_cnt']]), [
    "alert: parsing [t.cfg:18]: unable to find table 'f' referenced in arg 1 of conversion keyword 'table_conn_cnt' for sample fetch keyword 'req.hdr' in http-request expression in proxy 'f'.",
  ]);
});

test('several errors in one proxy are one alert, in line order', () => {
  assert.deepEqual(resolve([['f', 'src_conn_cnt(n1)'], ['f', 'src_conn_cnt(n2),table_conn_cnt(n3)']]), [
    'alert: multiple argument resolution errors:' +
      "\n        parsing [t.cfg:18]: unable to find table 'n1' referenced in arg 1 of sample fetch keyword 'src_conn_cnt' in http-request expression in proxy 'f'." +
      "\n        parsing [t.cfg:19]: unable to find table 'n2' referenced in arg 1 of sample fetch keyword 'src_conn_cnt' in http-request expression in proxy 'f'." +
      "\n        parsing [t.cfg:19]: unable to find table 'n3' referenced in arg 1 of conversion keyword 'table_conn_cnt' for sample fetch keyword 'src_conn_cnt' in http-request expression in proxy 'f'.",
  ]);
});

test('ACL context words: "ACL keyword", no context part', () => {
  assert.deepEqual(resolve([['f', 'str(a),regsub(\'(\',y)', 'acl']], 'fe-http-request'), [
    "alert: parsing [t.cfg:18]: error in regex '(' in arg 1 of conversion keyword 'regsub' for ACL keyword 'str' in proxy 'f' : regex '(' is invalid (error=missing closing parenthesis, erroffset=1).",
  ]);
  assert.deepEqual(resolve([['f', 'src_conn_cnt(x)', 'log-format']]), [
    "alert: parsing [t.cfg:18]: unable to find table 'x' referenced in arg 1 of sample fetch keyword 'src_conn_cnt' in log-format string in proxy 'f'.",
  ]);
});

test('backends, frontends, servers and userlists', () => {
  const tail = 'in http-request expression in proxy';
  assert.deepEqual(
    resolve([['f', 'be_conn(b)'], ['f', 'fe_conn(f)'], ['f', 'srv_conn(b/s1)'], ['f', 'http_auth(ul)'], ['f', 'nbsrv(l)'], ['f', 'fe_conn(l)'], ['f', 'str(b),nbsrv']]),
    [],
  );
  assert.deepEqual(resolve([['f', 'avg_queue']]), [
    `alert: parsing [t.cfg:18]: proxy 'f', referenced in arg 1 of sample fetch keyword 'avg_queue' ${tail} 'f', has not backend capability.`,
  ]);
  assert.deepEqual(resolve([['b', 'fe_conn']]), [
    `alert: parsing [t.cfg:18]: proxy 'b', referenced in arg 1 of sample fetch keyword 'fe_conn' ${tail} 'b', has not frontend capability.`,
  ]);
  assert.deepEqual(resolve([['f', 'be_conn(f)']]), [`alert: parsing [t.cfg:18]: unable to find backend 'f' referenced in arg 1 of sample fetch keyword 'be_conn' ${tail} 'f'.`]);
  assert.deepEqual(resolve([['f', 'fe_conn(b)']]), [`alert: parsing [t.cfg:18]: unable to find frontend 'b' referenced in arg 1 of sample fetch keyword 'fe_conn' ${tail} 'f'.`]);
  assert.deepEqual(resolve([['f', 'srv_conn()']]), [`alert: parsing [t.cfg:18]: missing server name in arg 1 of sample fetch keyword 'srv_conn' ${tail} 'f'.`]);
  assert.deepEqual(resolve([['f', 'srv_conn(f/s1)']]), [`alert: parsing [t.cfg:18]: unable to find proxy 'f' referenced in arg 1 of sample fetch keyword 'srv_conn' ${tail} 'f'.`]);
  assert.deepEqual(resolve([['f', 'srv_conn(s1)']]), [
    `alert: parsing [t.cfg:18]: unable to find server 's1' in proxy 'f', referenced in arg 1 of sample fetch keyword 'srv_conn' ${tail} 'f'.`,
  ]);
  assert.deepEqual(resolve([['f', 'http_auth()']]), [`alert: parsing [t.cfg:18]: missing userlist name in arg 1 of sample fetch keyword 'http_auth' ${tail} 'f'.`]);
  assert.deepEqual(resolve([['f', 'http_auth(b)']]), [`alert: parsing [t.cfg:18]: unable to find userlist 'b' referenced in arg 1 of sample fetch keyword 'http_auth' ${tail} 'f'.`]);
  assert.deepEqual(resolve([['f', 'str(x),regsub(,y)']]), [
    `alert: parsing [t.cfg:18]: missing regex in arg 1 of conversion keyword 'regsub' for sample fetch keyword 'str' ${tail} 'f'.`,
  ]);
});

test('tables of peers sections are named "<peers>/<table>"', () => {
  const t = testLoad();
  t.load.peers.push({
    name: 'p',
    where: { file: 't.cfg', line: 2 },
    disabled: false,
    peers: [],
    binds: [],
    defaultBind: {},
    defaultServer: {},
    tables: [{ where: { file: 't.cfg', line: 3 }, name: 't', type: 'ip', size: 1024 } as PeersTableModel],
    logs: [],
  });
  for (const text of ['src_conn_cnt(p/t)', 'src_conn_cnt(t)']) parseSampleExpr(t.ctx(), text, 'fe-http-request', { context: 'http-request' });
  checkSampleRefs(t.load);
  assert.deepEqual(
    t.diag.list.map((d) => d.message),
    ["parsing [t.cfg:18]: unable to find table 't' referenced in arg 1 of sample fetch keyword 'src_conn_cnt' in http-request expression in proxy 'f'."],
  );
});

test("global set-var: resolved at once, in the pseudo-proxy 'CFG'", () => {
  const t = testLoad();
  const ctx = new KeywordContext<unknown>(t.load, t.load.global, { file: 't.cfg', line: 2 }, []);
  assert.deepEqual(parseSampleExpr(ctx, 'str(a),table_conn_cnt(nosuch)', 'config', { context: 'config', fetchWord: 'set-var(proc.x)' }), {
    error:
      "parsing [t.cfg:2]: unable to find table 'nosuch' referenced in arg 1 of conversion keyword 'table_conn_cnt' for sample fetch keyword 'str' in configuration expression in proxy 'CFG'.",
  });
  assert.ok('expr' in parseSampleExpr(ctx, 'str(a),table_conn_cnt(st)', 'config', { context: 'config' }));
  assert.deepEqual(parseSampleExpr(ctx, 'src', 'config', { fetchWord: 'set-var(proc.x)' }), {
    error: "fetch method 'set-var(proc.x)' extracts information from 'client address', none of which is available here",
    code: 'unavailable',
    fetch: 'src',
    source: 'client address',
  });
});

test('an expression parsed several times for one statement is checked once', () => {
  const t = testLoad();
  parseSampleExpr(t.ctx(), 'src_conn_cnt(x)', ['fe-tcp-request-connection', 'fe-http-request']);
  parseSampleExpr(t.ctx(), 'src_conn_cnt(x)', ['be-stick-store'], { context: 'stick' });
  parseSampleExpr(t.ctx(), 'src_conn_cnt(x)', ['fe-http-request']);
  checkSampleRefs(t.load);
  assert.deepEqual(
    t.diag.list.map((d) => d.message),
    ["parsing [t.cfg:18]: unable to find table 'x' referenced in arg 1 of sample fetch keyword 'src_conn_cnt' in stick rule in proxy 'f'."],
  );
});
