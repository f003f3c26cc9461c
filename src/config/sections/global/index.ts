/** Every global keyword row, gathered from one file per area of configuration.txt 3. */
import type { KeywordRow } from '../../keywords.js';
import type { GlobalModel } from '../../model/global.js';
import { cpuMap } from './cpu-map.js';
import { debugRows } from './debug.js';
import { httpRows } from './http.js';
import { logRows } from './log.js';
import { luaRows } from './lua.js';
import { processRows } from './process.js';
import { sslRows } from './ssl.js';
import { tuningRows } from './tuning.js';
import { varRows } from './vars.js';

export const globalRows: KeywordRow<GlobalModel>[] = [
  ...processRows,
  cpuMap,
  ...logRows,
  ...httpRows,
  ...sslRows,
  ...luaRows,
  ...varRows,
  ...tuningRows,
  ...debugRows,
];
