import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchUnavailable, parseSampleExpr, unsupportedParts, type SampleParse } from '../../../src/sample/expr.js';
import type { SampleExprModel } from '../../../src/config/model/sample.js';
import { testLoad } from './ctx.js';

/** Parses in frontend 'f' as an http-request rule of "http-request set-var(txn.x)". */
function parse(text: string): SampleParse {
  const t = testLoad();
  return parseSampleExpr(t.ctx(), text, 'fe-http-request', { fetchWord: 'set-var(txn.x)' });
}

function ok(text: string): SampleExprModel {
  const r = parse(text);
  assert.ok('expr' in r, `${text}: ${'error' in r ? r.error : ''}`);
  return r.expr;
}

function err(text: string): string {
  const r = parse(text);
  assert.ok('error' in r, `${text} should fail`);
  return r.error;
}

test('a fetch with arguments and converters becomes a typed model', () => {
  const e = ok('req.hdr(host,1),lower,map_str_int(/dev/null,0)');
  assert.equal(e.fetch.name, 'req.hdr');
  assert.deepEqual(e.fetch.args, ['host', '1']);
  assert.deepEqual(e.fetch.values, [
    { type: 'str', value: 'host' },
    { type: 'sint', value: 1 },
  ]);
  assert.deepEqual(
    e.converters.map((c) => c.name),
    ['lower', 'map_str_int'],
  );
  assert.equal(e.type, 'sint');
  assert.ok(e.uses.includes('fe-http-request') && !e.uses.includes('fe-http-response'));
});

test('valid forms HAProxy accepts', () => {
  for (const text of [
    'src',
    'src()',
    'src,,lower',
    'src,lower,',
    'req.hdr()',
    'req.hdr(,)',
    'req.hdr(x,)',
    'int(-5)',
    'int(1),lower',
    'src,ipmask(24,64)',
    'str(),upper',
    'base32+src',
    'unique-id',
    `str('a,b'),regsub("(foo|bar)",blah,g)`,
    'var(txn.a.b,def)',
    'src_conn_cnt(st)',
    'str(a),set-var(txn.x,ifexists,ifnotempty,ifset,ifnotset)',
    'str(a),add(txn.y),sub(-3),mul()',
    'fc_rtt',
    'date(0,ms)',
    'ssl_c_s_dn(CN,1,rfc2253)',
  ]) {
    ok(text);
  }
});

test('fetch errors, worded as HAProxy (without the final period)', () => {
  assert.equal(err(''), 'missing fetch method');
  assert.equal(err(',lower'), 'missing fetch method');
  assert.equal(err('$src'), 'missing fetch method');
  assert.equal(err('nosuch'), "unknown fetch method 'nosuch'");
  assert.equal(err('SRC'), "unknown fetch method 'SRC'");
  assert.equal(err('set-cookie(x)'), "unknown fetch method 'set-cookie'");
  assert.equal(err('foo!'), "unknown fetch method 'foo'");
  assert.equal(err('int(abc)'), "fetch method 'int' : failed to parse 'abc' as type 'integer' at position 1");
  assert.equal(err('int'), "fetch method 'int' : expected type 'integer' at position 1, but got nothing");
  assert.equal(err('req.hdr(x,1,2),lower'), "fetch method 'req.hdr' : expected ')' before ',2),lower'");
  assert.equal(err('req.hdr(x'), "fetch method 'req.hdr' : expected ')'");
  assert.equal(err('src(1)'), "fetch method 'src' : expected ')' before '1)'");
  assert.equal(err('req.hdr(x)lower'), "missing comma after fetch keyword 'req.hdr'");
  assert.equal(err('src x'), "missing comma after fetch keyword 'src'");
  assert.equal(err('var(foo)').startsWith("invalid args in fetch method 'var' : invalid variable name 'foo'. A variable name"), true);
  assert.equal(err('var()'), "invalid args in fetch method 'var' : Empty variable name cannot be accepted");
  assert.equal(err('var(txn.a-b)'), "invalid args in fetch method 'var' : invalid syntax at char '-b'");
  assert.equal(err('bin()'), "invalid args in fetch method 'bin' : (null)");
  assert.equal(err('meth(G/T)'), "invalid args in fetch method 'meth' : expects valid method.");
  assert.equal(err('date(1,x)'), "invalid args in fetch method 'date' : expects 's', 'ms' or 'us', got 'x'");
});

