import { test } from 'node:test';
import assert from 'node:assert/strict';
import { only, run } from './support.js';

const T = 'defaults\n timeout client 1s\n timeout server 1s\n timeout connect 1s\n';

test('use_backend targets: missing, loop, incompatible mode, dynamic names', async () => {
  assert.equal(await only('use_backend nob if TRUE\n'), "alert: Proxy 'f': unable to find required use_backend: 'nob'.");
  assert.equal(await only('use_backend f\n'), "alert: Proxy 'f': loop detected for use_backend: 'f'.");
  const { msgs } = await run(`${T}listen f\n bind :80\n mode http\n use_backend b\nbackend b\n`, '');
  assert.deepEqual(msgs, ["alert: http proxy 'f' (t.cfg:5) tries to use incompatible tcp backend 'b' (t.cfg:9) in a 'use_backend' rule (see 'mode')."]);
  assert.deepEqual((await run('use_backend be_%[req.hdr(host)]\n')).msgs, []);
  assert.equal(
    await only('use_backend %[nope]\n'),
    "alert: Parsing [t.cfg:9]: failed to parse use_backend rule '%[nope]' : failed to parse sample expression <nope]> : unknown fetch method 'nope'.",
  );
});

test('use-server targets', async () => {
  assert.equal(await only('use-server nos if TRUE\n'), "alert: proxy 'f' : unable to find server 'nos' referenced in a 'use-server' rule.");
  assert.deepEqual((await run('use-server s if TRUE\n')).msgs, []);
});

test('stick tables of track-sc and stick rules', async () => {
  assert.equal(await only('http-request track-sc1 src\n'), "alert: Proxy 'f': unable to find table 'f' referenced by track-sc1.");
  assert.equal(await only('tcp-request connection track-sc0 src table\n'), "alert: Proxy 'f': unable to find table '' referenced by track-sc0.");
  assert.deepEqual((await run('stick-table type ip size 1\n http-request track-sc0 src\n stick on src\n')).msgs, []);
  assert.equal(await only('stick match src table nope\n'), "alert: Proxy 'f': unable to find stick-table 'nope'.");
  assert.equal(await only('stick store-response src table nope\n'), "alert: Proxy 'f': unable to find store table 'nope'.");
  const peers = `${T}peers p\n peer me 127.0.0.1:1000\n table t type ip size 1\nlisten f\n bind :80\n mode http\n http-request track-sc0 src table p/t\n`;
  assert.deepEqual((await run('', peers)).msgs.filter((m) => m.includes('table')), []);
});

test('tcp-request content rules and the inspect-delay', async () => {
  const tcp = `${T}listen f\n bind :80\n server s 127.0.0.1:80\n stick-table type ip size 1\n`;
  assert.equal(
    await only('tcp-request content track-sc0 req.len\n', tcp),
    "warning: proxy 'f' : a 'tcp-request content track-sc*' rule explicitly depending on request contents without any 'tcp-request inspect-delay' setting. This means that this rule will randomly find its contents. This can be fixed by setting the tcp-request inspect-delay.",
  );
  assert.deepEqual((await run('tcp-request inspect-delay 1s\n tcp-request content track-sc0 req.len\n', tcp)).msgs, []);
  assert.equal(
    await only('tcp-request content capture req.len len 10\n', tcp),
    "warning: proxy 'f' : a 'tcp-request capture' rule explicitly depending on request contents without any 'tcp-request inspect-delay' setting. This means that this rule will randomly find its contents. This can be fixed by setting the tcp-request inspect-delay.",
  );
  assert.equal(
    await only('stick-table type ip size 1\n tcp-request content track-sc0 src\n'),
    "warning: proxy 'f' : a 'tcp-request content track-sc*' rule not depending on request contents for an HTTP frontend should be executed at the session level, using a 'tcp-request session' rule (mandatory to track invalid HTTP requests).",
  );
});

test('capture slots referenced by id', async () => {
  assert.equal(await only('http-request capture src id 0\n'), "alert: Proxy 'f': unable to find capture id '0' referenced by http-request capture rule.");
  assert.deepEqual((await run('declare capture request len 1\n http-request capture src id 0\n')).msgs, []);
  assert.deepEqual((await run('http-request capture src len 4\n http-request capture src id 0\n')).msgs, []);
  assert.equal(await only('http-response capture res.hdr(x) id 0\n'), "alert: Proxy 'f': unable to find capture id '0' referenced by http-response capture rule.");
  assert.deepEqual((await run('declare capture response len 1\n http-after-response capture res.hdr(x) id 0\n')).msgs, []);
});

