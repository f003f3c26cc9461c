/** http-check comment / connect / send / expect / set-var / disable-on-404 / send-state (configuration.txt 4.2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLines, said } from './load.js';

/** The messages for `lines` after "option httpchk" (line 7), the first line tested being 8. */
async function withHttpchk(...lines: string[]): Promise<string[]> {
  return said(await checkLines(['option httpchk', ...lines]));
}

test('unknown http-check member: HAProxy lists the members', async () => {
  assert.deepEqual(await withHttpchk('http-check foo'), [
    "alert: parsing [t.cfg:8] : 'http-check' only supports 'disable-on-404', 'send-state', 'comment', 'connect', 'send', 'expect', 'set-var-fmt(*)', 'set-var(*)', 'unset-var(*)'. but got 'foo'",
  ]);
  assert.match((await withHttpchk('http-check'))[0]!, /but got ''$/);
});

test('http-check send: arguments and their errors', async () => {
  assert.deepEqual(await withHttpchk('http-check send meth GET uri / ver HTTP/1.1 hdr host x body y comment z'), []);
  const cases: [string, string][] = [
    ['http-check send foo', "'http-check send' : expects 'comment', 'meth', 'uri', 'uri-lf', 'ver', 'hdr', 'body' or 'body-lf' but got 'foo' as argument.."],
    ['http-check send meth', "'http-check send' : 'meth' expects a string as argument.."],
    ['http-check send hdr x', "'http-check send' : 'hdr' expects <name> and <value> as arguments."],
    ['http-check send hdr Host a hdr host b', "'http-check send' : 'host' header already defined (previous value is 'a')."],
  ];
  for (const [line, msg] of cases) assert.deepEqual(await withHttpchk(line), [`alert: parsing [t.cfg:8] : ${msg}`], line);
});

test('http-check connect: options and their errors', async () => {
  assert.deepEqual(await withHttpchk('http-check connect default port 80 addr 1.1.1.1 send-proxy via-socks4 ssl sni a alpn h2 linger proto h2 comment x'), []);
  const cases: [string, string][] = [
    ['http-check connect port 0', "'http-check connect' : expects a valid TCP port (from range 1 to 65535) or a sample expression, got 0.."],
    ['http-check connect addr', "'http-check connect' : 'addr' expects <ipv4|ipv6> as argument.."],
    ['http-check connect alpn', "'http-check connect' : 'alpn' : missing the comma-delimited ALPN protocol suite."],
    ['http-check connect proto none', "'http-check connect' : 'proto' : invalid MUX protocol 'none' for http-check."],
    ['http-check connect proto foo', "'http-check connect' : 'proto' : unknown MUX protocol 'foo'.."],
    ['http-check connect foo', "'http-check connect' : expects 'comment', 'port', 'addr', 'send-proxy', 'ssl', 'sni', 'alpn' or 'via-socks4', 'linger', 'default' but got 'foo' as argument.."],
  ];
  for (const [line, msg] of cases) assert.deepEqual(await withHttpchk(line), [`alert: parsing [t.cfg:8] : ${msg}`], line);
});

test('http-check expect: matches of HTTP checks only', async () => {
  assert.deepEqual(await withHttpchk('http-check expect ! rstatus ^5'), []);
  assert.deepEqual(await withHttpchk('http-check expect hdr name x value -m beg y'), []);
  const cases: [string, string][] = [
    ['http-check expect', "'http-check expect' : expects at least a matching pattern as arguments."],
    ['http-check expect binary 12', "'http-check expect' : 'only supports min-recv, [!]string', '[!]rstring', '[!]string-lf', '[!]status', '[!]rstatus', [!]hdr, [!]fhdr or comment but got 'binary' as argument.."],
    ['http-check expect status 300-200', "'http-check expect' : invalid range of status codes '300-200'."],
    ['http-check expect status 2x', "'http-check expect' : invalid character 'x' in the list of status codes."],
    ['http-check expect hdr x y', "'http-check expect' : 'hdr' expects at the name keyword as first argument followed by a pattern."],
    ['http-check expect hdr name -m foo x', "'http-check expect' : 'hdr' : '-m' only supports 'str', 'beg', 'end', 'sub' or 'reg' (got 'foo')."],
    ['http-check expect hdr name-lf -m reg x', "'http-check expect' : 'hdr': log-format string is not supported with a regex matching method."],
    ['http-check expect hdr name x value', "'http-check expect' : 'hdr' expect a pattern with the value keyword."],
    ['http-check expect rstatus (', "'http-check expect' : regex '(' is invalid (error=missing closing parenthesis, erroffset=1)."],
  ];
  for (const [line, msg] of cases) assert.deepEqual(await withHttpchk(line), [`alert: parsing [t.cfg:8] : ${msg}`], line);
});

