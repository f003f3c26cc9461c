/**
 * How check options and rules combine (configuration.txt 4.2 "option httpchk",
 * "http-check connect", "tcp-check connect"; HAProxy 2.6's behaviour found with haproxy -c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, checkLines, said } from './load.js';
import { portlessServerCheckError } from '../../../src/config/sections/proxy/checks-state.js';

test('http-check rules must follow each other: send after connect, expect after send, connect after expect', async () => {
  const cases: [string[], string][] = [
    [['http-check send meth GET', 'http-check send meth PUT'], "alert: parsing [t.cfg:9] : 'http-check send' : unable to add http-check send rule at step 2 (missing connect rule).."],
    [['http-check send', 'http-check expect status 200', 'http-check send'], "alert: parsing [t.cfg:10] : 'http-check send' : unable to add http-check send rule at step 3 (missing connect rule).."],
    [['http-check connect', 'http-check send', 'http-check connect'], "alert: parsing [t.cfg:10] : 'http-check connect' : unable to add http-check connect rule at step 2 (missing expect rule).."],
    [['http-check connect', 'http-check set-var(check.a) int(1)', 'http-check expect status 200'], "alert: parsing [t.cfg:10] : 'http-check expect' : unable to add http-check expect rule at step 3 (missing send rule).."],
    // Comments count in the step numbers.
    [['http-check comment a', 'http-check comment b', 'http-check send', 'http-check send'], "alert: parsing [t.cfg:11] : 'http-check send' : unable to add http-check send rule at step 2 (missing connect rule).."],
  ];
  for (const [lines, msg] of cases) assert.deepEqual(said(await checkLines(['option httpchk', ...lines])), [msg], lines.join(' | '));
  // A full sequence is fine.
  const ok = await checkLines([
    'option httpchk',
    'http-check connect',
    'http-check send meth GET uri /',
    'http-check expect status 200',
    'http-check connect port 443 ssl sni x',
    'http-check send meth GET',
    'http-check expect status 200-399',
  ]);
  assert.deepEqual(said(ok), []);
  assert.deepEqual(ok.model.proxies[0]!.healthCheck!.rules!.map((x) => x.action), ['connect', 'send', 'expect', 'connect', 'send', 'expect']);
});

test('a connect rule must be first, after comments and variable actions only', async () => {
  const msg =
    "'tcp-check connect' : first step MUST also be a 'connect', optionally preceded by a 'set-var', an 'unset-var' or a 'comment', when there is a 'connect' step in the tcp-check ruleset.";
  assert.deepEqual(said(await checkLines(['option tcp-check', 'tcp-check send x', 'tcp-check connect'])), [`alert: parsing [t.cfg:9] : ${msg}`]);
  assert.deepEqual(said(await checkLines(['option tcp-check', 'tcp-check comment x', 'tcp-check set-var(check.x) int(1)', 'tcp-check connect', 'tcp-check connect'])), []);
  // The request of option httpchk does not count.
  assert.deepEqual(said(await checkLines(['option httpchk', 'http-check connect'])), []);
  assert.match(said(await checkLines(['http-check send', 'http-check connect']))[0]!, /^alert: parsing \[t\.cfg:8\] : 'http-check connect' : first step MUST/);
});

test('rules without their option are kept aside, with a warning after parsing', async () => {
  assert.deepEqual(said(await checkLines(['tcp-check send x'])), ["warning: backend 'b' uses tcp-check rules without 'option tcp-check', so the rules are ignored."]);
  assert.deepEqual(said(await checkLines(['option redis-check', 'http-check send'])), ["warning: backend 'b' uses http-check rules without 'option httpchk', so the rules are ignored."]);
  // Setting an option later uses them (and forgets both warnings).
  assert.deepEqual(said(await checkLines(['tcp-check send x', 'option httpchk'])), []);
  assert.deepEqual(said(await checkLines(['http-check send', 'option redis-check'])), []);
  // ... unless the tcp-check list was already in use: then the marks stay.
  assert.deepEqual(said(await checkLines(['option tcp-check', 'http-check send', 'option tcp-check'])), [
    "warning: backend 'b' uses http-check rules without 'option httpchk', so the rules are ignored.",
  ]);
});

test('option httpchk completes the first http-check send, whichever comes first', async () => {
  const after = await checkLines(['option httpchk GET /h', 'http-check send hdr Host x', 'http-check expect status 200']);
  const rules = after.model.proxies[0]!.healthCheck!.rules!;
  assert.deepEqual(rules.map((x) => x.action), ['connect', 'send', 'expect']);
  const send = rules[1]!;
  assert.ok(send.action === 'send' && send.type === 'http');
  if (send.action === 'send' && send.type === 'http') {
    assert.equal(send.method, 'GET');
    assert.equal(send.uri, '/h');
    assert.deepEqual(send.headers.map((h) => h.name), ['Host']);
  }
  const before = await checkLines(['http-check send meth POST uri /x', 'option httpchk /y']);
  const s2 = before.model.proxies[0]!.healthCheck!.rules![1]!;
  if (s2.action === 'send' && s2.type === 'http') {
    assert.equal(s2.method, 'POST');
    assert.equal(s2.uri, '/y');
  } else assert.fail('no send rule');
});

test('the list HAProxy runs: implicit connect, implicit expect, comments given to the next rules', async () => {
  const r = await checkLines(['option httpchk', 'http-check comment first', 'http-check send meth GET']);
  const rules = r.model.proxies[0]!.healthCheck!.rules!;
  assert.deepEqual(rules.map((x) => [x.action, x.comment]), [
    ['connect', undefined],
    ['send', 'first'],
    ['expect', undefined],
  ]);
  const last = rules[2]!;
  assert.ok(last.action === 'expect' && last.implicit && last.pattern === '200-399');
  const t = await checkLines(['option tcp-check', 'tcp-check comment hello', 'tcp-check expect string a', 'tcp-check expect string b', 'tcp-check send x']);
  assert.deepEqual(t.model.proxies[0]!.healthCheck!.rules!.map((x) => [x.action, x.comment]), [
    ['connect', undefined],
    ['expect', 'hello'],
    ['expect', 'hello'],
    ['send', undefined],
  ]);
});

test('defaults: the list is shared until the section declares its own rules', async () => {
  const base = [
    'defaults',
    '  mode http',
    '  timeout client 1s',
    '  timeout server 1s',
    '  timeout connect 1s',
    '  option httpchk',
    '  http-check connect',
    '  http-check send meth GET',
    '  http-check expect status 200',
  ];
  const r = await check(
    [...base, 'backend b', '  http-check send meth PUT', 'backend c', '  server s 127.0.0.1:80', 'backend d', '  http-check connect', '  http-check connect', ''].join('\n'),
  );
  // b starts its own list (a send first is fine), c keeps the defaults' one, d's second connect is misplaced.
  assert.deepEqual(said(r), ["alert: parsing [t.cfg:16] : 'http-check connect' : unable to add http-check connect rule at step 2 (missing expect rule).."]);
  const ok = await check([...base, 'backend b', '  http-check send meth PUT', 'backend c', '  server s 127.0.0.1:80', ''].join('\n'));
  const [b, c] = ok.model.proxies;
  assert.deepEqual(b!.healthCheck!.rules!.map((x) => x.action), ['connect', 'send', 'expect']);
  const bSend = b!.healthCheck!.rules![1]!;
  assert.equal(bSend.action === 'send' && bSend.type === 'http' ? bSend.method : undefined, 'PUT');
  assert.deepEqual(c!.healthCheck!.rules!.map((x) => x.action), ['connect', 'send', 'expect']);
  const cSend = c!.healthCheck!.rules![1]!;
  assert.equal(cSend.action === 'send' && cSend.type === 'http' ? cSend.method : undefined, 'GET');
});

test('defaults: rules kept aside there are not warned about in the sections', async () => {
  const r = await check(
    ['defaults', '  timeout client 1s', '  timeout server 1s', '  timeout connect 1s', '  tcp-check send x', 'backend b', '  server s 127.0.0.1:80', ''].join('\n'),
  );
  assert.deepEqual(said(r), []);
});

test('option httpchk again does not reset the http-check rules', async () => {
  assert.deepEqual(said(await checkLines(['option httpchk', 'http-check send meth GET', 'option httpchk', 'http-check send meth PUT'])), [
    "alert: parsing [t.cfg:10] : 'http-check send' : unable to add http-check send rule at step 2 (missing connect rule)..",
  ]);
});

test('a server without port: the check rules must give one (for the servers post check)', async () => {
  const cases: [string[], string | undefined][] = [
    [[], 'has neither service port nor check port.'],
    [['option tcp-check'], 'has neither service port nor check port.'],
    [['option tcp-check', 'tcp-check comment x', 'tcp-check connect port 80'], undefined],
    [['option tcp-check', 'tcp-check connect addr 1.2.3.4:80'], undefined],
    [['option tcp-check', 'tcp-check send x'], "has neither service port nor check port nor tcp_check rule 'connect' with port information."],
    [['option tcp-check', 'tcp-check connect port int(80)'], "has neither service port nor check port nor tcp_check rule 'connect' with port information."],
    [['option tcp-check', 'tcp-check connect port 80', 'tcp-check connect'], "has neither service port nor check port, and a tcp_check rule 'connect' with no port information."],
    // HAProxy looks before moving the request of option httpchk after the first connect.
    [['option httpchk', 'http-check connect port 80'], "has neither service port nor check port nor tcp_check rule 'connect' with port information."],
    [['option httpchk', 'http-check connect port 80', 'http-check send'], undefined],
    [['option ldap-check'], "has neither service port nor check port nor tcp_check rule 'connect' with port information."],
    [['option external-check'], 'has neither service port nor check port.'],
  ];
  for (const [lines, msg] of cases) {
    const r = await checkLines(lines);
    assert.equal(portlessServerCheckError(r.model.proxies[0]!), msg, lines.join(' | '));
  }
});
