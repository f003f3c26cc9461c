/**
 * balance random (src/lb/random.ts): its choices cannot be compared with haproxy's one by one
 * (HAProxy draws from its own generator), so the tests check the distribution against the shares
 * of the consistent ring, and the draws rule on chosen draws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { avalanche } from '../../../src/lb/hash.js';
import { RandomDraws } from '../../../src/lb/random.js';
import { FakeServer } from './replay.js';

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

/**
 * Each server's share of the 32-bit ring, derived here independently: the server's points are
 * avalanche(id × 4096 + j) for j < weight × 16, and a hash goes to the nearest point (the
 * earlier on a tie).
 */
function ringShares(list: FakeServer[]): Map<string, number> {
  const points: { key: number; name: string }[] = [];
  for (const s of list) for (let j = 0; j < s.weight * 16; j++) points.push({ key: avalanche(s.id * 4096 + j), name: s.name });
  points.sort((a, b) => a.key - b.key);
  const shares = new Map<string, number>(list.map((s) => [s.name, 0]));
  const n = points.length;
  const R = 2 ** 32;
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    const prev = points[(i - 1 + n) % n]!;
    const next = points[(i + 1) % n]!;
    // Half the gap on each side (the tie going to the earlier point is negligible).
    const before = ((p.key - prev.key + R) % R) / 2;
    const after = ((next.key - p.key + R) % R) / 2;
    shares.set(p.name, shares.get(p.name)! + (before + after) / R);
  }
  return shares;
}

test('random(1): each server gets its share of the ring', () => {
  const list = [new FakeServer('s1', 1, 1, false, 0, 0, false), new FakeServer('s2', 2, 2, false, 0, 0, false), new FakeServer('s3', 3, 1, false, 0, 0, false), new FakeServer('s4', 4, 4, false, 0, 0, false)];
  const lb = new RandomDraws(list, { allBackups: false, draws: 1, random: xorshift(12345) });
  const N = 40_000;
  const counts = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const s = lb.pick()!;
    counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  }
  const shares = ringShares(list);
  for (const [name, p] of shares) {
    const got = (counts.get(name) ?? 0) / N;
    const sigma = Math.sqrt((p * (1 - p)) / N);
    assert.ok(Math.abs(got - p) < 5 * sigma, `${name}: ${got.toFixed(4)} picked, ring share ${p.toFixed(4)}`);
  }
  // The weights show through: s4 (weight 4) gets more than s1 (weight 1).
  assert.ok(counts.get('s4')! > 2 * counts.get('s1')!);
});

test('random(2), short connections: every server gets traffic, in proportion to its weight', () => {
  const list = [new FakeServer('a', 1, 1, false, 0, 0, false), new FakeServer('b', 2, 3, false, 0, 0, false)];
  const lb = new RandomDraws(list, { allBackups: false, random: xorshift(3) });
  const counts = { a: 0, b: 0 };
  for (let i = 0; i < 4000; i++) counts[lb.pick()!.name as 'a' | 'b']++;
  assert.ok(counts.b > 2 * counts.a && counts.a > 400, JSON.stringify(counts));
});

/** A hash value that lands on `target` (found by trying values with a one-draw picker). */
function hashOn(list: FakeServer[], target: FakeServer): number {
  for (let h = 1; ; h = (h * 2654435761 + 1) >>> 0) {
    const one = new RandomDraws(list, { allBackups: false, draws: 1, random: () => h });
    if (one.pick() === target) return h;
  }
}

test('draws: the least loaded of the drawn servers for its weight wins; the later draw on a tie', () => {
  const list = [new FakeServer('a', 1, 1, false, 0, 0, false), new FakeServer('b', 2, 2, false, 0, 0, false), new FakeServer('c', 3, 1, false, 0, 0, false)];
  const [a, b, c] = list as [FakeServer, FakeServer, FakeServer];
  const ha = hashOn(list, a);
  const hb = hashOn(list, b);
  const hc = hashOn(list, c);
  const seq = (...v: number[]) => {
    let i = 0;
    return () => v[i++ % v.length]!;
  };
  a.current = 3;
  b.current = 5; // weight 2: 5 × 1 < 3 × 2, b is less loaded for its weight
  assert.equal(new RandomDraws(list, { allBackups: false, draws: 2, random: seq(ha, hb) }).pick(), b);
  b.current = 7; // 7 × 1 > 3 × 2
  assert.equal(new RandomDraws(list, { allBackups: false, draws: 2, random: seq(ha, hb) }).pick(), a);
  b.current = 6; // tie: the later draw
  assert.equal(new RandomDraws(list, { allBackups: false, draws: 2, random: seq(ha, hb) }).pick(), b);
  assert.equal(new RandomDraws(list, { allBackups: false, draws: 2, random: seq(hb, ha) }).pick(), a);
  // Three draws: the best of the three.
  c.current = 1;
  assert.equal(new RandomDraws(list, { allBackups: false, draws: 3, random: seq(ha, hb, hc) }).pick(), c);
  assert.equal(new RandomDraws(list, { allBackups: false, draws: 1, random: seq(ha, hb, hc) }).pick(), a);
});

test('the chosen server full: nothing (the connection waits in the backend queue)', () => {
  const list = [new FakeServer('a', 1, 1, false, 2, 0, false), new FakeServer('b', 2, 1, false, 0, 0, false)];
  const [a] = list as [FakeServer, FakeServer];
  const ha = hashOn(list, a);
  a.current = 2;
  assert.equal(new RandomDraws(list, { allBackups: false, draws: 1, random: () => ha }).pick(), undefined);
  a.current = 1;
  assert.equal(new RandomDraws(list, { allBackups: false, draws: 1, random: () => ha }).pick(), a);
});

test('haproxy\'s recorded random choices follow the same ring shares', async () => {
  const { loadFixtures, build } = await import('./replay.js');
  const f = loadFixtures().find((x) => x.name === 'random')!;
  const b = await build(f.backend);
  const shares = ringShares(b.servers);
  const N = Object.values(f.counts!).reduce((x, y) => x + y, 0);
  for (const [name, p] of shares) {
    const got = (f.counts![name] ?? 0) / N;
    const sigma = Math.sqrt((p * (1 - p)) / N);
    assert.ok(Math.abs(got - p) < 4 * sigma, `${name}: haproxy ${got.toFixed(3)}, ring share ${p.toFixed(3)}`);
  }
});
