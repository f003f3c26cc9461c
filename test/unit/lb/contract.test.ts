/**
 * One contract suite run against every balance algorithm (STYLE.md 12): what any algorithm must
 * do whatever its order — nothing when no server is usable, never a server of weight 0 or down,
 * backups only when no active server is usable (the first one, or all with allbackups), the
 * avoided server only as a last resort, full servers skipped.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLbAlgorithm } from '../../../src/lb/index.js';
import type { BalanceModel } from '../../../src/config/model/proxy.js';
import type { LbAlgorithm, LbOptions } from '../../../src/lb/types.js';
import { FakeServer } from './replay.js';

interface Variant {
  readonly label: string;
  readonly balance: Pick<BalanceModel, 'algorithm' | 'args'>;
  readonly options?: Partial<LbOptions>;
  /** Whether the variant hashes a key (a key is passed with each pick). */
  readonly hashed?: boolean;
  /** The lookup ignores the avoided server (HAProxy's map-based hashing does). */
  readonly ignoresAvoid?: boolean;
  /** Whether a full server makes the pick fail instead of being skipped (random). */
  readonly fullFails?: boolean;
  /** Whether full servers are not looked at (hash lookups). */
  readonly ignoresFull?: boolean;
}

const VARIANTS: Variant[] = [
  { label: 'roundrobin', balance: { algorithm: 'roundrobin', args: {} } },
  { label: 'static-rr', balance: { algorithm: 'static-rr', args: {} } },
  { label: 'leastconn', balance: { algorithm: 'leastconn', args: {} } },
  { label: 'first', balance: { algorithm: 'first', args: {} } },
  { label: 'random', balance: { algorithm: 'random', args: { draws: 2 } }, fullFails: true },
  { label: 'source map-based', balance: { algorithm: 'source', args: {} }, hashed: true, ignoresAvoid: true, ignoresFull: true },
  {
    label: 'source consistent',
    balance: { algorithm: 'source', args: {} },
    options: { hashType: { method: 'consistent', function: 'sdbm', modifier: 'avalanche' } },
    hashed: true,
    ignoresFull: true,
  },
  {
    label: 'uri consistent, bounded',
    balance: { algorithm: 'uri', args: {} },
    options: { hashType: { method: 'consistent', function: 'sdbm', modifier: 'avalanche' }, hashBalanceFactor: 150 },
    hashed: true,
    ignoresFull: true,
  },
  { label: 'hdr without key (map walk)', balance: { algorithm: 'hdr', args: { name: 'host' } } },
  { label: 'rdp-cookie without key (ring walk)', balance: { algorithm: 'rdp-cookie', args: {} }, options: { hashType: { method: 'consistent', function: 'sdbm' } } },
];

function servers(spec: [name: string, weight: number, backup?: boolean][]): FakeServer[] {
  return spec.map(([name, w, b], i) => new FakeServer(name, i + 1, w, b === true, 0, 0, false));
}

/** A deterministic 32-bit generator (xorshift32). */
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

function make(v: Variant, list: FakeServer[], extra: Partial<LbOptions> = {}): LbAlgorithm<FakeServer> {
  return createLbAlgorithm(v.balance, { allBackups: false, random: xorshift(7), ...v.options, ...extra }, list);
}

/** Picks n times (short connections), with a varying key for hashed variants. */
function picks(v: Variant, lb: LbAlgorithm<FakeServer>, n: number, avoid?: FakeServer): string[] {
  const rnd = xorshift(99);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = lb.pick({ ...(v.hashed ? { hash: rnd() } : {}), ...(avoid ? { avoid: new Set([avoid]) } : {}) });
    out.push(s?.name ?? '-');
    if (s) {
      s.current++;
      lb.take(s);
      s.current--;
      lb.drop(s);
    }
  }
  return out;
}

