/**
 * The protocol checks' expect functions and requests on recorded byte sequences (HAProxy's
 * regtests and captures of haproxy 2.6's checks): verdicts, statuses, codes and info texts.
 */
import { testCheckEnv } from '../../helpers/check-env.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckStep, ExpectStep } from '../../../src/checks/engine.js';
import type { ExpectVerdict } from '../../../src/checks/expect-tcp.js';
import { ldapBindResponse, ldapSteps, LDAP_BIND_REQUEST } from '../../../src/checks/protocols/ldap.js';
import { mysqlLogin, mysqlPacket, mysqlSteps } from '../../../src/checks/protocols/mysql.js';
import { pgsqlStartup, pgsqlSteps } from '../../../src/checks/protocols/pgsql.js';
import { redisSteps } from '../../../src/checks/protocols/redis.js';
import { smtpSteps } from '../../../src/checks/protocols/smtp.js';
import { encodeVarint, spopAgentHello, spopHelloError, spopHelloFrame } from '../../../src/checks/protocols/spop.js';
import { sslHelloSteps, sslv3ClientHello } from '../../../src/checks/protocols/ssl-hello.js';
import { linkHeads } from '../../../src/checks/plan.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const expects = (steps: CheckStep[]): ExpectStep[] => steps.filter((s): s is ExpectStep => s.action === 'expect');
const run = (step: ExpectStep, data: Buffer | string, eof = false): ExpectVerdict => step.evaluate(Buffer.from(data as string, typeof data === 'string' ? 'latin1' : undefined), eof, step.id, testCheckEnv());

test('ldap: the bind request, and the bind response checks', () => {
  assert.equal(LDAP_BIND_REQUEST.toString('hex'), '300c020101600702010304008000');
  assert.deepEqual(ldapBindResponse(hex('300C020101 61 070A01 00 04000400'), false), {
    kind: 'next',
    code: 0,
    report: { status: 'L7OK', desc: 'Success', code: 0 },
  });
  assert.deepEqual(ldapBindResponse(hex('300C020101 60 070A01 00 04000400'), false), { kind: 'fail', outcome: { status: 'L7RSP', desc: 'Not LDAPv3 protocol' } });
  assert.deepEqual(ldapBindResponse(hex('300C020101 61 070A01 01 04000400'), false), {
    kind: 'fail',
    outcome: { status: 'L7STS', desc: 'See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9', code: 1 },
  });
  // Long-form length on 4 bytes: waits for the whole message, then passes.
  const long = hex('308400000010020101 61 84000000070A01 00 04000400');
  assert.deepEqual(ldapBindResponse(long.subarray(0, 17), false), { kind: 'wait' });
  assert.equal(ldapBindResponse(long, false).kind, 'next');
  // A length on 3 bytes is not LDAPv3 for HAProxy; a short answer at the end is invalid.
  assert.deepEqual(ldapBindResponse(hex('3083000010'), false), { kind: 'fail', outcome: { status: 'L7RSP', desc: 'Not LDAPv3 protocol' } });
  assert.deepEqual(ldapBindResponse(hex('300C0201'), true), { kind: 'fail', outcome: { status: 'L7RSP', desc: '' } });
});

test('ldap: the list (send, expect rbinary ^30 min-recv 14 on-error, custom)', () => {
  const steps = ldapSteps();
  assert.deepEqual(steps.map((s) => [s.action, s.id]), [['send', 1], ['expect', 2], ['expect', 3]]);
  const [first] = expects(steps);
  assert.deepEqual(run(first!, hex('300C02')), { kind: 'wait' });
  assert.deepEqual(run(first!, 'hello world, not ldap'), { kind: 'fail', outcome: { status: 'L7RSP', desc: 'Not LDAPv3 protocol' } });
  assert.deepEqual(run(first!, hex('300C020101 61 070A01 00 04000400')), { kind: 'next' });
});

