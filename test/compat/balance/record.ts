/**
 * Records what haproxy chooses for each balancing scenario (scenarios.ts) into
 * test/compat/balance/fixtures/<name>.json, which the unit tests replay against Portier's
 * algorithms (test/unit/lb/replay.test.ts). Run by hand after changing a scenario:
 *
 *   npx tsc -p . && node dist/test/compat/balance/record.js [name ...]
 *
 * Needs /usr/sbin/haproxy (2.6; HAPROXY=path to use another). Random scenarios are recorded as
 * counts per server.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/run.js';
import { playScenario } from './driver.js';
import { SCENARIOS } from './scenarios.js';

const HAPROXY = process.env['HAPROXY'] ?? '/usr/sbin/haproxy';
const FIXTURES = join(ROOT, 'test', 'compat', 'balance', 'fixtures');

const version = execFileSync(HAPROXY, ['-v'], { encoding: 'latin1' }).split('\n')[0]!.trim();
const wanted = new Set(process.argv.slice(2));
for (const sc of SCENARIOS) {
  if (wanted.size && !wanted.has(sc.name)) continue;
  const r = await playScenario(HAPROXY, sc);
  const counts: Record<string, number> = {};
  for (const n of r.sequence) counts[n] = (counts[n] ?? 0) + 1;
  const fixture = {
    name: sc.name,
    about: sc.about,
    recordedWith: version,
    backend: sc.backend,
    ...(sc.dead ? { dead: sc.dead } : {}),
    steps: sc.steps,
    ...(sc.random ? { random: true, counts } : { sequence: r.sequence }),
    cli: r.cli,
  };
  writeFileSync(join(FIXTURES, `${sc.name}.json`), JSON.stringify(fixture, null, 1) + '\n');
  console.log(`${sc.name}: ${sc.random ? JSON.stringify(counts) : r.sequence.join(' ')}`);
}
