/**
 * Helpers for the smaller named sections (userlist, peers, mailers, ring, ...): the section
 * frame shared by all of them (the `no`/`default` prefixes as HAProxy reads them in every
 * section, unknown keywords) and the checks of a section header "<kind> <name>", whose
 * messages differ from one section type to the next (each section file gives its own).
 */
import { KeywordTable, type KeywordContext, type KeywordRow } from '../keywords.js';
import type { LoadState } from '../load-state.js';
import type { NamedSectionModel } from '../model/sections.js';
import { runRow, type SectionRow } from '../parser.js';
import type { LocationStyle } from '../diagnostics.js';
import type { SectionKind, Where } from '../types.js';
import { invalidNameChar } from './names.js';

/**
 * HAProxy checks the `no` / `default` prefixes in its main loop, for every section: the
 * statement is refused unless its keyword is one of these, and is then parsed all the same.
 */
export const NEGATION_MESSAGE =
  'negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.';

const NEGATABLE_WORDS = ['option', 'log', 'busy-polling', 'set-dumpable', 'strict-limits', 'insecure-fork-wanted', 'numa-cpu-mapping'];

export function negationAllowed(word: string): boolean {
  return NEGATABLE_WORDS.includes(word);
}

/** The negation alert, when the keyword does not take the prefix. */
export function badModifier<S>(ctx: KeywordContext<S>, row: KeywordRow<S>): void {
  if (!negationAllowed(row.name.split(' ')[0]!)) ctx.alert(NEGATION_MESSAGE, 'tight');
}

/** How a section reports a keyword it does not know. */
export interface UnknownSpec {
  /** The message, given the keyword ('' for a lone "no"). */
  message(word: string): string;
  readonly style?: LocationStyle;
  /** HAProxy stops reading the configuration after it (log-forward). */
  readonly abort?: boolean;
}

export interface SimpleSectionSpec<S extends NamedSectionModel> {
  readonly kind: SectionKind;
  readonly summary: string;
  readonly status: SectionRow['status'];
  readonly note?: string;
  readonly rows: readonly KeywordRow<S>[];
  /**
   * Opens the section from its header (use `checkHeader`). Returns the model the lines fill,
   * or undefined when the lines are to be skipped.
   */
  open(ctx: KeywordContext<undefined>, args: readonly string[]): S | undefined;
  readonly unknown: UnknownSpec;
  /** Runs when the section ends. */
  close?(load: LoadState, state: S, where: Where): void;
}

/** Builds the SectionRow of a small section. */
export function simpleSection<S extends NamedSectionModel>(spec: SimpleSectionSpec<S>): SectionRow<S> {
  const keywords = new KeywordTable<S>(spec.kind, spec.rows);
  return {
    name: spec.kind,
    kind: spec.kind,
    status: spec.status,
    note: spec.note,
    summary: spec.summary,
    keywords,
    modifiers: true,
    open: spec.open,
    close: spec.close,
    unknown(ctx, args) {
      let word = args[0]!;
      if (!ctx.modifier && (word === 'no' || word === 'default') && args.length === 1) {
        ctx.alert(NEGATION_MESSAGE, 'tight');
        if (word === 'no') word = '';
      } else if (ctx.modifier && !negationAllowed(word)) {
        ctx.alert(NEGATION_MESSAGE, 'tight');
      }
      ctx.alert(spec.unknown.message(word), spec.unknown.style);
      if (spec.unknown.abort) ctx.abort();
    },
    badModifier(ctx, row) {
      badModifier(ctx, row);
      // After `default`, HAProxy sees the last word twice (see global/helpers.ts, effectiveArgs).
      runRow(ctx, row, ctx.modifier === 'default' ? [...ctx.words, ctx.words[ctx.words.length - 1]!] : ctx.words);
    },
  };
}

/** What to do when a header check fails: HAProxy either stops reading or goes on. */
export type HeaderFailure = 'abort' | 'continue';

export interface HeaderRule {
  readonly message: string;
  readonly style?: LocationStyle;
  readonly then: HeaderFailure;
}

/**
 * Checks "<kind> <name> [extra]" in HAProxy's order: missing name, unexpected extra words
 * (`maxArgs` words after the keyword; none checked when undefined), invalid characters.
 * Returns the name, or { failed } with what to do next. Alerts are reported here.
 */
export function checkHeader(
  ctx: KeywordContext<undefined>,
  args: readonly string[],
  rules: {
    readonly missing: HeaderRule;
    readonly maxArgs?: number;
    /** undefined: the name's characters are not checked. */
    readonly invalid?: { message(char: string, name: string): string; readonly style?: LocationStyle; readonly then: HeaderFailure };
  },
): { name: string } | { failed: HeaderFailure } {
  const name = args[1] ?? '';
  if (name === '') {
    ctx.alert(rules.missing.message, rules.missing.style);
    if (rules.missing.then === 'abort') ctx.abort();
    return { failed: rules.missing.then };
  }
  if (rules.maxArgs !== undefined && args[1 + rules.maxArgs] !== undefined) {
    ctx.alert(`'${args[0]}' cannot handle unexpected argument '${args[1 + rules.maxArgs]}'.`);
    ctx.abort();
    return { failed: 'abort' };
  }
  if (rules.invalid) {
    const bad = invalidNameChar(name);
    if (bad !== undefined) {
      ctx.alert(rules.invalid.message(bad, name), rules.invalid.style);
      if (rules.invalid.then === 'abort') ctx.abort();
      return { failed: rules.invalid.then };
    }
  }
  return { name };
}

/** "<file>:<line>" as HAProxy writes a declaration place in messages. */
export function at(where: Where): string {
  return `${where.file}:${where.line}`;
}

/** The standard "unknown keyword 'x' in '<kind>' section" message. */
export function unknownIn(kind: string, style: LocationStyle = 'spaced'): UnknownSpec {
  return { message: (w) => `unknown keyword '${w}' in '${kind}' section`, style };
}

/** A message HAProxy prints as a WARNING while failing the configuration (ha_warning with ERR_FATAL). */
export function fatalWarning(ctx: KeywordContext<unknown>, message: string, style: LocationStyle = 'spaced'): void {
  ctx.warningFatal(message, style);
}
