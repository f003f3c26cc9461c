/**
 * Child of log-stdout.test.ts: loads the configuration given as argv[2], logs the recorded
 * stream and one proxy message through frontend "fe", then exits once its output is flushed.
 */
import { readFileSync } from 'node:fs';
import { check } from '../helpers/config.js';
import { createProxyLogger } from '../../src/log/stream-logger.js';
import { RECORDED } from '../unit/log/fixtures.js';

const r = await check(readFileSync(process.argv[2]!, 'latin1'));
const logger = createProxyLogger(r.model, r.model.proxies.find((p) => p.name === 'fe')!)!;
logger.log(RECORDED);
logger.send('warning', 'Proxy fe stopped (cumulated conns: FE: 1, BE: 0).');
process.stdout.write('', () => process.stderr.write('', () => process.exit(0)));
