/**
 * Argument checks shared by keyword parsers, worded as HAProxy words them
 * (cfgparse.c: too_many_args, alertif_too_many_args, ...).
 */
import type { KeywordContext } from './keywords.js';
import { parseSize, parseTime, timeError, type Parsed } from './units.js';

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

/**
 * Records that a keyword was seen in this section object; returns where it was seen before,
 * if it was. For keywords that may appear once ("'maxconn' already specified. Continuing.").
 */
export function seenBefore(ctx: KeywordContext<unknown>, owner: object, key: string): boolean {
  let map = ctx.load.seen.get(owner);
  if (!map) {
    map = new Map();
    ctx.load.seen.set(owner, map);
  }
  if (map.has(key)) return true;
  map.set(key, ctx.where);
  return false;
}

/** A time argument in ms; alerts with HAProxy's messages and returns undefined when bad. */
export function timeArg(ctx: KeywordContext<unknown>, text: string | undefined, kw: string, unit: 'ms' | 's' = 'ms'): number | undefined {
  const r: Parsed<number> = parseTime(text ?? '', unit);
  const err = timeError(r, text ?? '', kw);
  if (err) {
    ctx.alert(err);
    return undefined;
  }
  return (r as { value: number }).value;
}

/** A size argument in bytes (k, m, g suffixes); alerts and returns undefined when bad. */
export function sizeArg(ctx: KeywordContext<unknown>, text: string | undefined, kw: string): number | undefined {
  const r = parseSize(text ?? '');
  if ('value' in r) return r.value;
  if (r.error === 'char') ctx.alert(`unexpected '${r.char}' in size argument '${text}' for '${kw}'.`);
  else ctx.alert(`'${kw}' expects a size value.`);
  return undefined;
}

/** Digits only (HAProxy uses atol after checking the first char is a digit in many places). */
export function isInteger(text: string | undefined): text is string {
  return text !== undefined && /^[0-9]+$/.test(text);
}
