/**
 * option pgsql-check against scripted PostgreSQL peers on real sockets: the startup message's
 * bytes, an authentication request (ok, also SASL), an ErrorResponse (its severity as info),
 * something else, a server that never answers, one that closes in the middle; the log lines
 * and `show servers state`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAfter, hex, OP, scenarioSuite, STATUS, type CheckScenario } from '../helpers/checks.js';

const SCENARIOS: CheckScenario[] = [
  {
    name: 'pgsql_ok',
    lines: ['option pgsql-check user postgres'],
    script: answerAfter(23, hex('520000000800000000')),
    log: /Health check for server pgsql_ok\/srv succeeded, reason: Layer7 check passed, code: 0, info: "PostgreSQL server is ok", check duration: \d+ms, status: 1\/1 UP\./,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK, srv_check_result: '3' },
  },
  {
    name: 'pgsql_scram',
    lines: ['option pgsql-check user postgres'],
    script: answerAfter(23, hex('52000000170000000A534352414D2D5348412D3235360000')),
    log: /Health check for server pgsql_scram\/srv succeeded, reason: Layer7 check passed, code: 0, info: "PostgreSQL server is ok"/,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK },
  },
  {
    name: 'pgsql_fatal',
    lines: ['option pgsql-check user postgres'],
    script: answerAfter(23, hex('450000000B53464154414C00')),
    log: /Health check for server pgsql_fatal\/srv failed, reason: Layer7 invalid response, info: "FATAL", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7RSP, srv_check_result: '2' },
  },
  {
    name: 'pgsql_banner',
    lines: ['option pgsql-check user postgres'],
    script: answerAfter(23, 'Not a PostgreSQL response'),
    log: /Health check for server pgsql_banner\/srv failed, reason: Layer7 wrong status, code: 0, info: "PostgreSQL unknown error", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS },
  },
  {
    name: 'pgsql_slow',
    lines: ['option pgsql-check user postgres'],
    script: {},
    log: /Health check for server pgsql_slow\/srv failed, reason: Layer7 timeout, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7TOUT },
  },
  {
    name: 'pgsql_cut',
    lines: ['option pgsql-check user postgres'],
    script: answerAfter(23, hex('5200'), { end: true }),
    log: /Health check for server pgsql_cut\/srv failed, reason: Layer7 wrong status, code: 0, info: "PostgreSQL unknown error", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS },
  },
];

const suite = scenarioSuite(SCENARIOS);

test('the startup message is HAProxy\'s bytes', async () => {
  assert.equal((await suite.firstRequest('pgsql_ok')).toString('hex'), '00000017000300007573657200706f7374677265730000');
});
