/**
 * Fetches for developers (configuration.txt 7.3.7): HTX internals, for debugging.
 */
import type { FetchRow } from '../types.js';
import { checkHtxBlock } from '../validators.js';
import { fetchMaker } from './row.js';

const f = fetchMaker('7.3.7');

export const developerFetches: FetchRow[] = [
  f('internal.htx.data', '', 'sint', 'HRQHV_HRSHV', 'Bytes of data in the HTX message (debugging).'),
  f('internal.htx.free', '', 'sint', 'HRQHV_HRSHV', 'Free bytes of the HTX message (debugging).'),
  f('internal.htx.free_data', '', 'sint', 'HRQHV_HRSHV', 'Free bytes for data in the HTX message (debugging).'),
  f('internal.htx.has_eom', '', 'bool', 'HRQHV_HRSHV', 'True when the HTX message is complete (debugging).'),
  f('internal.htx.nbblks', '', 'sint', 'HRQHV_HRSHV', 'Number of blocks of the HTX message (debugging).'),
  f('internal.htx.size', '', 'sint', 'HRQHV_HRSHV', 'Size of the HTX message (debugging).'),
  f('internal.htx.used', '', 'sint', 'HRQHV_HRSHV', 'Used bytes of the HTX message (debugging).'),
  f('internal.htx_blk.size', 'str', 'sint', 'HRQHV_HRSHV', 'Size of an HTX block (debugging).', { validate: checkHtxBlock }),
  f('internal.htx_blk.type', 'str', 'str', 'HRQHV_HRSHV', 'Type of an HTX block (debugging).', { validate: checkHtxBlock }),
  f('internal.htx_blk.data', 'str', 'bin', 'HRQHV_HRSHV', 'Data of an HTX block (debugging).', { validate: checkHtxBlock }),
  f('internal.htx_blk.hdrname', 'str', 'str', 'HRQHV_HRSHV', 'Header name of an HTX block (debugging).', { validate: checkHtxBlock }),
  f('internal.htx_blk.hdrval', 'str', 'str', 'HRQHV_HRSHV', 'Header value of an HTX block (debugging).', { validate: checkHtxBlock }),
  f('internal.htx_blk.start_line', 'str', 'str', 'HRQHV_HRSHV', 'Start line of an HTX message (debugging).', { validate: checkHtxBlock }),
  f('internal.strm.is_htx', '', 'bool', 'INTRN', 'True when the stream carries HTX (debugging).'),
];