test('http-errors sections named by replies', async () => {
  assert.equal(await only('http-request deny errorfiles nope\n'), "alert: Proxy 'f': unknown http-errors section 'nope' referenced by an http reply .");
});

test('resolvers, caches and filters named by actions', async () => {
  assert.equal(await only('http-request do-resolve(txn.a,nope) src\n'), "alert: Proxy 'f': Can't find resolvers section 'nope' for do-resolve action.");
  assert.equal(await only('http-request cache-use nope\n'), "alert: config: proxy 'f': unable to find the cache 'nope' referenced by the filter 'cache'.");
  assert.equal(await only('http-request send-spoe-group a b\n'), "alert: Proxy 'f': unable to find SPOE engine 'a' used by the send-spoe-group 'b'.");
  assert.equal(await only('http-request ot-group a b\n'), "alert: Proxy 'f': unable to find the OpenTracing filter 'a' used by the ot-group 'b'.");
});

test('HTTP rules in a TCP proxy are ignored, with a warning per rule set', async () => {
  const tcp = `${T}listen f\n bind :80\n server s 127.0.0.1:80\n`;
  const { msgs } = await run('http-request deny\n http-after-response allow\n redirect prefix /\n', tcp);
  assert.deepEqual(msgs, [
    "warning: 'http-request' rules ignored for proxy 'f' as they require HTTP mode.",
    "warning: 'http-after-response' rules ignored for proxy 'f' as they require HTTP mode.",
    "warning: 'redirect' rules ignored for proxy 'f' as they require HTTP mode.",
  ]);
});

test('disabled proxies are not checked', async () => {
  assert.deepEqual((await run('disabled\n use_backend nob\n')).msgs, []);
});

test('rules of named defaults sections are checked too', async () => {
  const head = 'defaults d\n mode http\n timeout client 1s\n timeout server 1s\n timeout connect 1s\n';
  const { msgs } = await run('', `${head} http-request track-sc0 src table nope\n http-request capture src id 3\nfrontend f from d\n bind :80\n`);
  assert.deepEqual(msgs, [
    "alert: Proxy 'd': unable to find table 'nope' referenced by track-sc0.",
    "alert: Proxy 'd': unable to find capture id '3' referenced by http-request capture rule.",
  ]);
});

test('capture slots made in a defaults section belong to the frontends using it', async () => {
  const head = 'defaults base\n mode http\n timeout client 1s\n timeout server 1s\n timeout connect 1s\n http-request capture hdr(host) len 64\n';
  assert.deepEqual((await run('', `${head}frontend fe from base\n bind :80\n declare capture request len 32\n http-request capture hdr(x) id 1\n`)).msgs, []);
  assert.equal(
    await only('', `${head}frontend fe from base\n bind :80\n http-request capture hdr(x) id 1\n`),
    "alert: Proxy 'fe': unable to find capture id '1' referenced by http-request capture rule.",
  );
});

test('Lua actions and services are accepted once Lua code is loaded', async () => {
  const head = 'global\n lua-load /dev/null\n' + 'defaults\n timeout client 1s\n timeout server 1s\n timeout connect 1s\nlisten f\n bind :80\n mode http\n';
  const { r } = await run(' http-request lua.foo a b if TRUE\n tcp-request content lua.bar\n http-request use-service lua.svc\n', head);
  assert.equal(r.alerts.filter((a) => a.includes('lua')).length, 0);
  assert.match(await only('http-request lua.foo\n'), /'http-request' expects .* but got 'lua\.foo'\./);
});

test('keys must fit the stick table type', async () => {
  assert.equal(
    await only('stick-table type ip size 1\n http-request track-sc0 req.body\n'),
    "alert: Proxy 'f': stick-table 'f' uses a type incompatible with the 'track-sc0' rule.",
  );
  assert.equal(await only('stick-table type ip size 1\n stick on bool(1)\n'), "alert: Proxy 'f': type of fetch not usable with type of stick-table 'f'.");
  assert.deepEqual((await run('stick-table type integer size 1\n http-request track-sc1 src,ipmask(24)\n')).msgs, []);
});
