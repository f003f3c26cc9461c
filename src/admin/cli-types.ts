/** The runtime API (stats socket): command rows and the session they run in. Types only. */
import type { RowMeta } from '../config/types.js';
import type { RuntimeBackend } from '../runtime/backend.js';

export type CliLevel = 'user' | 'operator' | 'admin';

/** What a command can see of the running process. */
export interface CliProcessView {
  /** Environment as the configuration left it (setenv, ...). */
  environment(): Record<string, string>;
  /** Running version string. */
  version(): string;
  /** The running backends (and listen sections), in declaration order. */
  backends(): readonly RuntimeBackend[];
}

export interface CliSession {
  level: CliLevel;
  interactive: boolean;
  /** Idle timeout of this connection, ms. */
  timeoutMs: number;
  readonly process: CliProcessView;
}

export interface CliCommand extends RowMeta {
  /** Words that select the command ("show env"). `name` is the same, joined. */
  readonly words: readonly string[];
  /** Usage shown by "help" ("show env [var]"). */
  readonly usage: string;
  /** One-line help shown by "help". */
  readonly help: string;
  /** Lowest level allowed to run it. */
  readonly level: CliLevel;
  /** Runs it: returns the output (lines ending with '\n', never an empty line), or '' for none. */
  run(session: CliSession, args: readonly string[], payload: string | undefined): string;
}
