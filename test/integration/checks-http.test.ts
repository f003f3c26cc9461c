/**
 * option httpchk over plain TCP against scripted HTTP servers on real sockets: the request
 * (option line, http-check send, send-state), the implicit "expect status 200-399", status /
 * rstatus / string / hdr / fhdr expects with `!`, comments, disable-on-404 (the server goes
 * NOLB), http-check connect to another port, and the failures: an error status, something that
 * is not HTTP, a close before or in the middle of the answer, no answer; the log lines and
 * `show servers state`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAfter, OP, scenarioSuite, scriptedPeer, STATUS, verifyScenario, type CheckScenario, type PeerScript, type ScriptedPeer } from '../helpers/checks.js';

/** Answers `response` once the request's headers are in (then closes unless `keep`). */
const http = (response: string, keep = false): PeerScript => answerAfter('\r\n\r\n', response, { end: !keep });

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Foo: bar, baz\r\n\r\nhello';
const upWith = (name: string, code: number): RegExp =>
  new RegExp(`Health check for server ${name}/srv succeeded, reason: Layer7 check passed, code: ${code}, check duration: \\d+ms, status: 1/1 UP\\.`);

let other: ScriptedPeer;
const SCENARIOS: CheckScenario[] = [
  {
    name: 'http_ok',
    lines: ['option httpchk'],
    script: http(OK),
    log: upWith('http_ok', 200),
    state: { srv_op_state: OP.RUNNING, srv_check_status: STATUS.L7OK, srv_check_result: '3' },
  },
  {
    name: 'http_503',
    lines: ['option httpchk GET /health HTTP/1.1'],
    script: http('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n'),
    log: /Health check for server http_503\/srv failed, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7STS, srv_check_result: '2' },
  },
  {
    name: 'http_garbage',
    lines: ['option httpchk'],
    script: http("I'm not HTTP\r\n\r\n"),
    log: /Health check for server http_garbage\/srv failed, reason: Layer7 invalid response, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7RSP },
  },
  {
    name: 'http_closed',
    lines: ['option httpchk'],
    script: { onData: (_g, s) => s.end() },
    log: /Health check for server http_closed\/srv failed, reason: Layer7 invalid response, check duration: \d+ms, status: 0\/1 DOWN\./,
  },
  {
    name: 'http_cut',
    lines: ['option httpchk'],
    script: http('HTTP/1.1 200 OK\r\nContent-'),
    log: /Health check for server http_cut\/srv failed, reason: Layer7 invalid response, check duration: \d+ms, status: 0\/1 DOWN\./,
  },
  {
    name: 'http_slow',
    lines: ['option httpchk'],
    script: {},
    log: /Health check for server http_slow\/srv failed, reason: Layer7 timeout, check duration: \d+ms, status: 0\/1 DOWN\./,
    state: { srv_op_state: OP.STOPPED, srv_check_status: STATUS.L7TOUT },
  },
  {
    name: 'http_string',
    lines: ['option httpchk', 'http-check expect string hello'],
    script: http(OK),
    log: upWith('http_string', 200),
  },
  {
    name: 'http_nostring',
    lines: ['option httpchk', 'http-check expect comment "body check" ! string hello'],
    script: http(OK),
    log: /Health check for server http_nostring\/srv failed, reason: Layer7 invalid response, info: "HTTP check matched unwanted content comment: body check", check duration: \d+ms/,
  },
  {
    name: 'http_nobody',
    lines: ['option httpchk', 'http-check expect string x'],
    script: http('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'),
    log: /Health check for server http_nobody\/srv failed, reason: Layer7 invalid response, info: "HTTP content check could not find a response body"/,
  },
  {
    name: 'http_hdr',
    lines: ['option httpchk', 'http-check expect status 200', 'http-check expect hdr name -m beg X-F value baz', 'http-check expect rstatus ^2'],
    script: http(OK),
    log: upWith('http_hdr', 200),
  },
  {
    name: 'http_fhdr',
    lines: ['option httpchk', 'http-check expect fhdr name x-foo value baz'],
    script: http(OK),
    log: /Health check for server http_fhdr\/srv failed, reason: Layer7 wrong status, code: 200, info: "OK", check duration: \d+ms/,
  },
  {
    name: 'http_404',
    lines: ['option httpchk', 'http-check disable-on-404'],
    script: http('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'),
    log: /Health check for server http_404\/srv conditionally succeeded, reason: Layer7 check conditionally passed, code: 404, check duration: \d+ms, status: 1\/1 UP\./,
    state: { srv_op_state: OP.STOPPING, srv_check_status: STATUS.L7OKC, srv_check_result: '4' },
  },
  {
    name: 'http_state',
    lines: ['option httpchk GET /s HTTP/1.1', 'http-check send hdr Host www.example.org', 'http-check send-state'],
    script: http(OK),
    log: upWith('http_state', 200),
  },
  {
    name: 'http_connect',
    lines: [], // filled in before(): connects to another peer
    script: {},
    log: upWith('http_connect', 200),
  },
];

const suite = scenarioSuite(SCENARIOS, {
  // The http_connect scenario checks another port: that peer is started first.
  async setup() {
    other = await scriptedPeer(http(OK));
    const c = SCENARIOS.find((s) => s.name === 'http_connect')! as { lines: readonly string[] };
    c.lines = ['option httpchk', `http-check connect port ${other.port}`, 'http-check send meth GET uri /other'];
  },
  teardown: async () => other?.close(),
});

test('requests: the default one, the option\'s, and one completed by http-check send with send-state', async () => {
  assert.equal((await suite.firstRequest('http_ok')).toString('latin1'), 'OPTIONS / HTTP/1.0\r\n\r\n');
  assert.equal((await suite.firstRequest('http_503')).toString('latin1'), 'GET /health HTTP/1.1\r\nconnection: close\r\n\r\n');
  const req = (await suite.firstRequest('http_state')).toString('latin1');
  assert.match(
    req,
    /^GET \/s HTTP\/1\.1\r\nhost: www\.example\.org\r\nx-haproxy-server-state: UP; address=127\.0\.0\.1; port=\d+; name=http_state\/srv; node=[^;]+; weight=1\/1; scur=0\/0; qcur=0\r\nconnection: close\r\n\r\n$/,
  );
});

test('http-check connect port: the check goes to that port', async () => {
  await verifyScenario(suite.run, SCENARIOS.find((s) => s.name === 'http_connect')!);
  assert.equal(other.received[0]!.toString('latin1'), 'GET /other HTTP/1.0\r\n\r\n');
  assert.equal(suite.run.peers.get('http_connect')!.received.length, 0);
});

test('disable-on-404: the server is stopping (NOLB), as the log says', async () => {
  await suite.run.checked.logFor('http_404', /Server http_404\/srv is stopping\. 0 active and 0 backup servers online/);
});
