/**
 * Types of the ACL layer (STYLE.md 8: types only). The sample types are those HAProxy prints in
 * `haproxy -dKsmp` ("str", "sint", ...).
 */
import type { AclModel, AclPattern, MatchMethod, PatternKind } from '../config/model/acl.js';
import type { SampleTypeName } from '../config/model/sample.js';
import type { Sample, SampleEnv } from '../sample/types.js';
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
  /** Its run-time implementation; absent: not supported yet (status 'notyet'). */
  readonly run?: MatcherCompiler;
}

/**
 * A compiled match method: true when the sample (already cast to the method's input type)
 * matches one of the ACL's patterns (HAProxy's pat_match_* functions).
 */
export type MatchFn = (smp: Sample) => boolean;

/** Compiles an ACL's patterns once, at startup, for its method. */
export type MatcherCompiler = (acl: AclModel) => MatchFn;

/**
 * The three answers of an ACL or a condition (HAProxy's enum acl_test_res, with its values so
 * that AND is `&` and OR is `|`): 0 no match, 1 not known yet (the data may change: wait for
 * more, or for the inspect delay), 3 match. Named ACL_FAIL, ACL_MISS, ACL_PASS in exec.ts.
 */
export type AclResult = 0 | 1 | 3;

/** A compiled ACL or condition. `env.final` decides whether "may change" means "missing data". */
export type AclEval = (env: SampleEnv) => AclResult;
