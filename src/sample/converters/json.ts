/**
 * JSON (configuration.txt 7.3.1): queries into a JSON document.
 */
import type { ConverterRow } from '../types.js';
import { checkJsonQuery } from '../validators.js';
import { c } from './row.js';

export const jsonConverters: ConverterRow[] = [
  c('json_query', 'str,str?', 'str', 'any', 'Extracts a value from a JSON document with a JSON path.', { validate: checkJsonQuery }),
];
