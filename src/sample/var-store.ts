/**
 * The values of variables (configuration.txt 2.8 "Variables", 4.2 "http-request set-var"):
 * one store per scope instance. HAProxy's vars.c, as 2.6 behaves:
 *
 *   proc    one store for the process (procVars), shared by every proxy, stream and check
 *   sess    the session's (a client connection; a check's own session during one check run)
 *   txn     the stream's transaction; req and res share the stream's other store
 *   check   one check run's, cleared when the run ends
 *
 * Where a scope does not exist (no stream in a check, no check in a stream) SampleEnv.vars()
 * gives undefined: setting does nothing, reading finds nothing.
 *
 * A variable is "set" while it holds a value; `proc` variables named anywhere in the
 * configuration exist from startup without a value (HAProxy creates them permanent at parse
 * time), which `ifexists`/`ifset` can tell apart. The memory limits (tune.vars.*-max-size)
 * are not enforced.
 */
import type { Sample, SampleKind } from './types.js';

/** set-var's conditions (HAProxy's VF_COND_*), as written after the name. */
export const SET_VAR_CONDITIONS = ['ifexists', 'ifnotexists', 'ifempty', 'ifnotempty', 'ifset', 'ifnotset', 'ifgt', 'iflt'] as const;
export type SetVarCondition = (typeof SET_VAR_CONDITIONS)[number];

/** A stored value: a copy of a sample (its bytes copied, as HAProxy mallocs them). */
interface StoredVar {
  /** undefined: the variable exists without a value (created by name, or unset when permanent). */
  type: SampleKind | undefined;
  num: number;
  bytes: Buffer;
  readonly permanent: boolean;
}

const EMPTY = Buffer.alloc(0);

export class VarStore {
  private readonly vars = new Map<string, StoredVar>();

  /** Creates a variable without a value, kept by unset (a `proc` variable named in the configuration). */
  declare(name: string): void {
    if (!this.vars.has(name)) this.vars.set(name, { type: undefined, num: 0, bytes: EMPTY, permanent: true });
  }

  /** Copies the value of `name` into `smp`; false when it has none. */
  get(name: string, smp: Sample): boolean {
    const v = this.vars.get(name);
    if (v?.type === undefined) return false;
    smp.type = v.type;
    smp.num = v.num;
    smp.bytes = v.bytes;
    return true;
  }

  /**
   * Stores `smp` in `name` under set-var's conditions (HAProxy's var_set, in its order);
   * returns false when a condition kept the old value.
   */
  set(name: string, smp: Sample, conditions: readonly SetVarCondition[] = []): boolean {
    const has = (c: SetVarCondition): boolean => conditions.includes(c);
    let v = this.vars.get(name);
    if (v && has('ifnotexists')) return false;
    if (!v) {
      if (has('ifexists')) return false;
      v = { type: undefined, num: 0, bytes: EMPTY, permanent: false };
      this.vars.set(name, v);
    }
    if ((has('ifset') && v.type === undefined) || (has('ifnotset') && v.type !== undefined)) return false;
    const textual = smp.type === 'str' || smp.type === 'bin' || smp.type === 'meth';
    // A scalar is never empty: ifempty keeps the old value.
    if (has('ifempty') && !textual) return false;
    if (smp.type === 'sint' && v.type === 'sint') {
      if ((has('ifgt') && !(v.num > smp.num)) || (has('iflt') && !(v.num < smp.num))) return false;
    }
    if (textual && ((has('ifnotempty') && smp.bytes.length === 0) || (has('ifempty') && smp.bytes.length > 0))) return false;
    v.type = smp.type;
    v.num = smp.num;
    v.bytes = textual || smp.type === 'ipv6' ? Buffer.from(smp.bytes) : EMPTY;
    return true;
  }

  /** unset-var: removes the variable (a permanent one only loses its value). */
  unset(name: string): void {
    const v = this.vars.get(name);
    if (!v) return;
    if (v.permanent) {
      v.type = undefined;
      v.bytes = EMPTY;
    } else {
      this.vars.delete(name);
    }
  }

  /** The number of variables with a value (tests, `show` commands). */
  get size(): number {
    let n = 0;
    for (const v of this.vars.values()) if (v.type !== undefined) n++;
    return n;
  }
}

/** The process's variables (scope `proc`). */
export const procVars = new VarStore();
