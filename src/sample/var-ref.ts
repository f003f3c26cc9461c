/**
 * A variable named in the configuration ("txn.user", "proc.limit"), resolved once at startup
 * for the fetches, converters and rules that read or write it. Naming a `proc` variable
 * creates it without a value, as HAProxy does at parse time (var-store.ts).
 */
import { procVars, type VarStore } from './var-store.js';
import type { SampleEnv } from './types.js';
import { checkVarName, type VarScope } from './vars.js';

export interface VarRef {
  readonly scope: VarScope;
  /** The name after the scope's dot. */
  readonly name: string;
}

/** Resolves a name the configuration checked already (checkVarName); throws on a bad one. */
export function varRef(text: string): VarRef {
  const r = checkVarName(text);
  if ('error' in r) throw new Error(`variable name '${text}': ${r.error}`);
  if (r.scope === 'proc') procVars.declare(r.name);
  return r;
}

/** The store of `ref`'s scope where the sample is evaluated, if that scope exists there. */
export function storeOf(env: SampleEnv, ref: VarRef): VarStore | undefined {
  return env.vars(ref.scope);
}
