/**
 * Declaring ACLs in a proxy (configuration.txt 7.1, 7.4): "acl <name> <expression>" lines, and
 * the predefined ACLs a condition names. An ACL may be declared several times, with different
 * criteria: it matches when any of its lines matches (HAProxy keeps one ACL object holding all
 * the expressions, in order). ACLs belong to their proxy only: a frontend does not see those of
 * the named defaults section it comes from.
 */
import type { KeywordContext } from '../config/keywords.js';
import type { AclModel } from '../config/model/acl.js';
import type { ProxyModel } from '../config/model/proxy.js';
import { cutAtEmpty, parseAclExpr } from './expr.js';
import { findPredefinedAcl } from './predefined.js';

/** Does the proxy hold an ACL of this name (declared, or predefined and already used)? */
export function proxyHasAcl(proxy: ProxyModel, name: string): boolean {
  return proxy.acls.some((a) => a.name === name);
}

/** Every line of a named ACL in the proxy, in order. */
export function aclLines(proxy: ProxyModel, name: string): AclModel[] {
  return proxy.acls.filter((a) => a.name === name);
}

/**
 * Warning of HAProxy's parse_acl() for "acl x path (foo)": a space before '(' probably
 * separates a fetch from its arguments by mistake. Printed without location.
 */
function warnParenthesis(ctx: KeywordContext<unknown>, name: string, words: readonly string[]): void {
  const crit = words[0] ?? '';
  const next = words[1] ?? '';
  if (crit.includes('(') || next[0] !== '(') return;
  ctx.diag.warning(
    undefined,
    `parsing acl '${name}' :\n` +
      `  matching '${crit}' for pattern '${next}' is likely a mistake and probably\n` +
      "  not what you want. Maybe you need to remove the extraneous space before '('.\n" +
      "  If you are really sure this is not an error, please insert '--' between the\n" +
      '  match and the pattern to make this warning message disappear.',
  );
}

/**
 * Parses an ACL expression for `name` ('' for an anonymous ACL) and, for a named one, adds it
 * to the proxy. `late` words errors found after parsing. Returns the expression or the inner
 * error message.
 */
export function declareAcl(
  ctx: KeywordContext<unknown>,
  proxy: ProxyModel,
  name: string,
  words: readonly string[],
  late: (msg: string) => string,
): { acl: AclModel } | { error: string } {
  const w = cutAtEmpty(words);
  const r = parseAclExpr(ctx, w, { name, late });
  if ('error' in r) return r;
  warnParenthesis(ctx, name, w);
  if (name !== '') proxy.acls.push(r.acl);
  if (r.acl.expr.fetch.name === 'http_auth_group') checkGroupsLater(ctx, proxy, r.acl);
  return r;
}

/**
 * "http_auth_group(<userlist>) <group> ...": once the whole configuration is read, every
 * pattern must name a group of the userlist (HAProxy's acl_find_targets). HAProxy only sees
 * patterns kept in a list: with "-m str" or "-m beg" (without -i) they go to a tree, and it
 * then finds "no groups". A missing userlist is reported by the sample layer.
 */
function checkGroupsLater(ctx: KeywordContext<unknown>, proxy: ProxyModel, acl: AclModel): void {
  const load = ctx.load;
  const explicitTree = acl.kw !== 'http_auth_group' || acl.flags.forcedMatch === true;
  const tree = acl.match === 'ip' || (explicitTree && (acl.match === 'str' || acl.match === 'beg') && !acl.flags.ignoreCase);
  const none = tree || acl.patterns.length === 0;
  // With -m found or bool HAProxy checks nothing; with -m reg it compares the compiled regex,
  // so no pattern names a group (it prints garbage for the name; Portier prints the pattern).
  if (acl.match === 'found' || acl.match === 'bool') return;
  const regex = acl.match === 'reg';
  load.deferred.push(() => {
    const list = load.userlists.find((u) => u.name === acl.expr.fetch.args[0]);
    if (!list) return;
    const head = `proxy ${proxy.name}: acl ${acl.name} ${acl.kw}():`;
    if (none) {
      load.diag.alert(undefined, `${head} no groups specified.`);
      return;
    }
    for (const p of acl.patterns) {
      if (regex || !list.groups.some((g) => g.name === p.text)) load.diag.alert(undefined, `${head} invalid group '${p.text}'.`);
    }
  });
}

/**
 * Adds a predefined ACL to the proxy the first time a condition names it (HAProxy's
 * find_acl_default). Returns false when no predefined ACL has this name.
 */
export function instantiatePredefined(ctx: KeywordContext<unknown>, proxy: ProxyModel, name: string): boolean {
  const row = findPredefinedAcl(name);
  if (!row) return false;
  const r = parseAclExpr(ctx, row.words, { name, predefined: true, late: (m) => m });
  // The predefined expressions are valid by construction; a failure here is a bug in a row.
  if ('error' in r) throw new Error(`predefined ACL '${name}': ${r.error}`);
  proxy.acls.push(r.acl);
  return true;
}
