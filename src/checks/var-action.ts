/**
 * `tcp-check` / `http-check` set-var, set-var-fmt and unset-var (configuration.txt 4.2
 * "tcp-check set-var"), as HAProxy's action_store / action_clear run them in a check: the
 * expression (or the format, as a string) is evaluated in the check's environment and stored
 * under the rule's conditions. An expression without a sample stores nothing; a scope the
 * check does not have (txn, req, res) is left alone. An empty set-var-fmt format does
 * nothing (HAProxy would evaluate a missing expression there).
 */
import type { CheckVarRule } from '../config/model/check.js';
import { compileSampleExpr } from '../sample/compile.js';
import { newSample } from '../sample/convert.js';
import type { SampleEnv } from '../sample/types.js';
import type { SetVarCondition } from '../sample/var-store.js';
import { storeOf, varRef } from '../sample/var-ref.js';
import { compileCheckFormat } from './check-format.js';

export function compileVarAction(rule: CheckVarRule): (env: SampleEnv) => void {
  const ref = varRef(rule.name);
  const conditions = rule.conditions as readonly SetVarCondition[];
  if (rule.action === 'unset-var') return (env) => storeOf(env, ref)?.unset(ref.name);
  const smp = newSample();
  if (rule.action === 'set-var-fmt') {
    if (!rule.format || rule.format.parts.length === 0) return () => undefined;
    const text = compileCheckFormat(rule.format);
    return (env) => {
      const store = storeOf(env, ref);
      if (!store) return;
      smp.type = 'str';
      smp.bytes = Buffer.from(text(env), 'latin1');
      store.set(ref.name, smp, conditions);
    };
  }
  const run = compileSampleExpr(rule.expr!);
  return (env) => {
    const store = storeOf(env, ref);
    if (!store) return;
    smp.mayChange = false;
    if (run(env, smp)) store.set(ref.name, smp, conditions);
  };
}
