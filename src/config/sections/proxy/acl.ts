/**
 * Proxy keyword "acl <aclname> <criterion> [flags] [operator] [<value>] ..."
 * (configuration.txt 4.2 "acl", 7.1). Allowed in named defaults sections only, where the ACLs
 * serve the rules of that section; a proxy never sees the ACLs of its defaults section.
 */
import { declareAcl } from '../../../acl/declare.js';
import type { KeywordRow } from '../../keywords.js';
import type { ProxyModel } from '../../model/proxy.js';
import { CAP_BE, CAP_DEF, CAP_FE, CAP_NAMED_DEF_ONLY } from '../../types.js';

/** HAProxy's invalid_char(): names allow letters, digits, '-', '_', '.' and ':'; not empty. */
function badAclNameChar(name: string): string | undefined {
  if (name === '') return '';
  return /[^A-Za-z0-9_.:-]/.exec(name)?.[0];
}

export const rows: KeywordRow<ProxyModel>[] = [
  {
    name: 'acl',
    status: 'partial',
    note: 'the fetches, converters and match methods that do not run yet are refused where a running rule uses them',
    cap: CAP_DEF | CAP_NAMED_DEF_ONLY | CAP_FE | CAP_BE,
    summary: 'Declares a named test (ACL) on a sample, for the conditions of rules.',
    parse(ctx, args) {
      const name = args[1] ?? '';
      const bad = badAclNameChar(name);
      if (bad !== undefined) {
        ctx.alert(`character '${bad}' is not permitted in acl name '${name}'.`);
        return;
      }
      if (name.toLowerCase() === 'or') {
        ctx.alert(`acl name '${name}' will never match. 'or' is used to express a logical disjunction within a condition.`);
        return;
      }
      const late = (msg: string): string => `error detected while parsing ACL '${name}' : ${msg}.`;
      const r = declareAcl(ctx, ctx.state, name, args.slice(2), late);
      if ('error' in r) ctx.alert(late(r.error));
    },
  },
];
