/**
 * The hash functions and the source key (src/lb/hash.ts) against values HAProxy 2.6 computed
 * (test/compat/balance/hash-vectors.json, recorded by record-hashes.ts with its sdbm, djb2,
 * wt6 and crc32 converters).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressBytes, avalanche, createKeyHasher, HASH_FUNCTIONS, hashSourceAddress } from '../../../src/lb/hash.js';
import { ROOT } from '../../helpers/run.js';

const vectors = JSON.parse(readFileSync(join(ROOT, 'test/compat/balance/hash-vectors.json'), 'utf8')) as { key: string; hashes: Record<string, number> }[];

test('hash functions give HAProxy\'s values, with and without avalanche', () => {
  assert.ok(vectors.length > 20);
  for (const { key, hashes } of vectors) {
    const bytes = Buffer.from(key, 'hex');
    for (const fn of ['sdbm', 'djb2', 'wt6', 'crc32']) {
      const h = HASH_FUNCTIONS[fn]!(bytes);
      assert.equal(h, hashes[fn], `${fn}(${key})`);
      assert.equal(avalanche(h), hashes[`${fn} avalanche`], `${fn}(${key}) avalanche`);
      const hasher = createKeyHasher({ method: 'map-based', function: fn, modifier: 'avalanche' });
      assert.equal(hasher.bytes(bytes), hashes[`${fn} avalanche`]);
    }
  }
});

test('crc32 is the common CRC-32', () => {
  assert.equal(HASH_FUNCTIONS['crc32']!(Buffer.from('123456789')), 0xcbf43926);
});

test('source key: the address words XORed, in network order', () => {
  assert.equal(hashSourceAddress('127.0.0.1'), 0x7f000001);
  assert.equal(hashSourceAddress('10.1.2.3'), 0x0a010203);
  assert.equal(hashSourceAddress('::1'), 1);
  // An IPv4 client of an IPv6 socket is seen as ::ffff:a.b.c.d (16 bytes), as by HAProxy.
  assert.equal(hashSourceAddress('::ffff:127.0.0.1'), (0x0000ffff ^ 0x7f000001) >>> 0);
  assert.equal(hashSourceAddress('2001:db8::8:800:200c:417a'), (0x20010db8 ^ 0 ^ 0x00080800 ^ 0x200c417a) >>> 0);
  assert.equal(hashSourceAddress('fe80::1%eth0'), (0xfe800000 ^ 1) >>> 0);
  assert.equal(hashSourceAddress('/run/x.sock'), undefined);
  assert.equal(hashSourceAddress(''), undefined);
});

test('address bytes of IPv6 forms', () => {
  assert.deepEqual([...addressBytes('::')!], new Array(16).fill(0));
  assert.deepEqual([...addressBytes('1::')!], [0, 1, ...new Array(14).fill(0)]);
  assert.deepEqual([...addressBytes('::ffff:1.2.3.4')!].slice(10), [0xff, 0xff, 1, 2, 3, 4]);
  assert.deepEqual([...addressBytes('1:2:3:4:5:6:7:8')!], [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
});

test('key hasher: the hash function does not apply to the source key, avalanche does', () => {
  const plain = createKeyHasher({ method: 'consistent', function: 'djb2' });
  assert.equal(plain.source('127.0.0.9'), 0x7f000009);
  const aval = createKeyHasher({ method: 'consistent', function: 'crc32', modifier: 'avalanche' });
  assert.equal(aval.source('127.0.0.9'), avalanche(0x7f000009));
  assert.equal(aval.source('unix'), undefined);
  // Default: sdbm, no modifier.
  assert.equal(createKeyHasher(undefined).bytes(Buffer.from('abc')), HASH_FUNCTIONS['sdbm']!(Buffer.from('abc')));
});
