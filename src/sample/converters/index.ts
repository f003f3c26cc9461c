/** Every converter of HAProxy 2.6 (configuration.txt 7.3.1), grouped by purpose. */
import type { ConverterRow } from '../types.js';
import { cryptoConverters } from './crypto.js';
import { encodingConverters } from './encoding.js';
import { hashesConverters } from './hashes.js';
import { jsonConverters } from './json.js';
import { mapConverters } from './maps.js';
import { networkConverters } from './network.js';
import { numbersConverters } from './numbers.js';
import { protocolsConverters } from './protocols.js';
import { stringsConverters } from './strings.js';
import { tableConverters } from './tables.js';
import { variablesConverters } from './variables.js';

/**
 * The converters of optional modules Debian's haproxy is built without (51d.single,
 * da-csv-conv) are unknown to it, hence to Portier too.
 */
export const converterRows: readonly ConverterRow[] = [
  ...stringsConverters,
  ...encodingConverters,
  ...hashesConverters,
  ...cryptoConverters,
  ...numbersConverters,
  ...networkConverters,
  ...jsonConverters,
  ...mapConverters,
  ...tableConverters,
  ...protocolsConverters,
  ...variablesConverters,
];

/** Converters by name. */
export const converterTable: ReadonlyMap<string, ConverterRow> = (() => {
  const m = new Map<string, ConverterRow>();
  for (const row of converterRows) {
    if (m.has(row.name)) throw new Error(`duplicate converter '${row.name}'`);
    m.set(row.name, row);
  }
  return m;
})();
