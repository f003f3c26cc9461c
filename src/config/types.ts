/**
 * Shared types of the configuration layer: locations, statements, keyword rows and their
 * statuses. Types only (STYLE.md 8): any folder may import this file.
 */

/** Where a statement was read. */
export interface Where {
  readonly file: string;
  readonly line: number;
}

/** One statement: a line cut into words (quotes, escapes and variables already resolved). */
export interface Statement {
  readonly where: Where;
  readonly words: readonly string[];
  /** The line as written, for messages that show it. */
  readonly text: string;
}

/**
 * What Portier does with a keyword:
 * - 'supported': parsed and acted on with HAProxy's meaning;
 * - 'partial': acted on, but part of its meaning is missing (`note` says which; the missing
 *   parts are refused where they are parsed, as 'notyet' sub-rows or explicit checks);
 * - 'notyet': parsed with its full grammar, but not acted on: a warning under -c, an alert at
 *   startup ("... is not supported yet");
 * - 'nomeaning': accepted, with a notice saying why it has no meaning in a Node process
 *   (`note`).
 */
export type KeywordStatus = 'supported' | 'partial' | 'notyet' | 'nomeaning';

/** What every row of every table carries: it drives messages, "did you mean" and docs. */
export interface RowMeta {
  /** The name as written in a configuration (may be several words: "option httplog"). */
  readonly name: string;
  readonly status: KeywordStatus;
  /** One line saying what it does (Portier's words, for docs/configuration.md). */
  readonly summary: string;
  /** For 'partial': what is missing. For 'nomeaning': why. Otherwise optional detail. */
  readonly note?: string;
  /**
   * false: never offered by "did you mean" (HAProxy only suggests its registered keywords, not
   * the ones its parsers hard-code, so suggesting them would differ from its messages).
   */
  readonly suggest?: boolean;
}

/** The section types of HAProxy 2.6. */
export type SectionKind =
  | 'global'
  | 'defaults'
  | 'frontend'
  | 'backend'
  | 'listen'
  | 'userlist'
  | 'peers'
  | 'resolvers'
  | 'http-errors'
  | 'mailers'
  | 'ring'
  | 'program'
  | 'cache'
  | 'log-forward'
  | 'fcgi-app';

/** Proxy capabilities (HAProxy's PR_CAP_*): a listen section has both FE and BE. */
export const CAP_FE = 1;
export const CAP_BE = 2;
export const CAP_DEF = 4;
/** Allowed in named defaults sections only (the "(!)" of configuration.txt 4.1). */
export const CAP_NAMED_DEF_ONLY = 8;
export const CAP_LISTEN = CAP_FE | CAP_BE;
export const CAP_ALL = CAP_FE | CAP_BE | CAP_DEF;
