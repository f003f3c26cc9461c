import { test } from 'node:test';
import assert from 'node:assert/strict';
import { only, run } from './support.js';

const T = 'defaults\n timeout client 1s\n timeout server 1s\n timeout connect 1s\n';
const FB = `${T}frontend f\n bind :80\n mode http\n @@\nbackend b\n mode http\n server s 127.0.0.1:80\n @@\n`;

test('use_backend and use-server: grammar', async () => {
  assert.equal(await only('use_backend\n'), "alert: parsing [t.cfg:9] : 'use_backend' expects a backend name.");
  assert.equal(await only('use_backend b foo\n'), "alert: parsing [t.cfg:9] : unexpected keyword 'foo' after switching rule, only 'if' and 'unless' are allowed.");
  assert.equal(await only('use_backend b if nope\n'), "alert: parsing [t.cfg:9] : error detected while parsing switching rule : no such ACL : 'nope'.");
  assert.equal(await only('use-server s\n'), "alert: parsing [t.cfg:9] : 'use-server' requires either 'if' or 'unless' followed by a condition.");
  assert.equal(await only('use-server\n'), "alert: parsing [t.cfg:9] : 'use-server' expects a server name.");
});

test('use_backend in a backend is warned about, but still recorded and checked (as HAProxy does)', async () => {
  const { msgs } = await run('', FB.replace(/@@/g, 'use_backend x'));
  assert.deepEqual(msgs, [
    "warning: parsing [t.cfg:12] : 'use_backend' ignored because backend 'b' has no frontend capability.",
    "alert: Proxy 'f': unable to find required use_backend: 'x'.",
    "alert: Proxy 'b': unable to find required use_backend: 'x'.",
  ]);
});

test('stick rules in a frontend are truly ignored', async () => {
  const { msgs, r } = await run('', FB.replace(/@@/g, 'stick on src table b'));
  assert.deepEqual(msgs, [
    "warning: parsing [t.cfg:8] : 'stick' ignored because frontend 'f' has no backend capability.",
    "alert: Proxy 'b': unable to find stick-table 'b'.",
  ]);
  assert.equal(r.model.proxies[0]!.rules.length, 0);
});

test('stick: grammar and places', async () => {
  assert.equal(await only('stick foo\n'), "alert: parsing [t.cfg:9] : 'stick' expects 'on', 'match', or 'store'.");
  assert.equal(await only('stick on\n'), "alert: parsing [t.cfg:9] : 'stick' expects a fetch method.");
  assert.equal(await only('stick on nope\n'), "alert: parsing [t.cfg:9] : 'stick': unknown fetch method 'nope'");
  assert.equal(await only('stick on src foo\n'), "alert: parsing [t.cfg:9] : 'stick': unknown keyword 'foo'.");
  assert.equal(
    await only('stick on res.hdr(x) table f\n stick-table type ip size 1\n'),
    "alert: parsing [t.cfg:9] : 'stick': fetch method 'res.hdr' extracts information from 'HTTP response headers', none of which is available during request.",
  );
  assert.equal(
    await only('stick store-response req.hdr(x)\n stick-table type ip size 1\n'),
    "alert: parsing [t.cfg:9] : 'stick': fetch method 'req.hdr' extracts information from 'HTTP request headers', none of which is available for 'store-response'.",
  );
  assert.equal(
    await only('stick match src if nope\n'),
    "alert: parsing [t.cfg:9] : 'stick': error detected while parsing sticking condition : no such ACL : 'nope'.",
  );
});

test('redirect keyword: plain strings, its own wording', async () => {
  assert.equal(
    await only('redirect foo\n'),
    "alert: parsing [t.cfg:9] : error detected in proxy 'f' while parsing redirect rule : expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty' or 'append-slash' (was 'foo').",
  );
  assert.equal(await only('redirect prefix\n'), "alert: parsing [t.cfg:9] : error detected in proxy 'f' while parsing redirect rule : missing argument for 'prefix'.");
  assert.deepEqual((await run('redirect location %[nope] code 301 drop-query set-cookie a=b if TRUE\n')).msgs, []);
  assert.equal(await only('', `${T}defaults d\n redirect prefix /\n`), "alert: parsing [t.cfg:6] : 'redirect' not allowed in 'defaults' section.");
});

test('force-persist, ignore-persist, monitor fail', async () => {
  assert.equal(await only('force-persist\n'), "alert: parsing [t.cfg:9] : 'force-persist' requires either 'if' or 'unless' followed by a condition.");
  assert.equal(await only('ignore-persist if nope\n'), "alert: parsing [t.cfg:9] : error detected while parsing a 'ignore-persist' rule : no such ACL : 'nope'.");
  assert.equal(await only('monitor foo\n'), "alert: parsing [t.cfg:9] : 'monitor' only supports 'fail'.");
  assert.equal(await only('monitor fail\n'), "alert: parsing [t.cfg:9] : 'monitor fail' requires either 'if' or 'unless' followed by a condition.");
  assert.equal(
    await only('monitor fail if nope\n'),
    "alert: parsing [t.cfg:9] : error detected while parsing a 'monitor fail' condition : no such ACL : 'nope'.",
  );
  const { msgs } = await run('', FB.replace(/@@/g, 'monitor fail if TRUE'));
  assert.deepEqual(msgs, ["warning: parsing [t.cfg:12] : 'monitor' ignored because backend 'b' has no frontend capability."]);
});

