/**
 * Helpers for the smaller named sections (userlist, peers, mailers, ring, ...): the header
 * "<kind> <name>" with HAProxy's name checks, and a generic settings store.
 */
import { KeywordTable, type KeywordRow } from '../keywords.js';
import type { NamedSectionModel } from '../model/sections.js';
import type { SectionRow } from '../parser.js';
import { didYouMean } from '../suggest.js';
import type { SectionKind } from '../types.js';
import { invalidNameChar } from './names.js';

export interface SimpleSectionSpec<S extends NamedSectionModel> {
  readonly kind: SectionKind;
  readonly summary: string;
  readonly status: SectionRow['status'];
  readonly note?: string;
  readonly rows: readonly KeywordRow<S>[];
  /** Creates the section's model object (name and header location given). */
  create(base: NamedSectionModel): S;
  /** Where the model objects are kept on the load state. */
  store(load: import('../load-state.js').LoadState): S[];
  /** Extra words allowed after the name? default: none. */
  readonly maxHeaderArgs?: number;
}

export function simpleSection<S extends NamedSectionModel>(spec: SimpleSectionSpec<S>): SectionRow<S> {
  const keywords = new KeywordTable<S>(spec.kind, spec.rows);
  return {
    name: spec.kind,
    kind: spec.kind,
    status: spec.status,
    note: spec.note,
    summary: spec.summary,
    keywords,
    open(ctx, args) {
      const name = args[1];
      if (!name) {
        ctx.alert(`missing name for ${spec.kind} section.`);
        return undefined;
      }
      const bad = invalidNameChar(name);
      if (bad !== undefined) {
        ctx.alert(`character '${bad}' is not permitted in '${spec.kind}' name '${name}'.`);
        return undefined;
      }
      const list = spec.store(ctx.load);
      const model = spec.create({ where: ctx.where, name, settings: {} });
      list.push(model);
      return model;
    },
    unknown(ctx, args) {
      ctx.alert(`unknown keyword '${args[0]}' in '${spec.kind}' section${didYouMean(args[0]!, keywords.firstWords())}`);
    },
  };
}

/** A row that records its arguments under its name, for keywords not run yet. */
export function recordRow<S extends NamedSectionModel>(name: string, summary: string, minArgs = 0): KeywordRow<S> {
  return {
    name,
    status: 'notyet',
    summary,
    parse(ctx, args) {
      const nameWords = name.split(' ').length;
      if (args.length - nameWords < minArgs) {
        ctx.alert(`'${name}' expects ${minArgs === 1 ? 'an argument' : `${minArgs} arguments`}.`);
        return;
      }
      const list = (ctx.state.settings[name] ??= []);
      list.push(args.slice(nameWords));
    },
  };
}
