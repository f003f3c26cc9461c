import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAlert, assertValid, at, globalCfg } from './helpers.js';

test('log: targets, facility and levels', async () => {
  const r = await globalCfg('log /dev/log local0', 'log 127.0.0.1:514 len 200 format rfc5424 sample 1-2,4:5 local1 notice err', 'log stdout format raw daemon');
  assertValid(r);
  const logs = r.model.global.logs;
  assert.equal(logs.length, 3);
  assert.equal(logs[0]!.facility, 'local0');
  assert.deepEqual(logs[1]!.sample, { ranges: '1-2,4', size: 5 });
  assert.equal(logs[1]!.length, 200);
  assert.equal(logs[1]!.format, 'rfc5424');
  assert.equal(logs[1]!.level, 'notice');
  assert.equal(logs[1]!.minLevel, 'err');
  assert.deepEqual(logs[2]!.target, { special: 'stdout' });
  // 'log' runs (log/stream-logger.ts); a unix socket needs the optional package node-unix-socket.
  assert.equal(r.warnings.filter((w) => /keyword 'log' is not supported yet/.test(w)).length, 0);
  assert.ok(r.warnings.every((w) => !/not supported yet/.test(w) || /'\/dev\/log' \(a unix datagram socket\) without the optional package 'node-unix-socket[-a-z0-9]*'/.test(w)));
});

test('log: HAProxy\'s messages, in the order it checks', async () => {
  assertAlert(await globalCfg('log /dev/log'), at(2, 'log : expects <address> and <facility>  as arguments'));
  assertAlert(await globalCfg('log global'), at(2, "log : 'global' is not supported for a global syslog server"));
  assertAlert(await globalCfg('log /dev/log foo'), at(2, "log : unknown log facility 'foo'"));
  assertAlert(await globalCfg('log /dev/log local0 foo'), at(2, "log : unknown optional log level 'foo'"));
  assertAlert(await globalCfg('log /dev/log local0 info foo'), at(2, "log : unknown optional minimum log level 'foo'"));
  assertAlert(await globalCfg('log /dev/log local0 info info x'), at(2, "log : cannot handle unexpected argument 'x'"));
  assertAlert(await globalCfg('log /dev/log len 79 local0'), at(2, "log : invalid log length '79', must be between 80 and 65535"));
  assertAlert(await globalCfg('log /dev/log format foo local0'), at(2, "log : unknown log format 'foo'"));
  // The optional words come in a fixed order: "len" after "format" is taken for the facility.
  assertAlert(await globalCfg('log /dev/log format raw len 100 local0'), at(2, "log : unknown log facility 'len'"));
  assertAlert(await globalCfg('log /dev/log sample 1-3:2 local0'), at(2, 'log : sample size 2 should be greater or equal to 3 the maximum of the high ranges limits'));
  assertAlert(await globalCfg('log /dev/log sample 1-2,2-3:3 local0'), at(2, 'log : ranges are overlapping'));
  assertAlert(await globalCfg('log /dev/log sample 0:2 local0'), at(2, "log : wrong sample range '0'"));
  assertAlert(await globalCfg('log /dev/log sample 1 local0'), at(2, 'log : Missing sample size'));
  // The address is read last.
  assertAlert(await globalCfg('log 1.2.3.4:99999 len x local0'), at(2, "log : invalid log length 'x', must be between 80 and 65535"));
  assertAlert(await globalCfg('log 127.0.0.1:99999 local0'), at(2, "log : invalid port '99999'"));
  assertAlert(await globalCfg('log 1.2.3.4:1-2 local0'), at(2, "log : port range not permitted here in '1.2.3.4:1-2'"));
  assertAlert(await globalCfg('log fd@x local0'), at(2, "log : file descriptor 'x' is not a valid integer in 'fd@x'\n"));
  assertAlert(
    await globalCfg('log quic4@1.2.3.4 local0'),
    at(2, "log : unsupported stream protocol for datagram family 2 address 'quic4@1.2.3.4'; QUIC is not compiled in if this is what you were looking for."),
  );
});

test('log: an empty level ends the statement (HAProxy does not look further)', async () => {
  assertValid(await globalCfg('log 1.2.3.4 local0 "" x'));
});

test('no log forgets the global targets; default log repeats its last word', async () => {
  const r = await globalCfg('log /dev/log local0', 'no log');
  assertValid(r);
  assert.equal(r.model.global.logs.length, 0);
  assertAlert(await globalCfg('no log 127.0.0.1 local0'), at(2, "log : 'no log' does not expect arguments"));
  assertAlert(await globalCfg('default log'), at(2, 'log : expects <address> and <facility>  as arguments'));
});

test('log-tag and log-send-hostname', async () => {
  assertAlert(await globalCfg('log-tag'), at(2, "'log-tag' expects a tag for use in syslog."));
  assertAlert(await globalCfg('log-tag a b'), at(2, "'log-tag' cannot handle unexpected argument 'b'."));
  const r = await globalCfg('log-tag web', 'log-send-hostname', 'log-send-hostname x');
  assertValid(r);
  assert.equal(r.model.global.logTag, 'web');
  assert.equal(r.model.global.logSendHostname, true);
  assert.ok(r.lines.includes("alert: parsing [t.cfg:4] : 'log-send-hostname' already specified. Continuing."));
});
