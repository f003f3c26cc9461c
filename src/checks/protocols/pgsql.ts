/**
 * `option pgsql-check user <name>` (configuration.txt 4.2): a startup message for the user,
 * over a connection closed cleanly (connect default linger). HAProxy's list:
 *   send-binary-lf: length (4 bytes, 15 + the name's length), version 3.0, "user\0",
 *     the name, "\0", "\0"
 *   expect !rstring "^E" min-recv 5 error-status L7RSP on-error "%[res.payload(6,0)]"
 *     (an ErrorResponse: its first field, e.g. "FATAL")
 *   expect rbinary "^52000000[A-Z0-9]{2}000000(00|02|03|04|05|06|07|09|0A)" min-recv 9
 *     error-status L7STS on-success "PostgreSQL server is ok" on-error "PostgreSQL unknown error"
 *     (an Authentication message of a known kind)
 */
import type { CheckStep } from '../engine.js';
import { asText, connectStep, expectRule, payload, sendStep, tcpExpectStep } from './rules.js';

export function pgsqlStartup(user: string): Buffer {
  const name = Buffer.from(user, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(15 + name.length);
  return Buffer.concat([len, Buffer.from('0003000075736572 00'.replace(/ /g, ''), 'hex'), name, Buffer.from([0, 0])]);
}

export function pgsqlSteps(user: string): CheckStep[] {
  return [
    connectStep(0, true),
    sendStep(1, pgsqlStartup(user)),
    tcpExpectStep(expectRule(2, { match: 'rstring', inverse: true, pattern: '^E', minRecv: 5, errorStatus: 'L7RSP' }), {
      onError: (b) => asText(payload(b, 6)),
    }),
    tcpExpectStep(expectRule(3, { match: 'rbinary', pattern: '^52000000[A-Z0-9]{2}000000(00|02|03|04|05|06|07|09|0A)', minRecv: 9, errorStatus: 'L7STS' }), {
      onSuccess: () => 'PostgreSQL server is ok',
      onError: () => 'PostgreSQL unknown error',
    }),
  ];
}
