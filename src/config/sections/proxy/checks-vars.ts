/**
 * `tcp-check` / `http-check` set-var(<name>[,<cond>...]) <expr>, set-var-fmt(...) <fmt> and
 * unset-var(<name>) (configuration.txt 4.2 "tcp-check set-var"). The action word is matched
 * by prefix as HAProxy does ("set-varx(...)" is reported as an incomplete 'set-var').
 *
 * Findings (haproxy 2.6 -c): a name is "<scope>.<chars>" with scope proc, sess, txn, req, res
 * or check and chars in [A-Za-z0-9_.] (the manual's '-' is refused); words after the
 * expression are ignored; set-var-fmt accepts a missing format.
 */
import type { KeywordContext } from '../../keywords.js';
import type { CheckVarRule } from '../../model/check.js';
import { parseLogFormat } from '../../../log/log-format.js';
import { parseSampleExpr } from '../../../sample/expr.js';
import { SET_VAR_CONDITIONS } from '../../../sample/var-store.js';
import { VAR_SCOPES } from '../../../sample/vars.js';

export const VAR_ACTIONS = ['set-var-fmt', 'set-var', 'unset-var'] as const;
export type VarAction = (typeof VAR_ACTIONS)[number];

const SCOPES = VAR_SCOPES;
const CONDITIONS: ReadonlySet<string> = new Set(SET_VAR_CONDITIONS);
const EXPECTS = "Expects 'set-var(<var-name>)', 'set-var-fmt(<var-name>)' or 'unset-var(<var-name>)'";

/** The variable action a word starts with (longest prefix first), if any. */
export function varActionOf(word: string): VarAction | undefined {
  return VAR_ACTIONS.find((a) => word.startsWith(a));
}

export type VarRuleParse = { rule: Omit<CheckVarRule, 'index'> } | { error: string };

/**
 * Parses `args[1]` (the action word) and `args[2]` (expression or format). On error, the
 * message is the part after "'tcp-check set-var(x)' : " (without the final '.').
 */
export function parseVarRule(ctx: KeywordContext<unknown>, args: readonly string[]): VarRuleParse {
  const word = args[1] ?? '';
  const action = varActionOf(word);
  if (!action) return { error: `invalid or incomplete action '${word}'. ${EXPECTS}` };
  const fail = (msg: string): VarRuleParse => ({ error: `'${action}' : ${msg}` });
  if (word[action.length] !== '(') return fail(`invalid or incomplete action '${word}'. ${EXPECTS}`);
  if (!word.endsWith(')')) return fail(`incomplete argument after action '${word}'. ${EXPECTS}`);
  const open = action.length + 1;
  const inner = word.slice(open, -1);
  const comma = inner.indexOf(',');
  const name = comma < 0 ? inner : inner.slice(0, comma);
  if (name === '') return fail('Empty variable name cannot be accepted');
  const scope = SCOPES.find((s) => name.startsWith(`${s}.`) && name.length > s.length + 1);
  if (!scope) {
    return fail(
      `invalid variable name '${name}'. A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'`,
    );
  }
  // The name's characters are checked up to the ',' or the final ')' of the word.
  for (let i = open + scope.length + 1; i < word.length; i++) {
    const c = word[i]!;
    if (c === ',' || i === word.length - 1) break;
    if (!/[A-Za-z0-9_.]/.test(c)) return fail(`invalid syntax at char '${word.slice(i)}'`);
  }
  const conditions = comma < 0 ? [] : inner.slice(comma + 1).split(',').filter((c) => c !== '');
  if (action === 'unset-var') {
    if (conditions.length > 0) {
      return fail('unset-var does not expect parameters after the variable name. Only "set-var" and "set-var-fmt" manage conditions');
    }
    return { rule: { where: ctx.where, action, scope, name, conditions } };
  }
  for (const c of conditions) if (!CONDITIONS.has(c)) return fail(`unknown condition "${c}"`);
  if (action === 'set-var') {
    const text = args[2] ?? '';
    if (text === '') return fail('missing fetch method');
    // HAProxy names the action word in "fetch method '...' extracts information from ...".
    const r = parseSampleExpr(ctx, text, 'tcp-check', { fetchWord: word });
    if ('error' in r) return fail(r.error);
    return { rule: { where: ctx.where, action, scope, name, conditions, expr: r.expr } };
  }
  const text = args[2] ?? '';
  const r = parseLogFormat(ctx, text, 'tcp-check');
  if ('error' in r) return fail(r.error);
  return { rule: { where: ctx.where, action, scope, name, conditions, format: { text, parts: r.parts } } };
}
