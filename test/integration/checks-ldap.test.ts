/**
 * option ldap-check against scripted LDAP peers on real sockets: the bind request's bytes, a
 * good bind response, a wrong answer, an error result code, a server that never answers, one
 * that closes in the middle of its answer; the log lines and `show servers state`. A passing
 * LDAP check counts twice towards rise, as HAProxy's does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAfter, hex, OP, scenarioSuite, STATUS, verifyScenario, type CheckScenario } from '../helpers/checks.js';

const OK = hex('300C020101 61 070A01 00 04000400');
const SCENARIOS: CheckScenario[] = [
  {
    name: 'ldap_ok',
    lines: ['option ldap-check'],
    script: answerAfter(14, OK),
    log: /Health check for server ldap_ok\/srv succeeded, reason: Layer7 check passed, code: 0, info: "Success", check duration: \d+ms, status: 1\/1 UP\./,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK, srv_check_result: '3', srv_check_health: '1' },
  },
  {
    name: 'ldap_banner',
    lines: ['option ldap-check'],
    script: answerAfter(14, hex('300C020101 60 070A01 00 04000400')),
    log: /Health check for server ldap_banner\/srv failed, reason: Layer7 invalid response, info: "Not LDAPv3 protocol", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7RSP, srv_check_result: '2', srv_check_health: '0' },
  },
  {
    name: 'ldap_status',
    lines: ['option ldap-check'],
    script: answerAfter(14, hex('300C020101 61 070A01 31 04000400')),
    log: /Health check for server ldap_status\/srv failed, reason: Layer7 wrong status, code: 49, info: "See RFC: http:\/\/tools\.ietf\.org\/html\/rfc4511#section-4\.1\.9", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS },
  },
  {
    name: 'ldap_slow',
    lines: ['option ldap-check'],
    script: {},
    log: /Health check for server ldap_slow\/srv failed, reason: Layer7 timeout, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7TOUT },
  },
  {
    name: 'ldap_cut',
    lines: ['option ldap-check'],
    script: answerAfter(14, hex('300C0201'), { end: true }),
    log: /Health check for server ldap_cut\/srv failed, reason: Layer7 invalid response, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7RSP },
  },
  {
    // Long-form lengths, the answer in two parts.
    name: 'ldap_long',
    lines: ['option ldap-check'],
    script: {
      onData(got, s, state) {
        if (got.length < 14 || state.done) return;
        state.done = true;
        s.write(hex('308400000010020101 61 84000000070A01'));
        setTimeout(() => s.write(hex('00 04000400')), 100);
      },
    },
    log: /Health check for server ldap_long\/srv succeeded, reason: Layer7 check passed, code: 0, info: "Success"/,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK },
  },
  {
    // Down first (its first connection closes at once), then one good check: counted twice, up.
    name: 'ldap_rise',
    lines: ['option ldap-check'],
    serverOptions: 'inter 400ms rise 2 fall 2',
    script: {
      closeFirst: 1,
      onData(got, s, state) {
        if (got.length >= 14 && !state.done) {
          state.done = true;
          s.write(OK);
        }
      },
    },
    log: /Health check for server ldap_rise\/srv succeeded, reason: Layer7 check passed, code: 0, check duration: \d+ms, status: 2\/2 UP\./,
    state: { srv_op_state: OP.RUNNING, srv_check_health: '3' },
  },
];

const suite = scenarioSuite(SCENARIOS, { testedApart: ['ldap_rise'] });

test('the bind request is HAProxy\'s bytes', async () => {
  assert.equal((await suite.firstRequest('ldap_ok')).toString('hex'), '300c020101600702010304008000');
});

test('a passing check reports "Success", then the end of the list reports again: counted twice', async () => {
  const s = SCENARIOS.find((x) => x.name === 'ldap_rise')!;
  await verifyScenario(suite.run, s);
  const lines = suite.run.checked.syslog.lines.filter((l) => l.includes('ldap_rise/srv'));
  const first = lines.findIndex((l) => /succeeded.*info: "Success".*status: 1\/2 DOWN\./.test(l));
  assert.ok(first >= 0, JSON.stringify(lines));
  assert.match(lines[first + 1]!, /succeeded, reason: Layer7 check passed, code: 0, check duration: \d+ms, status: 2\/2 UP\./);
  assert.match(lines[first + 2]!, /Server ldap_rise\/srv is UP\. 1 active and 0 backup servers online/);
});
