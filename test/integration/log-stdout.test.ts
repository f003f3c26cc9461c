/**
 * `log stdout` / `log stderr` (configuration.txt 3.1 "log"): the lines a process writes on its
 * own descriptors, with the format and len rules haproxy 2.6.12 applies to them (len counts
 * the line feed there, unlike datagrams).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/process.js';
import { run } from '../helpers/run.js';
import { RECORDED_TCPLOG } from '../unit/log/fixtures.js';
import { TCP_DEFAULTS } from './log-peers.js';

const CHILD = join(fileURLToPath(new URL('.', import.meta.url)), 'log-stdout-child.js');

test('stdout and stderr targets: raw, short, the default header, len', async () => {
  const file = join(tempDir('portier-log-stdout-'), 't.cfg');
  writeFileSync(
    file,
    `
global
    log stdout format raw local0
    log stdout len 80 format raw local0
    log stderr format short local0
    log stdout local0 notice
    log-tag haproxy
${TCP_DEFAULTS}frontend fe
    bind 127.0.0.1:1
    log global
    option tcplog
    default_backend be
backend be
    server s1 127.0.0.1:2
`,
  );
  const r = await run(process.execPath, [CHILD, file], { env: { ...process.env, TZ: 'UTC' } });
  assert.equal(r.code, 0, r.stderr);
  const stopped = 'Proxy fe stopped (cumulated conns: FE: 1, BE: 0).';
  const out = r.stdout.split('\n');
  assert.deepEqual(out.slice(0, 2), [RECORDED_TCPLOG, RECORDED_TCPLOG.slice(0, 79)]);
  assert.equal(out[2], stopped);
  assert.equal(out[3], stopped.slice(0, 79));
  assert.match(out[4]!, new RegExp(`^<132>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d haproxy\\[\\d+\\]: Proxy fe stopped \\(cumulated conns: FE: 1, BE: 0\\)\\.$`));
  assert.equal(out.length, 6);
  assert.equal(r.stderr, `<6>${RECORDED_TCPLOG}\n<4>${stopped}\n`);
});
