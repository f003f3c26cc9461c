import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionRows, findAction } from '../../../src/actions/index.js';
import { LISTING } from '../../../src/actions/listing.js';
import { suggestAction } from '../../../src/actions/suggest.js';
import { RULESETS } from '../../../src/actions/types.js';
import { only } from './support.js';

test('every listed action has a row, and every row is listed or built in', () => {
  for (const set of RULESETS) {
    for (const entry of LISTING[set]) {
      const prefix = entry.endsWith('(*)');
      const name = prefix ? entry.slice(0, -3) : entry;
      const row = actionRows.find((r) => r.name === name && !r.builtin && r.rulesets.includes(set));
      assert.ok(row, `${set} ${entry} has no row`);
      assert.equal(!!row.prefix, prefix, `${set} ${entry}: prefix flag`);
    }
  }
  for (const row of actionRows) {
    for (const set of row.rulesets) {
      if (row.builtin || row.lua) continue;
      const listed = LISTING[set].includes(row.prefix ? `${row.name}(*)` : row.name);
      assert.ok(listed, `${set} ${row.name} is not in HAProxy's list`);
    }
    // Actions with a run-time implementation run in some of their rule sets only (the note says which).
    assert.equal(row.status, row.run ? 'partial' : 'notyet', row.name);
    if (row.run) assert.ok(row.note, row.name);
    assert.ok(row.summary.length > 10, row.name);
  }
});

test('lookup: exact names win, then the longest prefix action', () => {
  assert.equal(findAction('http-request', 'set-var-fmt(txn.x)')?.name, 'set-var-fmt');
  assert.equal(findAction('http-request', 'set-var(txn.x)')?.name, 'set-var');
  assert.equal(findAction('http-request', 'set-varx(txn.x)')?.name, 'set-var');
  assert.equal(findAction('http-request', 'sc-inc-gpc0(1)')?.name, 'sc-inc-gpc0');
  assert.equal(findAction('http-request', 'sc-inc-gpc2(0)')?.name, 'sc-inc-gpc');
  assert.equal(findAction('http-request', 'track-sc1')?.name, 'track-sc');
  assert.equal(findAction('http-request', 'set-header')?.name, 'set-header');
  assert.equal(findAction('http-request', 'close'), undefined);
  assert.equal(findAction('tcp-response content', 'close')?.builtin, true);
  assert.equal(findAction('tcp-request content', 'track-scx')?.builtin, true);
  assert.equal(findAction('http-after-response', 'deny'), undefined);
});

test("'did you mean' uses HAProxy's word fingerprints (cases checked with haproxy 2.6)", () => {
  const cands = (set: (typeof RULESETS)[number]) =>
    LISTING[set].map((e) => (e.endsWith('(*)') ? { name: e.slice(0, -3), prefix: true } : { name: e }));
  const extra = ['accept', 'reject', 'capture', 'track-sc', 'expect-proxy', 'expect-netscaler-cip'];
  assert.equal(suggestAction('set-hdr', cands('http-request')), 'set-header');
  assert.equal(suggestAction('dny', cands('http-request')), 'deny');
  assert.equal(suggestAction('dny', cands('tcp-request content'), extra), undefined);
  assert.equal(suggestAction('acept', cands('tcp-request content'), extra), 'accept');
  assert.equal(suggestAction('CLOSE', cands('http-after-response')), undefined);
  assert.equal(suggestAction('eu7-src', cands('http-after-response')), 'set-var');
  assert.equal(suggestAction('ADD-HEADER', cands('http-after-response')), 'add-header');
  assert.equal(suggestAction('x', cands('http-request')), undefined);
});

test('unknown http action: the whole list, then abort', async () => {
  const m = await only('http-request foo\n timeout nope 1\n');
  assert.match(m, /^alert: parsing \[t\.cfg:9\]: 'http-request' expects 'wait-for-handshake', 'ot-group', .* 'set-priority-offset', but got 'foo'\.$/);
  const e = await only('http-request\n');
  assert.match(e, /but got '' \(missing argument\)\.$/);
  const s = await only('http-request set-hdr a b\n');
  assert.match(s, /but got 'set-hdr'\. Did you mean 'set-header' maybe \?$/);
});

test('unknown tcp action: HAProxy lists its built-ins first and ends with a newline', async () => {
  const m = await only('tcp-request content acept\n');
  assert.equal(
    m,
    "alert: parsing [t.cfg:9] : 'tcp-request content' expects 'accept', 'reject', 'capture', 'expect-proxy', 'expect-netscaler-cip', 'track-sc0' ... 'track-sc2', " +
      "'ot-group', 'set-log-level', 'set-nice', 'switch-mode', 'use-service', 'sc-inc-gpc(*)', 'sc-inc-gpc0(*)', 'sc-inc-gpc1(*)', 'sc-set-gpt(*)', 'sc-set-gpt0(*)', " +
      "'send-spoe-group', 'do-resolve(*)', 'set-var-fmt(*)', 'set-var(*)', 'unset-var(*)', 'set-src', 'set-src-port', 'set-dst', 'set-dst-port', 'set-mark', 'set-tos', " +
      "'silent-drop', 'set-priority-class', 'set-priority-offset' in proxy 'f' (got 'acept'). Did you mean 'accept' maybe ?\n",
  );
  const r = await only('tcp-response content foo\n');
  assert.match(r, /'tcp-response content' expects 'accept', 'close', 'reject', 'ot-group', .* 'silent-drop' in proxy 'f' \(got 'foo'\)\.$/);
});
