/**
 * option httpchk pieces: the request as haproxy 2.6 writes it (captured from its checks), the
 * response parser, and http-check expect's verdicts and info texts on recorded responses.
 */
import { testCheckEnv } from '../../helpers/check-env.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckExpectRule, CheckHeaderPattern, CheckHttpSendRule } from '../../../src/config/model/check.js';
import { compileHttpExpect } from '../../../src/checks/expect-http.js';
import { parseHttpCheckResponse } from '../../../src/checks/http-response.js';
import { httpRequest } from '../../../src/checks/protocols/http.js';
import { parseStatusCodes } from '../../../src/config/sections/proxy/checks-rules.js';

const text = (t: string) => ({ text: t, parts: [{ kind: 'text' as const, value: t }] });
function send(f: Partial<Omit<CheckHttpSendRule, 'headers'>> & { headers?: [string, string][] } = {}): CheckHttpSendRule {
  const { headers = [], ...rest } = f;
  return { action: 'send', type: 'http', index: 0, headers: headers.map(([name, v]) => ({ name, value: text(v) })), ...rest };
}
const request = (r: CheckHttpSendRule, closeMode = false, serverState?: () => string): string => {
  const d = httpRequest(r, { closeMode, serverState });
  return (typeof d === 'function' ? d(testCheckEnv()) : d).toString('latin1');
};

