/**
 * The global section (configuration.txt 3): process-wide settings. Several global sections
 * may appear; they all fill the same settings, in order (VTest prepends its own).
 * The keyword rows live in sections/global/*.ts, one file per area of the manual.
 */
import { KeywordTable } from '../keywords.js';
import type { GlobalModel } from '../model/global.js';
import type { SectionRow } from '../parser.js';
import { didYouMean } from '../suggest.js';
import { globalRows } from './global/index.js';

export const globalKeywords = new KeywordTable<GlobalModel>('global', globalRows).onUnknownMember('stats', (ctx, args) =>
  ctx.alert(`'stats' only supports 'socket', 'maxconn', 'bind-process' and 'timeout' (got '${args[1] ?? ''}')`),
);

export const globalSection: SectionRow<GlobalModel> = {
  name: 'global',
  kind: 'global',
  status: 'supported',
  summary: 'Process-wide settings.',
  keywords: globalKeywords,
  modifiers: true,
  open(ctx, args) {
    if (args.length > 1) {
      // HAProxy ignores extra words after 'global' silently; so do we.
    }
    return ctx.load.global;
  },
  unknown(ctx, args) {
    ctx.alert(`unknown keyword '${args[0]}' in 'global' section${didYouMean(args[0]!, globalKeywords.firstWords())}`);
  },
  badModifier(ctx) {
    ctx.alert(
      'negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.',
      'tight',
    );
  },
};