test('mysql: login packets (post-41 and pre-41), handshake and OK/error packets', () => {
  assert.equal(mysqlLogin('user', 'pre-41').toString('hex'), '0b00000100800000017573657200000100000001');
  assert.equal(mysqlLogin('user', 'post-41').toString('hex'), '2600000100820000008000012100000000000000000000000000000000000000000000007573657200000100000001');
  const hs = hex('4A0000000A382E302E3139000A0000006F3C025E6249410D00FFFFFF0200FFC715000000000000000000007C182159106E2761144322200063616368696E675F736861325F70617373776F726400');
  assert.deepEqual(mysqlPacket(hs, 0, false, true), { kind: 'next', code: 0, report: { status: 'L7OK', desc: '8.0.19', code: 0 } });
  assert.deepEqual(mysqlPacket(hs, 0, false, false), { kind: 'next' });
  assert.deepEqual(mysqlPacket(hs.subarray(0, 30), 0, false, true), { kind: 'wait' });
  assert.deepEqual(mysqlPacket(hs.subarray(0, 30), 0, true, true), { kind: 'fail', outcome: { status: 'L7RSP', desc: '', code: 0 } });
  const ok = Buffer.concat([hs, hex('03000002000000')]);
  assert.deepEqual(mysqlPacket(ok, hs.length, false, true), { kind: 'next', code: 0, report: { status: 'L7OK', desc: '8.0.19', code: 0 } });
  const err = Buffer.concat([hs, hex('17000002FFE304 436C69656E7420646F6573206E6F742073757070')]);
  assert.deepEqual(mysqlPacket(err, hs.length, false, true), { kind: 'fail', outcome: { status: 'L7STS', desc: 'Client does not supp', code: 1251 } });
  // Without a user: connect, expect; with one: connect, send, expect, expect.
  assert.deepEqual(mysqlSteps().map((s) => s.action), ['connect', 'expect']);
  assert.deepEqual(mysqlSteps('u').map((s) => s.action), ['connect', 'send', 'expect', 'expect']);
  assert.equal((mysqlSteps()[0] as Extract<CheckStep, { action: 'connect' }>).rule.linger, true);
});

test('pgsql: the startup message; ErrorResponse, authentication, anything else', () => {
  assert.equal(pgsqlStartup('postgres').toString('hex'), '00000017000300007573657200706f7374677265730000');
  const steps = pgsqlSteps('postgres');
  linkHeads(steps);
  const [notE, auth] = expects(steps);
  assert.deepEqual(run(notE!, hex('450000000B53464154414C00')), { kind: 'fail', outcome: { status: 'L7RSP', desc: 'FATAL' } });
  assert.deepEqual(run(notE!, hex('52000000')), { kind: 'wait' });
  assert.deepEqual(run(auth!, hex('520000000800000000')), { kind: 'next' });
  assert.deepEqual(auth!.successInfo!(hex('520000000800000000'), testCheckEnv()), { status: 'L7OK', desc: 'PostgreSQL server is ok' });
  assert.deepEqual(run(auth!, hex('52000000170000000A534352414D2D5348412D3235360000')), { kind: 'next' });
  assert.deepEqual(run(auth!, 'Not a PostgreSQL response'), { kind: 'fail', outcome: { status: 'L7STS', desc: 'PostgreSQL unknown error' } });
  // The inverted rule is the head of the chain: a wait on the second resumes from it.
  assert.equal(auth!.head, 2);
});

test('redis: +PONG, an error reply as info, a cut answer', () => {
  const [send, expect] = redisSteps();
  assert.equal((send as Extract<CheckStep, { action: 'send' }>).data.toString(), '*1\r\n$4\r\nPING\r\n');
  const e = expect as ExpectStep;
  assert.deepEqual(run(e, '+PONG\r\n'), { kind: 'next' });
  assert.deepEqual(e.successInfo!(Buffer.from('+PONG\r\n'), testCheckEnv()), { status: 'L7OK', desc: 'Redis server is ok' });
  assert.deepEqual(run(e, '-Error message\r\n', true), { kind: 'fail', outcome: { status: 'L7STS', desc: '-Error message' } });
  assert.deepEqual(run(e, '-Error message\r\n'), { kind: 'wait' });
  assert.deepEqual(run(e, '+PO', true), { kind: 'fail', outcome: { status: 'L7STS', desc: '+PO' } });
});

