/**
 * Evaluating ACLs and conditions at run time (configuration.txt 7.1, 7.2; HAProxy's
 * acl_exec_cond). Everything is compiled once, at startup, into closures:
 *
 *   compileCondition(proxy, cond) → (env) => ACL_FAIL | ACL_MISS | ACL_PASS
 *
 * - One ACL expression: its sample is fetched and converted (sample/compile.ts), cast to the
 *   match method's input type, and tested against the patterns (match.ts). No sample, a failed
 *   cast or no matching pattern is FAIL — or MISS when the sample "may change" and the
 *   evaluation is not final (env.final): the caller then waits for more data.
 * - A named ACL is every "acl" line of that name in the proxy: they are ORed, in order.
 * - A condition is groups ORed ("or", "||") of terms ANDed, each term possibly negated ("!").
 *   Negation leaves MISS as it is; FAIL & MISS is FAIL, PASS | MISS is PASS: an answer is given
 *   as soon as the missing data cannot change it, exactly as HAProxy.
 * - "if" with no term is FAIL. The caller applies "unless" after checking for MISS (a rule
 *   whose condition is not decided yet waits, whether it says "if" or "unless").
 */
import type { AclModel, ConditionModel } from '../config/model/acl.js';
import type { ProxyModel } from '../config/model/proxy.js';
import { compileSampleExpr } from '../sample/compile.js';
import { castSample, newSample } from '../sample/convert.js';
import { aclLines } from './declare.js';
import { findMatcher } from './matchers.js';
import type { AclEval, AclResult } from './types.js';

export const ACL_FAIL = 0;
export const ACL_MISS = 1;
export const ACL_PASS = 3;

const alwaysFail: AclEval = () => ACL_FAIL;

/** One ACL expression ("req.len eq 14", "{ src 10.0.0.0/8 }"). */
export function compileAclExpr(acl: AclModel): AclEval {
  const row = findMatcher(acl.match);
  if (!row?.run) throw new Error(`matching method '${acl.match}' has no run-time implementation`);
  const fetch = compileSampleExpr(acl.expr);
  const input = row.input;
  const match = row.run(acl);
  const smp = newSample();
  return (env) => {
    smp.mayChange = false;
    if (fetch(env, smp) && castSample(smp, input) && match(smp)) return ACL_PASS;
    return smp.mayChange && !env.final ? ACL_MISS : ACL_FAIL;
  };
}

/** A named ACL: its lines ORed (the first PASS wins; a MISS is kept unless a line passes). */
export function compileNamedAcl(lines: readonly AclModel[]): AclEval {
  const exprs = lines.map(compileAclExpr);
  if (exprs.length === 0) return alwaysFail;
  if (exprs.length === 1) return exprs[0]!;
  return (env) => {
    let res = ACL_FAIL as number;
    for (const e of exprs) {
      res |= e(env);
      if (res === ACL_PASS) break;
    }
    return res as AclResult;
  };
}

/**
 * A condition of a rule of `proxy` (whose named ACLs it uses). Named ACLs are compiled once per
 * condition; the rule applies "unless" itself (see the file's comment).
 */
export function compileCondition(proxy: ProxyModel, cond: ConditionModel): AclEval {
  const named = new Map<string, AclEval>();
  const groups = cond.groups.map((g) =>
    g.map((t) => {
      let fn: AclEval;
      if (t.anonymous) {
        fn = compileAclExpr(t.anonymous);
      } else {
        const name = t.acl ?? '';
        fn = named.get(name) ?? compileNamedAcl(aclLines(proxy, name));
        named.set(name, fn);
      }
      return { fn, negate: t.negate };
    }),
  );
  if (groups.length === 0) return alwaysFail;
  return (env) => {
    let cond = ACL_FAIL as number;
    for (const g of groups) {
      let suite = ACL_PASS as number;
      for (const t of g) {
        let r: number = t.fn(env);
        // HAProxy's acl_neg: PASS <-> FAIL, MISS stays MISS.
        if (t.negate) r = 3 >> r;
        suite &= r;
        if (suite === ACL_FAIL) break;
      }
      cond |= suite;
      if (cond === ACL_PASS) break;
    }
    return cond as AclResult;
  };
}
