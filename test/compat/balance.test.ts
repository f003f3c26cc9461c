/**
 * Balancing compared with haproxy on real sockets: each scenario of balance/scenarios.ts (a
 * backend configuration and a sequence of connections, some held open, some from other 127/8
 * source addresses, some with runtime API commands between them) runs through bin/portier and
 * through /usr/sbin/haproxy with the same configuration, and the servers chosen must be the same,
 * connection by connection. `balance random` is compared by distribution.
 *
 * Skipped with a message when haproxy is not installed, when the runtime does not balance with
 * src/lb yet, and per scenario when Portier refuses a keyword of it ("not supported yet") or a
 * runtime API command it uses. haproxy's own sequence must also still be the recorded fixture
 * (test/compat/balance/fixtures, replayed in-process by test/unit/lb/replay.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PORTIER, ROOT } from '../helpers/run.js';
import { HAPROXY, haproxyInstalled } from './corpus.js';
import { CliRefused, playScenario, StartError, type PlayResult } from './balance/driver.js';
import { SCENARIOS } from './balance/scenarios.js';

/** Whether the built runtime creates its balance algorithms with src/lb (createLbAlgorithm). */
function runtimeUsesLb(): boolean {
  const dir = join(ROOT, 'dist', 'src', 'runtime');
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((n) => n.endsWith('.js'))
    .some((n) => readFileSync(join(dir, n), 'utf8').includes('createLbAlgorithm'));
}

function fixture(name: string): { sequence?: string[] } | undefined {
  const path = join(ROOT, 'test', 'compat', 'balance', 'fixtures', `${name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { sequence?: string[] }) : undefined;
}

function counts(seq: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of seq) m.set(n, (m.get(n) ?? 0) + 1);
  return m;
}

/** Why Portier cannot run the scenario: a keyword it refuses, a runtime API command it lacks. */
function portierCannot(e: unknown): string | undefined {
  if (e instanceof CliRefused) return `portier's runtime API does not run '${e.message}' yet`;
  if (e instanceof StartError) {
    const m = /([^\n]*?)not supported yet/.exec(e.message);
    // "[ALERT] (pid) : config : file:line: keyword 'x' is not supported yet" -> from "keyword".
    return m ? `portier: ${m[0].replace(/^.*\.cfg:\d+: /, '')}` : undefined;
  }
  return undefined;
}

const skipAll = !haproxyInstalled() ? `${HAPROXY} is not installed (CI installs it)` : !runtimeUsesLb() ? "the runtime does not balance with src/lb's createLbAlgorithm yet" : undefined;

// Two scenarios at a time: with more, on a 2-core machine under the rest of the suite, even
// haproxy's runs miss answers within the driver's step timeout.
describe('balancing compared with haproxy', { concurrency: 2 }, () => {
  for (const scenario of SCENARIOS) {
    test(`${scenario.name}: ${scenario.about}`, { timeout: 120_000 }, async (t) => {
      if (skipAll) return t.skip(skipAll);
      let sc = scenario;
      let p: PlayResult;
      try {
        p = await playScenario(PORTIER, sc);
      } catch (e) {
        const why = portierCannot(e);
        if (!why) throw e;
        // A runtime API command Portier lacks: compare the connections made before it.
        const before = e instanceof CliRefused ? sc.steps.slice(0, e.step) : [];
        if (!before.some((s) => 'connect' in s)) return t.skip(why);
        t.diagnostic(`compared up to step ${before.length + 1}: ${why}`);
        sc = { ...sc, steps: before };
        p = await playScenario(PORTIER, sc);
      }
      const h = await playScenario(HAPROXY, sc);

      if (sc.random) {
        // The same ring, different random numbers: each server's share within 4.5 sigma.
        const N = h.sequence.length;
        const hc = counts(h.sequence);
        const pc = counts(p.sequence);
        for (const name of new Set([...hc.keys(), ...pc.keys()])) {
          const a = (hc.get(name) ?? 0) / N;
          const b = (pc.get(name) ?? 0) / N;
          const q = (a + b) / 2;
          const sigma = Math.sqrt((2 * q * (1 - q)) / N);
          assert.ok(Math.abs(a - b) <= 4.5 * sigma + 1 / N, `${name}: haproxy ${a.toFixed(3)}, portier ${b.toFixed(3)}`);
        }
        return;
      }
      const at = p.sequence.findIndex((n, i) => n !== h.sequence[i]);
      assert.deepEqual(p.sequence, h.sequence, `first difference at connection ${at}: portier ${p.sequence[at]}, haproxy ${h.sequence[at]}`);
      const recorded = fixture(sc.name)?.sequence;
      if (recorded) assert.deepEqual(h.sequence, recorded.slice(0, h.sequence.length), 'haproxy no longer gives the recorded sequence: re-record (balance/record.ts)');
    });
  }
});
