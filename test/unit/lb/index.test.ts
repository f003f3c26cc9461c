/** createLbAlgorithm and lbOptionsOf (src/lb/index.ts): from a backend's model to its algorithm. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsistentHash } from '../../../src/lb/consistent.js';
import { First } from '../../../src/lb/first.js';
import { createLbAlgorithm, lbOptionsOf } from '../../../src/lb/index.js';
import { LeastConn } from '../../../src/lb/leastconn.js';
import { MapBasedHash } from '../../../src/lb/map-hash.js';
import { RandomDraws } from '../../../src/lb/random.js';
import { RoundRobin } from '../../../src/lb/roundrobin.js';
import { StaticRoundRobin } from '../../../src/lb/static-rr.js';
import { build } from './replay.js';

test('each balance line gets its algorithm; hash-based ones follow hash-type', async () => {
  const cases: [string[], unknown][] = [
    [[], RoundRobin],
    [['balance roundrobin'], RoundRobin],
    [['balance static-rr'], StaticRoundRobin],
    [['balance leastconn'], LeastConn],
    [['balance first'], First],
    [['balance random(3)'], RandomDraws],
    [['balance source'], MapBasedHash],
    [['balance source', 'hash-type consistent'], ConsistentHash],
    [['mode http', 'balance uri', 'hash-type map-based djb2'], MapBasedHash],
    // Layer 7 hashing in a tcp proxy falls back to round robin (config/checks/proxy.ts).
    [['balance uri', 'hash-type map-based djb2'], RoundRobin],
    [['mode http', 'balance url_param id', 'hash-type consistent wt6'], ConsistentHash],
    [['mode http', 'balance hdr(host)', 'hash-type consistent'], ConsistentHash],
    [['balance rdp-cookie'], MapBasedHash],
    [['balance hash src', 'hash-type consistent'], ConsistentHash],
    [['balance random', 'hash-type map-based'], RandomDraws],
  ];
  for (const [lines, cls] of cases) {
    const b = await build([...lines, 'server s1 {s1}', 'server s2 {s2}']);
    assert.ok(b.lb instanceof (cls as new (...a: never[]) => object), lines.join(', '));
  }
});

test('lbOptionsOf reads allbackups, hash-type and hash-balance-factor', async () => {
  const b = await build(['balance source', 'option allbackups', 'hash-type consistent crc32 avalanche', 'hash-balance-factor 125', 'server s1 {s1}']);
  assert.deepEqual(lbOptionsOf(b.model), {
    allBackups: true,
    hashType: { method: 'consistent', function: 'crc32', modifier: 'avalanche' },
    hashBalanceFactor: 125,
  });
  const d = await build(['balance source', 'hash-type consistent', 'server s1 {s1}']);
  assert.deepEqual(lbOptionsOf(d.model).hashType, { method: 'consistent', function: 'sdbm', modifier: 'avalanche' });
  const m = await build(['balance source', 'server s1 {s1}']);
  assert.deepEqual(lbOptionsOf(m.model), { allBackups: false, hashType: undefined, hashBalanceFactor: 0 });
});

test('random takes its draws from the balance line unless the options give them', () => {
  const s = [{ name: 'a', id: 1, weight: 1, backup: false, current: 0, maxconn: 0, usable: () => true }];
  const lb = createLbAlgorithm({ algorithm: 'random', args: { draws: 5 } }, { allBackups: false }, s) as unknown as { draws: number };
  assert.equal(lb.draws, 5);
  const lb2 = createLbAlgorithm({ algorithm: 'random', args: { draws: 5 } }, { allBackups: false, draws: 1 }, s) as unknown as { draws: number };
  assert.equal(lb2.draws, 1);
});
