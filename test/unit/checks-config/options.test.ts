/** option httpchk / ldap-check / mysql-check / pgsql-check / redis-check / smtpchk / ... (configuration.txt 4.2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cfg, check, checkLines, said } from './load.js';

test('option httpchk: method, URI and version, and no fourth argument', async () => {
  const r = await checkLines(['option httpchk HEAD /health HTTP/1.1']);
  assert.equal(r.ok, true);
  const hc = r.model.proxies[0]!.healthCheck!;
  assert.equal(hc.type, 'http');
  assert.deepEqual(hc.args, { method: 'HEAD', uri: '/health', version: 'HTTP/1.1' });
  const send = hc.rules!.find((x) => x.action === 'send');
  assert.equal(send?.action === 'send' && send.type === 'http' && send.uri, '/health');

  const bad = await checkLines(['option httpchk GET /x HTTP/1.1 y']);
  assert.equal(bad.ok, false);
  assert.deepEqual(said(bad), ["alert: parsing [t.cfg:7] : 'option httpchk' cannot handle unexpected argument 'y'."]);
});

test('option httpchk: a single argument is the URI', async () => {
  const r = await checkLines(['option httpchk /ping']);
  assert.deepEqual(r.model.proxies[0]!.healthCheck!.args, { uri: '/ping' });
});

test('option httpchk: headers hidden after the version are deprecated, and must parse', async () => {
  const r = await checkLines(['option httpchk GET /x "HTTP/1.1\\r\\nHost: x"']);
  assert.equal(r.ok, true);
  assert.deepEqual(said(r), [
    "warning: parsing [t.cfg:7]: 'option httpchk' : hiding headers or body at the end of the version string is deprecated. Please, consider to use 'http-check send' directive instead.",
  ]);
  const bad = await checkLines(['option httpchk GET /x "HTTP/1.1\\r\\nbad"']);
  assert.deepEqual(said(bad), ["alert: parsing [t.cfg:7] : 'option httpchk' : unable to parse the request 'bad\r\n\r\n'.."]);
});

test('no option httpchk is refused', async () => {
  const r = await checkLines(['no option httpchk']);
  assert.equal(r.ok, false);
  assert.match(said(r)[0]!, /^alert: parsing \[t\.cfg:7\]: negation\/default is not supported for option 'httpchk'\.$/);
});

test('options without arguments refuse extra words', async () => {
  for (const o of ['ldap-check', 'redis-check', 'spop-check', 'ssl-hello-chk', 'tcp-check', 'external-check']) {
    const r = await checkLines([`option ${o} x`]);
    assert.deepEqual(said(r), [`alert: parsing [t.cfg:7] : 'option ${o}' cannot handle unexpected argument 'x'.`], o);
  }
});

test('option mysql-check: user, post-41 / pre-41', async () => {
  const ok = await checkLines(['option mysql-check user haproxy pre-41']);
  assert.deepEqual(ok.model.proxies[0]!.healthCheck!.args, { user: 'haproxy', mysqlVariant: 'pre-41' });
  const cases: [string, string][] = [
    ['option mysql-check x', "'option mysql-check' only supports optional values: 'user' (got 'x')."],
    ['option mysql-check user', "'option mysql-check user' expects <username> as argument."],
    ['option mysql-check user u foo', "keyword 'user' only supports 'post-41' and 'pre-41' (got 'foo')."],
    ['option mysql-check user u post-41 x', "'option mysql-check' cannot handle unexpected argument 'x'."],
  ];
  for (const [line, msg] of cases) {
    const r = await checkLines([line]);
    assert.equal(r.ok, false, line);
    assert.deepEqual(said(r), [`alert: parsing [t.cfg:7] : ${msg}`], line);
  }
});

test('option pgsql-check needs "user <name>"', async () => {
  assert.equal((await checkLines(['option pgsql-check user pg'])).ok, true);
  for (const [line, msg] of [
    ['option pgsql-check', "'option pgsql-check' expects 'user <username>' as argument."],
    ['option pgsql-check foo u', "'option pgsql-check' only supports optional values: 'user'."],
  ] as const) {
    assert.deepEqual(said(await checkLines([line])), [`alert: parsing [t.cfg:7] : ${msg}`]);
  }
});

test('option smtpchk: HELO/EHLO <domain>, anything else means HELO localhost', async () => {
  const cmd = async (line: string) => (await checkLines([line])).model.proxies[0]!.healthCheck!.args.smtpCommand;
  assert.equal(await cmd('option smtpchk'), 'HELO localhost');
  assert.equal(await cmd('option smtpchk EHLO example.org'), 'EHLO example.org');
  assert.equal(await cmd('option smtpchk helo example.org'), 'HELO localhost');
  assert.deepEqual(said(await checkLines(['option smtpchk HELO x y'])), ["alert: parsing [t.cfg:7] : 'option smtpchk' cannot handle unexpected argument 'y'."]);
});

test('check options in a frontend: HAProxy warns, then still reads the line', async () => {
  const r = await checkLines(['option ldap-check'], { section: 'frontend f\n  bind :8080' });
  assert.equal(r.ok, true);
  assert.deepEqual(said(r), ["warning: parsing [t.cfg:8] : 'ldap-check' ignored because frontend 'f' has no backend capability."]);
  const bad = await checkLines(['option httpchk a b c d'], { section: 'frontend f\n  bind :8080' });
  assert.equal(bad.ok, false);
  assert.equal(said(bad).length, 2);
  // option external-check is not checked at all.
  const ext = await checkLines(['option external-check x'], { section: 'frontend f\n  bind :8080' });
  assert.deepEqual(said(ext), ["alert: parsing [t.cfg:8] : 'option external-check' cannot handle unexpected argument 'x'."]);
});

test('the protocol checks and option httpchk run; option external-check is still refused when starting', async () => {
  for (const line of ['option redis-check', 'option ldap-check', 'option mysql-check user u', 'option pgsql-check user u', 'option smtpchk', 'option spop-check', 'option ssl-hello-chk', 'option httpchk GET /']) {
    const started = await check(cfg([line, 'server s 127.0.0.1:1 check'], { mode: 'tcp' }), { start: true });
    assert.deepEqual(started.alerts, [], line);
  }
  const r = await checkLines(['option external-check']);
  assert.ok(r.warnings.includes("t.cfg:7: keyword 'option external-check' is not supported yet"));
  const started = await check(cfg(['option external-check']), { start: true });
  assert.ok(started.alerts.includes("t.cfg:7: keyword 'option external-check' is not supported yet"));
});

test('http-check and tcp-check rules: what does not run in checks is refused where it is written', async () => {
  const refused = async (lines: string[]): Promise<string[]> => (await check(cfg(lines, { mode: 'tcp' }), { start: true })).alerts;
  assert.deepEqual(await refused(['option httpchk', 'http-check send meth GET uri-lf /%[var(txn.x)]']), []);
  assert.deepEqual(await refused(['option httpchk', 'http-check send meth GET uri-lf /%ci']), [
    "t.cfg:8: 'http-check send' with a log-format variable '%ci' (only text and %[...] sample expressions run in checks) is not supported yet",
  ]);
  assert.deepEqual(await refused(['option httpchk', 'http-check send meth GET uri-lf /plain hdr X-A b body-lf text']), []);
  assert.deepEqual(await refused(['option httpchk', 'http-check expect status-code int(200) status 200']), []);
  assert.deepEqual(await refused(['option httpchk', 'http-check expect status-code date status 200']), [
    "t.cfg:8: 'http-check expect' with sample fetch 'date' is not supported yet",
  ]);
  assert.deepEqual(await refused(['option tcp-check', 'tcp-check set-var(check.x) int(1),add(check.y),sha1']), [
    "t.cfg:8: 'tcp-check set-var' with converter 'sha1' is not supported yet",
  ]);
  assert.deepEqual(await refused(['option tcp-check', 'tcp-check set-var-fmt(check.x) "%[var(check.y)]"', 'tcp-check unset-var(check.x)']), []);
  assert.deepEqual(await refused(['option httpchk', 'http-check expect on-error "down for good" status 200']), []);
  assert.deepEqual(await refused(['option httpchk', 'http-check connect ssl']), []);
  assert.deepEqual(await refused(['option httpchk', 'http-check connect via-socks4']), ["t.cfg:8: 'http-check connect' option 'via-socks4' is not supported yet"]);
  assert.deepEqual(await refused(['option httpchk', 'http-check connect proto h1 port 81']), []);
  assert.deepEqual(await refused(['option tcp-check', 'tcp-check send-lf hello']), []);
  assert.deepEqual(await refused(['option tcp-check', 'tcp-check send-lf %[date]']), [
    "t.cfg:8: 'tcp-check send-lf' with sample fetch 'date' is not supported yet",
  ]);
  assert.deepEqual(await refused(['option tcp-check', 'tcp-check connect port var(check.port)']), []);
});
