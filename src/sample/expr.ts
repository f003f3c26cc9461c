/**
 * Sample expressions (configuration.txt 7.3): "fetch[(args)][,converter[(args)]]...".
 * PLACEHOLDER CONTRACT (the sample work replaces the body, keeps the signature):
 * parses `text` into a model, checking fetch and converter names, their arguments and
 * whether the fetch is available at `use`. Returns an error message in HAProxy's words.
 */
import type { KeywordContext } from '../config/keywords.js';
import type { SampleExprModel } from '../config/model/sample.js';
import type { SampleUse } from './types.js';

export type SampleParse = { expr: SampleExprModel } | { error: string };

export function parseSampleExpr(_ctx: KeywordContext<unknown>, text: string, _use: SampleUse | readonly SampleUse[]): SampleParse {
  const m = /^([^(,]+)(?:\(([^)]*)\))?(.*)$/.exec(text);
  if (!m) return { error: `missing fetch method in sample expression '${text}'` };
  return { expr: { text, fetch: { name: m[1]!, args: m[2] ? m[2].split(',') : [] }, converters: [] } };
}
