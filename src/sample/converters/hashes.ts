/**
 * Hashes (configuration.txt 7.3.1): non-cryptographic hashes (optionally avalanched or seeded) and SHA digests.
 */
import type { ConverterRow } from '../types.js';
import { checkSha2 } from '../validators.js';
import { c } from './row.js';

export const hashesConverters: ConverterRow[] = [
  c('crc32', 'sint?', 'bin', 'sint', 'CRC32 hash, optionally avalanched.'),
  c('crc32c', 'sint?', 'bin', 'sint', 'CRC32C hash, optionally avalanched.'),
  c('djb2', 'sint?', 'bin', 'sint', 'DJB2 hash, optionally avalanched.'),
  c('sdbm', 'sint?', 'bin', 'sint', 'SDBM hash, optionally avalanched.'),
  c('sha1', '', 'bin', 'bin', 'SHA-1 digest.'),
  c('sha2', 'sint?', 'bin', 'bin', 'SHA-2 digest (224, 256, 384 or 512 bits).', { validate: checkSha2 }),
  c('wt6', 'sint?', 'bin', 'sint', 'WT6 hash, optionally avalanched.'),
  c('xxh3', 'sint?', 'bin', 'sint', 'XXH3 64-bit hash with an optional seed.'),
  c('xxh32', 'sint?', 'bin', 'sint', 'XXH32 hash with an optional seed.'),
  c('xxh64', 'sint?', 'bin', 'sint', 'XXH64 hash with an optional seed.'),
];
