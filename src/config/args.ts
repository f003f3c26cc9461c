/**
 * Argument checks shared by keyword parsers, worded as HAProxy words them
 * (cfgparse.c: too_many_args, alertif_too_many_args, ...).
 */
import type { KeywordContext } from './keywords.js';

/**
 * Alerts "'kw' cannot handle unexpected argument 'x'." when there are more than `max`
 * arguments after the keyword's own words (`kwWords`, 1 by default). Returns true when fine.
 */
export function noExtraArgs(ctx: KeywordContext<unknown>, args: readonly string[], max: number, kwWords = 1): boolean {
  const extra = args[kwWords + max];
  if (extra === undefined) return true;
  ctx.alert(`'${args.slice(0, kwWords).join(' ')}' cannot handle unexpected argument '${extra}'.`);
  return false;
}
