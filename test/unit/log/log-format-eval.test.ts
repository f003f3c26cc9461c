/** The log-format evaluator (log/log-format-eval.ts) against lines haproxy 2.6.12 wrote. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECORDED, RECORDED_TCPLOG, line } from './fixtures.js';
import { TCP_LOG_FORMAT } from '../../../src/log/log-format-vars.js';
import { compileLogFormat, ipHex } from '../../../src/log/log-format-eval.js';
import { compileLogFormatText } from '../../../src/log/log-format.js';

test('option tcplog: the line haproxy logged for the same stream (Tw is t_queue + 1 in tcp mode)', () => {
  assert.equal(line(TCP_LOG_FORMAT, RECORDED), RECORDED_TCPLOG);
});

test("option logasap: '+' before %Tt and %B; a redispatch puts '+' before %rc", () => {
  // Recorded: "... fe be/s1 1/0/+0 +0 -- 1/1/1/1/0 0/0" (logged when the connection was established).
  const early = { ...RECORDED, totalTime: 0, bytesOut: 0, feconn: 1, beconn: 1, srvConn: 1, logasap: true };
  assert.equal(line(TCP_LOG_FORMAT, early, { logasap: true }), '127.0.0.1:42058 [25/Nov/2026:21:28:41.199] fe be/s1 1/0/+0 +0 -- 1/1/1/1/0 0/0');
  assert.equal(line('%Ta %Tu %rc', { ...RECORDED, retries: 2, redispatched: true }, { logasap: true }), '+12 +12 +2');
});

test('every tcp variable with its flags, as haproxy 2.6.12 printed them', () => {
  const info = {
    ...RECORDED,
    acceptDate: new Date(Date.UTC(2026, 10, 25, 21, 29, 24, 52)),
    clientPort: 51770,
    totalTime: 4,
  };
  const fmt =
    '%ci %{+Q}f %{+X}ci %{+X}cp %{+Q}ci %{+Q}cp %{+X}Ts %{+X}ms %ms %T %Tl %Ts %pid %H %ID %{+Q}ID %lc %{+X}lc %rt %{+X}rt %U %Td %Th %Tu ' +
    '%fi:%fp %si:%sp %bi:%bp %ts %{+Q}ft %{+Q}b %{+E}f %{-M}ID %{+Q,-M}ID';
  assert.equal(
    line(fmt, info),
    '127.0.0.1 "fe" 7F000001 CA3A "127.0.0.1" 51770 6B075334 34 052 25/Nov/2026:21:29:24 +0000 25/Nov/2026:21:29:24 +0000 1795642164 19987 vm - "" 0 0000 0 0000 5 4 0 4 ' +
      '127.0.0.1:5580 127.0.0.1:5581 127.0.0.1:51666 -- "fe" "be" fe  ""',
  );
  // The second stream of that run: %lc and %rt count.
  assert.equal(line('%lc %{+X}lc %rt %{+X}rt', { ...info, streamId: 1 }, { logCount: 1 }), '1 0001 1 0001');
});

test('strings: -M prints nothing, +E escapes \'"\' \'\\\' and \']\', a missing value is "-"', () => {
  const info = { ...RECORDED, server: '<NOSRV>', backend: 'a"b\\c]d', serverIp: undefined, serverPort: undefined };
  assert.equal(line('%s %{+E}b %{+Q,+E}b %b', info), '<NOSRV> a\\"b\\\\c\\]d "a\\"b\\\\c\\]d" a"b\\c]d');
  assert.equal(line('%si:%sp %{+Q}si %{-M}si|', info), '-:- "" |');
  assert.equal(line('%{+Q}ft %ft', { ...info, frontendTransport: 'fe~' }), '"fe~" fe~');
});

test('termination states, connection counts, queues and timers', () => {
  const info = {
    ...RECORDED,
    termination: { cause: 's', phase: 'C' },
    queueTime: 3,
    connectTime: -1,
    totalTime: 1003,
    actconn: 7,
    feconn: 6,
    beconn: 5,
    srvConn: 4,
    srvQueue: 2,
    backendQueue: 1,
    retries: 3,
  };
  assert.equal(line('%ts %tsc %Tw/%Tc/%Tt %Td %ac/%fc/%bc/%sc/%rc %sq/%bq %ST', info), 'sC sC-- 4/-1/1003 -1 7/6/5/4/3 2/1 0');
  assert.equal(line('%Tw', { ...info, queueTime: -1 }), '-1');
});

test('addresses in hex (+X), IPv6, unix sockets', () => {
  assert.equal(ipHex('10.0.0.1'), '0A000001');
  assert.equal(ipHex('::1'), '00000000000000000000000000000001');
  assert.equal(ipHex('::ffff:127.0.0.1'), '00000000000000000000FFFF7F000001');
  assert.equal(ipHex('2001:db8::8:800:200c:417a'), '20010DB8000000000008080020 0C417A'.replace(' ', ''));
  const v6 = { ...RECORDED, clientIp: '2001:db8::1', clientPort: 443 };
  assert.equal(line('%ci:%cp %{+X}cp', v6), '2001:db8::1:443 01BB');
  // A unix listener: the address is "unix", the port is the listener's id; +X ends the line there.
  const unix = { ...RECORDED, clientIp: 'unix', clientPort: 3 };
  assert.equal(line('%ci:%cp %{+X}cp', unix), 'unix:3 3');
  assert.equal(line('a %{+X}ci b', unix), 'a ');
});

test('separators are merged, never leading; an empty capture list leaves no double space', () => {
  assert.equal(line('  %f   %b  ', RECORDED), 'fe be ');
  assert.equal(line('%f %hr %hs %b', RECORDED), 'fe be');
  assert.equal(line('%f %{-M}ID %b', RECORDED), 'fe  be');
});

test('http variables without a request print what HAProxy prints without one', () => {
  assert.equal(line('%{+Q}r %HM %ST %CC %tsc', RECORDED), '"<BADREQ>" <BADREQ> 0 - ----');
});

test('the line limit: numbers whole or not at all, text cut, limit - 1 characters', () => {
  const long = { ...RECORDED, frontend: 'f'.repeat(50) };
  assert.equal(line('%f %B', long, {}, 30), 'f'.repeat(29));
  assert.equal(line('abcdefgh %B', RECORDED, {}, 10), 'abcdefgh ');
  assert.equal(line('abcdefgh %B', RECORDED, {}, 11), 'abcdefgh 5');
  assert.equal(line('abcdefgh %Ts', RECORDED, {}, 15), 'abcdefgh ');
  assert.equal(line('%{+Q}f', long, {}, 30), '');
});

test('a sample expression cannot run yet', () => {
  const parts = compileLogFormatText('%ci %[src]');
  assert.ok('error' in parts);
  const direct = compileLogFormat([{ kind: 'expr', value: 'src' }]);
  assert.deepEqual(direct, { unsupported: '%[src]' });
});
