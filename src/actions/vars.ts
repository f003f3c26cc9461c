/**
 * Variables (configuration.txt 4.2, "http-request set-var"; 2.8 "Variables"):
 * set-var(<name>[,<cond>...]) <expr>, set-var-fmt(<name>[,<cond>...]) <fmt>, unset-var(<name>).
 * A variable name starts with its scope (proc, sess, txn, req, res, check), followed by a
 * dot and letters, digits, '_' or '.'.
 */
import { SET_VAR_CONDITIONS } from '../sample/var-store.js';
import { formatArg, sampleArg } from './args.js';
import type { ActionInput, ActionResult, ActionRow } from './types.js';

const EXPECTS = "Expects 'set-var(<var-name>)', 'set-var-fmt(<var-name>)' or 'unset-var(<var-name>)'";
const CONDITIONS: ReadonlySet<string> = new Set(SET_VAR_CONDITIONS);
const SCOPES = ['proc.', 'sess.', 'txn.', 'req.', 'res.', 'check.'];

/**
 * Checks a variable name "scope.name" with HAProxy's messages. `rest` is the text from the
 * name to the end of the action word (HAProxy quotes it from the bad character on).
 */
export function varNameError(name: string, rest: string): string | undefined {
  if (name === '') return 'Empty variable name cannot be accepted';
  const scope = SCOPES.find((s) => name.length > s.length && name.startsWith(s));
  if (!scope) {
    return `invalid variable name '${name}'. A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'`;
  }
  for (let i = scope.length; i < name.length; i++) {
    if (!/[A-Za-z0-9_.]/.test(name[i]!)) return `invalid syntax at char '${rest.slice(i)}'`;
  }
  return undefined;
}

function parseVar(a: ActionInput): ActionResult {
  const word = a.name;
  const kind = word.startsWith('set-var-fmt') ? 'set-var-fmt' : word.startsWith('set-var') ? 'set-var' : 'unset-var';
  const after = word.slice(kind.length);
  if (!after.startsWith('(')) return { error: `invalid or incomplete action '${word}'. ${EXPECTS}` };
  const inner = after.slice(1);
  if (!inner.endsWith(')')) return { error: `incomplete argument after action '${word}'. ${EXPECTS}` };
  const parts = inner.slice(0, -1).split(',');
  const name = parts[0]!;
  // istsplit() stops at the first empty condition: "x,,ifset" only reads up to ",,".
  const conds: string[] = [];
  for (const c of parts.slice(1)) {
    if (c === '') break;
    conds.push(c);
  }
  if (conds.length > 0 && kind === 'unset-var') {
    return { error: 'unset-var does not expect parameters after the variable name. Only "set-var" and "set-var-fmt" manage conditions' };
  }
  for (const c of conds) if (!CONDITIONS.has(c)) return { error: `unknown condition "${c}"` };
  const nameErr = varNameError(name, inner);
  if (nameErr) return { error: nameErr };
  if (kind === 'unset-var') return { next: 1, args: { name } };
  if (kind === 'set-var-fmt') {
    // Compiled without HAProxy's LOG_OPT_HTTP: no warning about L6 fetches.
    const f = formatArg(a, a.arg(1), a.uses, { http: false });
    if ('error' in f) return f;
    return { next: 2, args: { name, conditions: conds, format: f.format } };
  }
  const s = sampleArg(a, a.arg(1), word);
  if ('error' in s) return s;
  return { next: 2, args: { name, conditions: conds, expr: s.expr } };
}

const ALL = ['http-request', 'http-response', 'http-after-response', 'tcp-request connection', 'tcp-request session', 'tcp-request content', 'tcp-response content'] as const;

export const rows: ActionRow[] = [
  {
    name: 'set-var-fmt',
    prefix: true,
    rulesets: ALL,
    status: 'notyet',
    summary: 'Sets a variable to the result of a log-format string, optionally under conditions.',
    parse: parseVar,
  },
  {
    name: 'set-var',
    prefix: true,
    rulesets: ALL,
    status: 'notyet',
    summary: 'Sets a variable to the result of a sample expression, optionally under conditions.',
    parse: parseVar,
  },
  {
    name: 'unset-var',
    prefix: true,
    rulesets: ALL,
    status: 'notyet',
    summary: 'Removes a variable.',
    parse: parseVar,
  },
];
