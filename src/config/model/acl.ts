/**
 * ACLs and conditions (configuration.txt 7). Plain data: patterns are stored parsed, so the
 * runtime never parses a pattern again (DESIGN.md "compile once").
 */
import type { SampleUse } from '../../sample/types.js';
import type { Where } from '../types.js';
import type { SampleExprModel } from './sample.js';

/** Match methods of configuration.txt 7.1.3 ("-m"). */
export type MatchMethod = 'found' | 'bool' | 'int' | 'ip' | 'bin' | 'len' | 'str' | 'sub' | 'reg' | 'beg' | 'end' | 'dir' | 'dom';

/**
 * How a pattern is compared. Besides the 13 "-m" methods, two ACL keywords have their own
 * pattern syntax: "method" (HTTP methods) and "req.ssl_ver" (dotted versions, 7.3.5).
 */
export type PatternKind = MatchMethod | 'meth' | 'ver';

/** One pattern, as parsed. `text` is the pattern as written (or read from a file). */
export type AclPattern =
  /** int, len and dotted versions: a closed or half-open range (missing bound = unbounded). */
  | { readonly type: 'range'; readonly text: string; readonly min?: number; readonly max?: number }
  /** ip: an IPv4 network (mask may be non-contiguous, as HAProxy allows) or an IPv6 prefix. */
  | { readonly type: 'ipv4'; readonly text: string; readonly addr: string; readonly mask: string }
  | { readonly type: 'ipv6'; readonly text: string; readonly addr: string; readonly prefix: number }
  /** bin: the bytes, in lower-case hexadecimal. */
  | { readonly type: 'bin'; readonly text: string; readonly hex: string }
  /** reg: the PCRE source and its JavaScript translation (absent when it has none yet). */
  | { readonly type: 'reg'; readonly text: string; readonly js?: string; readonly jsFlags?: string; readonly untranslated?: string }
  /** str, sub, beg, end, dir, dom, meth: the string itself. */
  | { readonly type: 'str'; readonly text: string };

/** Where patterns read with -f came from. */
export interface AclPatternFile {
  readonly path: string;
  /** Loaded with -M: two columns, the key is the pattern. */
  readonly map: boolean;
  /** Number of patterns the file gave. */
  readonly count: number;
}

/** One "acl" line (or anonymous ACL, or predefined ACL): a criterion and its patterns. */
export interface AclModel {
  readonly where: Where;
  /** '' for an anonymous ACL "{ ... }". */
  readonly name: string;
  /** A predefined ACL of 7.4, added to the proxy when first used (HAProxy does the same). */
  readonly predefined?: boolean;
  /** The keyword as messages name it: the ACL keyword (hdr_beg) or the fetch keyword (req.hdr). */
  readonly kw: string;
  /** The sample expression the ACL tests (ACL keywords are rewritten to their fetch). */
  readonly expr: SampleExprModel;
  /** Output type of the expression when the sample layer knows it. */
  readonly outType?: string;
  /** Places where its fetch can be evaluated (undefined when the sample layer does not say). */
  readonly uses?: readonly SampleUse[];
  /** Flags: -i, -n, -u <id>, -M, and whether -m forced the match method. */
  readonly flags: {
    readonly ignoreCase: boolean;
    readonly noDns: boolean;
    readonly uniqueId?: number;
    readonly map: boolean;
    readonly forcedMatch?: boolean;
  };
  /** Match method name ('str', 'beg', 'reg', 'int', 'ip', ...). */
  readonly match: MatchMethod;
  /** How patterns are compared (the method, or 'meth' / 'ver' for their ACL keywords). */
  readonly patternKind: PatternKind;
  /** Patterns in order: -f files first where they were given, then the words. */
  readonly patterns: readonly AclPattern[];
  readonly files: readonly AclPatternFile[];
}

/** One term of a condition: [!]acl-name, or an anonymous ACL "{ ... }". */
export interface ConditionTermModel {
  readonly negate: boolean;
  /** A named ACL (declared in the proxy, or predefined such as TRUE, HTTP, METH_GET). */
  readonly acl?: string;
  /** An anonymous ACL written between braces. */
  readonly anonymous?: AclModel;
}

/**
 * "if|unless" followed by terms; terms in a group are ANDed, groups are ORed ("||", "or").
 * A named term refers to every "acl" line of that name in the proxy, including those declared
 * after the rule (HAProxy shares one ACL object and keeps adding expressions to it).
 * No group at all ("if" alone) never matches: "if" is false and "unless" true.
 */
export interface ConditionModel {
  readonly where: Where;
  readonly negate: boolean; // unless
  readonly groups: readonly (readonly ConditionTermModel[])[];
  /** Its ACLs read the request or response buffer (known when the condition was parsed). */
  readonly l6?: boolean;
}
