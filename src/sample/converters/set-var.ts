/**
 * Run time of the set-var(<name>[,<cond>...]) and unset-var(<name>) converters
 * (configuration.txt 7.3.1): they store or remove a variable and pass the sample on
 * unchanged. As HAProxy's smp_conv_store, a set-var whose condition keeps the old value, or
 * whose scope does not exist where it runs, fails the conversion (the expression then has no
 * sample); unset-var fails only where its scope does not exist.
 */
import type { ConverterCompiler } from '../types.js';
import type { SetVarCondition } from '../var-store.js';
import { storeOf, varRef } from '../var-ref.js';

const strOf = (v: { type: string; value?: unknown } | undefined): string => (v?.type === 'str' && typeof v.value === 'string' ? v.value : '');

export const sampleConvSetVar: ConverterCompiler = (values) => {
  const ref = varRef(strOf(values[0]));
  // The validator accepted only known conditions; HAProxy stops at the first empty one.
  const conditions: SetVarCondition[] = [];
  for (const v of values.slice(1)) {
    const c = strOf(v);
    if (c === '') break;
    conditions.push(c as SetVarCondition);
  }
  return (smp, env) => storeOf(env, ref)?.set(ref.name, smp, conditions) ?? false;
};

export const sampleConvUnsetVar: ConverterCompiler = (values) => {
  const ref = varRef(strOf(values[0]));
  return (_smp, env) => {
    const store = storeOf(env, ref);
    store?.unset(ref.name);
    return store !== undefined;
  };
};
