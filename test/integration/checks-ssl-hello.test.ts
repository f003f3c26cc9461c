/**
 * option ssl-hello-chk against real sockets: a real TLS server (node:tls with a certificate made
 * by openssl; it refuses the SSLv3 hello with an alert, which passes, as with HAProxy), a
 * scripted handshake answer, a plain server that closes, an HTTP server's answer, a server that
 * never answers; the hello's bytes, the log lines ("Layer6 ...") and `show servers state`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { answerAfter, hex, OP, scriptedPeer, startChecked, STATUS, type CheckedPortier, type ScriptedPeer } from '../helpers/checks.js';
import { tempDir } from '../helpers/process.js';

let tls: TlsServer;
let tlsPort: number;
const peers = new Map<string, ScriptedPeer>();
let checked: CheckedPortier;

before(async () => {
  const dir = tempDir('portier-ssl-');
  const key = join(dir, 'key.pem');
  const crt = join(dir, 'crt.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-subj', '/CN=localhost', '-days', '1'], { stdio: 'ignore' });
  tls = createTlsServer({ key: readFileSync(key), cert: readFileSync(crt) }, (s) => s.end());
  tls.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  tlsPort = (tls.address() as AddressInfo).port;
  peers.set('ssl_handshake', await scriptedPeer(answerAfter(10, hex('1603010005 0200000100'), { end: true })));
  peers.set('ssl_closed', await scriptedPeer(answerAfter(10, '', { end: true })));
  peers.set('ssl_http', await scriptedPeer(answerAfter(10, 'HTTP/1.1 400 Bad Request\r\n\r\n', { end: true })));
  peers.set('ssl_slow', await scriptedPeer({}));
  checked = await startChecked([
    { name: 'ssl_tls', lines: ['option ssl-hello-chk'], port: tlsPort },
    ...[...peers].map(([name, p]) => ({ name, lines: ['option ssl-hello-chk'], port: p.port })),
  ]);
});

after(async () => {
  await checked?.stop();
  for (const p of peers.values()) await p.close();
  await new Promise((r) => tls?.close(r));
});

test('a real TLS server answers (with an alert): Layer6 check passed', async () => {
  assert.match(await checked.logFor('ssl_tls', /Health check/), /Health check for server ssl_tls\/srv succeeded, reason: Layer6 check passed, check duration: \d+ms, status: 1\/1 UP\./);
  const st = await checked.state('ssl_tls');
  assert.deepEqual([st.srv_op_state, st.srv_check_status, st.srv_check_result], [OP.RUNNING, STATUS.L6OK, '3']);
});

test('a handshake record passes too', async () => {
  assert.match(await checked.logFor('ssl_handshake', /Health check/), /succeeded, reason: Layer6 check passed/);
});

test('a close without answer: Layer6 invalid response, "TCPCHK got an empty response at step 2"', async () => {
  assert.match(
    await checked.logFor('ssl_closed', /Health check/),
    /Health check for server ssl_closed\/srv failed, reason: Layer6 invalid response, info: "TCPCHK got an empty response at step 2", check duration: \d+ms, status: 0\/1 DOWN\./,
  );
  const st = await checked.state('ssl_closed');
  assert.deepEqual([st.srv_op_state, st.srv_check_status], [OP.STOPPED, STATUS.L6RSP]);
});

test('an HTTP answer: Layer6 invalid response, no info', async () => {
  assert.match(await checked.logFor('ssl_http', /Health check/), /Health check for server ssl_http\/srv failed, reason: Layer6 invalid response, check duration: \d+ms, status: 0\/1 DOWN\./);
});

test('no answer: Layer6 timeout (the rule\'s tout-status)', async () => {
  assert.match(await checked.logFor('ssl_slow', /Health check/), /Health check for server ssl_slow\/srv failed, reason: Layer6 timeout, check duration: \d+ms, status: 0\/1 DOWN\./);
  const st = await checked.state('ssl_slow');
  assert.equal(st.srv_check_status, STATUS.L6TOUT);
});

test('the SSLv3 CLIENT HELLO: HAProxy\'s bytes, with the current time', async () => {
  await checked.logFor('ssl_handshake', /Health check/);
  const hello = peers.get('ssl_handshake')!.received[0]!;
  assert.equal(hello.length, 126);
  assert.equal(hello.subarray(0, 11).toString('hex'), '16030000790100007503 00'.replace(/ /g, ''));
  const sent = hello.readUInt32BE(11);
  assert.ok(Math.abs(sent - Date.now() / 1000) < 60, `time ${sent}`);
  assert.equal(hello.subarray(15, 43).toString('latin1'), 'HAPROXYSSLCHK\nHAPROXYSSLCHK\n');
  assert.equal(
    hello.subarray(43).toString('hex'),
    '00004e000100020003000400050006000700080009000a000b000c000d000e000f0010001100120013001400150016001700180019001a001b002f0030003100320033003400350036003700380039003a0100',
  );
});
