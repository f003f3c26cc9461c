/** Server option rows (configuration.txt 5.2): types only. */
import type { KeywordContext } from '../keywords.js';
import type { RowMeta } from '../types.js';

export interface ServerOptionRow extends RowMeta {
  /** Number of words following the option name. */
  readonly values: number;
  /** Accepted on default-server lines too (most are). */
  readonly onDefaultServer?: boolean;
  /**
   * Checks the option's values and records them in `options` (by option name).
   * Returns an error message (HAProxy's wording, without location), or undefined when fine.
   */
  parse(ctx: KeywordContext<unknown>, values: readonly string[], options: Record<string, unknown>, serverName: string): string | undefined;
}
