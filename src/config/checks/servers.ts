/** Whole-configuration checks: servers. Added by the work on this area. */
import type { PostCheck } from './types.js';

export const serverChecks: PostCheck[] = [];
