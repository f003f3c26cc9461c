/**
 * option mysql-check against scripted MySQL peers on real sockets: the handshake alone (no
 * user), a login and quit as a user in the 4.1 protocol and the older one (HAProxy's bytes), an
 * error packet (its number as code, its message as info), a truncated handshake, a server that
 * never speaks; the log lines and `show servers state`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAfter, hex, OP, scenarioSuite, STATUS, type CheckScenario } from '../helpers/checks.js';

/** A MySQL 8.0.19 initial handshake (from HAProxy's mysql-check regtest). */
const HANDSHAKE = hex(
  '4A0000000A382E302E3139000A0000006F3C025E6249410D00FFFFFF0200FFC715000000000000000000007C182159106E2761144322200063616368696E675F736861325F70617373776F726400',
);
const OK_PACKET = hex('0700000200000002000000');
const ERROR_1251 = hex(
  '67000002FFE304436C69656E7420646F6573206E6F7420737570706F72742061757468656E7469636174696F6E2070726F746F636F6C20726571756573746564206279207365727665723B20636F6E736964657220757067726164696E67204D7953514C20636C69656E74',
);

const SCENARIOS: CheckScenario[] = [
  {
    name: 'mysql_nouser',
    lines: ['option mysql-check'],
    script: { greet: HANDSHAKE },
    log: /Health check for server mysql_nouser\/srv succeeded, reason: Layer7 check passed, code: 0, info: "8\.0\.19", check duration: \d+ms, status: 1\/1 UP\./,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK, srv_check_result: '3' },
  },
  {
    name: 'mysql_post41',
    lines: ['option mysql-check user haproxy'],
    script: answerAfter(50, OK_PACKET, { greet: HANDSHAKE }),
    log: /Health check for server mysql_post41\/srv succeeded, reason: Layer7 check passed, code: 0, info: "8\.0\.19"/,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK },
  },
  {
    name: 'mysql_pre41',
    lines: ['option mysql-check user user pre-41'],
    script: answerAfter(20, hex('03000002000000'), { greet: HANDSHAKE }),
    log: /Health check for server mysql_pre41\/srv succeeded, reason: Layer7 check passed, code: 0, info: "8\.0\.19"/,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK },
  },
  {
    name: 'mysql_error',
    lines: ['option mysql-check user pouet post-41'],
    script: answerAfter(48, ERROR_1251, { greet: HANDSHAKE }),
    log: /Health check for server mysql_error\/srv failed, reason: Layer7 wrong status, code: 1251, info: "Client does not support authentication protocol requested by server; consider upgrading MySQL client", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS, srv_check_result: '2' },
  },
  {
    name: 'mysql_cut',
    lines: ['option mysql-check'],
    script: { greet: HANDSHAKE.subarray(0, 20), closeAfter: 50 },
    log: /Health check for server mysql_cut\/srv failed, reason: Layer7 invalid response, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7RSP },
  },
  {
    name: 'mysql_slow',
    lines: ['option mysql-check user u'],
    script: { greet: HANDSHAKE },
    log: /Health check for server mysql_slow\/srv failed, reason: Layer7 timeout, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7TOUT },
  },
  {
    name: 'mysql_banner',
    lines: ['option mysql-check'],
    script: { greet: 'not a mysql server\n', closeAfter: 50 },
    log: /Health check for server mysql_banner\/srv failed, reason: Layer7 invalid response, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7RSP },
  },
];

const suite = scenarioSuite(SCENARIOS);

test('login packets: HAProxy\'s bytes for the 4.1 protocol and the older one', async () => {
  assert.equal(
    (await suite.firstRequest('mysql_post41')).toString('hex'),
    '290000010082000000800001210000000000000000000000000000000000000000000000686170726f787900000100000001',
  );
  assert.equal((await suite.firstRequest('mysql_pre41')).toString('hex'), '0b00000100800000017573657200000100000001');
});
