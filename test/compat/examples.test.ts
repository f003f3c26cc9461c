/**
 * examples/*.cfg: `bin/portier -c` gives each file the verdict its "# Expect:" line states, and
 * that verdict is HAProxy's (checked with /usr/sbin/haproxy when it is installed).
 * See examples/README.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PORTIER, ROOT, run } from '../helpers/run.js';
import { describe as describeJudgement, HAPROXY, haproxyInstalled, judge, looksLikeCrash, parseExpect, type Expectation, type Judgement } from './corpus.js';

const EXAMPLES = join(ROOT, 'examples');

function agrees(j: Judgement, e: Expectation): boolean {
  if (j.verdict !== e.verdict) return false;
  return e.verdict !== 'invalid' || e.line === undefined || j.firstLine === e.line;
}

for (const name of readdirSync(EXAMPLES).filter((n) => n.endsWith('.cfg')).sort()) {
  const path = join(EXAMPLES, name);
  const expect = parseExpect(readFileSync(path, 'latin1'));
  test(`examples/${name}`, async (t) => {
    if (!expect) return t.skip('no "# Expect:" line');
    const opts = { cwd: ROOT, env: { ...process.env, PORTIER_RUN: '/tmp', DEMO_DIR: '/tmp/portier-demo' } };
    if (haproxyInstalled()) {
      const h = judge(await run(HAPROXY, ['-c', '-f', path], opts), path);
      assert.ok(agrees(h, expect), `haproxy says ${describeJudgement(h)}, the file expects ${JSON.stringify(expect)}:\n${h.stderr}`);
    }
    const r = await run(PORTIER, ['-c', '-f', path], opts);
    assert.ok(!looksLikeCrash(r.stderr), r.stderr);
    const p = judge(r, path);
    assert.ok(agrees(p, expect), `portier says ${describeJudgement(p)}, the file expects ${JSON.stringify(expect)}:\n${p.stderr}`);
  });
}
