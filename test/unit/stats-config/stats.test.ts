/** stats admin / auth / enable / http-request / realm / refresh / scope / show-* / uri (configuration.txt 4.2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, checkLines, said } from '../checks-config/load.js';

const LISTEN = 'listen l\n  bind :8000';

test('settings are recorded, every stats keyword enables the page', async () => {
  const r = await checkLines(
    ['stats uri /admin?stats', 'stats realm Haproxy\\ Statistics', 'stats auth admin:secret', 'stats auth ops:p:w', 'stats scope .', 'stats refresh 5s', 'stats hide-version', 'stats show-node lb1', 'stats show-desc Main node', 'stats show-legends', 'stats show-modules'],
    { section: LISTEN },
  );
  assert.equal(r.ok, true);
  const s = r.model.proxies[0]!.stats!;
  assert.equal(s.enabled, true);
  assert.equal(s.uri, '/admin?stats');
  assert.equal(s.realm, 'Haproxy Statistics');
  assert.deepEqual(s.auth.map((a) => [a.user, a.password]), [['admin', 'secret'], ['ops', 'p:w']]);
  assert.deepEqual(s.scope, ['.']);
  assert.equal(s.refresh, 5000);
  assert.deepEqual(s.showNode, { name: 'lb1' });
  assert.deepEqual(s.showDesc, { desc: 'Main node' });
  assert.ok(s.hideVersion && s.showLegends && s.showModules);
  assert.ok(r.warnings.includes("t.cfg:8: keyword 'stats uri' is not supported yet"));
});

test('missing arguments, with HAProxy messages', async () => {
  const cases: [string, string][] = [
    ['stats auth', "parsing [t.cfg:8] : 'auth' needs a user:password account."],
    ['stats realm', "parsing [t.cfg:8] : 'realm' needs an realm name."],
    ['stats scope', "parsing [t.cfg:8] : 'scope' needs a proxy name."],
    ['stats uri', "parsing [t.cfg:8] : 'uri' needs an URI prefix."],
    ['stats refresh 5x', "parsing [t.cfg:8]: unexpected character 'x' in argument to stats refresh interval."],
    ['stats show-node a:b', "parsing [t.cfg:8]: 'stats show-node' invalid node name - should be a stringwith digits(0-9), letters(A-Z, a-z), hyphen(-) or underscode(_)."],
    ['stats', "parsing [t.cfg:8]: missing keyword in 'stats', expects 'admin', 'uri', 'realm', 'auth', 'scope', 'enable', 'hide-version', 'show-node', 'show-desc' or 'show-legends'."],
    ['stats socket /x', "parsing [t.cfg:8]: unknown stats parameter 'socket', expects 'admin', 'uri', 'realm', 'auth', 'scope', 'enable', 'hide-version', 'show-node', 'show-desc' or 'show-legends'."],
  ];
  for (const [line, msg] of cases) {
    const r = await checkLines([line], { section: LISTEN });
    assert.equal(r.ok, false, line);
    assert.deepEqual(said(r), [`alert: ${msg}`], line);
  }
});

test('stats show-desc without text needs the global description', async () => {
  const r = await checkLines(['stats show-desc'], { section: LISTEN });
  assert.equal(r.ok, true);
  assert.deepEqual(said(r), ["warning: parsing [t.cfg:8]: 'show-desc' requires a parameter or 'desc' to be set in the global section."]);
});

test('stats admin: a condition is required; not in defaults', async () => {
  assert.equal((await checkLines(['stats admin if TRUE'], { section: LISTEN })).ok, true);
  assert.deepEqual(said(await checkLines(['stats admin foo'], { section: LISTEN })), [
    "alert: parsing [t.cfg:8] : 'stats admin' requires either 'if' or 'unless' followed by a condition.",
  ]);
  assert.deepEqual(said(await checkLines(['stats admin if TRUE'], { section: 'defaults d' })), [
    "alert: parsing [t.cfg:7]: 'stats admin' not allowed in 'defaults' section.",
  ]);
  // Frontends are accepted (configuration.txt 4.1 says otherwise).
  assert.equal((await checkLines(['stats admin if TRUE'], { section: 'frontend f\n  bind :8080' })).ok, true);
});

test('stats http-request: allow, deny, auth [realm], with conditions', async () => {
  const r = await checkLines(['stats http-request auth realm Admins unless TRUE', 'stats http-request deny deny_status 403 if TRUE', 'stats http-request allow'], { section: LISTEN });
  assert.deepEqual(said(r), []);
  const rules = r.model.proxies[0]!.stats!.httpRequest;
  assert.deepEqual(rules.map((x) => [x.action, x.condition?.negate]), [['auth', true], ['deny', false], ['allow', undefined]]);
  assert.deepEqual(rules[0]!.args, { realm: 'Admins' });
  const cases: [string, string][] = [
    ['stats http-request auth realm', "alert: parsing [t.cfg:8] : error detected in proxy 'l' while parsing 'http-request auth' rule : missing realm value.\n."],
    ['stats http-request allow foo', "alert: parsing [t.cfg:8]: 'http-request allow' expects either 'if' or 'unless' followed by a condition but found 'foo'."],
    ['stats http-request deny deny_status 999', "alert: parsing [t.cfg:8] : error detected in proxy 'l' while parsing 'http-request deny' rule : Unexpected status code '999'."],
    ['stats http-request deny deny_status 418', "alert: parsing [t.cfg:8] : error detected in proxy 'l' while parsing 'http-request deny' rule : status code '418' not handled by default with 'default-errorfiles' argument.."],
    ['stats http-request deny string x', "alert: parsing [t.cfg:8] : error detected in proxy 'l' while parsing 'http-request deny' rule : a content type must be defined when non-empty payload is configured."],
  ];
  for (const [line, msg] of cases) assert.deepEqual(said(await checkLines([line], { section: LISTEN })), [msg], line);
  const unknown = said(await checkLines(['stats http-request foo'], { section: LISTEN }))[0]!;
  assert.match(unknown, /^alert: parsing \[t\.cfg:8\]: 'http-request' expects 'wait-for-handshake', .*'set-priority-offset', but got 'foo'\.$/);
  assert.match(said(await checkLines(['stats http-request'], { section: LISTEN }))[0]!, /but got '' \(missing argument\)\.$/);
  assert.deepEqual(said(await checkLines(['stats http-request allow'], { section: 'defaults d' })), ["alert: parsing [t.cfg:7]: 'stats' not allowed in 'defaults' section."]);
});

test('stats http-request after a rule without condition: a warning', async () => {
  const r = await checkLines(['stats http-request allow if TRUE', 'stats http-request deny', 'stats http-request deny'], { section: LISTEN });
  assert.equal(r.ok, true);
  assert.deepEqual(said(r), ["warning: parsing [t.cfg:10]: previous 'stats' action has no condition attached, further entries are NOOP."]);
});

test('stats need http mode (also when inherited from defaults)', async () => {
  const r = await check(
    ['defaults', '  mode tcp', '  timeout client 1s', '  timeout server 1s', '  timeout connect 1s', '  stats enable', 'backend b', '  server s 127.0.0.1:80', 'backend c', '  mode http', ''].join('\n'),
  );
  assert.equal(r.ok, true);
  assert.deepEqual(said(r), ["warning: 'stats' statement ignored for backend 'b' as it requires HTTP mode."]);
});

test('no stats ...: refused, and an unknown member is still reported', async () => {
  const r = await checkLines(['no stats foo'], { section: LISTEN });
  assert.equal(said(r).length, 2);
});
