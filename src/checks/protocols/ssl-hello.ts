/**
 * `option ssl-hello-chk` (configuration.txt 4.2): an SSLv3 CLIENT HELLO, and a handshake (0x16)
 * or alert (0x15) record is expected back. HAProxy's list: send-binary-lf of the hello below,
 * whose GMT time is the current date; expect rbinary "^1[56]" min-recv 5 ok-status L6OK
 * error-status L6RSP tout-status L6TOUT.
 */
import type { CheckStep } from '../engine.js';
import { expectRule, sendStep, tcpExpectStep } from './rules.js';

/** The 39 cipher suites HAProxy offers: 0x0001..0x001B and 0x002F..0x003A. */
const CIPHERS = [...Array.from({ length: 0x1b }, (_, i) => i + 1), ...Array.from({ length: 0x3a - 0x2f + 1 }, (_, i) => 0x2f + i)];

/** The hello sent at `unixTime` (seconds). */
export function sslv3ClientHello(unixTime: number): Buffer {
  const random = Buffer.from('HAPROXYSSLCHK\nHAPROXYSSLCHK\n', 'latin1');
  const time = Buffer.alloc(4);
  time.writeUInt32BE(unixTime >>> 0);
  const ciphers = Buffer.alloc(CIPHERS.length * 2);
  CIPHERS.forEach((c, i) => ciphers.writeUInt16BE(c, i * 2));
  const body = Buffer.concat([
    Buffer.from([0x03, 0x00]), // hello version: SSLv3
    time,
    random,
    Buffer.from([0x00]), // no session id
    Buffer.from([0x00, ciphers.length]),
    ciphers,
    Buffer.from([0x01, 0x00]), // one compression method: null
  ]);
  const handshake = Buffer.concat([Buffer.from([0x01, 0x00, 0x00, body.length]), body]);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x00, 0x00, handshake.length]), handshake]);
}

export function sslHelloSteps(): CheckStep[] {
  return [
    sendStep(0, () => sslv3ClientHello(Math.floor(Date.now() / 1000))),
    tcpExpectStep(expectRule(1, { match: 'rbinary', pattern: '^1[56]', minRecv: 5, okStatus: 'L6OK', errorStatus: 'L6RSP', toutStatus: 'L6TOUT' })),
  ];
}
