/** Whole-configuration checks: rules. Added by the work on this area. */
import type { PostCheck } from './types.js';

export const ruleChecks: PostCheck[] = [];
