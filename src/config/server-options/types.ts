/** Server option rows (configuration.txt 5.2): types only. */
import type { KeywordContext } from '../keywords.js';
import type { ProxyModel } from '../model/proxy.js';
import type { RowMeta } from '../types.js';
import type { ServerMessages } from './messages.js';

/**
 * What a server option parser says (HAProxy's error codes):
 * - undefined: fine;
 * - a string: a fatal error, HAProxy's message (the caller indents it and adds the final '.');
 *   '' when the parser already printed its own alert: "error encountered while processing".
 * - an object for the other cases: a warning, an alert that leaves the configuration valid,
 *   the word named by "error encountered while processing '<word>'", or how many words a
 *   variable-length option (`source`) consumed.
 */
export type ServerOutcome =
  | undefined
  | string
  | {
      readonly message?: string;
      readonly severity?: 'warning' | 'alert' | 'alert-continuing';
      /** "error encountered while processing '<processing>'." (fatal). */
      readonly processing?: string;
      /** Words consumed after the option name (variable-length options). */
      readonly consumed?: number;
    };

/** What an option parser may need beyond its values. */
export interface ServerOptionEnv {
  /** The proxy the line is in (undefined in a peers section). */
  readonly proxy?: ProxyModel;
  /** HAProxy's srv->id: the server name, "default-server", or "(null)" for a template. */
  readonly serverName: string;
  readonly isDefaultServer: boolean;
  /** 'server', 'default-server', 'server-template' (HAProxy's args[0]). */
  readonly keyword: string;
  /** Messages printed in the server line's context (only the first one carries file:line). */
  readonly messages: ServerMessages;
}

export interface ServerOptionRow extends RowMeta {
  /** Number of words following the option name; -1: the parser says (`source`). */
  readonly values: number;
  /** Accepted on default-server lines (most are). */
  readonly onDefaultServer?: boolean;
  /**
   * Checks the option's values (missing ones are given as '', as HAProxy sees them) and
   * records them in `options` (by option name). For values -1, `values` are all the words
   * left on the line.
   */
  parse(ctx: KeywordContext<unknown>, values: readonly string[], options: Record<string, unknown>, env: ServerOptionEnv): ServerOutcome;
}
