/**
 * `option ldap-check` (configuration.txt 4.2): an anonymous LDAPv3 bind request, and a bind
 * response with result code 0 is expected (RFC 4511). HAProxy's list:
 *   send-binary "300C020101600702010304008000"
 *   expect rbinary "^30" min-recv 14 on-error "Not LDAPv3 protocol"
 *   expect custom (tcpcheck_ldap_expect_bindrsp, below)
 * The custom expect reports "Success" itself and the list's end reports once more: a passing
 * check counts twice towards `rise` (HAProxy does the same).
 */
import type { CheckStep } from '../engine.js';
import type { ExpectVerdict } from '../expect-tcp.js';
import type { CheckStatusName } from '../status.js';
import { customExpectStep, expectRule, sendStep, tcpExpectStep } from './rules.js';

export const LDAP_BIND_REQUEST = Buffer.from('300C020101600702010304008000', 'hex');

const NOT_LDAP = 'Not LDAPv3 protocol';
const SEE_RFC = 'See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9';

const fail = (status: CheckStatusName, desc: string, code?: number): ExpectVerdict => ({
  kind: 'fail',
  outcome: { status, desc, ...(code !== undefined ? { code } : {}) },
});

/**
 * HAProxy's check of a BindResponse: the LDAPMessage length (short form, or long form on 2 or
 * 4 bytes), messageID 1 and protocolOp 0x61 (bindResponse), the ENUMERATED tag of the
 * ldapResult, then its resultCode.
 */
export function ldapBindResponse(b: Buffer, lastRead: boolean, okStatus: CheckStatusName = 'L7OK'): ExpectVerdict {
  const at = (i: number): number => b[i] ?? 0;
  const tooShort = (): ExpectVerdict => (lastRead ? fail('L7RSP', '') : { kind: 'wait' });
  let p = 1;
  let nbytes = 0;
  let msglen: number;
  if (at(p) & 0x80) {
    nbytes = at(p) & 0x7f;
    if (b.length < 1 + nbytes) return tooShort();
    if (nbytes === 4) msglen = b.length >= p + 5 ? b.readUInt32BE(p + 1) : 0;
    else if (nbytes === 2) msglen = b.length >= p + 3 ? b.readUInt16BE(p + 1) : 0;
    else return fail('L7RSP', NOT_LDAP);
  } else {
    msglen = at(p);
  }
  p += 1 + nbytes;
  if (b.length < 2 + nbytes + msglen) return tooShort();
  // messageID: INTEGER 1; protocolOp: bindResponse.
  if (at(p) !== 0x02 || at(p + 1) !== 0x01 || at(p + 2) !== 0x01 || at(p + 3) !== 0x61) return fail('L7RSP', NOT_LDAP);
  p += 4;
  // The bindResponse's length.
  p += 1 + (at(p) & 0x80 ? at(p) & 0x7f : 0);
  // ldapResult: ENUMERATED.
  if (at(p) !== 0x0a || at(p + 1) !== 0x01) return fail('L7RSP', NOT_LDAP);
  p += 2;
  const code = at(p);
  if (code !== 0) return fail('L7STS', SEE_RFC, code);
  return { kind: 'next', code: 0, report: { status: okStatus, desc: 'Success', code: 0 } };
}

export function ldapSteps(): CheckStep[] {
  const custom = expectRule(2, { match: 'custom' });
  return [
    sendStep(0, LDAP_BIND_REQUEST),
    tcpExpectStep(expectRule(1, { match: 'rbinary', pattern: '^30', minRecv: 14 }), { onError: () => NOT_LDAP }),
    customExpectStep(custom, (b, lastRead) => ldapBindResponse(b, lastRead)),
  ];
}