test('converter errors: unknown, type mismatch (before arguments), arguments, own checks', () => {
  assert.equal(err('req.hdr(x),foo'), "unknown converter 'foo'");
  assert.equal(err('src, lower'), "unknown converter ''");
  assert.equal(err('src,lo$wer'), "unknown converter 'lo'");
  assert.equal(err('ipv6(::1),neg'), "converter 'neg' cannot be applied");
  assert.equal(err('always_true,ipmask(33)'), "converter 'ipmask' cannot be applied");
  assert.equal(err('method,iif(a,b)'), "converter 'iif' cannot be applied");
  assert.equal(err('src,ipmask(24,129)'), "invalid arg 2 in converter 'ipmask' : failed to parse '129' as type 'IPv6 mask' at position 2");
  assert.equal(err('req.hdr(x),lower(1)!'), "invalid arg 1 in converter 'lower' : expected ')' before '1)!'");
  assert.equal(err('str(x),regsub'), "invalid arg 2 in converter 'regsub' : missing arguments (got 1/2), type 'string' expected");
  assert.equal(err('req.hdr(x),lower)'), "missing comma after converter 'lower'");
  assert.equal(err('str(a),field(0,:)'), "invalid args in converter 'field' : Unexpected value 0 for index");
  assert.equal(err('str(a),add(y)'), "invalid args in converter 'add' : expects an integer or a variable name");
  assert.equal(err('str(a),set-var(txn.x,foo)'), 'invalid args in converter \'set-var\' : unknown condition "foo"');
  assert.equal(err('str(a),map(/nonexistent.map)'), "invalid args in converter 'map' : failed to open pattern file </nonexistent.map>");
});

test('availability is checked last, naming the word the caller gives', () => {
  assert.equal(err('res.hdr(x)'), "fetch method 'set-var(txn.x)' extracts information from 'HTTP response headers', none of which is available here");
  // A syntax error after the fetch is reported first.
  assert.equal(err('res.hdr(x)!'), "missing comma after fetch keyword 'res.hdr'");
  assert.equal(err('res.hdr(x),foo'), "unknown converter 'foo'");
  const t = testLoad();
  const r = parseSampleExpr(t.ctx(), 'hdr(x)', ['fe-tcp-request-connection']);
  assert.deepEqual(r, {
    error: "fetch method 'hdr(x)' extracts information from 'HTTP request headers,HTTP response headers', none of which is available here",
    code: 'unavailable',
    fetch: 'hdr',
    source: 'HTTP request headers,HTTP response headers',
  });
  // Any of the places given is enough; none given means no check (ACLs, log-format).
  assert.ok('expr' in parseSampleExpr(t.ctx(), 'res.hdr(x)', ['fe-http-request', 'be-http-response']));
  const acl = parseSampleExpr(t.ctx(), 'res.hdr(x)', []);
  assert.ok('expr' in acl);
  assert.equal(fetchUnavailable(acl.expr, 'fe-http-request'), 'HTTP response headers');
  assert.equal(fetchUnavailable(acl.expr, 'fe-http-response'), undefined);
  ok('dst_conn');
});

test('unsupportedParts lists every fetch and converter that does not run yet', () => {
  assert.deepEqual(unsupportedParts(ok('req.hdr(host),lower,ipmask(24)')), ['req.hdr', 'ipmask']);
  assert.deepEqual(unsupportedParts(ok('req.payload(0,4),hex,hex2i')), []);
});

test('a warning without location for fc_* counters given an argument', () => {
  const t = testLoad();
  assert.ok('expr' in parseSampleExpr(t.ctx(), 'fc_lost(ms)', 'fe-http-request'));
  assert.deepEqual(
    t.diag.list.map((d) => [d.severity, d.where, d.message]),
    [['warning', undefined, "no argument supported for 'fc_*' sample expressions returning counters."]],
  );
});
