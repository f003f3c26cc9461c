import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEAD, only, run } from './support.js';

const T = 'defaults\n timeout client 1s\n timeout server 1s\n timeout connect 1s\n';

test('tcp-request rules are recorded; errors go on without stopping', async () => {
  const { r, msgs } = await run('tcp-request connection accept if TRUE\n tcp-request content foo x\n tcp-request session reject\n');
  assert.equal(msgs.length, 1);
  assert.match(msgs[0]!, /^alert: parsing \[t\.cfg:10\] : 'tcp-request content' expects 'accept'/);
  assert.deepEqual(
    r.model.proxies[0]!.rules.map((x) => [x.ruleset, x.action]),
    [
      ['tcp-request connection', 'accept'],
      ['tcp-request session', 'reject'],
    ],
  );
});

test('where tcp rule sets are allowed', async () => {
  const be = `${T}backend b\n tcp-request connection accept\n tcp-request session accept\n tcp-response content accept\n`;
  const { msgs } = await run('', be);
  assert.deepEqual(msgs, [
    'alert: parsing [t.cfg:6] : tcp-request connection is not allowed because backend b is not a frontend',
    'alert: parsing [t.cfg:7] : tcp-request session is not allowed because backend b is not a frontend',
  ]);
  const fe = `${T}frontend f\n bind :80\n tcp-response content accept\n tcp-response inspect-delay 1s\n`;
  assert.deepEqual((await run('', fe)).msgs, [
    "alert: parsing [t.cfg:7] : tcp-response content is only allowed in 'backend' sections or 'defaults' section with a name",
    "alert: parsing [t.cfg:8] : tcp-response inspect-delay is only allowed in 'backend' sections or 'defaults' section with a name",
  ]);
  const anon = 'defaults\n tcp-request content accept\n tcp-request\n tcp-response\n http-request deny\n';
  assert.deepEqual((await run('', anon)).msgs, [
    "alert: parsing [t.cfg:2] : tcp-request content is not allowed in anonymous 'defaults' sections",
    "alert: parsing [t.cfg:3] : missing argument for 'tcp-request' in defaults section",
    "alert: parsing [t.cfg:4] : missing argument for 'tcp-response' in defaults ''",
    "alert: parsing [t.cfg:5] : 'http-request' not allowed in anonymous 'defaults' section.",
  ]);
  assert.equal(await only('tcp-request foo\n'), "alert: parsing [t.cfg:9] : 'tcp-request' expects 'inspect-delay', 'connection', or 'content' in proxy 'f' (got 'foo')");
  assert.equal(await only('tcp-response foo\n'), "alert: parsing [t.cfg:9] : 'tcp-response' expects 'inspect-delay' or 'content' in proxy 'f' (got 'foo')");
});

test('condition errors, tcp wording', async () => {
  assert.equal(
    await only('tcp-request connection accept foo\n'),
    "alert: parsing [t.cfg:9] : 'tcp-request connection accept' only accepts 'if' or 'unless', in proxy 'f' (got 'foo')",
  );
  assert.equal(
    await only('tcp-request connection accept if nope\n'),
    "alert: parsing [t.cfg:9] : 'tcp-request connection accept' : error detected in proxy 'f' while parsing 'if' condition : no such ACL : 'nope'",
  );
});

test('built-in actions and their own messages', async () => {
  assert.equal(
    await only('tcp-request connection expect-proxy layer7\n'),
    "alert: parsing [t.cfg:9] : 'tcp-request connection expect-proxy' only supports 'layer4' in proxy 'f' (got 'layer7')",
  );
  assert.equal(
    await only('tcp-request content expect-proxy layer4\n'),
    "alert: parsing [t.cfg:9] : 'expect-proxy layer4' is not allowed in 'tcp-request content' rules in proxy 'f'",
  );
  assert.equal(
    await only('tcp-request session capture src len 1\n'),
    "alert: parsing [t.cfg:9] : 'capture src' is not allowed in 'tcp-request session' rules in proxy 'f'",
  );
  assert.equal(await only('tcp-request content capture src\n'), "alert: parsing [t.cfg:9] : 'tcp-request content capture' : a positive 'len' argument is mandatory");
  assert.equal(await only('tcp-request content capture src len x\n'), "alert: parsing [t.cfg:9] : 'tcp-request content capture' : length must be > 0");
  assert.equal(await only('tcp-request content capture\n'), "alert: parsing [t.cfg:9] : 'tcp-request content capture' : missing fetch method");
  assert.equal(
    await only('tcp-request connection track-sc0 req.len\n'),
    "alert: parsing [t.cfg:9] : 'tcp-request connection track-sc0' : fetch method 'req.len' extracts information from 'request buffer', none of which is available here",
  );
  assert.equal(
    await only('tcp-request connection track-sc3 src\n'),
    "alert: parsing [t.cfg:9] : 'tcp-request connection track-sc3' : 3 track-sc number exceeding 2 (MAX_SESS_STKCTR-1) value",
  );
  assert.equal(await only('tcp-response content close foo\n'), "alert: parsing [t.cfg:9] : 'tcp-response content close' only accepts 'if' or 'unless', in proxy 'f' (got 'foo')");
});

