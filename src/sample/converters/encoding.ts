/**
 * Encodings and timestamps (configuration.txt 7.3.1): base64, hexadecimal, big-endian chunks, byte extraction, time formatting.
 */
import type { ConverterRow } from '../types.js';
import { checkBe2dec, checkBe2hex, checkDateUnit } from '../validators.js';
import { c } from './row.js';
import { sampleConvHex, sampleConvHex2i } from './basic.js';

export const encodingConverters: ConverterRow[] = [
  c('b64dec', '', 'str', 'bin', 'Decodes base64.'),
  c('base64', '', 'bin', 'str', 'Encodes in base64.'),
  c('be2dec', 'str,sint?,sint?', 'bin', 'str', 'Reads big-endian chunks as decimal numbers joined by a separator.', { validate: checkBe2dec }),
  c('be2hex', 'str,sint?,sint?', 'bin', 'str', 'Writes bytes in hexadecimal, in chunks joined by a separator.', { validate: checkBe2hex }),
  c('bytes', 'sint,sint?', 'bin', 'bin', 'Extracts bytes at an offset, with an optional length.'),
  c('hex', '', 'bin', 'str', 'Writes bytes in uppercase hexadecimal.', { run: sampleConvHex }),
  c('hex2i', '', 'str', 'sint', 'Reads a hexadecimal string as a signed integer.', { run: sampleConvHex2i }),
  c('htonl', '', 'sint', 'bin', 'The integer as 4 bytes in network order.'),
  c('http_date', 'sint?,str?', 'sint', 'str', 'Formats a timestamp as an HTTP date, with an optional offset and unit.', { validate: checkDateUnit(1) }),
  c('ltime', 'str,sint?', 'sint', 'str', 'Formats a timestamp as local time with strftime.'),
  c('ub64dec', '', 'str', 'bin', 'Decodes base64url.'),
  c('ub64enc', '', 'bin', 'str', 'Encodes in base64url.'),
  c('utime', 'str,sint?', 'sint', 'str', 'Formats a timestamp as UTC time with strftime.'),
];
