/**
 * The global section (configuration.txt 3): process-wide settings. Several global sections
 * may appear; they all fill the same settings, in order (VTest prepends its own).
 * The keyword rows live in sections/global/*.ts, one file per area of the manual.
 */
import { KeywordTable } from '../keywords.js';
import type { GlobalModel } from '../model/global.js';
import { runRow, type SectionRow } from '../parser.js';
import { didYouMean } from '../suggest.js';
import { buildOptionOf } from './global/devices.js';
import { effectiveArgs } from './global/helpers.js';
import { globalRows } from './global/index.js';
import { badModifier, negationAllowed, NEGATION_MESSAGE } from './simple.js';

export const globalKeywords = new KeywordTable<GlobalModel>('global', globalRows).onUnknownMember('stats', (ctx, args) => {
  if (ctx.modifier && !negationAllowed(args[0]!)) ctx.alert(NEGATION_MESSAGE, 'tight');
  const a = effectiveArgs(ctx, args);
  ctx.alert(`'stats' only supports 'socket', 'maxconn', 'bind-process' and 'timeout' (got '${a[1] ?? ''}')`);
});

/**
 * Candidates for "did you mean": the keywords and the section names HAProxy's global list has
 * (not userlist, program, cache, ...). HAProxy 2.6 suggests nothing for words such as
 * "option", "progrm" or "cach", which the likeness measure would pair with "description",
 * "group" and "chroot": an empty candidate reproduces that (observed; the mechanism in HAProxy
 * is not known).
 */
const SUGGESTED_SECTIONS = ['global', 'defaults', 'listen', 'frontend', 'backend', 'peers', 'resolvers'];

function suggestions(): string[] {
  return [...globalKeywords.firstWords(), ...SUGGESTED_SECTIONS, ''];
}

export const globalSection: SectionRow<GlobalModel> = {
  name: 'global',
  kind: 'global',
  status: 'supported',
  summary: 'Process-wide settings.',
  keywords: globalKeywords,
  modifiers: true,
  open(ctx, args) {
    // Refused, but the section is read all the same (HAProxy goes on with the same settings).
    if (args[1] !== undefined) ctx.alert(`'global' cannot handle unexpected argument '${args[1]}'.`);
    return ctx.load.global;
  },
  unknown(ctx, args) {
    let word = args[0]!;
    // A lone "no" is read by HAProxy as the modifier followed by an empty keyword.
    if (!ctx.modifier && (word === 'no' || word === 'default') && args.length === 1) {
      ctx.alert(NEGATION_MESSAGE, 'tight');
      if (word === 'no') word = '';
    } else if (ctx.modifier && !negationAllowed(word)) {
      ctx.alert(NEGATION_MESSAGE, 'tight');
    }
    ctx.alert(`unknown keyword '${word}' in 'global' section${word === '' ? '' : didYouMean(word, suggestions())}`);
    const option = buildOptionOf(word);
    if (option) ctx.notice(`'${word}' needs HAProxy built with ${option}, which the reference HAProxy build and Portier do not have.`, 'portier');
  },
  badModifier(ctx, row) {
    badModifier(ctx, row);
    runRow(ctx, row, ctx.words);
  },
};
