/**
 * The protocol health checks compared with haproxy (helpers/check-compat.ts): scripted LDAP,
 * MySQL, PostgreSQL, Redis, SMTP, SPOE agents, SSL and HTTP servers giving good answers, wrong
 * ones, error statuses, truncated answers or silence; the same log lines and the same requests.
 */
import type { Socket } from 'node:net';
import { compareCheckScenarios, type CheckCompatScenario } from '../helpers/check-compat.js';
import { answerAfter, hex, type PeerScript } from '../helpers/checks.js';

const MYSQL_HANDSHAKE = hex(
  '4A0000000A382E302E3139000A0000006F3C025E6249410D00FFFFFF0200FFC715000000000000000000007C182159106E2761144322200063616368696E675F736861325F70617373776F726400',
);
const LDAP_OK = hex('300C020101 61 070A01 00 04000400');
const SPOP_HELLO = hex('00000036 65 00000001 0000 0776657273696F6E 0803322E30 0E6D61782D6672616D652D73697A65 03FCF0 060C6361706162696C6974696573 0800');

function smtp(greeting: string, hello: string, bye: string, close = false): PeerScript {
  return {
    greet: greeting,
    onData(got: Buffer, s: Socket, state) {
      const text = got.toString('latin1');
      if (text.endsWith('QUIT\r\n')) s.end(bye);
      else if (text.endsWith('\r\n') && !state.hello) {
        state.hello = true;
        if (close) s.end(hello);
        else s.write(hello);
      }
    },
  };
}

/** Answers `response` once the request's headers are in, then closes. */
const http = (response: string): PeerScript => answerAfter('\r\n\r\n', response, { end: true });

const RISE2 = 'inter 300ms rise 2 fall 2';

