/**
 * Every sample fetch of HAProxy 2.6 (configuration.txt 7.3.2 to 7.3.7), one file per manual
 * subsection. The fetches of optional modules Debian's haproxy is built without (51d.all,
 * da-csv-fetch, wurfl-get) are unknown to it, hence to Portier too.
 */
import type { FetchRow } from '../types.js';
import { developerFetches } from './developer.js';
import { httpFetches } from './http.js';
import { internalFetches } from './internal.js';
import { counterFetches, layer4Fetches } from './layer4.js';
import { layer5Fetches } from './layer5.js';
import { layer6Fetches } from './layer6.js';
import { sslFetches } from './ssl.js';

export const fetchRows: readonly FetchRow[] = [
  ...internalFetches,
  ...layer4Fetches,
  ...counterFetches,
  ...layer5Fetches,
  ...sslFetches,
  ...layer6Fetches,
  ...httpFetches,
  ...developerFetches,
];

/** Fetches by name. */
export const fetchTable: ReadonlyMap<string, FetchRow> = (() => {
  const m = new Map<string, FetchRow>();
  for (const row of fetchRows) {
    if (m.has(row.name)) throw new Error(`duplicate sample fetch '${row.name}'`);
    m.set(row.name, row);
  }
  return m;
})();
