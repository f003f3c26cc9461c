/**
 * Rules: http-request, tcp-request content, use_backend, ... An action is recorded by name with
 * the arguments its own parser produced; the condition (if/unless + ACLs) is kept as parsed.
 * Rules of all rule sets are kept in one list per proxy, in the order written; a rule set's
 * rules are those with its `ruleset`. Types only.
 */
import type { Where } from '../types.js';
import type { ConditionModel } from './acl.js';

/**
 * 'http-request', 'http-response', 'http-after-response', 'tcp-request connection',
 * 'tcp-request session', 'tcp-request content', 'tcp-response content' (rules with actions),
 * and 'use_backend', 'use-server', 'redirect', 'stick on', 'stick match', 'stick store-request',
 * 'stick store-response', 'force-persist', 'ignore-persist', 'monitor fail', 'http-error',
 * 'declare capture' (rules without actions).
 */
export type RuleSetName = string;

export interface RuleModel {
  readonly where: Where;
  readonly ruleset: RuleSetName;
  /**
   * Action name as registered ('deny', 'set-header', 'set-var', 'track-sc', ...), or '' for
   * rule sets without actions.
   */
  readonly action: string;
  /** The action word as written ('set-var(txn.x)', 'track-sc1'), when it has arguments in it. */
  readonly word?: string;
  /** What the action's parser made of its arguments. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly condition?: ConditionModel;
  /** HAProxy's final actions (allow, deny, ...): rules after an unconditional one never run. */
  readonly final?: boolean;
}
