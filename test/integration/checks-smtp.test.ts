/**
 * option smtpchk against scripted SMTP peers on real sockets: greeting, HELO/EHLO and QUIT
 * (HAProxy's bytes), a multi-line EHLO answer, a greeting from something else, a 421 greeting,
 * a 5xx answer to EHLO, a refused QUIT, a server that never greets, one that closes after its
 * greeting; the log lines (the last reply's code and text) and `show servers state`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { OP, scenarioSuite, STATUS, type CheckScenario, type PeerScript } from '../helpers/checks.js';

/**
 * A server greeting, answering the HELO/EHLO line with `hello` (then closing when `close`), and
 * QUIT with `bye`.
 */
function smtp(greeting: string, hello: string[], bye = '221 smtp-check closing\r\n', close = false): PeerScript {
  return {
    greet: greeting,
    onData(got: Buffer, s: Socket, state) {
      const text = got.toString('latin1');
      if (text.endsWith('QUIT\r\n')) {
        s.end(bye);
      } else if (text.endsWith('\r\n') && !state.hello) {
        state.hello = true;
        // Multi-line answers arrive in several writes.
        hello.forEach((line, i) => setTimeout(() => (close && i === hello.length - 1 ? s.end(line) : s.write(line)), i * 20));
      }
    },
  };
}

const SCENARIOS: CheckScenario[] = [
  {
    name: 'smtp_ok',
    lines: ['option smtpchk'],
    script: smtp('220 smtp-check SMTP Server\r\n', ['250 smtp-check\r\n']),
    log: /Health check for server smtp_ok\/srv succeeded, reason: Layer7 check passed, code: 221, info: "smtp-check closing", check duration: \d+ms, status: 1\/1 UP\./,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK, srv_check_result: '3' },
  },
  {
    name: 'smtp_ehlo',
    lines: ['option smtpchk EHLO domain.tld'],
    script: smtp('220 smtp-check SMTP Server\r\n', ['250-smtp-check\r\n', '250-KEYWORD\r\n', '250 LAST KEYWORD\r\n']),
    log: /Health check for server smtp_ehlo\/srv succeeded, reason: Layer7 check passed, code: 221, info: "smtp-check closing"/,
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK },
  },
  {
    name: 'smtp_banner',
    lines: ['option smtpchk'],
    script: { greet: "I'm not a SMTP server\r\n" },
    log: /Health check for server smtp_banner\/srv failed, reason: Layer7 invalid response, info: "I'm not a SMTP server", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7RSP, srv_check_result: '2' },
  },
  {
    name: 'smtp_421',
    lines: ['option smtpchk'],
    script: { greet: '421 Try again later\r\n' },
    log: /Health check for server smtp_421\/srv failed, reason: Layer7 wrong status, code: 421, info: "Try again later", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS },
  },
  {
    // A failed answer to HELO is only judged once the server closes: the rule waits for a
    // (possibly multi-line) 2xx answer until then.
    name: 'smtp_512',
    lines: ['option smtpchk EHLO domain.tld'],
    script: smtp('220 smtp-check SMTP Server\r\n', ['512 DNS error\r\n'], undefined, true),
    log: /Health check for server smtp_512\/srv failed, reason: Layer7 wrong status, code: 512, info: "DNS error", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS },
  },
  {
    name: 'smtp_quit',
    lines: ['option smtpchk'],
    script: smtp('220 x\r\n', ['250 hi\r\n'], '500 no quit for you\r\n'),
    log: /Health check for server smtp_quit\/srv failed, reason: Layer7 wrong status, code: 500, info: "no quit for you", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS },
  },
  {
    name: 'smtp_slow',
    lines: ['option smtpchk'],
    script: {},
    log: /Health check for server smtp_slow\/srv failed, reason: Layer7 timeout, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7TOUT },
  },
  {
    name: 'smtp_cut',
    lines: ['option smtpchk'],
    script: { greet: '220 x\r\n', onData: (_got, s) => s.end() },
    log: /Health check for server smtp_cut\/srv failed, reason: Layer7 wrong status, code: 0, info: "TCPCHK got an empty response at step 5", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS },
  },
];

const suite = scenarioSuite(SCENARIOS);

test('HELO localhost by default, EHLO <domain> when given, then QUIT; the connection closes cleanly', async () => {
  assert.equal((await suite.firstRequest('smtp_ok')).toString('latin1'), 'HELO localhost\r\nQUIT\r\n');
  assert.equal((await suite.firstRequest('smtp_ehlo')).toString('latin1'), 'EHLO domain.tld\r\nQUIT\r\n');
});