const SCENARIOS: CheckCompatScenario[] = [
  { name: 'ldap_ok', lines: ['option ldap-check'], script: answerAfter(14, LDAP_OK) },
  { name: 'ldap_banner', lines: ['option ldap-check'], script: answerAfter(14, hex('300C020101 60 070A01 00 04000400')) },
  { name: 'ldap_status', lines: ['option ldap-check'], script: answerAfter(14, hex('300C020101 61 070A01 31 04000400')) },
  { name: 'ldap_cut', lines: ['option ldap-check'], script: answerAfter(14, hex('300C0201'), { end: true }) },
  { name: 'ldap_slow', lines: ['option ldap-check'], script: {} },
  { name: 'ldap_rise', lines: ['option ldap-check'], script: { ...answerAfter(14, LDAP_OK), closeFirst: 1 }, serverOptions: RISE2, checks: 3 },
  { name: 'mysql_nouser', lines: ['option mysql-check'], script: { greet: MYSQL_HANDSHAKE } },
  { name: 'mysql_pre41', lines: ['option mysql-check user user pre-41'], script: answerAfter(20, hex('03000002000000'), { greet: MYSQL_HANDSHAKE }) },
  { name: 'mysql_post41', lines: ['option mysql-check user user'], script: answerAfter(47, hex('0700000200000002000000'), { greet: MYSQL_HANDSHAKE }) },
  {
    name: 'mysql_error',
    lines: ['option mysql-check user pouet post-41'],
    script: answerAfter(
      48,
      hex('67000002FFE304436C69656E7420646F6573206E6F7420737570706F72742061757468656E7469636174696F6E2070726F746F636F6C20726571756573746564206279207365727665723B20636F6E736964657220757067726164696E67204D7953514C20636C69656E74'),
      { greet: MYSQL_HANDSHAKE },
    ),
  },
  { name: 'mysql_cut', lines: ['option mysql-check'], script: { greet: MYSQL_HANDSHAKE.subarray(0, 20), closeAfter: 50 } },
  { name: 'mysql_rise', lines: ['option mysql-check'], script: { greet: MYSQL_HANDSHAKE, closeFirst: 1 }, serverOptions: RISE2, checks: 3 },
  { name: 'pgsql_ok', lines: ['option pgsql-check user postgres'], script: answerAfter(23, hex('520000000800000000')) },
  { name: 'pgsql_fatal', lines: ['option pgsql-check user postgres'], script: answerAfter(23, hex('450000000B53464154414C00')) },
  { name: 'pgsql_banner', lines: ['option pgsql-check user postgres'], script: answerAfter(23, 'Not a PostgreSQL response') },
  { name: 'pgsql_slow', lines: ['option pgsql-check user postgres'], script: {} },
  { name: 'redis_ok', lines: ['option redis-check'], script: answerAfter(14, '+PONG\r\n') },
  { name: 'redis_error', lines: ['option redis-check'], script: answerAfter(14, '-Error message\r\n', { end: true }) },
  { name: 'redis_error_open', lines: ['option redis-check'], script: answerAfter(14, '-LOADING\r\n') },
  { name: 'redis_closed', lines: ['option redis-check'], script: { closeAfter: 0 } },
  { name: 'smtp_ok', lines: ['option smtpchk'], script: smtp('220 smtp-check SMTP Server\r\n', '250 smtp-check\r\n', '221 smtp-check closing\r\n') },
  { name: 'smtp_ehlo', lines: ['option smtpchk EHLO domain.tld'], script: smtp('220 x\r\n', '250-x\r\n250-KEYWORD\r\n250 LAST\r\n', '221 bye\r\n') },
  { name: 'smtp_banner', lines: ['option smtpchk'], script: { greet: "I'm not a SMTP server\r\n" } },
  { name: 'smtp_421', lines: ['option smtpchk'], script: { greet: '421 Try again later\r\n' } },
  { name: 'smtp_512', lines: ['option smtpchk EHLO domain.tld'], script: smtp('220 x\r\n', '512 DNS error\r\n', '', true) },
  { name: 'smtp_quit', lines: ['option smtpchk'], script: smtp('220 x\r\n', '250 hi\r\n', '500 no quit\r\n') },
  { name: 'smtp_cut', lines: ['option smtpchk'], script: { greet: '220 x\r\n', onData: (_g, s) => s.end() } },
  { name: 'spop_ok', lines: ['option spop-check'], script: answerAfter(82, SPOP_HELLO) },
  { name: 'spop_empty', lines: ['option spop-check'], script: answerAfter(82, hex('00000000')) },
  { name: 'spop_frag', lines: ['option spop-check'], script: answerAfter(82, hex('00000007 65 00000000 0000')) },
  { name: 'spop_version', lines: ['option spop-check'], script: answerAfter(82, hex('00000014 65 00000001 0000 0776657273696F6E 0803312E30')) },
  { name: 'spop_disconnect', lines: ['option spop-check'], script: answerAfter(82, hex('00000007 66 00000001 0000')) },
  { name: 'ssl_alert', lines: ['option ssl-hello-chk'], script: answerAfter(10, hex('150300000202 28'), { end: true }), request: false },
  { name: 'ssl_closed', lines: ['option ssl-hello-chk'], script: answerAfter(10, '', { end: true }), request: false },
  { name: 'ssl_http', lines: ['option ssl-hello-chk'], script: answerAfter(10, 'HTTP/1.1 400 Bad Request\r\n\r\n', { end: true }), request: false },
  { name: 'http_ok', lines: ['option httpchk'], script: http('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello') },
  { name: 'http_503', lines: ['option httpchk GET /health HTTP/1.1'], script: http('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n') },
  { name: 'http_garbage', lines: ['option httpchk'], script: http("I'm not HTTP\r\n\r\n") },
  { name: 'http_closed', lines: ['option httpchk'], script: { onData: (_g, s) => s.end() } },
  { name: 'http_cut', lines: ['option httpchk'], script: http('HTTP/1.1 200 OK\r\nContent-') },
  {
    name: 'http_expects',
    lines: ['option httpchk', 'http-check send meth GET uri /x ver HTTP/1.1 hdr Host h body abc', 'http-check expect status 200', 'http-check expect comment "no foo" hdr name x-foo'],
    script: http('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'),
  },
  {
    name: 'http_404',
    lines: ['option httpchk', 'http-check disable-on-404'],
    script: http('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'),
  },
  {
    name: 'http_state',
    lines: ['option httpchk', 'http-check send-state', 'http-check send meth GET ver HTTP/1.1'],
    script: http('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
    // Each side's server has its own port.
    request: (t) => t.replace(/port=\d+/, 'port=P'),
  },
];

compareCheckScenarios('protocol health checks compared with haproxy', SCENARIOS);
