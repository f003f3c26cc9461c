/**
 * Which header a server connection starts with (configuration.txt 5.2 send-proxy*,
 * proxy-v2-options, check-send-proxy; 3.1 pp2-never-send-local), with fixtures captured from
 * haproxy 2.6.12.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyServerPpOption, checkSendsProxy, makeProxyLine, serverPpBits, SRV_PP } from '../../../src/net/proxy-protocol.js';
import { SIG } from './helpers.js';

const src = { address: '127.0.0.1', port: 33402 };
const dst = { address: '127.0.0.1', port: 40713 };

test('server options to HAProxy\'s pp_opts bits', () => {
  assert.equal(serverPpBits({}), 0);
  assert.equal(serverPpBits({ 'send-proxy': true }), SRV_PP.V1);
  assert.equal(serverPpBits({ 'send-proxy-v2': true }), SRV_PP.V2);
  assert.equal(serverPpBits({ 'send-proxy-v2-ssl': true }), SRV_PP.V2 | SRV_PP.V2_SSL);
  assert.equal(serverPpBits({ 'send-proxy-v2-ssl-cn': true }), SRV_PP.V2 | SRV_PP.V2_SSL | SRV_PP.V2_SSL_CN);
  assert.equal(
    serverPpBits({ 'proxy-v2-options': ['ssl', 'cert-cn', 'cert-key', 'cert-sig', 'ssl-cipher', 'authority', 'crc32c', 'unique-id'] }),
    0x3fc,
  );
  // no- forms clear what the positive form set, in order; no-send-proxy-v2-ssl clears V2 too.
  assert.equal(serverPpBits({ 'send-proxy-v2-ssl': false }), 0);
  assert.equal(serverPpBits({ 'send-proxy-v2': true, 'send-proxy-v2-ssl': false }), 0);
  assert.equal(serverPpBits({ 'send-proxy-v2-ssl-cn': true, 'send-proxy-v2-ssl': false }), SRV_PP.V2_SSL_CN);
  assert.equal(serverPpBits({ 'send-proxy': true, 'send-proxy-v2': false }), SRV_PP.V1);
  // Options that are not about the PROXY protocol are ignored; a recorded pp-opts wins.
  assert.equal(serverPpBits({ 'weight': 10, 'check': true, 'send-proxy': true }), SRV_PP.V1);
  assert.equal(serverPpBits({ 'pp-opts': 0x102, 'send-proxy': true }), 0x102);
  // proxy-v2-options adds to the bits already set (default-server's included).
  assert.equal(applyServerPpOption(SRV_PP.V2_CRC32C, 'proxy-v2-options', ['authority']), SRV_PP.V2_CRC32C | SRV_PP.V2_AUTHORITY);
});

test('v1 or v2 by the bits; any bit without V2 sends a v1 line (observed: proxy-v2-options crc32c alone)', () => {
  assert.equal(makeProxyLine(0, { src, dst }), undefined);
  assert.equal(makeProxyLine(SRV_PP.V1, { src, dst })!.toString('latin1'), 'PROXY TCP4 127.0.0.1 127.0.0.1 33402 40713\r\n');
  assert.equal(makeProxyLine(SRV_PP.V2_CRC32C, { src, dst })!.toString('latin1'), 'PROXY TCP4 127.0.0.1 127.0.0.1 33402 40713\r\n');
  // send-proxy and send-proxy-v2 together: v2.
  assert.equal(makeProxyLine(SRV_PP.V1 | SRV_PP.V2, { src, dst })!.toString('hex'), SIG + '2111000c7f0000017f000001827a9f09');
});

test('stream connections: TLVs as HAProxy decides them', () => {
  const bits = serverPpBits({ 'send-proxy-v2': true, 'proxy-v2-options': ['crc32c', 'authority', 'unique-id', 'ssl'] });
  // Plain client, no unique-id-format (captured from haproxy).
  const plain = makeProxyLine(bits, { src: { address: '127.0.0.1', port: 58786 }, dst: { address: '127.0.0.1', port: 38707 } })!;
  assert.equal(plain.toString('hex'), SIG + '2111001e7f0000017f000001e5a29733' + '0300044b442950' + '050000' + '2000050000000000');
  // Authority: the one received in the client's PROXY header first, else the client's SNI; none without the option.
  const tls = { version: 'TLSv1.3', sni: 'sni.example', alpn: 'h2', cipher: 'TLS_AES_128_GCM_SHA256', cn: 'client', certSession: true, certConnection: true, verify: 0 };
  const auth = (b: number, ctx: object): string | undefined => {
    const line = makeProxyLine(b, { src, dst, ...ctx })!;
    for (let o = 28; o < line.length; o += 3 + line.readUInt16BE(o + 1)) if (line[o] === 0x02) return line.subarray(o + 3, o + 3 + line.readUInt16BE(o + 1)).toString();
    return undefined;
  };
  assert.equal(auth(SRV_PP.V2 | SRV_PP.V2_AUTHORITY, { tls }), 'sni.example');
  assert.equal(auth(SRV_PP.V2 | SRV_PP.V2_AUTHORITY, { tls, receivedAuthority: 'pp.example' }), 'pp.example');
  assert.equal(auth(SRV_PP.V2 | SRV_PP.V2_AUTHORITY, {}), undefined);
  assert.equal(auth(SRV_PP.V2, { tls }), undefined);
  // ALPN whenever the client negotiated one, with or without options.
  assert.equal(makeProxyLine(SRV_PP.V2, { src, dst, tls })!.subarray(28).toString('hex'), '010002' + Buffer.from('h2').toString('hex'));
  // SSL TLV: CN and cipher only with their options.
  const ssl = makeProxyLine(SRV_PP.V2 | SRV_PP.V2_SSL, { src, dst, tls: { ...tls, alpn: undefined } })!;
  assert.equal(ssl.subarray(28).toString('hex'), '20000f' + '0700000000' + '210007' + Buffer.from('TLSv1.3').toString('hex'));
  const cn = makeProxyLine(SRV_PP.V2 | SRV_PP.V2_SSL | SRV_PP.V2_SSL_CN | SRV_PP.V2_SSL_CIPHER, { src, dst, tls: { ...tls, alpn: undefined } })!;
  assert.match(cn.toString('latin1'), /client.*TLS_AES_128_GCM_SHA256$/s);
  // Unique id: the stream's (may be empty).
  assert.equal(makeProxyLine(SRV_PP.V2 | SRV_PP.V2_UNIQUE_ID, { src, dst, uniqueId: 'abc' })!.subarray(28).toString('latin1'), '\x05\x00\x03abc');
  // A header that does not fit tune.bufsize: none (HAProxy fails the connection).
  assert.equal(makeProxyLine(SRV_PP.V2 | SRV_PP.V2_UNIQUE_ID, { src, dst, uniqueId: 'x'.repeat(100), bufSize: 64 }), undefined);
});

test('health checks: v1 with the check connection\'s addresses, v2 LOCAL unless pp2-never-send-local', () => {
  const check = { check: true, src: { address: '127.0.0.1', port: 44076 }, dst: { address: '127.0.0.1', port: 38009 } };
  assert.equal(makeProxyLine(SRV_PP.V1, check)!.toString('latin1'), 'PROXY TCP4 127.0.0.1 127.0.0.1 44076 38009\r\n');
  assert.equal(makeProxyLine(SRV_PP.V2, check)!.toString('hex'), SIG + '20000000');
  // Captured: send-proxy-v2 proxy-v2-options crc32c,ssl,unique-id,authority on a check: no unique id.
  const bits = serverPpBits({ 'send-proxy-v2': true, 'proxy-v2-options': ['crc32c', 'ssl', 'unique-id', 'authority'] });
  assert.equal(makeProxyLine(bits, check)!.toString('hex'), SIG + '2000000f' + '030004889da1df' + '2000050000000000');
  assert.equal(makeProxyLine(SRV_PP.V2, { ...check, neverSendLocal: true })!.toString('hex'), SIG + '2111000c7f0000017f000001' + 'ac2c' + '9479');
});

test('which health checks send a header', () => {
  assert.equal(checkSendsProxy({}), false);
  assert.equal(checkSendsProxy({ 'check-send-proxy': true }), true);
  assert.equal(checkSendsProxy({ 'send-proxy': true }), true);
  assert.equal(checkSendsProxy({ 'send-proxy-v2': true, 'port': 8080 }), false);
  assert.equal(checkSendsProxy({ 'send-proxy-v2': true, 'addr': { family: 'ipv4' } }), false);
  assert.equal(checkSendsProxy({ 'send-proxy-v2': true, 'port': 8080, 'check-send-proxy': true }), true);
});