test('http-check expect status: the codes are recorded as ranges', async () => {
  const r = await checkLines(['option httpchk', 'http-check expect status 200-399,404']);
  const expect = r.model.proxies[0]!.healthCheck!.rules!.find((x) => x.action === 'expect');
  assert.deepEqual(expect?.action === 'expect' ? expect.codes : undefined, [[200, 399], [404, 404]]);
});

test('http-check set-var / unset-var: variable names and conditions', async () => {
  assert.deepEqual(await withHttpchk('http-check set-var(check.x,ifnotempty) int(1)', 'http-check unset-var(txn.y)'), []);
  const cases: [string, string][] = [
    ['http-check set-var(x) int(1)', "'http-check set-var(x)' : 'set-var' : invalid variable name 'x'. A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'."],
    ['http-check unset-var(check.a-b)', "'http-check unset-var(check.a-b)' : 'unset-var' : invalid syntax at char '-b)'."],
    ['http-check set-var(check.x,foo) int(1)', `'http-check set-var(check.x,foo)' : 'set-var' : unknown condition "foo".`],
    ['http-check unset-var(check.a,b)', `'http-check unset-var(check.a,b)' : 'unset-var' : unset-var does not expect parameters after the variable name. Only "set-var" and "set-var-fmt" manage conditions.`],
    ['http-check set-var(check.x)', "'http-check set-var(check.x)' : 'set-var' : missing fetch method."],
    ['http-check unset-var()', "'http-check unset-var()' : 'unset-var' : Empty variable name cannot be accepted."],
    ['http-check set-var(check.a', "'http-check set-var(check.a' : 'set-var' : incomplete argument after action 'set-var(check.a'. Expects 'set-var(<var-name>)', 'set-var-fmt(<var-name>)' or 'unset-var(<var-name>)'."],
    ['http-check set-var-fmtx(txn.a) x', "'http-check set-var-fmtx(txn.a)' : 'set-var-fmt' : invalid or incomplete action 'set-var-fmtx(txn.a)'. Expects 'set-var(<var-name>)', 'set-var-fmt(<var-name>)' or 'unset-var(<var-name>)'."],
  ];
  for (const [line, msg] of cases) assert.deepEqual(await withHttpchk(line), [`alert: parsing [t.cfg:8] : ${msg}`], line);
});

test('http-check disable-on-404 and send-state take no argument', async () => {
  const r = await checkLines(['option httpchk', 'http-check disable-on-404', 'http-check send-state']);
  assert.equal(r.model.proxies[0]!.healthCheck!.disableOn404, true);
  assert.equal(r.model.proxies[0]!.healthCheck!.sendState, true);
  assert.deepEqual(await withHttpchk('http-check send-state x'), ["alert: parsing [t.cfg:8] : 'http-check' cannot handle unexpected argument 'x'."]);
});

test('http-check in a frontend: a warning naming the family, then the line is read', async () => {
  const r = await checkLines(['http-check disable-on-404', 'http-check expect status 200'], { section: 'frontend f\n  bind :8080' });
  assert.equal(r.ok, true);
  assert.deepEqual(said(r), [
    "warning: parsing [t.cfg:8] : 'http-check' ignored because frontend 'f' has no backend capability.",
    'warning: parsing [t.cfg:8] : (null)',
    "warning: parsing [t.cfg:9] : 'http-check' ignored because frontend 'f' has no backend capability.",
    "warning: frontend 'f' uses http-check rules without 'option httpchk', so the rules are ignored.",
  ]);
});

test('no http-check: refused, and the statement is still read', async () => {
  const r = await checkLines(['no http-check foo']);
  assert.equal(said(r).length, 2);
  assert.match(said(r)[0]!, /^alert: parsing \[t\.cfg:7\]: negation\/default currently supported only for options/);
});
