/**
 * `set-var <var-name> <expr>` and `set-var-fmt <var-name> <fmt>` in the global section
 * (configuration.txt 3.1): process-wide variables ("proc.<name>") computed once at startup,
 * with the fetches available at configuration time only.
 */
import { parseLogFormat } from '../../../log/log-format.js';
import { parseSampleExpr } from '../../../sample/expr.js';
import { effectiveArgs, type Row } from './helpers.js';

const SCOPES = ['proc', 'sess', 'txn', 'req', 'res', 'check'];

function setVarRow(name: 'set-var' | 'set-var-fmt'): Row {
  const what = name === 'set-var' ? 'a sample expression' : 'a format string';
  return {
    name,
    status: 'notyet',
    summary: name === 'set-var' ? 'Set a process-wide variable from a sample expression at startup.' : 'Set a process-wide variable from a log-format string at startup.',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      const varName = args[1] ?? '';
      const text = args[2] ?? '';
      if (varName === '' || text === '') {
        ctx.alert(`'${name}' requires a process-wide variable name ('proc.<name>') and ${what}.`);
        return;
      }
      const dot = varName.indexOf('.');
      const scope = dot < 0 ? '' : varName.slice(0, dot);
      if (!SCOPES.includes(scope) || dot === varName.length - 1) {
        ctx.alert(`invalid variable name '${varName}'. A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'`);
        return;
      }
      const bad = /[^A-Za-z0-9._]/.exec(varName.slice(dot + 1));
      if (bad) {
        ctx.alert(`invalid syntax at char '${varName.slice(dot + 1 + bad.index)})'`);
        return;
      }
      if (scope !== 'proc') {
        ctx.alert(`'${name}': cannot set variable '${varName}', only scope 'proc' is permitted in the global section.`);
        return;
      }
      // Words after the expression are ignored, as HAProxy does.
      if (name === 'set-var') {
        const r = parseSampleExpr(ctx, text, 'config');
        if ('error' in r) {
          ctx.alert(r.error);
          return;
        }
      } else {
        const r = parseLogFormat(ctx, text, 'config');
        if ('error' in r) {
          ctx.alert(r.error);
          return;
        }
      }
      (ctx.state.setVars ??= []).push({ where: ctx.where, name: varName, kind: name === 'set-var' ? 'expr' : 'fmt', text });
    },
  };
}

export const varRows: Row[] = [setVarRow('set-var'), setVarRow('set-var-fmt')];
