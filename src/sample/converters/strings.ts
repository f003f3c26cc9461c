/**
 * Strings (configuration.txt 7.3.1): case, trimming, fields and words, substitutions, concatenation, URL and JSON escaping.
 */
import type { ConverterRow } from '../types.js';
import { checkAddItem, checkConcat, checkField, checkJsonCode, checkRegsubFlags, checkUrlEnc, checkVarRef } from '../validators.js';
import { c } from './row.js';
import { sampleConvLength, sampleConvLower, sampleConvUpper } from './basic.js';

export const stringsConverters: ConverterRow[] = [
  c('add_item', 'str,str,str?', 'str', 'str', 'Appends a delimiter and a string or variable (skipping empty parts).', { validate: checkAddItem }),
  c('concat', 'str,str?,str?', 'str', 'str', "Adds a prefix, a variable's value and a suffix around the string.", { validate: checkConcat }),
  c('cut_crlf', '', 'str', 'str', 'Cuts the string at the first CR or LF.'),
  c('field', 'sint,str,sint?', 'str', 'str', 'Extracts fields separated by delimiters, by index (negative counts from the end).', { validate: checkField }),
  c('host_only', '', 'str', 'str', 'The host part of a Host header value (port removed).'),
  c('json', 'str', 'str', 'str', 'Escapes a string for a JSON document.', { validate: checkJsonCode }),
  c('language', 'str,str?', 'str', 'str', 'Picks the preferred language of an Accept-Language value among a list.'),
  c('length', '', 'str', 'sint', 'Length of the string.', { run: sampleConvLength }),
  c('lower', '', 'str', 'str', 'Turns the string to lower case.', { run: sampleConvLower }),
  c('ltrim', 'str', 'str', 'str', 'Removes given characters from the start.'),
  c('port_only', '', 'str', 'sint', 'The port part of a Host header value.'),
  c('regsub', 'reg,str,str?', 'str', 'str', 'Replaces matches of a regular expression (flags i and g).', { validate: checkRegsubFlags }),
  c('rtrim', 'str', 'str', 'str', 'Removes given characters from the end.'),
  c('strcmp', 'str', 'str', 'sint', 'Compares with a variable like strcmp.', { validate: checkVarRef }),
  c('upper', '', 'str', 'str', 'Turns the string to upper case.', { run: sampleConvUpper }),
  c('url_dec', 'sint?', 'str', 'str', 'URL-decodes (optionally turning "+" into spaces).'),
  c('url_enc', 'str', 'str', 'str', 'URL-encodes for a query string.', { validate: checkUrlEnc }),
  c('word', 'sint,str,sint?', 'str', 'str', 'Extracts words separated by delimiters, by index.', { validate: checkField }),
  c('iif', 'str,str', 'bool', 'str', 'One of two strings depending on the boolean.'),
];
