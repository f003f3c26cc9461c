/** ACLs and conditions (configuration.txt 7). */
import type { Where } from '../types.js';
import type { SampleExprModel } from './sample.js';

export interface AclModel {
  readonly where: Where;
  readonly name: string;
  /** The sample expression the ACL tests. */
  readonly expr: SampleExprModel;
  /** Flags (-i, -f file, -m method, -n, -M, -u ...). */
  readonly flags: Readonly<Record<string, unknown>>;
  /** Match method ('str', 'beg', 'reg', 'int', 'ip', ...). */
  readonly match: string;
  readonly patterns: readonly string[];
}

/** One term of a condition: [!]acl-name, or an anonymous ACL "{ ... }". */
export interface ConditionTermModel {
  readonly negate: boolean;
  /** A named ACL (declared, or predefined such as TRUE, HTTP, METH_GET). */
  readonly acl?: string;
  /** An anonymous ACL written between braces. */
  readonly anonymous?: AclModel;
}

/** "if|unless" followed by terms; terms in a group are ANDed, groups are ORed ("||", "or"). */
export interface ConditionModel {
  readonly where: Where;
  readonly negate: boolean; // unless
  readonly groups: readonly (readonly ConditionTermModel[])[];
}
