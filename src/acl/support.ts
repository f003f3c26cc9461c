/**
 * What of a condition Portier cannot evaluate yet: fetches, converters and match methods
 * without a run-time implementation, regular expressions JavaScript cannot express. A rule that
 * runs must refuse them at startup ("... is not supported yet", a warning under -c), never
 * ignore them (DESIGN.md "Compatibility rules").
 *
 * Named ACLs are looked at once the whole configuration is read: a later "acl" line with the
 * same name adds to the ACL. Each problem is reported once, on the line of the ACL expression
 * that has it (the rule's own line for an anonymous ACL).
 */
import type { KeywordContext } from '../config/keywords.js';
import type { LoadState } from '../config/load-state.js';
import type { AclModel, ConditionModel } from '../config/model/acl.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { Where } from '../config/types.js';
import { sampleNotYet } from '../sample/compile.js';
import { aclLines } from './declare.js';
import { findMatcher } from './matchers.js';

/** What of one ACL expression does not run yet, in words ("sample fetch 'req.ssl_sni'"). */
export function aclNotYet(acl: AclModel): string[] {
  const out = sampleNotYet(acl.expr);
  if (!findMatcher(acl.match)?.run) out.push(`matching method '${acl.match}'`);
  if (acl.patternKind === 'meth') out.push("HTTP method patterns ('method')");
  for (const p of acl.patterns) {
    if (p.type === 'reg' && (p.untranslated || p.js === undefined)) out.push(`regex '${p.text}' (${p.untranslated ?? 'no JavaScript translation'})`);
  }
  return out;
}

/** Every ACL expression a condition uses, in `proxy` (named ones as declared so far). */
export function conditionAcls(proxy: ProxyModel, cond: ConditionModel): AclModel[] {
  return cond.groups.flat().flatMap((t) => (t.anonymous ? [t.anonymous] : aclLines(proxy, t.acl ?? '')));
}

const reported = new WeakMap<LoadState, Set<string>>();

function report(load: LoadState, where: Where, what: string): void {
  let seen = reported.get(load);
  if (!seen) reported.set(load, (seen = new Set()));
  const key = `${where.file}:${where.line}:${what}`;
  if (seen.has(key)) return;
  seen.add(key);
  load.diag.notYet(where, what);
}

/**
 * For a rule that runs: once the configuration is read, reports what its condition needs and
 * Portier cannot evaluate yet. Nothing to do without a condition.
 */
export function checkConditionRuns(ctx: KeywordContext<unknown>, proxy: ProxyModel, cond: ConditionModel | undefined): void {
  if (!cond) return;
  const load = ctx.load;
  load.deferred.push(() => {
    for (const acl of conditionAcls(proxy, cond)) {
      for (const what of aclNotYet(acl)) report(load, acl.where, what);
    }
  });
}
