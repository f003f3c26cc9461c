import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAlert, assertValid, at, globalCfg, tight } from './helpers.js';

const NEGATION =
  'negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.';

test('no/default are accepted for the keywords HAProxy lists', async () => {
  for (const kw of ['busy-polling', 'set-dumpable', 'strict-limits', 'insecure-fork-wanted', 'numa-cpu-mapping']) {
    const r = await globalCfg(`${kw}`, `no ${kw}`);
    assertValid(r);
    assert.equal(r.model.global.flags?.[kw], false, kw);
  }
});

test('other keywords: the negation alert, then the statement is read all the same', async () => {
  const r = await globalCfg('no daemon');
  assertAlert(r, tight(2, NEGATION));
  assert.equal(r.alerts.length, 1);
  assert.equal(r.model.global.daemon, true);
  assertAlert(await globalCfg('no insecure-setuid-wanted'), tight(2, NEGATION));
  assertAlert(await globalCfg('no h2-workaround-bogus-websocket-clients'), tight(2, NEGATION));
});

test('"default" makes HAProxy see the last word twice', async () => {
  const r = await globalCfg('default daemon');
  assertAlert(r, tight(2, NEGATION));
  assertAlert(r, at(2, "'daemon' cannot handle unexpected argument 'daemon'."));
  assertAlert(await globalCfg('default busy-polling'), at(2, "'busy-polling' cannot handle unexpected argument 'busy-polling'."));
  assertValid(await globalCfg('default numa-cpu-mapping'));
});

test('unknown keywords after no/default, and lone prefixes', async () => {
  const r = await globalCfg('no foo');
  assertAlert(r, tight(2, NEGATION));
  assertAlert(r, at(2, "unknown keyword 'foo' in 'global' section"));
  const o = await globalCfg('no option');
  assert.deepEqual(o.alerts, [at(2, "unknown keyword 'option' in 'global' section")]);
  const n = await globalCfg('no');
  assertAlert(n, tight(2, NEGATION));
  assertAlert(n, at(2, "unknown keyword '' in 'global' section"));
  const d = await globalCfg('default');
  assertAlert(d, at(2, "unknown keyword 'default' in 'global' section; did you mean 'defaults' maybe ?"));
});

test('unknown keywords: suggestions include section names; build-dependent keywords', async () => {
  assertAlert(await globalCfg('daemn'), at(2, "unknown keyword 'daemn' in 'global' section; did you mean 'daemon' maybe ?"));
  assertAlert(await globalCfg('frontnd'), at(2, "unknown keyword 'frontnd' in 'global' section; did you mean 'frontend' maybe ?"));
  assertAlert(await globalCfg('foo'), at(2, "unknown keyword 'foo' in 'global' section"));
  const r = await globalCfg('51degrees-data-file /x');
  assertAlert(r, at(2, "unknown keyword '51degrees-data-file' in 'global' section"));
  assert.ok(r.lines.some((l) => l.startsWith('notice:') && /51Degrees/.test(l)));
  assert.equal((await globalCfg('tune.quic.retry-threshold 3')).ok, false);
  assert.equal((await globalCfg('ssl-engine rdrand')).ok, false);
});

test('"global" takes no argument', async () => {
  const { cfg } = await import('./helpers.js');
  const r = await cfg('global x', '  daemon');
  assertAlert(r, at(1, "'global' cannot handle unexpected argument 'x'."));
  assert.equal(r.model.global.daemon, true);
});
