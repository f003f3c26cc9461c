/**
 * Rule actions (http-request, http-response, http-after-response, tcp-request connection /
 * session / content, tcp-response content), one table for all rulesets: each row says in which
 * rulesets it applies. Rows are added by the work on actions.
 */
import type { RowMeta } from '../config/types.js';

export interface ActionRowBase extends RowMeta {
  /** Rulesets where the action is accepted ('http-request', 'tcp-request content', ...). */
  readonly rulesets: readonly string[];
}

export const actionRows: ActionRowBase[] = [];
