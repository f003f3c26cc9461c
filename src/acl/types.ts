/**
 * Types of the ACL layer (STYLE.md 8: types only). The sample types are those HAProxy prints in
 * `haproxy -dKsmp` ("str", "sint", ...).
 */
import type { AclPattern, MatchMethod, PatternKind } from '../config/model/acl.js';
import type { SampleTypeName } from '../config/model/sample.js';
import type { RowMeta } from '../config/types.js';

/** Output type of a sample expression (HAProxy's SMP_T_*). */
export type SampleType = SampleTypeName;

/** What a pattern parser returns: the pattern, or HAProxy's message for it. */
export type PatternParse = { pattern: AclPattern } | { error: string };

/** Options that change how patterns are read (flags given before them). */
export interface PatternOptions {
  /** -i */
  readonly ignoreCase: boolean;
  /** -n: no DNS resolution of IP patterns. */
  readonly noDns: boolean;
}

/** A match method ("-m <name>", configuration.txt 7.1.3). */
export interface MatcherRow extends RowMeta {
  readonly name: MatchMethod;
  /**
   * The sample type the method compares (HAProxy's pat_match_types): a fetch may use the
   * method when its output type can be cast to this one. 'found' takes any type.
   */
  readonly input: 'any' | 'sint' | 'addr' | 'bin' | 'str';
  /** How its patterns are read. */
  readonly patterns: PatternKind;
}
