/**
 * `option mysql-check [user <name> [post-41|pre-41]]` (configuration.txt 4.2), over a
 * connection closed cleanly (connect default linger). Without a user, the server's initial
 * handshake is read; with one, HAProxy logs in without password and quits, in the 4.1
 * protocol (post-41, the default) or the older one:
 *   send-binary-lf: the authentication packet (length, sequence 1, capabilities, max packet,
 *     [charset and 23 zeros,] the name, "\0", filler), then COM_QUIT
 *   expect custom (the initial handshake: tcpcheck_mysql_expect_iniths)
 *   expect custom (the packet after it: tcpcheck_mysql_expect_ok)
 * A packet starting with 0xff is an error: "Layer7 wrong status", the error number as code and
 * the message as info. The last packet's check reports the server's version (the handshake's
 * text at offset 5) as info, then the list's end reports once more (counted twice, as HAProxy).
 */
import type { CheckStep } from '../engine.js';
import type { ExpectVerdict } from '../expect-tcp.js';
import { asText, connectStep, customExpectStep, expectRule, sendStep } from './rules.js';

/** The login-and-quit packets for `user` (the check's send). */
export function mysqlLogin(user: string, variant: 'post-41' | 'pre-41'): Buffer {
  const name = Buffer.from(user, 'latin1');
  const post41 = variant === 'post-41';
  const length = name.length + 7 + (post41 ? 27 : 0);
  const header = Buffer.from([length & 0xff, (length >> 8) & 0xff, (length >> 16) & 0xff, 1]);
  const fields = post41
    ? Buffer.concat([Buffer.from('00820000' + '00800001' + '21', 'hex'), Buffer.alloc(23)])
    : Buffer.from('0080' + '000001', 'hex');
  const quit = Buffer.from('010000' + '00' + '01', 'hex');
  return Buffer.concat([header, fields, name, Buffer.from([0, 0]), quit]);
}

const le24 = (b: Buffer, at: number): number => (b[at] ?? 0) + ((b[at + 1] ?? 0) << 8) + ((b[at + 2] ?? 0) << 16);

/**
 * A MySQL packet at `offset` (HAProxy's tcpcheck_mysql_expect_packet): complete, not an error
 * packet; `last`: this is the last rule, which reports the server's version.
 */
export function mysqlPacket(b: Buffer, offset: number, lastRead: boolean, last: boolean): ExpectVerdict {
  const truncated = (): ExpectVerdict => (lastRead ? { kind: 'fail', outcome: { status: 'L7RSP', desc: '', code: 0 } } : { kind: 'wait' });
  if (b.length < offset + 4) return truncated();
  const plen = le24(b, offset);
  if (b.length < offset + plen + 4) return truncated();
  if (b[offset + 4] === 0xff) {
    const err = (b[offset + 5] ?? 0) + ((b[offset + 6] ?? 0) << 8);
    return { kind: 'fail', outcome: { status: 'L7STS', desc: asText(b.subarray(offset + 7)), code: err } };
  }
  if (!last) return { kind: 'next' };
  return { kind: 'next', code: 0, report: { status: 'L7OK', desc: asText(b.subarray(5)), code: 0 } };
}

export function mysqlSteps(user?: string, variant: 'post-41' | 'pre-41' = 'post-41'): CheckStep[] {
  const steps: CheckStep[] = [connectStep(0, true)];
  let index = 1;
  if (user !== undefined) steps.push(sendStep(index++, mysqlLogin(user, variant)));
  const withLogin = user !== undefined;
  steps.push(customExpectStep(expectRule(index++, { match: 'custom' }), (b, lastRead) => mysqlPacket(b, 0, lastRead, !withLogin)));
  if (withLogin) {
    // The packet after the handshake (its length + 4 bytes in).
    steps.push(customExpectStep(expectRule(index++, { match: 'custom' }), (b, lastRead) => mysqlPacket(b, 4 + le24(b, 0), lastRead, true)));
  }
  return steps;
}
