/** tcp-check comment / connect / send* / expect / set-var (configuration.txt 4.2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLines, said } from './load.js';

async function withTcpCheck(...lines: string[]): Promise<string[]> {
  return said(await checkLines(['option tcp-check', ...lines], { mode: 'tcp' }));
}

test('unknown tcp-check member', async () => {
  assert.deepEqual(await withTcpCheck('tcp-check foo'), [
    "alert: parsing [t.cfg:8] : 'tcp-check' only supports 'comment', 'connect', 'send', 'send-binary', 'expect', 'set-var-fmt(*)', 'set-var(*)', 'unset-var(*)'. but got 'foo'",
  ]);
});

test('tcp-check send, send-lf, send-binary, send-binary-lf', async () => {
  assert.deepEqual(await withTcpCheck('tcp-check send PING\\r\\n comment ping', 'tcp-check send-binary 50494e47', 'tcp-check send-lf %[src]'), []);
  const cases: [string, string][] = [
    ['tcp-check send', "'tcp-check send' : 'string' expects a send as argument."],
    ['tcp-check send-binary', "'tcp-check send-binary' : 'binary string' expects a send-binary as argument."],
    ['tcp-check send x y', "'tcp-check send' : expects 'comment' but got 'y' as argument.."],
    ['tcp-check send x comment', "'tcp-check send' : 'comment' expects a string as argument.."],
    ['tcp-check send-binary 0g', "'tcp-check send-binary' : '0g' invalid binary string (an hex digit is expected (found 'g')).\n."],
    ['tcp-check send-binary 123', "'tcp-check send-binary' : '123' invalid binary string (an even number of hex digit is expected).\n."],
  ];
  for (const [line, msg] of cases) assert.deepEqual(await withTcpCheck(line), [`alert: parsing [t.cfg:8] : ${msg}`], line);
});

test('tcp-check send-binary keeps the bytes as lower-case hex', async () => {
  const r = await checkLines(['option tcp-check', 'tcp-check send-binary 50494E47'], { mode: 'tcp' });
  const send = r.model.proxies[0]!.healthCheck!.rules!.find((x) => x.action === 'send');
  assert.deepEqual(send?.action === 'send' && send.type === 'binary' ? send.data : undefined, '50494e47');
});

test('tcp-check expect: options, negation, patterns', async () => {
  assert.deepEqual(await withTcpCheck('tcp-check expect min-recv 5 comment c ok-status l7ok error-status L7OKC tout-status L4TOUT ! string +OK'), []);
  assert.deepEqual(await withTcpCheck('tcp-check expect !! rbinary ^30'), []);
  const cases: [string, string][] = [
    ['tcp-check expect string', "'tcp-check expect' : 'string' expects a <pattern> as argument."],
    ['tcp-check expect string x y', "'tcp-check expect' : 'only supports min-recv, '[!]binary', '[!]string', '[!]rstring', '[!]string-lf''[!]rbinary', '[!]binary-lf' or comment but got 'y' as argument.."],
    ['tcp-check expect string x string y', "'tcp-check expect' : only on pattern expected."],
    ['tcp-check expect min-recv -2 string a', "'tcp-check expect' : 'min-recv' expects -1 or an integer from 0 to INT_MAX."],
    ['tcp-check expect ! min-recv 1 string a', "'tcp-check expect' : [!] not supported with 'min-recv'."],
    ['tcp-check expect ! custom', "'tcp-check expect' : [!] not supported with 'custom'."],
    ['tcp-check expect status 200', "'tcp-check expect' : 'only supports min-recv, '[!]binary', '[!]string', '[!]rstring', '[!]string-lf''[!]rbinary', '[!]binary-lf' or comment but got 'status' as argument.."],
    ['tcp-check expect binary 123', "'tcp-check expect' : invalid binary string (an even number of hex digit is expected)."],
    ['tcp-check expect ok-status foo string x', "'tcp-check expect' : 'ok-status' only supports 'L4OK', 'L6OK', 'L7OK' or 'L7OKC' status (got 'foo').."],
    ['tcp-check expect tout-status foo string x', "'tcp-check expect' : 'tout-status' only supports 'L4TOUT', 'L6TOUT' or 'L7TOUT' status (got 'foo').."],
    ['tcp-check expect min-recv 5', "'tcp-check expect' : pattern not found."],
    ['tcp-check expect !', "'tcp-check expect' : 'only supports min-recv, '[!]binary', '[!]string', '[!]rstring', '[!]string-lf''[!]rbinary', '[!]binary-lf' or comment but got '' as argument.."],
  ];
  for (const [line, msg] of cases) assert.deepEqual(await withTcpCheck(line), [`alert: parsing [t.cfg:8] : ${msg}`], line);
});

test('tcp-check connect: port range, proto of the TCP kind', async () => {
  const cases: [string, string][] = [
    ['tcp-check connect port', "'tcp-check connect' : 'port' expects a port number or a sample expression as argument.."],
    ['tcp-check connect port 65536', "'tcp-check connect' : expects a valid TCP port (from range 1 to 65535) or a sample expression, got 65536.."],
    ['tcp-check connect proto h2', "'tcp-check connect' : 'proto' : invalid MUX protocol 'h2' for tcp-check."],
    ['tcp-check connect addr 1.2.3.4:80-90', "'tcp-check connect' : 'addr' : port range not permitted here in '1.2.3.4:80-90'.."],
    ['tcp-check connect addr fd@3', "'tcp-check connect' : 'addr' : a file descriptor is not acceptable here in 'fd@3'\n.."],
  ];
  for (const [line, msg] of cases) assert.deepEqual(await withTcpCheck(line), [`alert: parsing [t.cfg:8] : ${msg}`], line);
  const r = await checkLines(['option tcp-check', 'tcp-check connect port 110 linger ssl sni mail alpn h2,http/1.1'], { mode: 'tcp' });
  const c = r.model.proxies[0]!.healthCheck!.rules![0]!;
  assert.equal(c.action, 'connect');
  if (c.action === 'connect') {
    assert.equal(c.port, 110);
    assert.equal(c.ssl, true);
    assert.deepEqual(c.alpn, ['h2', 'http/1.1']);
    assert.equal(c.implicit, undefined);
  }
});

test('tcp-check comment: a string is required', async () => {
  assert.deepEqual(await withTcpCheck('tcp-check comment'), ["alert: parsing [t.cfg:8] : 'tcp-check comment' : expects a string as argument."]);
});

test('tcp-check in a frontend: warning, then HAProxy prints an empty "(null)" warning', async () => {
  const r = await checkLines(['tcp-check connect'], { section: 'frontend f\n  bind :8080' });
  assert.equal(r.ok, true);
  assert.deepEqual(said(r), [
    "warning: parsing [t.cfg:8] : 'tcp-check' ignored because frontend 'f' has no backend capability.",
    'warning: parsing [t.cfg:8] : (null)',
    "warning: frontend 'f' uses tcp-check rules without 'option tcp-check', so the rules are ignored.",
  ]);
});
