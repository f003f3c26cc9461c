/**
 * Rules: http-request, tcp-request content, use_backend, ... An action is recorded by name with
 * the arguments its own parser produced; the condition (if/unless + ACLs) is kept as parsed.
 */
import type { Where } from '../types.js';
import type { ConditionModel } from './acl.js';

export interface RuleModel {
  readonly where: Where;
  /** 'http-request', 'tcp-request content', 'use_backend', ... */
  readonly ruleset: string;
  /** Action name ('deny', 'set-header', ...), or '' for rulesets without actions. */
  readonly action: string;
  /** What the action's parser made of its arguments. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly condition?: ConditionModel;
}
