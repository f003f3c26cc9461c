/**
 * Conditions of rules: "if|unless <acl terms>" (configuration.txt 7.2).
 * PLACEHOLDER CONTRACT (the ACL work replaces the body, keeps the signature):
 * `words[start]` is 'if' or 'unless'; every word after it belongs to the condition. Checks
 * that named ACLs exist (declared before in the proxy, or predefined), parses anonymous ACLs
 * "{ ... }" and reports errors in HAProxy's words.
 */
import type { KeywordContext } from '../config/keywords.js';
import type { ConditionModel } from '../config/model/acl.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { SampleUse } from '../sample/types.js';

export type ConditionParse = { condition: ConditionModel } | { error: string };

export function parseCondition(
  ctx: KeywordContext<unknown>,
  proxy: ProxyModel,
  words: readonly string[],
  start: number,
  _use: SampleUse | readonly SampleUse[],
): ConditionParse {
  const kw = words[start];
  if (kw !== 'if' && kw !== 'unless') return { error: `expects 'if' or 'unless' followed by a condition but found '${kw}'` };
  const terms = words.slice(start + 1).map((w) => ({ negate: w.startsWith('!'), acl: w.replace(/^!/, '') }));
  void proxy;
  return { condition: { where: ctx.where, negate: kw === 'unless', groups: [terms] } };
}
