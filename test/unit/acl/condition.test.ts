/** Conditions "if|unless ..." (acl/condition.ts), checked against haproxy 2.6.12. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition } from '../../../src/acl/condition.js';
import { l6Warning } from '../../../src/acl/conflicts.js';
import { harness } from './harness.js';
import { sampleTyped } from './typed.js';

/** Parses "if|unless ..." on line 9 of a frontend holding the given ACL lines (lines 5...). */
function cond(text: string, acls: string[] = [], use: Parameters<typeof parseCondition>[4] = 'fe-http-request', opts = {}) {
  const h = harness();
  acls.forEach((a, i) => h.acl(5 + i, a));
  const r = parseCondition(h.ctx(9), h.proxy, ['http-request', 'deny', ...text.split(' ')], 2, use, opts);
  return { r, h, error: 'error' in r ? r.error : undefined, warnings: h.lines().filter((l) => l.startsWith('warning: parsing')) };
}

test('terms, negation, or / || and groups', () => {
  const { r } = cond('if a !b or ! c || !!a', ['a path /a', 'b path /b', 'c path /c']);
  assert.ok('condition' in r);
  assert.equal(r.condition.negate, false);
  assert.deepEqual(
    r.condition.groups.map((g) => g.map((t) => `${t.negate ? '!' : ''}${t.acl}`)),
    [['a', '!b'], ['!c'], ['a']],
  );
  assert.deepEqual(r.condition.where, { file: 't.cfg', line: 9 });
  const u = cond('unless TRUE FALSE ! TRUE OR FALSE').r;
  assert.ok('condition' in u && u.condition.negate && u.condition.groups.length === 2);
});

test('empty conditions and stray operators are accepted', () => {
  for (const t of ['if', 'unless', 'if !', 'if TRUE or', 'if or TRUE', 'if TRUE || || TRUE']) {
    const { r } = cond(t);
    assert.ok('condition' in r, t);
  }
  const { r } = cond('if');
  assert.ok('condition' in r && r.condition.groups.length === 0);
});

test('errors, worded as HAProxy', () => {
  const cases: [string, string][] = [
    ['if foo', "no such ACL : 'foo'"],
    ['if tRUE', "no such ACL : 'tRUE'"],
    ['if HTTP_3.0', "no such ACL : 'HTTP_3.0'"],
    ['if { path', "missing closing '}' in condition"],
    ['if { path /x } or {', "missing closing '}' in condition"],
    ['if path }', "no such ACL : 'path'"],
    ['if {path /x}', "no such ACL : '{path'"],
    ['if { path /x } }', "no such ACL : '}'"],
    ['when TRUE', "conditions must start with either 'if' or 'unless'"],
  ];
  for (const [t, msg] of cases) assert.equal(cond(t).error, msg, t);
});

test('anonymous ACLs, negated ones too', () => {
  const { r, h } = cond('if !{ path_beg /x } { path /y } || { src 10.0.0.0/8 }');
  assert.ok('condition' in r);
  const g = r.condition.groups;
  assert.equal(g[0]![0]!.negate, true);
  assert.equal(g[0]![0]!.anonymous?.kw, 'path_beg');
  assert.equal(g[1]![0]!.anonymous?.name, '');
  assert.equal(h.proxy.acls.length, 0);
});

test('predefined ACLs join the proxy when first used; a declaration before replaces them', () => {
  const { h } = cond('if METH_GET LOCALHOST');
  assert.deepEqual(h.proxy.acls.map((a) => [a.name, a.predefined]), [['METH_GET', true], ['LOCALHOST', true]]);
  assert.deepEqual(h.proxy.acls[0]!.patterns.map((p) => p.text), ['GET', 'HEAD']);
  const d = cond('if METH_GET', ['METH_GET path /x']).h;
  assert.deepEqual(d.proxy.acls.map((a) => a.kw), ['path']);
});

test('an empty word ends the condition', () => {
  const { r } = cond('if TRUE  foo');
  assert.ok('condition' in r && r.condition.groups[0]!.length === 1);
});

