/** CRC32c (Castagnoli) of the PP2_TYPE_CRC32C TLV. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c } from '../../../src/net/proxy-protocol.js';

test('crc32c: standard check values', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(Buffer.alloc(0)), 0);
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  // A range of a buffer.
  assert.equal(crc32c(Buffer.from('xx123456789yy'), 2, 11), 0xe3069283);
});
