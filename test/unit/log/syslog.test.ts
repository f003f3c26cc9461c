/**
 * Syslog headers (log/syslog-header.ts) and the sending rules of log targets (log/targets.ts):
 * the bytes haproxy 2.6.12 sent for the same configuration, pid and dates aside.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './fixtures.js';
import { effectiveFormat, syslogHeader, type SyslogFormat } from '../../../src/log/syslog-header.js';
import { LogSampler } from '../../../src/log/sampler.js';
import { sendToTargets, type LogTarget } from '../../../src/log/targets.js';
import type { LogSink } from '../../../src/log/sinks.js';
import { isoTimestamp, legacyTimestamp, logDateLocal } from '../../../src/log/dates.js';

// 2026-11-25T21:28:41.211921Z
const NOW = Date.UTC(2026, 10, 25, 21, 28, 41) * 1000 + 211921;
const META = { tag: 'haproxy', pid: '19347' };
const MSG = '127.0.0.1:42058 [25/Nov/2026:21:28:41.199] fe be/s1 1/0/12 5 -- 1/1/0/0/0 0/0';

test('the header of every format (recorded from haproxy, facility localN, level info)', () => {
  const cases: [SyslogFormat | undefined, number, string][] = [
    [undefined, 16, '<134>Nov 25 21:28:41 haproxy[19347]: '],
    ['rfc3164', 17, '<142>Nov 25 21:28:41 localhost haproxy[19347]: '],
    ['rfc5424', 18, '<150>1 2026-11-25T21:28:41.211921+00:00 - haproxy 19347 - - '],
    ['short', 19, '<6>'],
    ['priority', 20, '<166>'],
    ['timed', 21, '<6>2026-11-25T21:28:41.211921+00:00 '],
    ['iso', 22, '2026-11-25T21:28:41.211921+00:00 '],
    ['raw', 23, ''],
    ['local', 1, '<14>Nov 25 21:28:41 haproxy[19347]: '],
  ];
  for (const [format, facility, header] of cases) {
    assert.equal(syslogHeader(effectiveFormat(format, META), facility, 6, META, NOW), header, String(format));
  }
});

test('log-send-hostname: the default format becomes rfc3164 with the host; rfc5424 names it', () => {
  const meta = { tag: 'fetag', pid: '19718', host: 'myhost' };
  assert.equal(effectiveFormat(undefined, meta), 'rfc3164');
  assert.equal(syslogHeader('rfc3164', 16, 6, meta, NOW), '<134>Nov 25 21:28:41 myhost fetag[19718]: ');
  assert.equal(syslogHeader('rfc5424', 19, 6, meta, NOW), '<158>1 2026-11-25T21:28:41.211921+00:00 myhost fetag 19718 - - ');
});

test('dates: the day of the legacy timestamp is padded with a space; offsets follow TZ', () => {
  assert.equal(legacyTimestamp(new Date(Date.UTC(2026, 0, 5, 1, 2, 3))), 'Jan  5 01:02:03 ');
  assert.equal(isoTimestamp(Date.UTC(2026, 0, 5, 1, 2, 3) * 1000 + 7), '2026-01-05T01:02:03.000007+00:00 ');
  assert.equal(logDateLocal(new Date(Date.UTC(2026, 0, 5, 1, 2, 3))), '05/Jan/2026:01:02:03 +0000');
});

function capture(kind: 'dgram' | 'fd'): { sink: LogSink; lines: string[] } {
  const lines: string[] = [];
  return { lines, sink: { kind, send: (b) => void lines.push(b.toString('latin1')) } };
}

function target(sink: LogSink, o: Partial<LogTarget> = {}): LogTarget {
  return { where: { file: 't.cfg', line: 1 }, sink, facility: 16, maxLevel: 7, minLevel: 0, len: 1024, ...o };
}

test('len: a datagram holds len bytes then LF, a descriptor line len bytes with its LF', () => {
  const udp = capture('dgram');
  const fd = capture('fd');
  const meta = { tag: 'fetag', pid: '19718', host: 'myhost' };
  const early = '127.0.0.1:38144 [25/Nov/2026:21:29:07.614] fe be/s1 1/0/+0 +0 -- 1/1/1/1/0 0/0';
  sendToTargets([target(udp.sink, { len: 100 })], 6, early, meta, NOW);
  sendToTargets([target(fd.sink, { len: 80, format: 'raw' })], 6, MSG, meta, NOW);
  // Recorded with "log 127.0.0.1:5514 len 100 local0" and "log stdout len 80 format raw local0".
  assert.equal(udp.lines[0], '<134>Nov 25 21:28:41 myhost fetag[19718]: 127.0.0.1:38144 [25/Nov/2026:21:29:07.614] fe be/s1 1/0/+0\n');
  assert.equal(fd.lines[0], MSG.slice(0, 79) + '\n');
});

test('levels: above <max level> not sent; more severe than <min level> sent at <min level>', () => {
  const a = capture('dgram');
  const b = capture('dgram');
  const c = capture('dgram');
  const targets = [target(a.sink, { facility: 16 }), target(b.sink, { facility: 17, maxLevel: 5 }), target(c.sink, { facility: 18, minLevel: 3, format: 'priority' })];
  sendToTargets(targets, 6, 'info line', META);
  sendToTargets(targets, 4, 'warning line\n', META);
  sendToTargets(targets, 0, 'emerg line', META);
  assert.deepEqual(
    a.lines.map((l) => l.slice(0, 5)),
    ['<134>', '<132>', '<128>'],
  );
  assert.deepEqual(
    b.lines.map((l) => l.slice(0, 5)),
    ['<140>', '<136>'],
  );
  // Trailing line feeds of a message are dropped; min level "err" lowers "emerg" to "err".
  assert.deepEqual(c.lines, ['<150>info line\n', '<148>warning line\n', '<147>emerg line\n']);
});

test('sample: the ranks kept, range after range', () => {
  const s = new LogSampler('1-2,5', 6);
  const kept: number[] = [];
  for (let i = 1; i <= 18; i++) if (s.next()) kept.push(i);
  assert.deepEqual(kept, [1, 2, 5, 7, 8, 11, 13, 14, 17]);
  const t = capture('dgram');
  const sampled = target(t.sink, { format: 'raw', sampler: new LogSampler('2', 3) });
  for (let i = 1; i <= 6; i++) sendToTargets([sampled], 6, `m${i}`, META);
  assert.deepEqual(t.lines, ['m2\n', 'm5\n']);
});
