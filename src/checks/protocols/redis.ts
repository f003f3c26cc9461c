/**
 * `option redis-check` (configuration.txt 4.2): PING, then "+PONG" is expected. HAProxy's
 * list: send "*1\r\n$4\r\nPING\r\n"; expect string "+PONG\r\n" error-status L7STS,
 * on-error "%[res.payload(0,0),cut_crlf]" (the server's first line), on-success
 * "Redis server is ok".
 */
import type { CheckStep } from '../engine.js';
import { asText, cutCrlf, expectRule, payload, sendStep, tcpExpectStep } from './rules.js';

export const REDIS_PING = Buffer.from('*1\r\n$4\r\nPING\r\n', 'latin1');

export function redisSteps(): CheckStep[] {
  return [
    sendStep(0, REDIS_PING),
    tcpExpectStep(expectRule(1, { match: 'string', pattern: '+PONG\r\n', errorStatus: 'L7STS' }), {
      onError: (b) => cutCrlf(asText(payload(b, 0))),
      onSuccess: () => 'Redis server is ok',
    }),
  ];
}
