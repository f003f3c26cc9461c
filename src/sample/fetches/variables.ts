/**
 * var(<name>[,<default>]) (configuration.txt 7.3.2): the value of a variable, with the type it
 * was stored with; when it has none (or its scope does not exist here), the default as a
 * string, else no sample. HAProxy's smp_fetch_var / var_to_smp.
 */
import type { FetchCompiler } from '../types.js';
import { storeOf, varRef } from '../var-ref.js';

export const smpFetchVar: FetchCompiler = (values) => {
  const ref = varRef(values[0]?.type === 'str' ? values[0].value : '');
  const def = values[1]?.type === 'str' ? Buffer.from(values[1].value, 'latin1') : undefined;
  return (env, smp) => {
    if (storeOf(env, ref)?.get(ref.name, smp)) return true;
    if (def === undefined) return false;
    smp.type = 'str';
    smp.bytes = def;
    return true;
  };
};
