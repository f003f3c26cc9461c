/**
 * Every scenario recorded from haproxy 2.6 (test/compat/balance/fixtures, record.ts) replayed
 * in-process: Portier's algorithm must choose the same server for each connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, loadFixtures, play } from './replay.js';

for (const f of loadFixtures()) {
  if (f.random) continue;
  test(`${f.name}: ${f.about}`, async () => {
    const b = await build(f.backend);
    const got = play(b, f.steps, f.dead);
    const want = f.sequence!;
    const at = got.findIndex((n, i) => n !== want[i]);
    assert.deepEqual(got, want, `first difference at connection ${at}: portier ${got[at]}, haproxy ${want[at]}`);
  });
}
