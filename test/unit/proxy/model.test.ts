/**
 * What the proxy keywords record in the model (the transcripts check the messages; these
 * check the values a runtime will read), and defaults inheritance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../../helpers/config.js';
import type { ProxyModel } from '../../../src/config/model/proxy.js';

const BASE = 'defaults\n  timeout client 1s\n  timeout server 2s\n  timeout connect 3s\n';

async function proxy(body: string, header = 'listen l\n  bind :8080'): Promise<ProxyModel> {
  const r = await check(`${BASE}${header}\n${body}\n`);
  assert.deepEqual(r.alerts, [], 'no alert expected');
  return r.model.proxies[r.model.proxies.length - 1]!;
}

test('timeouts are in milliseconds, rounded up from microseconds, inherited from defaults', async () => {
  const p = await proxy('  timeout tunnel 1h\n  timeout http-request 10us');
  assert.equal(p.timeouts['client'], 1000);
  assert.equal(p.timeouts['server'], 2000);
  assert.equal(p.timeouts['connect'], 3000);
  assert.equal(p.timeouts['tunnel'], 3_600_000);
  assert.equal(p.timeouts['http-request'], 1);
});

test('a frontend does not inherit backend timeouts, nor a backend the client timeout', async () => {
  const r = await check(`${BASE}frontend f\n  bind :80\nbackend b\n`);
  const [f, b] = r.model.proxies;
  assert.deepEqual(f!.timeouts, { client: 1000 });
  assert.deepEqual(b!.timeouts, { server: 2000, connect: 3000 });
});

test('balance records the algorithm and its arguments', async () => {
  assert.deepEqual((await proxy('  mode http\n  balance uri len 10 whole')).balance?.args, { len: 10, whole: true });
  assert.deepEqual((await proxy('  mode http\n  balance hdr(Host) use_domain_only')).balance?.args, { name: 'Host', useDomainOnly: true });
  assert.deepEqual((await proxy('  balance random(3)')).balance?.args, { draws: 3 });
  assert.deepEqual((await proxy('  balance rdp-cookie')).balance?.args, { name: 'mstshash' });
  assert.deepEqual((await proxy('  mode http\n  balance url_param id check_post')).balance?.args, { param: 'id', checkPost: true });
  assert.equal((await proxy('  balance')).balance?.algorithm, 'roundrobin');
  assert.deepEqual((await proxy('  hash-type consistent')).hashType, { method: 'consistent', function: 'sdbm', avalanche: true });
});

test('option flags with their prefixes; connection modes are one setting', async () => {
  const p = await proxy('  option abortonclose\n  no option allbackups\n  option httpclose\n  option http-server-close\n  option redispatch 3');
  assert.equal(p.options['abortonclose']?.enabled, true);
  assert.equal(p.options['allbackups']?.enabled, false);
  assert.equal(p.httpConnectionMode, 'http-server-close');
  assert.equal(p.redispatchInterval, 3);
  const q = await check(`defaults d\n  option abortonclose\nbackend b from d\n  default option abortonclose\n  no option httpclose\n`);
  // "default option X" reads "option X X" in HAProxy 2.6: refused.
  assert.match(q.alerts[0]!, /'option abortonclose' cannot handle unexpected argument 'abortonclose'/);
});

test('forwardfor, cookie, source, captures', async () => {
  const p = await proxy(
    '  option forwardfor except 10.0.0.0/8 header X-Client if-none\n  cookie SRV insert indirect nocache domain .a.com maxidle 30m attr SameSite=Lax\n' +
      '  source 10.0.0.1:0 usesrc hdr_ip(x-forwarded-for,-1)\n  capture request header Host len 20\n  capture cookie c len 10',
  );
  assert.deepEqual(p.forwardFor?.except, { family: 'ipv4', address: '10.0.0.0', prefix: 8 });
  assert.equal(p.forwardFor?.header, 'X-Client');
  assert.equal(p.forwardFor?.ifNone, true);
  assert.equal(p.cookie?.mode, 'insert');
  assert.equal(p.cookie?.maxidle, 1800);
  assert.deepEqual(p.cookie?.domains, ['.a.com']);
  assert.deepEqual(p.cookie?.attrs, ['SameSite=Lax']);
  assert.deepEqual(p.source?.usesrc, { kind: 'hdr_ip', header: 'x-forwarded-for', occurrence: -1 });
  assert.equal(p.captures.requestHeaders[0]?.length, 20);
  assert.equal(p.captures.cookie?.name, 'c');
});

test('log targets, "log global" copies nothing without global targets, "no log" clears', async () => {
  const p = await proxy('  log 127.0.0.1:514 len 200 format rfc5424 sample 1,3:4 local0 info debug\n  log stdout local1');
  assert.equal(p.logs.length, 2);
  assert.equal(p.logs[0]!.length, 200);
  assert.equal(p.logs[0]!.format, 'rfc5424');
  assert.deepEqual(p.logs[0]!.sample, { ranges: '1,3', size: 4 });
  assert.equal(p.logs[0]!.minLevel, 'debug');
  assert.deepEqual(p.logs[1]!.target, { special: 'stdout' });
  assert.equal((await proxy('  log stdout local0\n  no log')).logs.length, 0);
});

test('log formats: the last one wins; httplog falls back to tcplog in mode tcp', async () => {
  assert.equal((await proxy('  log-format "%ci %cp"\n  option tcplog')).logFormat?.kind, 'tcplog');
  assert.equal((await proxy('  option httplog\n  log stdout local0')).logFormat?.kind, 'tcplog');
  const h = await proxy('  mode http\n  option httplog clf\n  log stdout local0');
  assert.equal(h.logFormat?.kind, 'httplog clf');
});

test('layer 7 balancing in mode tcp falls back to roundrobin', async () => {
  assert.equal((await proxy('  balance uri')).balance?.algorithm, 'roundrobin');
  assert.equal((await proxy('  mode http\n  balance uri')).balance?.algorithm, 'uri');
});

test('ids: given ones are kept, the others get the lowest free numbers in order', async () => {
  const r = await check(`${BASE}frontend a\n  bind :1\nbackend b\n  id 1\nbackend c\nlisten d\n  bind :2\n  id 3\nbackend e\n`);
  assert.deepEqual(
    r.model.proxies.map((p) => [p.name, p.id]),
    [
      ['a', 2],
      ['b', 1],
      ['c', 4],
      ['d', 3],
      ['e', 5],
    ],
  );
});

test('a defaults section without "from" starts afresh; "from" picks a named one', async () => {
  const r = await check(`defaults a\n  mode http\n  timeout client 5s\ndefaults\nfrontend f\n  bind :80\nfrontend g from a\n  bind :81\n`);
  const [f, g] = r.model.proxies;
  assert.equal(f!.mode, 'tcp');
  assert.equal(g!.mode, 'http');
  assert.equal(g!.timeouts['client'], 5000);
  assert.equal(g!.from, 'a');
});

test('errorfile keeps the file content; errorloc the URL', async () => {
  const { FILES_DIR } = await import('./transcripts.js');
  const p = await proxy(`  errorfile 503 ${FILES_DIR}/e503.http\n  errorloc303 404 /nf`);
  const [ef, el] = p.errorMessages;
  assert.equal(ef?.kind, 'errorfile');
  assert.match(ef?.kind === 'errorfile' ? ef.content : '', /^HTTP\/1.0 503 Service Unavailable\r\n/);
  assert.deepEqual(el && el.kind === 'errorloc303' ? [el.status, el.url] : [], [404, '/nf']);
});

test('statuses: mode http and most keywords say they do not run yet; tcp mode, timeouts and roundrobin run', async () => {
  const r = await check(`${BASE}listen l\n  bind :80\n  mode tcp\n  balance roundrobin\n  timeout server 5s\n  option redispatch\n  option httpclose\n  mode http\n`);
  const notyet = r.diag.list.filter((d) => d.code === 'notyet').map((d) => `${d.where?.line}: ${d.message}`);
  assert.deepEqual(notyet, ["11: keyword 'option httpclose' is not supported yet", "12: keyword 'mode http' is not supported yet"]);
  const started = await check(`${BASE}listen l\n  bind :80\n  option httpclose\n`, { start: true });
  assert.equal(started.ok, false);
  assert.match(started.alerts[0]!, /t.cfg:7: keyword 'option httpclose' is not supported yet/);
});
