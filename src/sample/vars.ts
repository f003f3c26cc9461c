/**
 * Variable names (configuration.txt 7.3.1 "set-var", 4.2 "http-request set-var"): a scope,
 * a dot, then letters, digits, '.' and '_'. Shared with the actions that set variables.
 * Messages found by experiment with haproxy 2.6 (`var(x)`, `set-var(x)`, ...).
 */

export const VAR_SCOPES = ['proc', 'sess', 'txn', 'req', 'res', 'check'] as const;
export type VarScope = (typeof VAR_SCOPES)[number];

export type VarNameCheck = { scope: VarScope; name: string } | { error: string };

/**
 * Checks a variable name; on error returns HAProxy's message, without the final period (the
 * caller's wrapping adds it, as HAProxy's does):
 * - "Empty variable name cannot be accepted"
 * - "invalid variable name 'x'. A variable name must be start by its scope. The scope can be ..."
 * - "invalid syntax at char '-b'" (the rest of the name from the first bad character)
 */
export function checkVarName(text: string): VarNameCheck {
  if (text === '') return { error: 'Empty variable name cannot be accepted' };
  const dot = text.indexOf('.');
  const scope = dot > 0 ? text.slice(0, dot) : '';
  const name = text.slice(dot + 1);
  if (dot <= 0 || !(VAR_SCOPES as readonly string[]).includes(scope) || name === '') {
    return {
      error:
        `invalid variable name '${text}'. A variable name must be start by its scope. ` +
        `The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'`,
    };
  }
  const bad = /[^a-zA-Z0-9._]/.exec(name);
  if (bad) return { error: `invalid syntax at char '${name.slice(bad.index)}'` };
  return { scope: scope as VarScope, name };
}

/** True when `text` is a valid variable name (used where a name or a value is accepted). */
export function isVarName(text: string): boolean {
  return 'scope' in checkVarName(text);
}