test('smtp: greeting, HELO answer (multi-line), QUIT answer; texts and codes', () => {
  const steps = smtpSteps('EHLO domain.tld');
  assert.deepEqual(steps.map((s) => [s.action, s.id]), [['connect', 1], ['expect', 2], ['expect', 3], ['send', 4], ['expect', 5], ['send', 6], ['expect', 7]]);
  assert.equal((steps[3] as Extract<CheckStep, { action: 'send' }>).data.toString(), 'EHLO domain.tld\r\n');
  const [greeting, greetingOk, hello, quit] = expects(steps);
  assert.deepEqual(run(greeting!, '220'), { kind: 'wait' });
  assert.deepEqual(run(greeting!, "I'm not a SMTP server\r\n"), { kind: 'fail', outcome: { status: 'L7RSP', desc: "I'm not a SMTP server" } });
  assert.deepEqual(run(greetingOk!, '421 Try again later\r\n'), { kind: 'fail', outcome: { status: 'L7STS', desc: 'Try again later', code: 421 } });
  assert.deepEqual(run(hello!, '250-smtp-check.vtc\r\n250-KEYWORD\r\n'), { kind: 'wait' });
  assert.deepEqual(run(hello!, '250-smtp-check.vtc\r\n250-KEYWORD\r\n250 LAST KEYWORD\r\n'), { kind: 'next' });
  assert.deepEqual(run(hello!, '512 DNS error\r\n', true), { kind: 'fail', outcome: { status: 'L7STS', desc: 'DNS error', code: 512 } });
  assert.deepEqual(run(quit!, '221 smtp-check.vtc closing\r\n'), { kind: 'next' });
  assert.deepEqual(quit!.successInfo!(Buffer.from('221 smtp-check.vtc closing\r\n'), testCheckEnv()), { status: 'L7OK', desc: 'smtp-check.vtc closing', code: 221 });
  // "221 " alone: the code, and no text yet.
  assert.deepEqual(quit!.successInfo!(Buffer.from('221 '), testCheckEnv()), { status: 'L7OK', desc: '', code: 221 });
});

test('spop: the HELLO frame, and AGENT-HELLO checks with SPOE\'s reasons', () => {
  assert.equal(encodeVarint(16380).toString('hex'), 'fcf006');
  assert.equal(encodeVarint(239).toString('hex'), 'ef');
  const frame = spopHelloFrame();
  assert.equal(frame.length, 82);
  assert.equal(frame.subarray(0, 4).toString('hex'), '0000004e');
  const good = hex('00000036 65 00000001 0000 0776657273696F6E 0803322E30 0E6D61782D6672616D652D73697A65 03FCF0 060C6361706162696C6974696573 0800');
  assert.deepEqual(spopAgentHello(good, false), { kind: 'next', code: 0, report: { status: 'L7OK', desc: 'SPOA server is ok', code: 0 } });
  assert.deepEqual(spopAgentHello(good.subarray(0, 20), false), { kind: 'wait' });
  assert.deepEqual(spopAgentHello(hex('00000000'), false), { kind: 'fail', outcome: { status: 'L7RSP', desc: 'invalid frame received' } });
  assert.equal(spopHelloError(hex('65 00000000 0000')), 'fragmentation not supported');
  assert.equal(spopHelloError(hex('65 00000001 0000 0776657273696F6E 0803312E30')), 'unsupported version');
  assert.equal(spopHelloError(hex('65 00000001 0000 0776657273696F6E 0803322E30')), 'max-frame-size value not found');
  assert.equal(spopHelloError(hex('65 00000001 0000 0E6D61782D6672616D652D73697A65 03FCF006')), 'version value not found');
  assert.equal(spopHelloError(hex('65 00000001 0000 0776657273696F6E 0803322E30 0E6D61782D6672616D652D73697A65 0364')), 'max-frame-size too big or too small');
  assert.equal(spopHelloError(hex('66 00000001 0000')), 'normal');
  assert.equal(spopHelloError(hex('66 00000001 0000 0B7374617475732D636F6465 0303')), 'frame is too big');
});

test('ssl-hello: the SSLv3 CLIENT HELLO and the expect (handshake or alert record, L6 statuses)', () => {
  const hello = sslv3ClientHello(0x6b078b04);
  assert.equal(
    hello.toString('hex'),
    '16030000790100007503006b078b04484150524f585953534c43484b0a484150524f585953534c43484b0a00004e000100020003000400050006000700080009000a000b000c000d000e000f0010001100120013001400150016001700180019001a001b002f0030003100320033003400350036003700380039003a0100',
  );
  const [, expect] = sslHelloSteps();
  const e = expect as ExpectStep;
  assert.deepEqual(run(e, hex('1603')), { kind: 'wait' });
  assert.deepEqual(run(e, hex('150300000202 28')), { kind: 'next' });
  assert.deepEqual(run(e, hex('1603010005 0200000100')), { kind: 'next' });
  assert.deepEqual(run(e, 'HTTP/1.1 400 Bad Request\r\n'), { kind: 'fail', outcome: { status: 'L6RSP', desc: '' } });
  assert.equal(e.rule.okStatus, 'L6OK');
  assert.equal(e.rule.toutStatus, 'L6TOUT');
});