test('requests as haproxy writes them', () => {
  assert.equal(request(send()), 'OPTIONS / HTTP/1.0\r\n\r\n');
  assert.equal(request(send({ method: 'GET', uri: '/test', version: 'HTTP/1.1' })), 'GET /test HTTP/1.1\r\nconnection: close\r\n\r\n');
  assert.equal(
    request(send({ method: 'GET', uri: '/status', version: 'HTTP/1.1', headers: [['Host', 'my-www-host'], ['X-test', 'true']], body: 'test' })),
    'GET /status HTTP/1.1\r\nhost: my-www-host\r\nx-test: true\r\ncontent-length: 4\r\nconnection: close\r\n\r\ntest',
  );
  assert.equal(
    request(send({ method: 'POST', uri: '/x', version: 'HTTP/1.1' }), false, () => 'UP; address=127.0.0.1'),
    'POST /x HTTP/1.1\r\nx-haproxy-server-state: UP; address=127.0.0.1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
  );
  // Upgrade token: the connection header stays, none is added.
  assert.equal(
    request(send({ method: 'GET', uri: '/', version: 'HTTP/1.1', headers: [['host', 'ws-host'], ['connection', 'upgrade'], ['upgrade', 'raw-proto']] })),
    'GET / HTTP/1.1\r\nhost: ws-host\r\nconnection: upgrade\r\nupgrade: raw-proto\r\n\r\n',
  );
  assert.equal(request(send({ method: 'HEAD', uri: '/h', headers: [['Host', 'foo']], body: 'abc' })), 'HEAD /h HTTP/1.0\r\nhost: foo\r\ncontent-length: 3\r\n\r\nabc');
  // "get" is not GET; "http/1.1" is written HTTP/1.1.
  assert.equal(request(send({ method: 'get', uri: '/lower', version: 'http/1.1', headers: [['Foo-Bar', 'a b']] })), 'get /lower HTTP/1.1\r\nfoo-bar: a b\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
});

test('requests: connection tokens, keep-alive, te, versions', () => {
  assert.equal(request(send({ method: 'GET', uri: '/ka11', version: 'HTTP/1.1', headers: [['Connection', 'keep-alive']] })), 'GET /ka11 HTTP/1.1\r\n\r\n');
  assert.equal(request(send({ method: 'GET', uri: '/ka10', version: 'HTTP/1.0', headers: [['Connection', 'keep-alive']] })), 'GET /ka10 HTTP/1.0\r\nconnection: keep-alive\r\n\r\n');
  assert.equal(request(send({ method: 'GET', uri: '/cl10', version: 'HTTP/1.0', headers: [['Connection', 'close, foo']] })), 'GET /cl10 HTTP/1.0\r\nconnection: foo\r\n\r\n');
  assert.equal(
    request(send({ method: 'GET', uri: '/cl11', version: 'HTTP/1.1', headers: [['Connection', 'Close, Foo'], ['TE', 'gzip, trailers'], ['Upgrade', 'x']] })),
    'GET /cl11 HTTP/1.1\r\nconnection: Foo\r\nte: trailers\r\nupgrade: x\r\nconnection: close\r\n\r\n',
  );
  assert.equal(request(send({ method: 'GET', uri: '/v2', version: 'HTTP/2', bodyFormat: text('abc') })), 'GET /v2 HTTP/1.1\r\ncontent-length: 3\r\n\r\nabc');
  assert.equal(request(send({ method: 'PUT', uriFormat: text('/lf'), version: 'HTTP/0.9' })), 'PUT /lf HTTP/0.9\r\ncontent-length: 0\r\n\r\n');
  assert.equal(request(send({ method: 'DELETE', uri: '/te', version: 'HTTP/1.1', headers: [['TE', 'gzip']] })), 'DELETE /te HTTP/1.1\r\nconnection: close\r\n\r\n');
  // option http-server-close / httpclose: close unless keep-alive is asked.
  assert.equal(request(send({ method: 'GET', uri: '/', version: 'HTTP/1.1', headers: [['Connection', 'foo']] }), true), 'GET / HTTP/1.1\r\nconnection: foo\r\nconnection: close\r\n\r\n');
  assert.equal(request(send({ method: 'GET', uri: '/', version: 'HTTP/1.0', headers: [['Connection', 'foo']] })), 'GET / HTTP/1.0\r\nconnection: foo\r\nconnection: keep-alive\r\n\r\n');
});

test('response parser: status line, headers, bodies, errors', () => {
  const p = (t: string, eof = false, bodyless = false) => parseHttpCheckResponse(Buffer.from(t, 'latin1'), eof, bodyless);
  const r = p('HTTP/1.1 503 Service Unavailable\r\nX-Foo: bar, baz\r\nContent-Length: 3\r\n\r\nbad');
  assert.equal(r.kind, 'response');
  if (r.kind === 'response') {
    assert.deepEqual([r.status, r.reason, r.complete, r.body.toString()], [503, 'Service Unavailable', true, 'bad']);
    assert.deepEqual(r.headers, [['x-foo', 'bar, baz'], ['content-length', '3']]);
  }
  assert.equal(p('HTTP/1.1 200 OK\r\nContent-').kind, 'incomplete');
  assert.equal(p('HTTP/1.1 200 OK\r\nContent-', true).kind, 'error');
  assert.equal(p('HTTP/1.1 20').kind, 'incomplete');
  assert.equal(p("I'm not HTTP\r\n\r\n").kind, 'error');
  assert.equal(p("I'm").kind, 'error');
  assert.equal(p('HTTP/1.1 200 OK\r\nBad Header\r\n\r\n').kind, 'error');
  assert.equal(p('http/1.1 200 OK\r\n\r\n').kind, 'error');
  assert.equal(p('HTTP/1.1 2000 OK\r\n\r\n', true).kind, 'response');
  const lf = p('HTTP/1.1 200 OK\nContent-Length: 2\n\nok');
  assert.ok(lf.kind === 'response' && lf.complete && lf.body.toString() === 'ok');
  const noReason = p('HTTP/1.1 302\r\nLocation: /x\r\n\r\n');
  assert.ok(noReason.kind === 'response' && noReason.reason === '' && noReason.status === 302);
  const chunked = p('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
  assert.ok(chunked.kind === 'response' && chunked.complete && chunked.body.toString() === 'hello');
  const toClose = p('HTTP/1.0 200 OK\r\n\r\nsome body');
  assert.ok(toClose.kind === 'response' && !toClose.complete);
  const closed = p('HTTP/1.0 200 OK\r\n\r\nsome body', true);
  assert.ok(closed.kind === 'response' && closed.complete);
  const head = p('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', false, true);
  assert.ok(head.kind === 'response' && head.complete);
});

function expect(f: Partial<CheckExpectRule> & Pick<CheckExpectRule, 'match'>): CheckExpectRule {
  return { action: 'expect', protocol: 'http', inverse: false, minRecv: -1, index: 1, ...f };
}
const judge = (rule: CheckExpectRule, t: string, eof = false, pass404?: () => boolean) => compileHttpExpect(rule, { pass404 })(Buffer.from(t, 'latin1'), eof, 2, testCheckEnv());
const R503 = 'HTTP/1.1 503 Service Unavailable\r\nX-Foo: bar, baz\r\nContent-Length: 3\r\n\r\nbad';
const R200 = 'HTTP/1.1 200 OK\r\nX-Foo: bar, baz\r\nContent-Length: 5\r\n\r\nhello';

test('expect status / rstatus: the reason phrase as info, the code', () => {
  const codes = (parseStatusCodes('200-399') as { codes: [number, number][] }).codes;
  const implicit = expect({ match: 'status', codes });
  assert.deepEqual(judge({ ...implicit, codes }, R200), { kind: 'next', code: 200 });
  assert.deepEqual(judge({ ...implicit, codes }, R503), { kind: 'fail', outcome: { status: 'L7STS', desc: 'Service Unavailable', code: 503 } });
  assert.deepEqual(judge({ ...implicit, codes, comment: 'my comment' }, R503), { kind: 'fail', outcome: { status: 'L7STS', desc: 'Service Unavailable comment: my comment', code: 503 } });
  assert.deepEqual(judge({ ...implicit, codes, errorStatus: 'L7RSP' }, R503), { kind: 'fail', outcome: { status: 'L7RSP', desc: 'Service Unavailable', code: 503 } });
  assert.deepEqual(judge({ ...implicit, codes, inverse: true }, R503), { kind: 'next', code: 503 });
  assert.deepEqual(judge(expect({ match: 'rstatus', pattern: '^5' }), R503), { kind: 'next', code: 503 });
  assert.deepEqual(judge({ ...implicit, codes, onError: text('down') }, R503), { kind: 'fail', outcome: { status: 'L7STS', desc: 'down', code: 503 } });
  // Waits for the headers; a parse error or a close before them is an invalid response.
  assert.deepEqual(judge({ ...implicit, codes }, 'HTTP/1.1 200 OK\r\n'), { kind: 'wait' });
  assert.deepEqual(judge({ ...implicit, codes }, '', true), { kind: 'fail', outcome: { status: 'L7RSP', desc: '', code: 0 } });
  assert.deepEqual(judge({ ...implicit, codes, comment: 'c' }, 'garbage\r\n\r\n'), { kind: 'fail', outcome: { status: 'L7RSP', desc: ' comment: c', code: 0 } });
  // disable-on-404: a 404 passes while the server is not down.
  const notFound = 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n';
  assert.deepEqual(judge({ ...implicit, codes }, notFound, false, () => true), { kind: 'next', code: 404 });
  assert.deepEqual(judge({ ...implicit, codes }, notFound, false, () => false), { kind: 'fail', outcome: { status: 'L7STS', desc: 'Not Found', code: 404 } });
});

test('expect string / rstring: body matching, waiting, texts', () => {
  assert.deepEqual(judge(expect({ match: 'string', pattern: 'hello' }), R200), { kind: 'next', code: 200 });
  assert.deepEqual(judge(expect({ match: 'string', pattern: 'nothere' }), R200), {
    kind: 'fail',
    outcome: { status: 'L7RSP', desc: 'HTTP content check did not match', code: 200 },
  });
  assert.deepEqual(judge(expect({ match: 'string', pattern: 'hello', inverse: true }), R200), {
    kind: 'fail',
    outcome: { status: 'L7RSP', desc: 'HTTP check matched unwanted content', code: 200 },
  });
  assert.deepEqual(judge(expect({ match: 'string', pattern: 'x' }), 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), {
    kind: 'fail',
    outcome: { status: 'L7RSP', desc: 'HTTP content check could not find a response body', code: 200 },
  });
  const partial = 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel';
  assert.deepEqual(judge(expect({ match: 'string', pattern: '5' }), partial), { kind: 'wait' });
  assert.deepEqual(judge(expect({ match: 'string', pattern: 'zz', minRecv: 3 }), partial), {
    kind: 'fail',
    outcome: { status: 'L7RSP', desc: 'HTTP content check did not match', code: 200 },
  });
  assert.deepEqual(judge(expect({ match: 'string', pattern: 'x' }), 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'), { kind: 'wait' });
  assert.deepEqual(judge(expect({ match: 'rstring', pattern: '^ba.$' }), R503), { kind: 'next', code: 503 });
});

test('expect hdr / fhdr: names case-insensitive, values one by one (hdr) or whole (fhdr)', () => {
  const hdr = (full: boolean, name: CheckHeaderPattern, value?: CheckHeaderPattern) => expect({ match: full ? 'fhdr' : 'hdr', header: { full, name, value } });
  assert.deepEqual(judge(hdr(false, { method: 'str', pattern: 'x-foo' }, { method: 'str', pattern: 'baz' }), R503), { kind: 'next', code: 503 });
  assert.deepEqual(judge(hdr(true, { method: 'str', pattern: 'x-foo' }, { method: 'str', pattern: 'baz' }), R503), {
    kind: 'fail',
    outcome: { status: 'L7STS', desc: 'Service Unavailable', code: 503 },
  });
  assert.deepEqual(judge(hdr(true, { method: 'beg', pattern: 'X-F' }, { method: 'sub', pattern: 'bar, b' }), R503), { kind: 'next', code: 503 });
  assert.deepEqual(judge(hdr(false, { method: 'reg', pattern: '^X-' }, { method: 'reg', pattern: '^ba.$' }), R503), { kind: 'next', code: 503 });
  assert.deepEqual(judge(hdr(false, { method: 'end', pattern: '-FOO' }), R503), { kind: 'next', code: 503 });
  assert.deepEqual(judge(hdr(false, { method: 'str', pattern: 'x-none' }), R503), { kind: 'fail', outcome: { status: 'L7STS', desc: 'Service Unavailable', code: 503 } });
});
