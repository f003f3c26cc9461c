/** Every global keyword row, gathered from one file per area of configuration.txt 3. */
import type { KeywordRow } from '../../keywords.js';
import type { GlobalModel } from '../../model/global.js';
import { processRows } from './process.js';

export const globalRows: KeywordRow<GlobalModel>[] = [...processRows];
