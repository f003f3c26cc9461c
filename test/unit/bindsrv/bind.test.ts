/** bind lines and their non-TLS options (configuration.txt 4.2 "bind", 5.1), messages as HAProxy 2.6 prints them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAlert, assertValid, assertWarning, at, check, frontend } from './helpers.js';

const L = "'bind :8443' in section 'frontend'";

test('bind addresses: errors name the address, the line is the bind line', async () => {
  assertAlert(await frontend('bind'), at(3, "'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments."));
  assertAlert(await frontend('bind 127.0.0.1'), at(3, "'bind' : missing port specification in '127.0.0.1'"));
  assertAlert(await frontend('bind ,:80'), at(3, "'bind' : '' resolves to an empty address (environment variable missing?)"));
  assertAlert(await frontend('bind :80,x:y'), at(3, "'bind' : invalid character 'y' in port number 'y' in 'x:y'"));
  assertAlert(await frontend('bind a,b:80'), at(3, "'bind' : missing port specification in 'a'"));
  assertAlert(await frontend('bind bad_name!:80'), at(3, "'bind' : invalid address: 'bad_name!' in 'bad_name!:80'"));
  const r = await frontend('bind :80,[::1]:81,/tmp/portier-x.sock');
  assertValid(r);
  const b = r.model.proxies[0]!.binds[0]!;
  assert.equal(b.text, ':80,[::1]:81,/tmp/portier-x.sock');
  assert.deepEqual(
    b.addresses.map((a) => [a.family, a.ip ?? a.path, a.port]),
    [
      ['ipv4', '0.0.0.0', 80],
      ['ipv6', '::1', 81],
      ['unix', '/tmp/portier-x.sock', undefined],
    ],
  );
});

test('a name that does not resolve is an invalid address, at the bind line', async () => {
  assertAlert(await frontend('bind nonexistent.invalid:80'), at(3, "'bind' : invalid address: 'nonexistent.invalid' in 'nonexistent.invalid:80'"));
  const r = await frontend('bind localhost:80');
  assertValid(r);
  assert.ok(['127.0.0.1', '::1'].includes(r.model.proxies[0]!.binds[0]!.addresses[0]!.ip!));
});

test('unknown options: "did you mean" as HAProxy words it for bind lines', async () => {
  assertAlert(await frontend('bind :8443 acept-proxy'), `parsing [t.cfg:3] : ${L}: unknown keyword 'acept-proxy'; did you mean 'accept-proxy' maybe ?`);
  assertAlert(await frontend('bind :8443 zzzzzzzzzz'), `parsing [t.cfg:3] : ${L}: unknown keyword 'zzzzzzzzzz'.`);
  assertAlert(await frontend('bind :8443 quic-force-retry'), `parsing [t.cfg:3] : ${L}: unknown keyword 'quic-force-retry'.`);
});

test('socket options: values read with atoi(), HAProxy\'s ranges and messages', async () => {
  const cases: [string, string][] = [
    ['accept-netscaler-cip', "'accept-netscaler-cip' : missing value"],
    ['accept-netscaler-cip x', "'accept-netscaler-cip' : invalid value 0, must be >= 0"],
    ['backlog', "'backlog' : missing value"],
    ['backlog -1', "'backlog' : invalid value -1, must be > 0"],
    ['maxconn -1', "'maxconn' : invalid value -1, must be >= 0"],
    ['id', "'id' : expects an integer argument"],
    ['id 5x', "'id' : expects an integer argument, found '5x'"],
    ['id 0', "'id' : custom id has to be > 0"],
    ['interface', "'interface' : missing interface name"],
    ['mss 0', "'mss' : expects an MSS with and absolute value between 1 and 65535"],
    ['mss 99999', "'mss' : expects an MSS with and absolute value between 1 and 65535"],
    ['name', "'name' : missing name"],
    ['namespace', "'namespace' : missing namespace id"],
    ['nice 1025', "'nice' : invalid value 1025, allowed range is -1024..1024"],
    ['proto', "'proto' : missing value"],
    ['proto foo', "'proto' :  unknown MUX protocol 'foo'"],
    ['shards 0', "'shards' : invalid value 0, allowed range is 1..64 or 'by-thread'"],
    ['tcp-ut', "'tcp-ut' : missing TCP User Timeout value"],
    ['tcp-ut x', "'tcp-ut' : expects a positive delay in milliseconds"],
    ['tcp-ut 25d', "timer overflow in argument '25d' to 'tcp-ut' (maximum value is 2147483647 ms or ~24.8 days)"],
    ['thread', "'' : '' is not a valid number/range. It supports numbers from 1 to 64."],
    ['thread 65', "'65' : '65' is not a valid number/range. It supports numbers from 1 to 64."],
    ['thread 1,2', "'1,2' : '1,2' is not a valid number/range."],
    ['thread 2/1', "'2/1' thread-group number must be between 1 and 1 (was 2)"],
    ['process', "'process' : '' is not a valid number/range. It supports numbers from 1 to 1."],
    ['process x', "'process' : 'x' is not a valid number/range."],
    ['process 1-2', "'process' : '1-2' is not a valid number/range. It supports numbers from 1 to 1."],
    ['expose-fd', "'expose-fd' : missing fd type"],
    ['expose-fd foo', "'expose-fd' only supports 'listeners' (got 'foo')"],
    ['level', "'level' : missing level"],
    ['level foo', "'level' only supports 'user', 'operator', and 'admin' (got 'foo')"],
    ['severity-output x', "'severity-output' only supports 'none', 'number', and 'string' (got 'x')"],
    ['mode', "'mode' : missing or invalid mode '' (octal integer expected)"],
    ['mode 999', "'mode' : missing or invalid mode '999' (octal integer expected)"],
    ['uid', "'uid' : missing value"],
    ['user', "'user' : missing user name"],
    ['user nonexistusr', "'user' : unknown user name 'nonexistusr'"],
    ['group nonexistgrp', "'group' : unknown group name 'nonexistgrp'"],
  ];
  for (const [opt, msg] of cases) assertAlert(await frontend(`bind :8443 ${opt}`), at(3, `${L} : ${msg}`));
  for (const opt of ['accept-netscaler-cip -1', 'backlog x', 'backlog 0', 'maxconn 0', 'mss -1400', 'nice x', 'shards by-thread', 'shards 5x', 'tcp-ut 0', 'thread 2-1', 'thread odd', 'mode 0777', 'mode -1', 'uid x', 'gid -1', 'proto none', 'interface nonexist0', 'v4v6 v6only', 'transparent defer-accept tfo accept-proxy']) {
    assertValid(await frontend(`bind :8443 ${opt}`));
  }
});

test('bind id: unique per proxy, one socket only', async () => {
  assertAlert(await frontend('bind :8443 id 5', 'bind :8444 id 5'), at(4, "'bind :8444' in section 'frontend' : 'id' : custom id 5 already used at t.cfg:3 ('bind :8443')"));
  assertAlert(await frontend('bind :8443,:8444 id 5'), at(3, "'bind :8443,:8444' in section 'frontend' : 'id' can only be used with a single socket"));
  assertAlert(await frontend('bind :8443-8444 id 5'), at(3, "'bind :8443-8444' in section 'frontend' : 'id' can only be used with a single socket"));
});

test('process is deprecated: a warning that suggests thread', async () => {
  const r = await frontend('bind :8443 process 1/2');
  assertValid(r);
  assertWarning(r, at(3, `${L} : 'process 1/2' on 'bind' lines is deprecated and will be removed in 2.7. Please use 'thread 2' instead.`));
});

test('characters after a time unit: accepted with parse_time_err()\'s warning', async () => {
  const r = await frontend('bind :8443 tcp-ut 1s5');
  assertValid(r);
  assert.ok(
    r.warnings.includes(
      "unexpected character '5' after the timer value '1s5', only (us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. This will be reported as an error in next versions.",
    ),
  );
});

test('unix socket ownership and permissions are recorded for the runtime', async () => {
  const r = await frontend('bind /tmp/portier-test.sock mode 660 user root group root name api level admin');
  assertValid(r);
  const o = r.model.proxies[0]!.binds[0]!.options;
  assert.equal(o['mode'], 0o660);
  assert.equal(o['uid'], 0);
  assert.equal(o['gid'], 0);
  assert.equal(o['name'], 'api');
  assert.equal(o['level'], 'admin');
  // Supported options are not reported as "not supported yet".
  assert.ok(!r.lines.some((l) => l.includes('not supported yet')), r.lines.join('\n'));
});

test('options Portier does not run yet are said so (a warning under -c)', async () => {
  const r = await frontend('bind :8443 defer-accept');
  assertValid(r);
  assertWarning(r, "t.cfg:3: bind option 'defer-accept' is not supported yet");
  const s = await check('frontend f\n  timeout client 1s\n  bind :8443 defer-accept\n', { start: true });
  assert.ok(s.alerts.includes("t.cfg:3: bind option 'defer-accept' is not supported yet"));
});

test('whole-configuration checks of bind lines: multiplexer by mode, threads', async () => {
  assertAlert(await frontend('bind :8443 proto h2'), "frontend 'f' : MUX protocol 'h2' is not usable for 'bind :8443' at [t.cfg:3].");
  assertValid(await frontend('bind :8443 proto h2', 'mode http'));
  assertAlert(await frontend('bind :8443 proto none', 'mode http'), "frontend 'f' : MUX protocol 'none' is not usable for 'bind :8443' at [t.cfg:3].");
  assertAlert(await frontend('bind :8443 proto fcgi', 'mode http'), "frontend 'f' : MUX protocol 'fcgi' is not usable for 'bind :8443' at [t.cfg:3].");
  const r = await check('global\n  nbthread 2\nfrontend f\n  timeout client 1s\n  bind :8443 thread 3\n');
  assertAlert(r, "Proxy 'f': 'thread' directive contains threads that belong to no group in 'bind :8443' at [t.cfg:5].");
});

test('stats socket: HAProxy quotes the option errors', async () => {
  const r = await check('global\n  stats socket /tmp/portier-s.sock mode x\n');
  assertAlert(r, at(2, "'stats socket' : ''mode' : missing or invalid mode 'x' (octal integer expected)'"));
  assertAlert(await check('global\n  stats socket /tmp/portier-s.sock v4v7\n'), at(2, "'stats socket' : unknown keyword 'v4v7'. Did you mean 'v4v6' maybe ?"));
});