test('registered actions print their errors bare in tcp rule sets', async () => {
  assert.equal(await only('tcp-request content set-var(sess.a)\n'), 'alert: parsing [t.cfg:9] : missing fetch method');
  assert.equal(
    await only('tcp-request content set-var(sess.a) res.len\n'),
    "alert: parsing [t.cfg:9] : fetch method 'set-var(sess.a)' extracts information from 'response buffer', none of which is available here",
  );
  assert.equal(
    await only('tcp-request content set-priority-class res.len\n'),
    "alert: parsing [t.cfg:9] : fetch method 'tcp-request' extracts information from 'response buffer', none of which is available here",
  );
  assert.equal(await only('tcp-request connection sc-set-gpt0(0) src\n'), 'alert: parsing [t.cfg:9] : internal error, unexpected rule->from=0, please report this bug!');
  assert.equal(await only('tcp-request content use-service prometheus-exporter\n'), "alert: parsing [t.cfg:9] : Prometheus exporter service only available on 'http-request' rulesets");
  assert.equal(await only('tcp-request content switch-mode tcp\n'), "alert: parsing [t.cfg:9] : 'tcp-request switch-mode' expects a valid mode (got 'tcp').");
  assert.equal(
    await only('tcp-request content switch-mode http proto foo\n'),
    "alert: parsing [t.cfg:9] : 'tcp-request switch-mode': 'proto' expects a valid MUX protocol, if specified (got 'foo')",
  );
});

test('inspect-delay', async () => {
  assert.equal(
    await only('tcp-request inspect-delay 1x\n'),
    "alert: parsing [t.cfg:9] : 'tcp-request inspect-delay' expects a positive delay in milliseconds, in proxy 'f' (unexpected character 'x')",
  );
  assert.equal(
    await only('tcp-request inspect-delay 99999999999\n'),
    "alert: parsing [t.cfg:9] : 'tcp-request inspect-delay' expects a positive delay in milliseconds, in proxy 'f' (timer overflow in '99999999999', maximum value is 2147483647 ms or ~24.8 days)",
  );
  assert.equal(await only('tcp-request inspect-delay 1s\n tcp-request inspect-delay 2s\n'), "warning: parsing [t.cfg:10] : ignoring tcp-request inspect-delay (was already defined) in proxy 'f'");
  // Inherited from a defaults section like the other settings.
  const head = 'defaults d\n tcp-request inspect-delay 5s\n' + HEAD.slice('defaults\n'.length);
  assert.equal(await only('tcp-request inspect-delay 1s\n', head), "warning: parsing [t.cfg:10] : ignoring tcp-request inspect-delay (was already defined) in proxy 'f'");
});

test('tcp rules placed after rules that run later are warned about', async () => {
  assert.equal(
    await only('tcp-request session accept\n tcp-request connection accept\n'),
    "warning: parsing [t.cfg:10] : a 'tcp-request' rule placed after a 'tcp-request session' rule will still be processed before.",
  );
  assert.equal(
    await only('http-request deny if FALSE\n tcp-request content accept\n'),
    "warning: parsing [t.cfg:10] : a 'tcp-request' rule placed after an 'http-request' rule will still be processed before.",
  );
  assert.deepEqual((await run('tcp-response content accept\n tcp-request content accept\n')).msgs, []);
});

test('switch-mode needs the frontend side', async () => {
  const be = `${T}backend b\n tcp-request content switch-mode http\n tcp-request content switch-mode foo\n`;
  assert.deepEqual((await run('', be)).msgs, [
    "alert: parsing [t.cfg:6] : 'tcp-request switch-mode' not allowed because backend 'b' has no frontend capability",
    "alert: parsing [t.cfg:7] : 'tcp-request switch-mode' expects a valid mode (got 'foo').",
  ]);
});
