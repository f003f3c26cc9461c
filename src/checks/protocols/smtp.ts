/**
 * `option smtpchk [HELO|EHLO <domain>]` (configuration.txt 4.2): HAProxy's list, over a
 * connection closed cleanly (connect default linger):
 *   expect rstring "^[0-9]{3}[ \r]" min-recv 4 error-status L7RSP, on-error: the first line
 *   expect rstring "^2[0-9]{2}[ \r]" min-recv 4 error-status L7STS, on-error: the text after
 *     the code, status-code: the code
 *   send "<HELO localhost|HELO d|EHLO d>\r\n"
 *   expect rstring "^(2[0-9]{2}-[^\r]*\r\n)*2[0-9]{2}[ \r]" error-status L7STS, texts and code
 *     as above (a multi-line EHLO answer is read to its last line)
 *   send "QUIT\r\n"
 *   expect rstring "^2[0-9]{2}[- \r]" min-recv 4 error-status L7STS, texts and code as above:
 *     a success reports the QUIT reply ("221 bye" gives code 221, info "bye").
 */
import type { CheckStep } from '../engine.js';
import { asInteger, asText, connectStep, cutCrlf, expectRule, ltrim, payload, sendStep, tcpExpectStep, type ProtocolExpect } from './rules.js';

/** "%[res.payload(4,0),ltrim(' '),cut_crlf]": the reply's text after its code. */
const replyText = (b: Buffer): string => cutCrlf(ltrim(asText(payload(b, 4)), ' '));
/** "res.payload(0,3)" as an integer: the reply's code. */
const replyCode = (b: Buffer): number | undefined => asInteger(payload(b, 0, 3));

const REPLY: ProtocolExpect = { onError: replyText, statusCode: replyCode };
const FINAL: ProtocolExpect = { onError: replyText, onSuccess: replyText, statusCode: replyCode };

/** The steps for the greeting command ("HELO localhost" by default). */
export function smtpSteps(command: string): CheckStep[] {
  return [
    connectStep(0, true),
    tcpExpectStep(expectRule(1, { match: 'rstring', pattern: '^[0-9]{3}[ \r]', minRecv: 4, errorStatus: 'L7RSP' }), {
      onError: (b) => cutCrlf(asText(payload(b, 0))),
    }),
    tcpExpectStep(expectRule(2, { match: 'rstring', pattern: '^2[0-9]{2}[ \r]', minRecv: 4, errorStatus: 'L7STS' }), REPLY),
    sendStep(3, Buffer.from(`${command}\r\n`, 'latin1')),
    tcpExpectStep(expectRule(4, { match: 'rstring', pattern: '^(2[0-9]{2}-[^\r]*\r\n)*2[0-9]{2}[ \r]', errorStatus: 'L7STS' }), FINAL),
    sendStep(5, Buffer.from('QUIT\r\n', 'latin1')),
    tcpExpectStep(expectRule(6, { match: 'rstring', pattern: '^2[0-9]{2}[- \r]', minRecv: 4, errorStatus: 'L7STS' }), FINAL),
  ];
}
