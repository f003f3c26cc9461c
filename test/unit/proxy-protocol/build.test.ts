/**
 * The bytes HAProxy 2.6.12 sends: fixtures captured from haproxy (`server ... send-proxy*`
 * toward a raw listener; test/compat/proxy-protocol.test.ts captures them live) and the rules of
 * make_proxy_line_v1/v2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProxyV1, buildProxyV2, crc32c, parseProxyHeader } from '../../../src/net/proxy-protocol.js';
import { SIG } from './helpers.js';

const ep = (address: string, port: number, family?: string) => ({ address, port, ...(family ? { family } : {}) });

test('v1: TCP4, TCP6, mixed families, UNKNOWN', () => {
  assert.equal(buildProxyV1(ep('127.0.0.1', 33402), ep('127.0.0.1', 40713)).toString('latin1'), 'PROXY TCP4 127.0.0.1 127.0.0.1 33402 40713\r\n');
  assert.equal(buildProxyV1(ep('2001:DB8:0::1', 1), ep('::1', 65535)).toString('latin1'), 'PROXY TCP6 2001:db8::1 ::1 1 65535\r\n');
  // One IPv4 end with an IPv6 one: TCP6, the IPv4 address mapped.
  assert.equal(buildProxyV1(ep('10.0.0.1', 1), ep('::1', 2)).toString('latin1'), 'PROXY TCP6 ::ffff:10.0.0.1 ::1 1 2\r\n');
  // Node's family names, and its IPv4-mapped form from a dual-stack listener, kept as they are.
  assert.equal(buildProxyV1(ep('::ffff:127.0.0.1', 5, 'IPv6'), ep('::ffff:127.0.0.1', 6, 'IPv6')).toString('latin1'), 'PROXY TCP6 ::ffff:127.0.0.1 ::ffff:127.0.0.1 5 6\r\n');
  // A zone id is not part of the binary address.
  assert.equal(buildProxyV1(ep('fe80::1%eth0', 1), ep('fe80::2', 2)).toString('latin1'), 'PROXY TCP6 fe80::1 fe80::2 1 2\r\n');
  // Not IP endpoints: a unix socket client, a missing address, an unknown family.
  assert.equal(buildProxyV1(undefined, ep('1.2.3.4', 80)).toString('latin1'), 'PROXY UNKNOWN\r\n');
  assert.equal(buildProxyV1({ family: 'unix', address: '/tmp/s' }, ep('1.2.3.4', 80)).toString('latin1'), 'PROXY UNKNOWN\r\n');
  assert.equal(buildProxyV1(ep('1.2.3.4', 1), {}).toString('latin1'), 'PROXY UNKNOWN\r\n');
  assert.equal(buildProxyV1(ep('not an address', 1), ep('1.2.3.4', 2)).toString('latin1'), 'PROXY UNKNOWN\r\n');
  // Whatever the builder writes, the parser reads back.
  for (const [s, d] of [[ep('1.2.3.4', 0), ep('5.6.7.8', 65535)], [ep('::ffff:1.2.3.4', 1), ep('2001:db8::ff', 2)]] as const) {
    const r = parseProxyHeader(buildProxyV1(s, d));
    assert.ok('header' in r);
  }
});

test('v2: TCP4 as haproxy sends it (send-proxy-v2)', () => {
  const b = buildProxyV2({ src: ep('127.0.0.1', 53330), dst: ep('127.0.0.1', 42181) });
  assert.equal(b.toString('hex'), SIG + '2111000c7f0000017f000001d052a4c5');
});

test('v2: TCP6, and mixed families mapped', () => {
  const b = buildProxyV2({ src: ep('2001:db8::1', 1000), dst: ep('10.0.0.1', 2000) });
  assert.equal(b.toString('hex'), SIG + '21210024' + '20010db8000000000000000000000001' + '00000000000000000000ffff0a000001' + '03e8' + '07d0');
});

test('v2: LOCAL (health checks, non-IP ends)', () => {
  assert.equal(buildProxyV2({ local: true, src: ep('1.2.3.4', 1), dst: ep('1.2.3.4', 2) }).toString('hex'), SIG + '20000000');
  assert.equal(buildProxyV2({ src: { family: 'unix' }, dst: ep('1.2.3.4', 2) }).toString('hex'), SIG + '20000000');
  assert.equal(buildProxyV2({}).toString('hex'), SIG + '20000000');
});

test('v2: TLVs in HAProxy\'s order, the CRC32C computed last over the whole header', () => {
  // haproxy with `send-proxy-v2 proxy-v2-options crc32c,authority,unique-id,ssl`, a plain TCP
  // client and no unique-id-format: CRC32C, an empty UNIQUE_ID, an SSL TLV saying "no TLS".
  const b = buildProxyV2({ src: ep('127.0.0.1', 58786), dst: ep('127.0.0.1', 38707), crc32c: true, uniqueId: '', ssl: { ssl: false } });
  assert.equal(b.toString('hex'), SIG + '2111001e7f0000017f000001e5a29733' + '0300044b442950' + '050000' + '2000050000000000');
  // Every TLV: CRC32C, ALPN, AUTHORITY, UNIQUE_ID, SSL (VERSION, CN, KEY_ALG, SIG_ALG, CIPHER), NETNS.
  const all = buildProxyV2({
    src: ep('1.2.3.4', 1), dst: ep('5.6.7.8', 2), crc32c: true, alpn: 'h2', authority: 'example.com', uniqueId: 'id1', netns: 'blue',
    ssl: { ssl: true, version: 'TLSv1.3', certSession: true, certConnection: true, verify: 0, cn: 'me', keyAlg: 'RSA2048', sigAlg: 'RSA-SHA256', cipher: 'TLS_AES_128_GCM_SHA256' },
  });
  const types: number[] = [];
  for (let o = 28; o < all.length; o += 3 + all.readUInt16BE(o + 1)) types.push(all[o]!);
  assert.deepEqual(types, [0x03, 0x01, 0x02, 0x05, 0x20, 0x30]);
  assert.equal(all.readUInt16BE(14), all.length - 16);
  const crc = all.readUInt32BE(31);
  const z = Buffer.from(all);
  z.writeUInt32BE(0, 31);
  assert.equal(crc32c(z), crc);
  const r = parseProxyHeader(all);
  assert.ok('header' in r);
  assert.equal(r.header.alpn, 'h2');
  assert.equal(r.header.authority, 'example.com');
  assert.equal(r.header.uniqueId, 'id1');
  assert.equal(r.header.netns, 'blue');
  assert.deepEqual(r.header.ssl?.tlvs.map((t) => t.type), [0x21, 0x22, 0x25, 0x24, 0x23]);
  assert.equal(r.header.ssl?.client, 0x07);
  assert.equal(r.header.ssl?.cn, 'me');
});

test('v2: the SSL TLV (send-proxy-v2-ssl, send-proxy-v2-ssl-cn)', () => {
  const ssl = (o: Parameters<typeof buildProxyV2>[0]['ssl']): string => buildProxyV2({ local: true, ssl: o }).subarray(16).toString('hex');
  // Plain client: client 0, verify 0, nothing else (captured from haproxy, send-proxy-v2-ssl-cn).
  assert.equal(ssl({ ssl: false, version: 'TLSv1.3', cn: 'x' }), '2000050000000000');
  // TLS without a client certificate: PP2_CLIENT_SSL and the version.
  assert.equal(ssl({ ssl: true, version: 'TLSv1.2', verify: 5 }), '20000f' + '0100000000' + '210007' + Buffer.from('TLSv1.2').toString('hex'));
  // A certificate in the session but not on this connection (resumed): CERT_SESS, the verify result.
  assert.equal(ssl({ ssl: true, certSession: true, verify: 20 }), '200005' + '0500000014');
  // CERT_CONN only with CERT_SESS.
  assert.equal(ssl({ ssl: true, certConnection: true }), '200005' + '0100000000');
  assert.equal(ssl({ ssl: true, certSession: true, certConnection: true, cn: 'c' }), '200009' + '0700000000' + '22000163');
});

test('v2: values as bytes (latin1 strings or Buffers)', () => {
  const b = buildProxyV2({ local: true, authority: Buffer.from([0xc3, 0xa9]), uniqueId: '\u00e9' });
  assert.equal(b.subarray(16).toString('hex'), '020002c3a9' + '050001e9');
});