test('ACLs that cannot be evaluated where the rule runs: warnings', { skip: !sampleTyped() }, () => {
  let c = cond('if { res.hdr(x) -m found } || { path /x }');
  assert.deepEqual(c.warnings, [
    "warning: parsing [t.cfg:9] : anonymous acl will never match because it uses keyword 'res.hdr' which is incompatible with 'frontend http-request header rule'",
  ]);
  c = cond('if a', ['a status 200']);
  assert.deepEqual(c.warnings, [
    "warning: parsing [t.cfg:9] : acl 'a' will never match because it only involves keywords that are incompatible with 'frontend http-request header rule'",
  ]);
  c = cond('if a', ['a path /x', 'a status 200']);
  assert.deepEqual(c.warnings, ["warning: parsing [t.cfg:9] : acl 'a' involves keywords 'status' which is incompatible with 'frontend http-request header rule'"]);
  c = cond('if a', ['a path /x', 'a status 200'], 'fe-tcp-request-content', { rule: 'tcp-request content' });
  assert.deepEqual(c.warnings, ["warning: parsing [t.cfg:9] : acl 'a' involves keyword 'status' which is incompatible with 'frontend tcp-request content rule'"]);
  c = cond('if HTTP', [], 'fe-tcp-request-connection', { rule: 'tcp-request connection' });
  assert.deepEqual(c.warnings, [
    "warning: parsing [t.cfg:9] : acl 'HTTP' will never match in 'tcp-request connection' because it only involves keywords that are incompatible with 'frontend tcp-request connection rule'",
  ]);
  // A listen section gives both places; HAProxy names the first.
  c = cond('if { status 200 }', [], ['fe-http-request', 'be-http-request']);
  assert.match(c.warnings[0] ?? '', /incompatible with 'frontend http-request header rule'$/);
  c = cond('if { path /x }', [], ['be-tcp-response-content', 'fe-tcp-response-content'], { rule: 'tcp-response content' });
  assert.match(c.warnings[0] ?? '', /will never match in 'tcp-response content' .* 'backend tcp-response content rule'$/);
  assert.equal(cond('if { nope }').error, "unknown fetch method 'nope' in ACL expression 'nope'");
  assert.equal(cond('if { }').error, "missing fetch method in ACL expression ''");
  assert.equal(cond('if { { path /x }').error, "missing fetch method in ACL expression '{'");
});

test('L6 fetches in an HTTP proxy: the post-check warning', { skip: !sampleTyped() }, () => {
  const c = cond('if REQ_CONTENT');
  assert.ok('condition' in c.r && c.r.condition.l6 === true);
  assert.equal(l6Warning(c.h.proxy, c.r.condition), "Proxy 'f': L6 sample fetches ignored on HTTP proxies (declared at t.cfg:9).");
  const d = cond('if { path /x }');
  assert.ok('condition' in d.r && l6Warning(d.h.proxy, d.r.condition) === undefined);
});

test('http_auth_group: groups are checked against the userlist after parsing', () => {
  const h = harness('frontend', 'http', 'userlist u\n  group g\n');
  h.acl(5, 'a http_auth_group(u) g x');
  h.acl(6, 'b http_auth_group(u) -m str g');
  h.acl(7, 'c http_auth_group(u) -i g');
  for (const check of h.load.deferred) check();
  assert.deepEqual(
    h.lines().filter((l) => l.startsWith('alert')),
    ["alert: proxy f: acl a http_auth_group(): invalid group 'x'.", 'alert: proxy f: acl b http_auth_group(): no groups specified.'],
  );
});

test('tcp-request / tcp-response places get their own wording without being told', { skip: !sampleTyped() }, () => {
  const c = cond('if { path /x }', [], 'fe-tcp-request-session');
  assert.deepEqual(c.warnings, [
    "warning: parsing [t.cfg:9] : anonymous acl will never match in 'tcp-request session' because it uses keyword 'path' which is incompatible with 'frontend tcp-request session rule'",
  ]);
});

test('the L6 check after parsing is made for the rules that ask for it', { skip: !sampleTyped() }, () => {
  for (const l6Check of [true, undefined]) {
    const c = cond('if { req.len gt 0 }', [], 'fe-http-request', { l6Check });
    for (const check of c.h.load.deferred) check();
    const w = c.h.lines().filter((l) => l.includes('L6 sample fetches'));
    assert.deepEqual(w, l6Check ? ["warning: Proxy 'f': L6 sample fetches ignored on HTTP proxies (declared at t.cfg:9)."] : []);
  }
});
