/**
 * option redis-check against scripted Redis peers on real sockets: the PING's bytes, +PONG, an
 * error reply (its first line as info), a server that never answers, one that closes in the
 * middle of its answer; the log lines and `show servers state`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAfter, OP, scenarioSuite, STATUS, type CheckScenario } from '../helpers/checks.js';

const SCENARIOS: CheckScenario[] = [
  {
    name: 'redis_ok',
    lines: ['option redis-check'],
    script: answerAfter(14, '+PONG\r\n'),
    log: /Health check for server redis_ok\/srv succeeded, reason: Layer7 check passed, code: 0, info: "Redis server is ok", check duration: \d+ms, status: 1\/1 UP\./,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK, srv_check_result: '3' },
  },
  {
    name: 'redis_error',
    lines: ['option redis-check'],
    script: answerAfter(14, '-Error message\r\n', { end: true }),
    log: /Health check for server redis_error\/srv failed, reason: Layer7 wrong status, code: 0, info: "-Error message", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS, srv_check_result: '2' },
  },
  {
    // An error reply on a connection kept open: the check waits for +PONG until its timeout.
    name: 'redis_error_open',
    lines: ['option redis-check'],
    script: answerAfter(14, '-LOADING Redis is loading the dataset in memory\r\n'),
    log: /Health check for server redis_error_open\/srv failed, reason: Layer7 timeout, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7TOUT },
  },
  {
    name: 'redis_slow',
    lines: ['option redis-check'],
    script: {},
    log: /Health check for server redis_slow\/srv failed, reason: Layer7 timeout, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7TOUT },
  },
  {
    name: 'redis_cut',
    lines: ['option redis-check'],
    script: answerAfter(14, '+PO', { end: true }),
    log: /Health check for server redis_cut\/srv failed, reason: Layer7 wrong status, code: 0, info: "\+PO", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS },
  },
  {
    name: 'redis_closed',
    lines: ['option redis-check'],
    script: { closeAfter: 0 },
    log: /Health check for server redis_closed\/srv failed, reason: Layer7 wrong status, code: 0, info: "TCPCHK got an empty response at step 2", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS },
  },
];

const suite = scenarioSuite(SCENARIOS);

test('the PING is HAProxy\'s bytes', async () => {
  assert.equal((await suite.firstRequest('redis_ok')).toString('latin1'), '*1\r\n$4\r\nPING\r\n');
});
