/** Bind option rows (configuration.txt 5.1): types only. */
import type { KeywordContext } from '../keywords.js';
import type { RowMeta } from '../types.js';

/** Where a bind line is: its options differ slightly between places. */
export type BindSite = 'proxy' | 'stats socket' | 'peers' | 'log-forward' | 'master cli';

/**
 * What a bind option parser says (HAProxy's error codes): undefined when fine; a string for a
 * fatal error (HAProxy's message; '' for "error encountered while processing '<kw>'.", when
 * the parser already printed its own alert); or a message with a severity for warnings and
 * alerts that leave the configuration valid.
 */
export type OptionOutcome =
  | undefined
  | string
  | { readonly message: string; readonly severity: 'warning' | 'alert-continuing' };

/** What an option parser may need beyond its values. */
export interface BindOptionEnv {
  readonly site: BindSite;
  /** The bind line's address list as written, for options limited to one socket. */
  readonly addressText?: string;
  /** Number of sockets the line opens (addresses, port ranges counted): `id` needs one. */
  readonly sockets?: number;
  /** Inside a crt-list line's brackets: only some SSL options are allowed there. */
  readonly inCrtList?: boolean;
}

export interface BindOptionRow extends RowMeta {
  /** Number of words following the option name (HAProxy's "skip"). */
  readonly values: number;
  /** Sites where the option is accepted; all when absent. */
  readonly sites?: readonly BindSite[];
  /** Accepted between brackets on a crt-list line (HAProxy's ssl_crtlist_kws). */
  readonly crtList?: boolean;
  /**
   * Checks the option's values (missing ones are given as '', as HAProxy sees them) and
   * records them in `options` (by option name).
   */
  parse(ctx: KeywordContext<unknown>, values: readonly string[], options: Record<string, unknown>, env: BindOptionEnv): OptionOutcome;
}
