/**
 * Parsing one rule with an action: "<ruleset> <action> [args...] [{ if | unless } <cond>]"
 * (configuration.txt 4.2, "http-request", "tcp-request content", ...). Finds the action,
 * runs its parser, then reads the optional condition, with HAProxy's messages for each
 * failure. HTTP rule sets word their errors one way and stop reading the configuration on
 * error (HAProxy's ERR_ABORT); tcp rule sets word them another way and go on.
 */
import { parseCondition } from '../acl/condition.js';
import { conditionConflict } from '../acl/conflicts.js';
import type { SampleUse } from '../sample/types.js';
import type { KeywordContext } from '../config/keywords.js';
import type { ConditionModel } from '../config/model/acl.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { RuleModel } from '../config/model/rules.js';
import { isCondWord, proxyLabel, ruleUses } from './args.js';
import { findAction, luaActionRow } from './index.js';
import { luaLoaded } from './external.js';
import { formatListing, LISTING, TCP_REQUEST_EXTRA, TCP_RESPONSE_EXTRA } from './listing.js';
import { STICK_COUNTERS } from './stick.js';
import { suggestAction, type SuggestCandidate } from './suggest.js';
import type { ActionInput, ActionParsed, RuleSet } from './types.js';

/**
 * HAProxy's warning for a condition whose ACLs cannot be evaluated where the rule runs
 * ("acl 'x' will never match because ..."), printed after the rule is parsed and after the
 * warnings about misplaced rules. `uses` defaults to the rule set's places.
 */
export function warnConditionConflicts(ctx: KeywordContext<ProxyModel>, ruleset: string, rule: RuleModel, uses?: readonly SampleUse[]): void {
  if (!rule.condition) return;
  const tcp = ruleset.startsWith('tcp-');
  const places = uses ?? ruleUses(ruleset as RuleSet, ctx.state);
  const warn = conditionConflict(ctx.state, rule.condition, places, tcp ? { rule: ruleset } : {});
  if (warn) ctx.warning(warn);
}

/** Whether "expose-experimental-directives" was set in the global section. */
export function experimentalAllowed(ctx: KeywordContext<unknown>): boolean {
  return ctx.load.global.exposeExperimental === true;
}

function candidates(ruleset: RuleSet): SuggestCandidate[] {
  return LISTING[ruleset].map((e) => (e.endsWith('(*)') ? { name: e.slice(0, -3), prefix: true } : { name: e }));
}

/** HAProxy's message for an unknown action in a rule set. */
export function unknownActionMessage(ruleset: RuleSet, proxy: ProxyModel, word: string): string {
  const list = formatListing(LISTING[ruleset]);
  const isTcpReq = ruleset.startsWith('tcp-request');
  const extra = isTcpReq ? TCP_REQUEST_EXTRA : ruleset === 'tcp-response content' ? TCP_RESPONSE_EXTRA : [];
  const best = suggestAction(word, candidates(ruleset), extra);
  const hint = best ? ` Did you mean '${best}' maybe ?` : '';
  if (isTcpReq) {
    return (
      `'${ruleset}' expects 'accept', 'reject', 'capture', 'expect-proxy', 'expect-netscaler-cip', ` +
      `'track-sc0' ... 'track-sc${STICK_COUNTERS - 1}', ${list} in ${proxyLabel(proxy)} (got '${word}').${hint}\n`
    );
  }
  if (ruleset === 'tcp-response content') {
    return `'${ruleset}' expects 'accept', 'close', 'reject', ${list} in ${proxyLabel(proxy)} (got '${word}').${hint}`;
  }
  return `'${ruleset}' expects ${list}, but got '${word}'${word === '' ? ' (missing argument)' : ''}.${hint}`;
}

export interface ParseRuleOptions {
  /** Report actions that do not run yet (false while the rule keyword itself does not run). */
  readonly reportNotYet: boolean;
}

/**
 * Parses the action and condition of a rule whose action word is `words[at]`. Reports errors
 * (and aborts for HTTP rule sets) and returns undefined, or returns the rule to record.
 */
export function parseActionRule(
  ctx: KeywordContext<ProxyModel>,
  ruleset: RuleSet,
  words: readonly string[],
  at: number,
  opts: ParseRuleOptions,
): RuleModel | undefined {
  const proxy = ctx.state;
  const http = ruleset.startsWith('http-');
  const fail = (message: string, style: 'spaced' | 'tight' = 'spaced'): undefined => {
    ctx.alert(message, style);
    if (http) ctx.abort();
    return undefined;
  };
  const word = words[at] ?? '';
  let row = word === '' ? undefined : findAction(ruleset, word);
  // Lua scripts register their actions as "lua.<name>" when they are loaded.
  if (!row && word.startsWith('lua.') && luaLoaded({ ctx })) row = luaActionRow();
  if (!row) return fail(unknownActionMessage(ruleset, proxy, word), http ? 'tight' : 'spaced');
  if (row.experimental && !experimentalAllowed(ctx)) {
    return fail(`'${row.name}' action is experimental, must be allowed via a global 'expose-experimental-directives'`);
  }
  const uses = ruleUses(ruleset, proxy);
  const input: ActionInput = {
    ctx,
    proxy,
    ruleset,
    name: word,
    arg: (i) => words[at + i] ?? '',
    count: words.length - at,
    words,
    at,
    uses,
  };
  const r = row.parse(input);
  if ('error' in r) {
    if (http) return fail(`error detected in ${proxyLabel(proxy)} while parsing '${ruleset} ${word}' rule : ${r.error}.`);
    return fail(r.error);
  }
  const parsed: ActionParsed = r;
  if (parsed.warning) ctx.warning(http ? `${parsed.warning}.` : parsed.warning);

  let condition: ConditionModel | undefined;
  if (parsed.condition !== undefined) {
    condition = parsed.condition ?? undefined;
  } else {
    const ci = at + parsed.next;
    const cw = words[ci] ?? '';
    if (isCondWord(cw)) {
      const wrap = (msg: string): string =>
        http
          ? `error detected while parsing an '${ruleset} ${word}' condition : ${msg}.`
          : `'${ruleset} ${word}' : error detected in ${proxyLabel(proxy)} while parsing '${cw}' condition : ${msg}`;
      // Conflicts with the rule's place are warned about by the caller, after HAProxy's
      // warnings about misplaced rules (see warnConditionConflicts).
      const c = parseCondition(ctx, proxy, words, ci, [], { late: wrap });
      if ('error' in c) return fail(wrap(c.error));
      condition = c.condition;
    } else if (cw !== '') {
      if (http) return fail(`'${ruleset} ${word}' expects either 'if' or 'unless' followed by a condition but found '${cw}'.`, 'tight');
      return fail(`'${ruleset} ${word}' only accepts 'if' or 'unless', in ${proxyLabel(proxy)} (got '${cw}')`);
    }
  }
  if (opts.reportNotYet && row.status === 'notyet') ctx.notYet(`action '${ruleset} ${row.name}'`);
  return {
    where: ctx.where,
    ruleset,
    action: row.name,
    ...(word !== row.name ? { word } : {}),
    args: parsed.args,
    ...(condition ? { condition } : {}),
    ...(parsed.final ? { final: true } : {}),
  };
}