test('declare capture', async () => {
  assert.deepEqual((await run('declare capture request len 10\n declare capture response len 5\n')).msgs, []);
  assert.equal(await only('declare\n'), "alert: parsing [t.cfg:9] : 'declare' needs a second keyword that specify the type of declaration ('capture')");
  assert.equal(await only('declare foo\n'), "alert: parsing [t.cfg:9] : unknown declaration type 'foo' (supports 'capture')");
  assert.equal(await only('declare capture foo len 1\n'), "alert: parsing [t.cfg:9] : 'declare capture' requires a direction ('request' or 'response')");
  assert.equal(await only('declare capture request foo 1\n'), "alert: parsing [t.cfg:9] : 'declare capture' requires a capture length ('len')");
  assert.equal(await only('declare capture request len x\n'), "alert: parsing [t.cfg:9] : 'declare capture': cannot parse the length 'len'.");
  assert.equal(await only('declare capture request len 0\n'), 'alert: parsing [t.cfg:9] : length must be > 0');
  const { msgs } = await run('', FB.replace(/@@/g, 'declare capture request len 1'));
  assert.deepEqual(msgs, ["alert: parsing [t.cfg:12] : 'declare' only available in frontend or listen section"]);
});

test('http-error', async () => {
  assert.deepEqual((await run('http-error status 400 content-type text/plain string hi\n http-error status 503\n')).msgs, []);
  assert.equal(await only('http-error foo\n'), 'alert: parsing [t.cfg:9] : http-error : expects at least a <status> as arguments.\n');
  assert.equal(await only('http-error status 201\n'), "alert: parsing [t.cfg:9] : http-error: status code '201' not handled.");
  assert.equal(await only('http-error status 400 foo\n'), "alert: parsing [t.cfg:9] : http-error : unknown keyword 'foo'.");
  assert.equal(await only('http-error status x\n'), "alert: parsing [t.cfg:9] : http-error : Unexpected status code '0'");
});

test('rules placed after rules that run later', async () => {
  assert.equal(
    await only('redirect prefix / if FALSE\n http-request deny\n'),
    "warning: parsing [t.cfg:10] : a 'http-request' rule placed after a 'redirect' rule will still be processed before.",
  );
  assert.equal(
    await only('use-server s if FALSE\n redirect prefix /\n'),
    "warning: parsing [t.cfg:10] : a 'redirect' rule placed after a 'use-server' rule will still be processed before.",
  );
  assert.equal(
    await only('http-request deny if FALSE\n monitor fail if TRUE\n'),
    "warning: parsing [t.cfg:10] : a 'monitor fail' rule placed after an 'http-request' rule will still be processed before.",
  );
  assert.deepEqual((await run('http-response deny\n http-request deny\n')).msgs, []);
});

test('conditions that cannot match where the rule runs: warned after the misplaced-rule warning', async () => {
  const { msgs } = await run('redirect prefix / if FALSE\n http-request deny if { res.hdr(x) -m found }\n');
  assert.deepEqual(msgs, [
    "warning: parsing [t.cfg:10] : a 'http-request' rule placed after a 'redirect' rule will still be processed before.",
    "warning: parsing [t.cfg:10] : anonymous acl will never match because it uses keyword 'res.hdr' which is incompatible with 'frontend http-request header rule'",
  ]);
  assert.equal(
    await only('force-persist if { res.hdr(x) -m found }\n'),
    "warning: parsing [t.cfg:9] : anonymous acl will never match because it uses keyword 'res.hdr' which is incompatible with 'backend tcp-request content rule'",
  );
  assert.equal(
    (await run('tcp-request content accept if { res.len gt 0 }\n')).msgs[0],
    "warning: parsing [t.cfg:9] : anonymous acl will never match in 'tcp-request content' because it uses keyword 'res.len' which is incompatible with 'frontend tcp-request content rule'",
  );
  // monitor fail: warned about before its condition is read, and its condition is not checked.
  assert.deepEqual((await run('http-request deny if FALSE\n monitor fail if nope\n')).msgs, [
    "warning: parsing [t.cfg:10] : a 'monitor fail' rule placed after an 'http-request' rule will still be processed before.",
    "alert: parsing [t.cfg:10] : error detected while parsing a 'monitor fail' condition : no such ACL : 'nope'.",
  ]);
});
