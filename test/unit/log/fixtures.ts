/**
 * Stream information recorded from haproxy 2.6.12 (/tmp runs of the same configuration), with
 * the lines it logged for them. Times are UTC: the tests set TZ=UTC.
 */
import type { StreamLogInfo } from '../../../src/runtime/stream-info.js';
import { compileLogFormat } from '../../../src/log/log-format-eval.js';
import { compileLogFormatText } from '../../../src/log/log-format.js';

process.env.TZ = 'UTC';

/** "127.0.0.1:42058 [25/Nov/2026:21:28:41.199] fe be/s1 1/0/12 5 -- 1/1/0/0/0 0/0" */
export const RECORDED: StreamLogInfo = {
  acceptDate: new Date(Date.UTC(2026, 10, 25, 21, 28, 41, 199)),
  frontend: 'fe',
  frontendTransport: 'fe',
  backend: 'be',
  server: 's1',
  clientIp: '127.0.0.1',
  clientPort: 42058,
  frontendIp: '127.0.0.1',
  frontendPort: 5580,
  backendSourceIp: '127.0.0.1',
  backendSourcePort: 51666,
  serverIp: '127.0.0.1',
  serverPort: 5581,
  queueTime: 0,
  connectTime: 0,
  totalTime: 12,
  handshakeTime: 0,
  idleTime: 0,
  bytesIn: 5,
  bytesOut: 5,
  termination: { cause: '-', phase: '-' },
  actconn: 1,
  feconn: 1,
  beconn: 0,
  srvConn: 0,
  retries: 0,
  redispatched: false,
  srvQueue: 0,
  backendQueue: 0,
  logasap: false,
};

export const RECORDED_TCPLOG = '127.0.0.1:42058 [25/Nov/2026:21:28:41.199] fe be/s1 1/0/12 5 -- 1/1/0/0/0 0/0';

/** Builds one line of `format` (log-format syntax) for `info`. */
export function line(
  format: string,
  info: StreamLogInfo,
  ctx: Partial<{ logasap: boolean; hostname: string; pid: number; logCount: number }> = {},
  limit = 1024,
): string {
  const parts = compileLogFormatText(format);
  if ('error' in parts) throw new Error(parts.error);
  const c = compileLogFormat(parts.parts);
  if ('unsupported' in c) throw new Error(c.unsupported);
  return c.build(info, { logasap: false, hostname: 'vm', pid: 19987, logCount: 0, ...ctx }, limit);
}