for (const v of VARIANTS) {
  describe(v.label, () => {
    test('no usable server: nothing', () => {
      const list = servers([['a', 1], ['b', 2]]);
      for (const s of list) s.up = false;
      assert.equal(make(v, list).pick({ hash: 5 }), undefined);
      assert.equal(make(v, servers([['a', 0], ['b', 0]])).pick({ hash: 5 }), undefined);
    });

    test('weight 0 and down servers are never picked; a server back up is', () => {
      const list = servers([['a', 1], ['b', 0], ['c', 2], ['d', 1]]);
      const lb = make(v, list);
      list[2]!.up = false;
      lb.update(list[2]!);
      let got = new Set(picks(v, lb, 200));
      assert.ok(!got.has('b') && !got.has('c') && !got.has('-'), [...got].join());
      list[2]!.up = true;
      lb.update(list[2]!);
      // first fills the first server; the others spread.
      got = new Set(picks(v, lb, 200));
      if (v.label !== 'first') assert.ok(got.has('c'), [...got].join());
      assert.ok(!got.has('b'));
    });

    test('a weight set to 0 at run time takes no more traffic', () => {
      const list = servers([['a', 1], ['b', 3]]);
      const lb = make(v, list);
      list[1]!.weight = 0;
      lb.update(list[1]!);
      assert.deepEqual(new Set(picks(v, lb, 50)), new Set(['a']));
    });

    test('backups only when no active server is usable: the first one, or all with allbackups', () => {
      const spec: [string, number, boolean?][] = [['a', 1], ['x', 1, true], ['y', 1, true], ['z', 1, true]];
      let list = servers(spec);
      let lb = make(v, list);
      assert.deepEqual(new Set(picks(v, lb, 30)), new Set(['a']));
      list[0]!.up = false;
      lb.update(list[0]!);
      assert.deepEqual(new Set(picks(v, lb, 30)), new Set(['x']));
      list[1]!.up = false;
      lb.update(list[1]!);
      assert.deepEqual(new Set(picks(v, lb, 30)), new Set(['y']));
      list[1]!.up = true;
      lb.update(list[1]!);
      assert.deepEqual(new Set(picks(v, lb, 30)), new Set(['x']), 'a backup declared earlier takes over again');

      list = servers(spec);
      lb = make(v, list, { allBackups: true });
      list[0]!.up = false;
      lb.update(list[0]!);
      const got = new Set(picks(v, lb, 300));
      if (v.label === 'first') assert.deepEqual(got, new Set(['x']));
      else assert.deepEqual(got, new Set(['x', 'y', 'z']));
    });

    test('an avoided server is picked only when nothing else is usable', () => {
      const list = servers([['a', 1], ['b', 1], ['c', 1]]);
      const lb = make(v, list);
      const got = picks(v, lb, 60, list[0]);
      if (!v.ignoresAvoid) assert.ok(!got.includes('a'), got.join());
      list[1]!.up = false;
      lb.update(list[1]!);
      list[2]!.up = false;
      lb.update(list[2]!);
      assert.deepEqual(new Set(picks(v, lb, 5, list[0])), new Set(['a']));
    });

    test('full servers (maxconn reached) are not picked', () => {
      const list = [new FakeServer('a', 1, 1, false, 1, 0, false), new FakeServer('b', 2, 1, false, 0, 0, false)];
      const lb = make(v, list);
      list[0]!.current = 1;
      lb.take(list[0]!);
      const got = new Set(picks(v, lb, 60));
      if (v.ignoresFull) return;
      if (v.fullFails) assert.ok(!got.has('a'), [...got].join());
      else assert.deepEqual(got, new Set(['b']));
    });
  });
}

test('round robin, static-rr and random follow the weights', () => {
  for (const label of ['roundrobin', 'static-rr']) {
    const v = VARIANTS.find((x) => x.label === label)!;
    const list = servers([['a', 1], ['b', 2], ['c', 5]]);
    const counts = new Map<string, number>();
    for (const n of picks(v, make(v, list), 800)) counts.set(n, (counts.get(n) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(counts), { a: 100, b: 200, c: 500 }, label);
  }
});
