/** Bind option rows (configuration.txt 5.1): types only. */
import type { KeywordContext } from '../keywords.js';
import type { RowMeta } from '../types.js';

/** Where a bind line is: its options differ slightly between places. */
export type BindSite = 'proxy' | 'stats socket' | 'peers' | 'log-forward' | 'master cli';

export interface BindOptionRow extends RowMeta {
  /** Number of words following the option name (HAProxy's "skip"). */
  readonly values: number;
  /** Sites where the option is accepted; all when absent. */
  readonly sites?: readonly BindSite[];
  /**
   * Checks the option's values and records them in `options` (by option name).
   * Returns an error message (HAProxy's wording, without location), or undefined when fine.
   */
  parse(ctx: KeywordContext<unknown>, values: readonly string[], options: Record<string, unknown>, site: BindSite): string | undefined;
}
