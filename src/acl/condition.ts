/**
 * Conditions of rules: "if|unless <acl terms>" (configuration.txt 7.2).
 *
 * `words[start]` is 'if' or 'unless'; every word after it belongs to the condition (up to the
 * first empty word, where HAProxy's argument list ends). Terms are ACL names, optionally
 * negated with '!' (any number of them, alone or stuck to the name: "!!a" is "a"), anonymous
 * ACLs between braces written as separate words ("{ path /x }"), and "or" / "||" (any case
 * for "or") between groups of terms that must all match. "if" with no term never matches.
 * A named ACL must be declared earlier in the same proxy, or be predefined (7.4; it is then
 * added to the proxy, see acl/declare.ts).
 *
 * RETURNED MESSAGES. On error, `error` is HAProxy's inner message, without location nor final
 * period, e.g.:
 *   no such ACL : 'foo'
 *   missing closing '}' in condition
 *   unknown fetch method 'nope' in ACL expression 'nope'        (from an anonymous ACL)
 *   conditions must start with either 'if' or 'unless'
 * The caller words the rest as HAProxy does for its keyword (checked with haproxy 2.6):
 *   use_backend b if foo
 *     parsing [f:n] : error detected while parsing switching rule : no such ACL : 'foo'.
 *   http-request deny if foo   (and http-response, http-after-response: the action name)
 *     parsing [f:n] : error detected while parsing an 'http-request deny' condition : no such ACL : 'foo'.
 *   tcp-request content reject if { nope }   (no final period)
 *     parsing [f:n] : 'tcp-request content reject' : error detected in frontend 'f' while parsing 'if' condition : unknown fetch method 'nope' in ACL expression 'nope'
 *
 * WARNINGS. When the condition's ACLs cannot be evaluated at `use`, parseCondition itself
 * warns on the rule's line, in the wording of HAProxy's cfgparse (http-request, use_backend,
 * ...): "acl 'x' will never match because it only involves keywords that are incompatible
 * with 'frontend http-request header rule'". At the places of tcp-request/tcp-response rules,
 * the wording is theirs ("... will never match in 'tcp-request content' because ...",
 * "involves keyword"), deduced from `use` (or forced with `opts.rule`). An empty `use` skips
 * the check.
 *
 * AFTER PARSING, in an HTTP proxy, HAProxy warns about conditions using fetches of the request
 * or response buffer (req.len, REQ_CONTENT ...): "Proxy 'f': L6 sample fetches ignored on HTTP
 * proxies (declared at t.cfg:9)." parseCondition registers that check (the mode is only final
 * after the last line) for the rules that ask for it with `opts.l6Check: true`.
 */
import type { KeywordContext } from '../config/keywords.js';
import type { ConditionModel, ConditionTermModel } from '../config/model/acl.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { SampleUse } from '../sample/types.js';
import { conditionConflict, l6Warning } from './conflicts.js';
import { aclLines, declareAcl, instantiatePredefined, proxyHasAcl } from './declare.js';
import { cutAtEmpty } from './expr.js';
import { fetchUsesL6 } from './sample-bridge.js';

export type ConditionParse = { condition: ConditionModel } | { error: string };

export interface ConditionOptions {
  /** tcp-request/tcp-response rules: their name, for HAProxy's wording of the warnings. */
  readonly rule?: string;
  /**
   * Words an error found after parsing (a host name in an anonymous ACL's IP pattern that does
   * not resolve), e.g. (msg) => `error detected while parsing switching rule : ${msg}.`.
   */
  readonly late?: (msg: string) => string;
  /**
   * true for the rules HAProxy checks for L6 fetches in HTTP proxies (haproxy 2.6, tested):
   * http-request, http-response, http-after-response, tcp-request *, tcp-response content
   * (all actions, "http-request redirect" included), use_backend, use-server, stick on, stick
   * match, stick store-request. Not: the "redirect" keyword, monitor fail, force-persist,
   * ignore-persist, stick store-response, stats admin, stats http-request.
   */
  readonly l6Check?: boolean;
}

/** tcp-request / tcp-response rules word their warnings with their name: the place tells it. */
function tcpRuleOf(uses: readonly SampleUse[]): string | undefined {
  switch (uses[0]) {
    case 'fe-tcp-request-connection':
      return 'tcp-request connection';
    case 'fe-tcp-request-session':
      return 'tcp-request session';
    case 'fe-tcp-request-content':
    case 'be-tcp-request-content':
      return 'tcp-request content';
    case 'fe-tcp-response-content':
    case 'be-tcp-response-content':
      return 'tcp-response content';
    default:
      return undefined;
  }
}

export function parseCondition(
  ctx: KeywordContext<unknown>,
  proxy: ProxyModel,
  words: readonly string[],
  start: number,
  use: SampleUse | readonly SampleUse[],
  opts: ConditionOptions = {},
): ConditionParse {
  const kw = words[start];
  if (kw !== 'if' && kw !== 'unless') return { error: "conditions must start with either 'if' or 'unless'" };
  const args = cutAtEmpty(words.slice(start + 1));
  const late = opts.late ?? ((msg: string) => `error detected while parsing condition : ${msg}.`);
  const groups: ConditionTermModel[][] = [];
  let group: ConditionTermModel[] | undefined;
  let negate = false;

  for (let i = 0; i < args.length; i++) {
    let word = args[i]!;
    while (word.startsWith('!')) {
      negate = !negate;
      word = word.slice(1);
    }
    // A lone '!' negates what follows.
    if (word === '') continue;
    if (word.toLowerCase() === 'or' || word === '||') {
      group = undefined;
      negate = false;
      continue;
    }
    let term: ConditionTermModel;
    if (word === '{') {
      const end = args.indexOf('}', i + 1);
      if (end < 0) return { error: "missing closing '}' in condition" };
      const r = declareAcl(ctx, proxy, '', args.slice(i + 1, end), late);
      if ('error' in r) return r;
      term = { negate, anonymous: r.acl };
      i = end;
    } else {
      if (!proxyHasAcl(proxy, word) && !instantiatePredefined(ctx, proxy, word)) return { error: `no such ACL : '${word}'` };
      term = { negate, acl: word };
    }
    if (!group) {
      group = [];
      groups.push(group);
    }
    group.push(term);
    negate = false;
  }

  const terms = groups.flat();
  const l6 = terms.some((t) => (t.anonymous ? [t.anonymous] : aclLines(proxy, t.acl ?? '')).some((a) => fetchUsesL6(a)));
  const condition: ConditionModel = { where: ctx.where, negate: kw === 'unless', groups, l6: l6 || undefined };
  const uses: readonly SampleUse[] = typeof use === 'string' ? [use] : use;
  if (uses.length > 0) {
    const warn = conditionConflict(proxy, condition, uses, { rule: opts.rule ?? tcpRuleOf(uses) });
    if (warn) ctx.warning(warn);
  }
  if (condition.l6 && opts.l6Check === true) {
    const diag = ctx.diag;
    ctx.load.deferred.push(() => {
      const msg = l6Warning(proxy, condition);
      if (msg) diag.warning(undefined, msg);
    });
  }
  return { condition };
}
