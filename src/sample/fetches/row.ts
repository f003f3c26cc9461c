/** Builds fetch rows compactly: a fetch is 'supported' when it has a run-time implementation. */
import type { FetchRow } from '../types.js';
import type { SourceKey } from '../usage.js';

export type FetchExtra = Partial<Pick<FetchRow, 'validate' | 'deprecated' | 'aliasOf' | 'note' | 'run'>>;

/**
 * A row maker for one manual section: f(name, args, output type, source, summary, extra).
 * `args` uses parseArgSpec's notation ("str?,sint?"), `source` a key of usage.ts SOURCES.
 */
export function fetchMaker(section: FetchRow['section']) {
  return (name: string, args: string, out: FetchRow['out'], src: SourceKey, summary: string, extra: FetchExtra = {}): FetchRow => ({
    name,
    status: extra.run ? 'supported' : 'notyet',
    summary,
    args,
    out,
    src,
    section,
    ...extra,
  });
}
