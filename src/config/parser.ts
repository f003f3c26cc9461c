/**
 * The section parser: receives statements from the reader, opens sections on their header
 * keyword (configuration.txt 2.1, rules 6 and 7), and hands every other statement to the
 * current section's keyword table.
 */
import { KeywordContext, type KeywordRow, type KeywordTable } from './keywords.js';
import type { LoadState } from './load-state.js';
import type { StatementConsumer } from './reader.js';
import { didYouMean } from './suggest.js';
import type { RowMeta, SectionKind, Statement, Where } from './types.js';

/** One section type: how its header opens it and which keywords it accepts. */
export interface SectionRow<S = unknown> extends RowMeta {
  readonly kind: SectionKind;
  /**
   * Opens a section from its header statement (args[0] is the section keyword). Returns the
   * state that its keywords fill, or undefined after an alert (the section's lines are then
   * skipped, to avoid a cascade of errors).
   */
  open(ctx: KeywordContext<undefined>, args: readonly string[]): S | undefined;
  readonly keywords: KeywordTable<S>;
  /** Runs when the section ends (next header, or end of its file). */
  close?(load: LoadState, state: S, where: Where): void;
  /**
   * Checks a keyword row against the section before it is parsed (capabilities of a proxy,
   * named-defaults-only keywords). Returns false to skip the statement (after a message).
   */
  admit?(ctx: KeywordContext<S>, row: KeywordRow<S>): boolean;
  /** Reports a statement the table does not know. Default: HAProxy's generic message. */
  unknown?(ctx: KeywordContext<S>, args: readonly string[], family?: { family: string; members: string[] }): void;
  /** Which keywords accept the 'no' / 'default' prefixes here; default: none. */
  readonly modifiers?: boolean;
  /** Reports a 'no'/'default' prefix used on a keyword that does not take it. */
  badModifier?(ctx: KeywordContext<S>, row: KeywordRow<S>): void;
  /** A statement inside a section whose header was refused; default: skipped silently. */
  orphan?(ctx: KeywordContext<undefined>, args: readonly string[]): void;
}

interface OpenSection {
  readonly row: SectionRow<unknown>;
  /** undefined: the header was refused, skip until the next section. */
  readonly state: unknown;
  readonly where: Where;
  readonly name: string;
}

export class ConfigParser implements StatementConsumer {
  private current?: OpenSection;
  private readonly byName: Map<string, SectionRow<unknown>>;

  constructor(
    private readonly load: LoadState,
    sections: readonly SectionRow<any>[],
  ) {
    this.byName = new Map(sections.map((s) => [s.name, s as SectionRow<unknown>]));
  }

  sectionName(): string {
    if (!this.current) return '';
    return this.current.name || this.current.row.name;
  }

  aborted(): boolean {
    return this.load.abortRequested;
  }

  endFile(): void {
    this.closeCurrent();
  }

  /** Ends the last section; call once all files are read. */
  finish(): void {
    this.closeCurrent();
  }

  statement(st: Statement): void {
    const words = st.words;
    const first = words[0]!;
    const section = this.byName.get(first);
    if (section) {
      this.closeCurrent();
      const ctx = new KeywordContext<undefined>(this.load, undefined, st.where, words);
      let state: unknown;
      try {
        state = section.open(ctx, words);
      } catch (e) {
        this.internalError(st, e);
      }
      this.current = { row: section, state, where: st.where, name: state !== undefined ? (words[1] ?? '') : '' };
      return;
    }
    if (!this.current) {
      this.load.diag.alert(st.where, `unknown keyword '${first}' out of section.`, 'tight');
      return;
    }
    if (this.current.state === undefined) {
      this.current.row.orphan?.(new KeywordContext<undefined>(this.load, undefined, st.where, words), words);
      return;
    }
    try {
      this.dispatch(this.current.row, this.current.state, st);
    } catch (e) {
      this.internalError(st, e);
    }
  }

  private dispatch(section: SectionRow<unknown>, state: unknown, st: Statement): void {
    let words = st.words;
    let modifier: 'no' | 'default' | undefined;
    if (section.modifiers && (words[0] === 'no' || words[0] === 'default') && words.length > 1) {
      modifier = words[0];
      words = words.slice(1);
    }
    const ctx = new KeywordContext(this.load, state, st.where, words, modifier);
    const found = section.keywords.lookup(words);
    if (found.kind !== 'row') {
      const familyHandler = found.kind === 'family' ? section.keywords.familyHandlers.get(found.family) : undefined;
      if (familyHandler && found.kind === 'family') familyHandler(ctx, words, found.members);
      else if (section.unknown) section.unknown(ctx, words, found.kind === 'family' ? found : undefined);
      else this.reportUnknown(section, ctx, words);
      return;
    }
    const row = found.row;
    if (modifier && !row.negatable) {
      // The section decides: HAProxy reports the prefix, then, depending on the keyword,
      // still reads the statement (the section's badModifier runs the row itself then).
      if (section.badModifier) section.badModifier(ctx, row);
      else ctx.alert(`'${modifier}' is not supported for '${row.name}'.`);
      return;
    }
    if (section.admit && !section.admit(ctx, row)) return;
    runRow(ctx, row, words);
  }

  private reportUnknown(section: SectionRow<unknown>, ctx: KeywordContext<unknown>, words: readonly string[]): void {
    ctx.alert(
      `unknown keyword '${words[0]}' in '${section.name}' section${didYouMean(words[0]!, section.keywords.suggestions())}`,
    );
  }

  private closeCurrent(): void {
    const cur = this.current;
    this.current = undefined;
    if (cur && cur.state !== undefined && cur.row.close) {
      try {
        cur.row.close(this.load, cur.state, cur.where);
      } catch (e) {
        this.internalError({ where: cur.where, words: [cur.row.name], text: '' }, e);
      }
    }
  }

  /** A bug in a keyword parser must not crash the process: report it on the statement. */
  private internalError(st: Statement, e: unknown): void {
    const detail = e instanceof Error ? e.message : String(e);
    this.load.diag.alert(st.where, `internal error while parsing '${st.words.join(' ')}': ${detail}`);
  }
}

/**
 * Parses one statement with its row, then reports what Portier does with it: nothing more for
 * running keywords; "not supported yet" for keywords that do not run yet; a notice for those
 * without meaning in Node. Nothing is reported beyond the parser's own alerts when it refused
 * the statement.
 */
export function runRow<S>(ctx: KeywordContext<S>, row: KeywordRow<S>, args: readonly string[]): void {
  const before = ctx.alerts();
  row.parse(ctx, args);
  if (ctx.alerts() !== before) return;
  if (row.status === 'notyet') ctx.notYet(`keyword '${row.name}'`);
  else if (row.status === 'nomeaning') ctx.notice(`'${row.name}' has no effect in Portier: ${row.note ?? 'no meaning in a Node process'}.`);
}
