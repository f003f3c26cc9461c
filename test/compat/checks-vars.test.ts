/**
 * Variables, log-format strings and sample expressions in health checks, compared with haproxy
 * (helpers/check-compat.ts): set-var / set-var-fmt / unset-var with their conditions and
 * scopes, send-lf, send-binary-lf, expect string-lf / binary-lf, on-success / on-error
 * formats, status-code, connect port <expr>, and the HTTP check's uri-lf, header values,
 * body-lf, name-lf and value-lf. The same log lines and the same requests.
 */
import type { Socket } from 'node:net';
import { compareCheckScenarios, type CheckCompatScenario } from '../helpers/check-compat.js';
import { answerAfter, type PeerScript } from '../helpers/checks.js';

/** Answers `reply` once a line (or an HTTP request head) has arrived. */
const replyTo = (reply: string | Buffer, end = false): PeerScript => answerAfter('\n', reply, { end });

const TCP = ['option tcp-check'];
const HTTP_OK = 'HTTP/1.1 200 OK\r\nX-Foo: bar, baz\r\nContent-Length: 2\r\n\r\nok';

const SCENARIOS: CheckCompatScenario[] = [
  {
    name: 'vars_send_lf',
    lines: [
      ...TCP,
      'tcp-check set-var(check.greet) str(hello),upper',
      'tcp-check set-var-fmt(check.msg) "for %[srv_name] in %[be_name]"',
      'tcp-check set-var(sess.n) int(7)',
      'tcp-check set-var(txn.lost) int(1)',
      'tcp-check send-lf "PING %[var(check.greet)] %[srv_id]/%[be_id] %{+Q}[var(check.msg)] [%[var(txn.lost)]] %{+M}[var(check.none)] %[var(sess.n),mul(6)] %[var(check.none,dflt)]\\r\\n"',
      'tcp-check expect string +PONG',
    ],
    script: replyTo('+PONG\r\n'),
  },
  {
    name: 'vars_conditions',
    lines: [
      ...TCP,
      'tcp-check set-var(check.a) int(5)',
      'tcp-check set-var(check.a,ifgt) int(7)',
      'tcp-check set-var(check.b) int(5)',
      'tcp-check set-var(check.b,iflt) int(7)',
      'tcp-check set-var(check.c,ifexists) int(1)',
      'tcp-check set-var(check.d,ifnotempty) str()',
      'tcp-check set-var(check.e) str(x)',
      'tcp-check set-var(check.e,ifnotexists) str(y)',
      'tcp-check set-var(check.f) str(keep)',
      'tcp-check unset-var(check.f)',
      'tcp-check set-var(check.g) int(3),set-var(check.h),add(1)',
      'tcp-check send-lf "a=%[var(check.a)] b=%[var(check.b)] c=%[var(check.c)] d=%[var(check.d)] e=%[var(check.e)] f=%[var(check.f)] g=%[var(check.g)] h=%[var(check.h)] div=%[int(7),div(0)] mod=%[int(7),mod(-4)] sub=%[int(1),sub(check.a)]\\n"',
      'tcp-check expect string +OK',
    ],
    script: replyTo('+OK\n'),
  },
  {
    name: 'vars_proc_counts',
    lines: [...TCP, 'tcp-check set-var(proc.count,ifnotset) int(0)', 'tcp-check set-var(proc.count) var(proc.count),add(1)', 'tcp-check send-lf "check %[var(proc.count)]\\n"', 'tcp-check expect string-lf "ok %[var(proc.count)]"'],
    // The process's counter goes on from check to check: the server answers with it twice,
    // then wrongly, and the third check fails.
    script: {
      onData(got: Buffer, s: Socket, state) {
        const m = /check (\d+)\n/.exec(got.toString('latin1'));
        if (state.done || !m) return;
        state.done = true;
        s.write(`ok ${Number(m[1]) < 3 ? m[1] : 0}\n`);
      },
    },
    serverOptions: 'inter 300ms rise 1 fall 1',
    checks: 2,
  },
  {
    name: 'vars_expect_lf_fails',
    lines: [...TCP, 'tcp-check set-var(check.want) str(+YES)', 'tcp-check send "Q\\n"', 'tcp-check expect string-lf "%[var(check.want)]"'],
    script: replyTo('+NO\n', true),
  },
  {
    name: 'vars_expect_lf_empty',
    lines: [...TCP, 'tcp-check send "Q\\n"', 'tcp-check expect comment "needs a value" string-lf "%[var(check.none)]"'],
    script: replyTo('+OK\n'),
  },
  {
    name: 'vars_on_error',
    lines: [...TCP, 'tcp-check send "Q\\n"', 'tcp-check expect string +OK on-error "bad answer from %[srv_name]: %[res.payload(0,4)] (%[res.len] bytes)" status-code "int(503)"'],
    script: replyTo('-ERR nope\n', true),
  },
  {
    name: 'vars_on_success',
    lines: [...TCP, 'tcp-check send "Q\\n"', 'tcp-check expect string +OK on-success "%[res.payload(1,2)] from %[srv_name]" status-code "res.payload(4,3)"'],
    script: replyTo('+OK 250 fine\n'),
  },
  {
    name: 'vars_binary_lf',
    lines: [...TCP, 'tcp-check set-var(check.h) str(50494e47)', 'tcp-check send-binary-lf "%[var(check.h)]0d0a"', 'tcp-check expect binary-lf "2b%[str(4f4b)]"'],
    script: replyTo('+OK\r\n'),
  },
  {
    name: 'vars_binary_lf_bad',
    lines: [...TCP, 'tcp-check send-binary-lf "%[str(zz)]0a"', 'tcp-check expect string +OK'],
    script: replyTo('+OK\n'),
  },
  {
    name: 'vars_port_expr',
    // The server line's check port is wrong: the connect rule's expression wins.
    lines: (port) => [...TCP, `tcp-check set-var(check.port) int(${port})`, 'tcp-check connect port var(check.port)', 'tcp-check send "Q\\n"', 'tcp-check expect string +OK'],
    script: replyTo('+OK\n'),
    serverOptions: 'port 1 inter 300ms rise 1 fall 1',
  },
  {
    name: 'vars_port_expr_none',
    // An expression without a value: the server's own port.
    lines: [...TCP, 'tcp-check connect port var(check.none)', 'tcp-check send "Q\\n"', 'tcp-check expect string +OK'],
    script: replyTo('+OK\n'),
  },
  {
    name: 'vars_http_send',
    lines: [
      'option httpchk',
      'http-check set-var(check.server) "str(srv)"',
      'http-check set-var(check.path) "str(/req1)"',
      'http-check send meth GET uri-lf "%[var(check.path)]" ver HTTP/1.1 hdr x-test "server=%[var(check.server)]" hdr x-empty "%[var(check.none)]" body-lf "health-check on %[be_name]-%[srv_name]"',
      'http-check expect status 200',
    ],
    script: replyTo(HTTP_OK),
  },
  {
    name: 'vars_http_expects',
    lines: [
      'option httpchk',
      'http-check set-var(check.hn) str(x-foo)',
      'http-check expect hdr name-lf "%[var(check.hn)]" value-lf "%[str(baz)]"',
      'http-check expect string-lf "%[str(o)]" on-success "passed %[srv_name]" status-code "int(299)"',
    ],
    script: replyTo(HTTP_OK),
  },
  {
    name: 'vars_http_on_error',
    lines: ['option httpchk', 'http-check expect status 200 on-error "down: %[srv_name]" status-code "int(418)"'],
    script: replyTo('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n'),
  },
  {
    name: 'vars_http_value_lf_empty',
    lines: ['option httpchk', 'http-check expect hdr name x-foo value-lf "%[var(check.none)]"'],
    script: replyTo(HTTP_OK),
  },
  {
    name: 'vars_action_last_connect',
    // An action is never the step a check ends on: the connect is ("(tcp-check)", Layer4).
    lines: [...TCP, 'tcp-check connect', 'tcp-check set-var(check.x) int(1)'],
    script: {},
  },
  {
    name: 'vars_action_last_expect',
    lines: [...TCP, 'tcp-check send "Q\\n"', 'tcp-check expect string +OK on-success "fine %[var(check.x)]"', 'tcp-check set-var(check.x) int(1)'],
    script: replyTo('+OK\n'),
  },
  {
    name: 'vars_http_trailing_action',
    lines: ['option httpchk', 'http-check expect status 200', 'http-check set-var(check.x) int(1)'],
    script: replyTo(HTTP_OK),
  },
  {
    name: 'vars_action_between_expects',
    // Actions inside a chain of expects: the chain waits from its head and runs them again.
    lines: [...TCP, 'tcp-check send "Q\\n"', 'tcp-check expect ! string -ERR', 'tcp-check set-var(proc.seen,ifnotset) int(0)', 'tcp-check set-var(proc.seen) var(proc.seen),add(1)', 'tcp-check expect string-lf "+OK"'],
    script: {
      onData(got: Buffer, s: Socket, state) {
        if (state.done || !got.includes('\n')) return;
        state.done = true;
        s.write('+O');
        setTimeout(() => s.write('K\n'), 100);
      },
    },
  },
];

compareCheckScenarios('variables and formats in health checks compared with haproxy', SCENARIOS);
