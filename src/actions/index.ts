/**
 * Rule actions (http-request, http-response, http-after-response, tcp-request connection /
 * session / content, tcp-response content), one table for all rule sets: each row says in
 * which rule sets it applies. One file per family of actions; this file gathers them and
 * finds the row an action word names, as HAProxy does.
 */
import * as conn from './conn.js';
import * as external from './external.js';
import * as flow from './flow.js';
import * as headers from './headers.js';
import { LISTING } from './listing.js';
import * as maps from './maps.js';
import * as stick from './stick.js';
import * as stream from './stream.js';
import type { ActionRow, RuleSet } from './types.js';
import * as uri from './uri.js';
import * as vars from './vars.js';

export type { ActionRow, ActionRowBase, RuleSet } from './types.js';

export const actionRows: ActionRow[] = [
  ...flow.rows,
  ...headers.rows,
  ...uri.rows,
  ...maps.rows,
  ...vars.rows,
  ...stick.rows,
  ...conn.rows,
  ...stream.rows,
  ...external.rows,
];

/** Built-in actions of the tcp rule parsers, in the order HAProxy tests them. */
const BUILTIN_ORDER: Partial<Record<RuleSet, readonly { name: string; prefix?: boolean }[]>> = {
  'tcp-request connection': [
    { name: 'accept' },
    { name: 'reject' },
    { name: 'capture' },
    { name: 'track-sc', prefix: true },
    { name: 'expect-proxy' },
    { name: 'expect-netscaler-cip' },
  ],
  'tcp-response content': [{ name: 'accept' }, { name: 'reject' }, { name: 'close' }],
};
BUILTIN_ORDER['tcp-request session'] = BUILTIN_ORDER['tcp-request connection'];
BUILTIN_ORDER['tcp-request content'] = BUILTIN_ORDER['tcp-request connection'];

function rowFor(ruleset: RuleSet, name: string, builtin: boolean): ActionRow | undefined {
  return actionRows.find((r) => r.name === name && !!r.builtin === builtin && !r.lua && r.rulesets.includes(ruleset));
}

/** The row of actions Lua scripts register ("lua.<name>"). */
export function luaActionRow(): ActionRow {
  return actionRows.find((r) => r.lua)!;
}

/**
 * The action a word names in a rule set, or undefined. Built-ins first (exact names, and
 * "track-sc" as a prefix); then the registered actions: an exact name wins, otherwise the
 * longest prefix action the word starts with.
 */
export function findAction(ruleset: RuleSet, word: string): ActionRow | undefined {
  for (const b of BUILTIN_ORDER[ruleset] ?? []) {
    if (b.prefix ? word.startsWith(b.name) : word === b.name) return rowFor(ruleset, b.name, true);
  }
  let best: string | undefined;
  for (const entry of LISTING[ruleset]) {
    const prefix = entry.endsWith('(*)');
    const name = prefix ? entry.slice(0, -3) : entry;
    if (word === name) return rowFor(ruleset, name, false);
    if (prefix && word.startsWith(name) && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : rowFor(ruleset, best, false);
}
