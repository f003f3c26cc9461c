import type { LoadState } from '../load-state.js';

/** One check of the whole configuration; reports through load.diag. */
export type PostCheck = (load: LoadState) => void;
