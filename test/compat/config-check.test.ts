/**
 * Portier judges configurations as HAProxy does: every file of test/corpus is checked with
 * `haproxy -c -f <file>` and `bin/portier -c -f <file>` (same environment, same working
 * directory), and the two must agree on
 *   - the exit status: 0 valid, 2 valid but nothing listens, 1 invalid;
 *   - for an invalid file, the line of the first "[ALERT]" that names [file:line];
 * and the file's "# Expect:" header must still be what haproxy says. Other alert lines and the
 * wording of the first alert are reported (in the summary) but not asserted.
 *
 * Skipped when /usr/sbin/haproxy (or $HAPROXY_BIN) is not installed; CI installs it.
 * The current disagreements are listed in test/corpus/MISMATCHES.md
 * (`node dist/test/compat/mismatch-report.js` rewrites it).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareFile,
  defaultConcurrency,
  HAPROXY,
  haproxyInstalled,
  listCorpus,
  mismatchTable,
  pool,
  setupEnvironment,
  type Comparison,
  type CorpusEnvironment,
} from './corpus.js';

const files = listCorpus();
const installed = haproxyInstalled();
const skip = installed ? false : `${HAPROXY} is not installed: the compat corpus needs the real haproxy 2.6 (apt-get install haproxy)`;

// Some 200 files through both programs: more than the runner's default test timeout on a busy
// machine. Each program run is bounded by the corpus helper itself.
describe('config corpus: portier -c agrees with haproxy -c', { skip, timeout: 600_000 }, () => {
  let env: CorpusEnvironment;
  const results = new Map<string, Comparison>();

  before(async () => {
    env = setupEnvironment();
    const runnable = files.filter((f) => env.certs || !f.needsCerts);
    for (const c of await pool(runnable, defaultConcurrency(), (f) => compareFile(f, env))) results.set(c.file.rel, c);
  }, { timeout: 600_000 });

  after(() => {
    env?.cleanup();
    const all = [...results.values()];
    if (all.some((r) => r.problems.length > 0)) process.stderr.write(`\nConfiguration corpus mismatches:\n${mismatchTable(all)}\n\n`);
  });

  test('the corpus has at least 80 files, valid and invalid', () => {
    assert.ok(files.length >= 80, `only ${files.length} corpus files`);
    assert.ok(files.some((f) => f.rel.startsWith('valid/')) && files.some((f) => f.rel.startsWith('invalid/')));
  });

  for (const file of files) {
    test(file.rel, (t) => {
      if (file.needsCerts && !env.certs) return t.skip('openssl could not make the test certificates');
      const c = results.get(file.rel);
      assert.ok(c, 'not run');
      for (const n of c.notes) t.diagnostic(n);
      assert.deepEqual(c.problems, [], `${file.rel}: ${c.problems.join('; ')}\n--- haproxy stderr ---\n${c.haproxy.stderr}--- portier stderr ---\n${c.portier.stderr}`);
    });
  }
});
