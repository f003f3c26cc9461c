/**
 * option spop-check against scripted SPOE agents on real sockets: the HAPROXY-HELLO's bytes, a
 * good AGENT-HELLO, an empty frame, a fragmented one, an unsupported version, no
 * max-frame-size, an AGENT-DISCONNECT, an agent that never answers, one that closes in the
 * middle of its frame; the log lines (SPOE's reasons) and `show servers state`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAfter, hex, OP, scenarioSuite, STATUS, type CheckScenario } from '../helpers/checks.js';

const HELLO = hex('00000036 65 00000001 0000 0776657273696F6E 0803322E30 0E6D61782D6672616D652D73697A65 03FCF0 060C6361706162696C6974696573 0800');
const fails = (name: string, reason: string): CheckScenario['log'] =>
  new RegExp(`Health check for server ${name}/srv failed, reason: Layer7 invalid response, info: "${reason}", check duration: \\d+ms, status: 0/1 DOWN\\.`);

const SCENARIOS: CheckScenario[] = [
  {
    name: 'spop_ok',
    lines: ['option spop-check'],
    script: answerAfter(82, HELLO),
    log: /Health check for server spop_ok\/srv succeeded, reason: Layer7 check passed, code: 0, info: "SPOA server is ok", check duration: \d+ms, status: 1\/1 UP\./,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK, srv_check_result: '3' },
  },
  { name: 'spop_empty', lines: ['option spop-check'], script: answerAfter(82, hex('00000000')), log: fails('spop_empty', 'invalid frame received'), state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7RSP } },
  { name: 'spop_frag', lines: ['option spop-check'], script: answerAfter(82, hex('00000007 65 00000000 0000')), log: fails('spop_frag', 'fragmentation not supported') },
  {
    name: 'spop_version',
    lines: ['option spop-check'],
    script: answerAfter(82, hex('00000014 65 00000001 0000 0776657273696F6E 0803312E30')),
    log: fails('spop_version', 'unsupported version'),
  },
  {
    name: 'spop_nosize',
    lines: ['option spop-check'],
    script: answerAfter(82, hex('00000014 65 00000001 0000 0776657273696F6E 0803322E30')),
    log: fails('spop_nosize', 'max-frame-size value not found'),
  },
  { name: 'spop_disconnect', lines: ['option spop-check'], script: answerAfter(82, hex('00000007 66 00000001 0000')), log: fails('spop_disconnect', 'normal') },
  {
    name: 'spop_slow',
    lines: ['option spop-check'],
    script: {},
    log: /Health check for server spop_slow\/srv failed, reason: Layer7 timeout, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7TOUT },
  },
  { name: 'spop_cut', lines: ['option spop-check'], script: answerAfter(82, HELLO.subarray(0, 20), { end: true }), log: fails('spop_cut', 'invalid frame received') },
];

const suite = scenarioSuite(SCENARIOS);

test('the HAPROXY-HELLO frame is HAProxy\'s bytes', async () => {
  assert.equal(
    (await suite.firstRequest('spop_ok')).toString('hex'),
    '0000004e0100000001000012737570706f727465642d76657273696f6e730803322e300e6d61782d6672616d652d73697a6503fcf0060c6361706162696c697469657308000b6865616c7468636865636b11',
  );
});
