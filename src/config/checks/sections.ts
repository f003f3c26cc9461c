/** Whole-configuration checks: sections. Added by the work on this area. */
import type { PostCheck } from './types.js';

export const sectionChecks: PostCheck[] = [];
