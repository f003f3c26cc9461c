/** Whole-configuration checks: global. Added by the work on this area. */
import type { PostCheck } from './types.js';

export const globalChecks: PostCheck[] = [];
