/**
 * What the ACL and log-format parsers need from the sample layer (src/sample): parse a
 * criterion, know its output type and where its fetch can be used. Kept in one place so the
 * ACL code depends on the sample layer through this file only.
 */
import type { KeywordContext } from '../config/keywords.js';
import type { SampleExprModel } from '../config/model/sample.js';
import { fetchRow, fetchUnavailable, parseSampleExpr } from '../sample/expr.js';
import type { SampleUse } from '../sample/types.js';
import type { SampleType } from './types.js';

export interface Criterion {
  readonly expr: SampleExprModel;
  /** Output type; undefined when the sample layer does not say (then no type check is made). */
  readonly type?: SampleType;
  /** Places where the fetch works; undefined when unknown (then no place check is made). */
  readonly uses?: readonly SampleUse[];
}

/**
 * Parses a sample expression without checking where it is used (ACLs are checked where a
 * condition uses them; log-format strings word that error their own way). Returns the sample
 * layer's message on error, HAProxy's inner text without prefix nor final period.
 */
export function parseCriterion(ctx: KeywordContext<unknown>, text: string): Criterion | { error: string } {
  const r = parseSampleExpr(ctx, text, []);
  if ('error' in r) return { error: r.error };
  return { expr: r.expr, type: r.expr.type, uses: r.expr.uses };
}

/** True when the criterion's fetch can be evaluated in at least one of `use`. */
export function usableAt(c: { readonly uses?: readonly SampleUse[] }, use: readonly SampleUse[]): boolean {
  return c.uses === undefined || use.some((u) => c.uses!.includes(u));
}

/**
 * For log-format strings: the name of the information the fetch needs (HAProxy's
 * sample_src_names, e.g. 'HTTP response headers') when none of `use` provides it.
 */
export function fetchUnavailableLabel(c: Criterion, use: SampleUse): string | undefined {
  return fetchUnavailable(c.expr, [use]);
}

/** Does the fetch read the request or response buffer (HAProxy's SMP_USE_L6REQ/L6RES)? */
export function fetchUsesL6(c: { readonly expr: SampleExprModel }): boolean {
  const row = fetchRow(c.expr.fetch.name);
  return row !== undefined && /L6RE[QS]/.test(row.src);
}
