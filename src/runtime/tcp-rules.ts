/**
 * tcp-request rules at run time (configuration.txt 4.2, "tcp-request connection",
 * "tcp-request content", "tcp-request inspect-delay"): compiled once per proxy into flat
 * arrays of (condition, action) closures, and the engine that runs them (HAProxy's
 * tcp_exec_l4_rules and tcp_inspect_request).
 *
 * - Rules run in declaration order; the first action that stops (accept) or denies (reject)
 *   decides; when none does, the connection or content is accepted.
 * - A condition that cannot be decided yet (ACL_MISS: a fetch whose data "may change", such as
 *   req.len before the inspect delay expires) stops the evaluation there: the caller waits for
 *   more data or for the delay, then evaluates the whole list again. tcp-request connection
 *   rules always evaluate as final: there is nothing to wait for.
 * - A named defaults section's rules run before the proxy's own. Found by experiment with
 *   haproxy 2.6 (a quirk of its resume logic, reproduced): when an evaluation stops on an
 *   undecided condition among the defaults section's rules, the next evaluation starts with the
 *   proxy's own rules, skipping the defaults section's; when it stops among the proxy's own
 *   rules, the next one starts again with the defaults section's. An "accept" in the defaults
 *   section accepts at once (the proxy's rules do not run).
 * - An empty rule set compiles to null: the stream path skips it entirely.
 */
import { ACL_MISS, ACL_PASS, compileCondition } from '../acl/exec.js';
import { findAction } from '../actions/index.js';
import type { ActionFn, RuleSet } from '../actions/types.js';
import type { ConfigModel } from '../config/model/index.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { Where } from '../config/types.js';
import type { AclEval } from '../acl/types.js';
import type { SampleEnv } from '../sample/types.js';

export interface CompiledRule {
  readonly where: Where;
  /** null: unconditional. */
  readonly cond: AclEval | null;
  /** "unless": the action runs when the condition does not match. */
  readonly unless: boolean;
  readonly action: ActionFn;
}

/** The rules of one rule set for one proxy: its named defaults section's, then its own. */
export interface TcpRuleSet {
  readonly defaults: readonly CompiledRule[] | null;
  readonly own: readonly CompiledRule[] | null;
}

/** tcp-request content rules with the proxy's inspect delay (ms, 0 = none). */
export interface ContentRules {
  readonly rules: TcpRuleSet;
  readonly inspectDelay: number;
}

/** What running a rule set decided. 'wait': a condition is not decided yet. */
export type RulesVerdict = 'accept' | 'reject' | 'wait';

/** Where an inspection stands between two evaluations (HAProxy keeps it in the stream). */
export interface InspectState {
  /** The last evaluation stopped in the defaults section's rules: start with the proxy's. */
  skipDefaults: boolean;
}

function compileList(proxy: ProxyModel, ruleset: RuleSet): CompiledRule[] | null {
  const out: CompiledRule[] = [];
  for (const r of proxy.rules) {
    if (r.ruleset !== ruleset) continue;
    const row = findAction(ruleset, r.word ?? r.action);
    // Refused at startup when an action has no implementation: this is a bug if reached.
    if (!row?.run) throw new Error(`${r.where.file}:${r.where.line}: action '${ruleset} ${r.action}' has no run-time implementation`);
    out.push({
      where: r.where,
      cond: r.condition ? compileCondition(proxy, r.condition) : null,
      unless: r.condition?.negate === true,
      action: row.run(r),
    });
  }
  return out.length > 0 ? out : null;
}

/** The named defaults section a proxy inherits from, when it holds rules of `ruleset`. */
function defaultsOf(model: ConfigModel, proxy: ProxyModel): ProxyModel | undefined {
  const w = proxy.fromWhere;
  if (!w) return undefined;
  return model.defaults.find((d) => d.where.file === w.file && d.where.line === w.line);
}

/** Compiles `ruleset` for `proxy` (with its defaults section's rules); null when there is none. */
export function compileTcpRules(model: ConfigModel, proxy: ProxyModel, ruleset: RuleSet): TcpRuleSet | null {
  const d = defaultsOf(model, proxy);
  const defaults = d ? compileList(d, ruleset) : null;
  const own = compileList(proxy, ruleset);
  if (!defaults && !own) return null;
  return { defaults, own };
}

/** tcp-request content rules of `proxy` and its inspect delay; null without rules. */
export function compileContentRules(model: ConfigModel, proxy: ProxyModel): ContentRules | null {
  const rules = compileTcpRules(model, proxy, 'tcp-request content');
  if (!rules) return null;
  return { rules, inspectDelay: Number(proxy.settings['tcp-request inspect-delay']?.[0] ?? '0') || 0 };
}

/** One list: 'accept' / 'reject' when an action decided, 'wait', or undefined to go on. */
function runList(list: readonly CompiledRule[], env: SampleEnv): RulesVerdict | undefined {
  for (const r of list) {
    if (r.cond) {
      const c = r.cond(env);
      if (c === ACL_MISS) return 'wait';
      if ((c === ACL_PASS) === r.unless) continue;
    }
    const v = r.action(env);
    if (v === 'stop') return 'accept';
    if (v === 'deny') return 'reject';
  }
  return undefined;
}

/**
 * Evaluates a rule set once with what `env` shows. `state` carries the defaults-section quirk
 * from one evaluation to the next (see the file's comment); a new one per stage.
 */
export function runTcpRules(set: TcpRuleSet, env: SampleEnv, state: InspectState): RulesVerdict {
  if (set.defaults && !state.skipDefaults) {
    const v = runList(set.defaults, env);
    if (v === 'wait') {
      state.skipDefaults = true;
      return v;
    }
    if (v !== undefined) return v;
  }
  state.skipDefaults = false;
  if (set.own) return runList(set.own, env) ?? 'accept';
  return 'accept';
}
