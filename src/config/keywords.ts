/**
 * Keyword tables (STYLE.md 1): one row per keyword, registered by the file that implements it.
 * A row's name may be several words ("option httplog", "capture request header"); lookup takes
 * the longest row whose words begin the statement. Rows carry their status and summary, which
 * drive the "not supported yet" messages, "did you mean" and docs/configuration.md.
 */
import type { Diagnostics, LocationStyle } from './diagnostics.js';
import type { LoadState } from './load-state.js';
import type { RowMeta, Where } from './types.js';

/** Everything a keyword parser may use while reading one statement. */
export class KeywordContext<S> {
  constructor(
    readonly load: LoadState,
    /** The section being filled (global settings, a proxy, a userlist, ...). */
    readonly state: S,
    readonly where: Where,
    /** All the words of the statement, the keyword included (modifier removed). */
    readonly words: readonly string[],
    /** 'no' / 'default' when the statement started with it. */
    readonly modifier?: 'no' | 'default',
  ) {}

  get diag(): Diagnostics {
    return this.load.diag;
  }
  alert(message: string, style: LocationStyle = 'spaced'): void {
    this.load.diag.alert(this.where, message, style);
  }
  /** An alert that leaves the configuration valid ("... already specified. Continuing."). */
  alertContinuing(message: string, style: LocationStyle = 'spaced'): void {
    this.load.diag.alertContinuing(this.where, message, style);
  }
  /** Printed as a warning, but refuses the configuration (HAProxy's ha_warning + ERR_FATAL). */
  warningFatal(message: string, style: LocationStyle = 'spaced'): void {
    this.load.diag.warningFatal(this.where, message, style);
  }
  warning(message: string, style: LocationStyle = 'spaced'): void {
    this.load.diag.warning(this.where, message, style);
  }
  notice(message: string, style: LocationStyle = 'spaced'): void {
    this.load.diag.notice(this.where, message, style);
  }
  /** Shown with -dD only. */
  diagnostic(message: string, style: LocationStyle = 'spaced'): void {
    if (this.load.options.diagnostics) this.load.diag.diag(this.where, message, style);
  }
  /** "<what> is not supported yet": e.g. notYet("bind option 'ssl'"). */
  notYet(what: string): void {
    this.load.diag.notYet(this.where, what);
  }
  /** After an alert: stop reading the configuration altogether (HAProxy's ERR_ABORT). */
  abort(): void {
    this.load.abortRequested = true;
  }
  /** Number of alerts so far: lets a parser tell whether a sub-parser complained. */
  alerts(): number {
    return this.load.diag.count('alert');
  }
}

export interface KeywordRow<S> extends RowMeta {
  /**
   * Validates the statement with HAProxy's grammar and records its meaning in `ctx.state`.
   * `args` are the statement's words (args[0] is the first word of the keyword).
   * Reports problems through ctx.alert / ctx.warning; never throws for bad input.
   */
  parse(ctx: KeywordContext<S>, args: readonly string[]): void;
  /** Proxy keywords: where they apply (CAP_* of types.ts). */
  readonly cap?: number;
  /** Accepts the 'no' and 'default' prefixes (the "(*)" of configuration.txt 4.1). */
  readonly negatable?: boolean;
  /**
   * Proxy keywords used where the proxy lacks the capability: HAProxy usually warns and
   * ignores the line; for a few keywords (server, ...) it is an alert.
   */
  readonly capMismatch?: 'alert' | 'warning';
}

export type Lookup<S> =
  | { kind: 'row'; row: KeywordRow<S>; words: number }
  /** The first words name a family ("option", "timeout", ...) but not this member. */
  | { kind: 'family'; family: string; members: string[] }
  | { kind: 'unknown' };

/** Reports a statement whose first word names a family but whose next word is unknown. */
export type FamilyHandler<S> = (ctx: KeywordContext<S>, args: readonly string[], members: string[]) => void;

/** An ordered set of rows with multi-word lookup. */
export class KeywordTable<S> {
  private byFirst = new Map<string, KeywordRow<S>[]>();
  readonly rows: KeywordRow<S>[] = [];
  /** Messages for unknown members of a family ("unknown option 'x'"), by family word. */
  readonly familyHandlers = new Map<string, FamilyHandler<S>>();

  constructor(readonly title: string, rows: readonly KeywordRow<S>[] = []) {
    this.add(...rows);
  }

  add(...rows: readonly KeywordRow<S>[]): this {
    for (const row of rows) {
      const first = row.name.split(' ')[0]!;
      const list = this.byFirst.get(first) ?? [];
      if (list.some((r) => r.name === row.name)) throw new Error(`duplicate keyword row '${row.name}' in ${this.title}`);
      list.push(row);
      // Longest names first, so "http-check send-state" wins over "http-check send".
      list.sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
      this.byFirst.set(first, list);
      this.rows.push(row);
    }
    return this;
  }

  lookup(words: readonly string[]): Lookup<S> {
    const first = words[0];
    if (first === undefined) return { kind: 'unknown' };
    const list = this.byFirst.get(first);
    if (!list) return { kind: 'unknown' };
    for (const row of list) {
      const parts = row.name.split(' ');
      if (parts.every((p, i) => words[i] === p)) return { kind: 'row', row, words: parts.length };
    }
    return {
      kind: 'family',
      family: first,
      members: list.map((r) => r.name.split(' ').slice(1).join(' ')).filter((m) => m !== ''),
    };
  }

  /** Sets the message for unknown members of a family (e.g. 'option', 'timeout', 'stats'). */
  onUnknownMember(family: string, handler: FamilyHandler<S>): this {
    this.familyHandlers.set(family, handler);
    return this;
  }

  /** First words of every row. */
  firstWords(): string[] {
    return [...this.byFirst.keys()];
  }

  /** First words offered by "did you mean" (rows marked `suggest: false` are left out). */
  suggestions(): string[] {
    return [...this.byFirst.entries()].filter(([, rows]) => rows.some((r) => r.suggest !== false)).map(([w]) => w);
  }
}

/** A row whose statement is checked by `parse`, then reported as not running yet. */
export function notYetRow<S>(row: Omit<KeywordRow<S>, 'status'>): KeywordRow<S> {
  return { ...row, status: 'notyet' };
}
