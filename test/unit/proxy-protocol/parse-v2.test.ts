/**
 * PROXY protocol v2 headers, accepted and refused as HAProxy 2.6.12 does (each case observed on
 * haproxy with `bind ... accept-proxy`; test/compat/proxy-protocol.test.ts replays them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, parseProxyHeader, PP2_TYPE } from '../../../src/net/proxy-protocol.js';
import { accept, addrs, IP4, IP6, need, refuse, SIG, tlv, v2 } from './helpers.js';

test('v2 PROXY TCP4 and TCP6: addresses and length', () => {
  const r = accept(Buffer.concat([v2(0x21, 0x11, IP4), Buffer.from('DATA')]));
  assert.equal(r.length, 28);
  assert.deepEqual(r.header, {
    version: 2,
    command: 'PROXY',
    protocol: 'TCP4',
    src: { family: 'ipv4', address: '1.2.3.4', port: 1000 },
    dst: { family: 'ipv4', address: '5.6.7.8', port: 2000 },
    tlvs: [],
  });
  const r6 = accept(v2(0x21, 0x21, IP6));
  assert.equal(r6.length, 52);
  assert.equal(r6.header.protocol, 'TCP6');
  assert.equal(addrs(r6.header), '2001:db8::1:1000 2001:db8::2:2000');
  const mapped = accept(v2(0x21, 0x21, '00000000000000000000ffff7f000001' + '00'.repeat(15) + '01' + '0001' + 'ffff'));
  assert.equal(addrs(mapped.header), '::ffff:127.0.0.1:1 ::1:65535');
});

test('v2 LOCAL: accepted whatever the family and the body, the connection keeps its addresses', () => {
  assert.deepEqual(accept(v2(0x20, 0x00, '')).header, { version: 2, command: 'LOCAL', protocol: 'UNSPEC', tlvs: [] });
  assert.equal(accept(v2(0x20, 0x11, IP4)).header.src, undefined);
  const garbage = accept(v2(0x20, 0x00, 'ffffff'));
  assert.equal(garbage.length, 19);
  assert.deepEqual(garbage.header.tlvs, []);
  // Even a checksum that does not match: HAProxy does not look at LOCAL TLVs.
  assert.equal(accept(v2(0x20, 0x11, IP4 + tlv(3, '00000000'))).header.command, 'LOCAL');
});

test('v2 PROXY with a family other than TCP4/TCP6: refused (HAProxy walks the TLVs from the signature)', () => {
  for (const [fam, body] of [
    [0x12, IP4],
    [0x22, IP6],
    [0x31, '00'.repeat(216)],
    [0x32, '00'.repeat(216)],
    [0x00, ''],
    [0x10, IP4],
    [0x44, IP4],
  ] as const) {
    assert.equal(refuse(v2(0x21, fam, body)).code, 'PRX_BAD_HDR', fam.toString(16));
  }
  // ... unless the walk happens to end on the header's end: then it is accepted without
  // addresses (observed on haproxy). The signature reads as a TLV of 0x0a0d bytes.
  const odd = accept(v2(0x21, 0x00, '00'.repeat(2576 - 16) + tlv(4, ''), 2563));
  assert.equal(odd.length, 2579);
  assert.equal(odd.header.command, 'PROXY');
  assert.equal(odd.header.protocol, 'UNSPEC');
  assert.equal(odd.header.src, undefined);
});

test('v2: version, command, address block', () => {
  const e = refuse(v2(0x11, 0x11, IP4));
  assert.equal(e.code, 'PRX_NOT_HDR');
  assert.equal(refuse(v2(0x31, 0x11, IP4)).code, 'PRX_NOT_HDR');
  assert.equal(refuse(v2(0x22, 0x11, IP4)).code, 'PRX_BAD_HDR');
  assert.equal(refuse(v2(0x2f, 0x11, IP4)).code, 'PRX_BAD_HDR');
  assert.equal(refuse(v2(0x21, 0x11, IP4.slice(0, 16))).code, 'PRX_BAD_HDR');
  assert.equal(refuse(v2(0x21, 0x21, IP4)).code, 'PRX_BAD_HDR');
  // A wrong signature byte.
  assert.equal(refuse(Buffer.from(SIG.slice(0, 22) + '0b' + '2111000c' + IP4, 'hex')).code, 'PRX_NOT_HDR');
});

test('v2: TLVs in order, with the ones HAProxy uses decoded', () => {
  const body = IP4 + tlv(1, '6832') + tlv(2, Buffer.from('example.com').toString('hex')) + tlv(4, 'aabb') + tlv(5, '414243') + tlv(0x30, '6e73') + tlv(0xe0, '');
  const r = accept(v2(0x21, 0x11, body));
  assert.equal(r.header.alpn, 'h2');
  assert.equal(r.header.authority, 'example.com');
  assert.equal(r.header.uniqueId, 'ABC');
  assert.equal(r.header.netns, 'ns');
  assert.deepEqual(r.header.tlvs.map((t) => [t.type, t.value.toString('hex')]), [
    [1, '6832'], [2, Buffer.from('example.com').toString('hex')], [4, 'aabb'], [5, '414243'], [0x30, '6e73'], [0xe0, ''],
  ]);
});

test('v2: the SSL TLV and its sub-TLVs decoded; a malformed one is ignored as HAProxy does', () => {
  const subs = tlv(PP2_TYPE.SSL_VERSION, Buffer.from('TLSv1.3').toString('hex')) + tlv(PP2_TYPE.SSL_CN, Buffer.from('client').toString('hex')) +
    tlv(PP2_TYPE.SSL_CIPHER, Buffer.from('TLS_AES_256_GCM_SHA384').toString('hex')) + tlv(PP2_TYPE.SSL_SIG_ALG, Buffer.from('RSA-SHA256').toString('hex')) +
    tlv(PP2_TYPE.SSL_KEY_ALG, Buffer.from('RSA2048').toString('hex'));
  const r = accept(v2(0x21, 0x11, IP4 + tlv(0x20, '07' + '00000000' + subs)));
  assert.deepEqual({ ...r.header.ssl, tlvs: r.header.ssl?.tlvs.length }, {
    client: 7, verify: 0, tlvs: 5, version: 'TLSv1.3', cn: 'client', cipher: 'TLS_AES_256_GCM_SHA384', sigAlg: 'RSA-SHA256', keyAlg: 'RSA2048',
  });
  const bad = accept(v2(0x21, 0x11, IP4 + tlv(0x20, '01')));
  assert.equal(bad.header.ssl, undefined);
  assert.equal(bad.header.tlvs[0]!.type, 0x20);
  assert.equal(accept(v2(0x21, 0x11, IP4 + tlv(0x20, '0100000001' + '2100'))).header.ssl, undefined);
  assert.equal(accept(v2(0x21, 0x11, IP4 + tlv(0x20, '0100000001'))).header.ssl?.verify, 1);
});

test('v2: malformed TLVs (the error names the source HAProxy had already taken)', () => {
  for (const body of [
    IP4 + '0400',
    IP4 + '040005aabb',
    IP4 + '04',
    IP4 + tlv(4, '') + '01',
    IP4 + tlv(3, '000000'),
    IP4 + tlv(3, '0000000000'),
    IP4 + tlv(3, '00000000'),
    IP4 + tlv(2, '61'.repeat(256)),
    IP4 + tlv(5, '61'.repeat(129)),
  ]) {
    const e = refuse(v2(0x21, 0x11, body));
    assert.equal(e.code, 'PRX_BAD_HDR', body);
    assert.deepEqual(e.src, { family: 'ipv4', address: '1.2.3.4', port: 1000 });
    assert.deepEqual(e.dst, { family: 'ipv4', address: '5.6.7.8', port: 2000 });
  }
  assert.equal(refuse(v2(0x21, 0x21, IP6 + '04')).src?.address, '2001:db8::1');
  // At the limits: accepted.
  assert.equal(accept(v2(0x21, 0x11, IP4 + tlv(2, '61'.repeat(255)))).header.authority?.length, 255);
  assert.equal(accept(v2(0x21, 0x11, IP4 + tlv(5, '61'.repeat(128)))).header.uniqueId?.length, 128);
});

test('v2: CRC32C verified over the whole header with the field zeroed', () => {
  const withCrc = (extra = ''): Buffer => {
    const h = v2(0x21, 0x11, IP4 + tlv(3, '00000000') + extra);
    h.writeUInt32BE(crc32c(h), 31);
    return h;
  };
  const r = accept(withCrc(tlv(4, 'abcd')));
  assert.equal(r.header.crc32c, r.header.tlvs[0]!.value.readUInt32BE(0));
  assert.notEqual(r.header.crc32c, 0);
  // One bit changed anywhere: refused.
  const h = withCrc(tlv(4, 'abcd'));
  h[h.length - 1] ^= 1;
  assert.equal(refuse(h).code, 'PRX_BAD_HDR');
  const h2 = withCrc();
  h2[17] ^= 1;
  assert.equal(refuse(h2).code, 'PRX_BAD_HDR');
  // Two checksums: HAProxy checks the second with the first already zeroed.
  const two = v2(0x21, 0x11, IP4 + tlv(3, '00000000') + tlv(3, '00000000'));
  const c2 = crc32c(two); // both fields zero
  two.writeUInt32BE(c2, 38);
  const c1 = crc32c(two); // first zero, second set
  two.writeUInt32BE(c1, 31);
  assert.deepEqual(accept(two).header.tlvs.map((t) => t.value.readUInt32BE(0)), [c1, c2]);
});

test('v2: incomplete headers ask for more; too long for tune.bufsize is truncated', () => {
  const full = v2(0x21, 0x11, IP4 + tlv(4, '00'.repeat(10)));
  for (let i = 0; i < full.length; i++) assert.ok(need(full.subarray(0, i)) >= 1, String(i));
  assert.equal(need(full.subarray(0, 16)), full.length - 16);
  assert.equal(need(full.subarray(0, 10)), 6);
  // The length field says more than what came.
  assert.equal(need(v2(0x21, 0x11, IP4, 20)), 8);
  const huge = v2(0x21, 0x11, IP4 + tlv(4, '00'.repeat(16400)));
  const e = parseProxyHeader(huge);
  assert.ok('code' in e && e.code === 'PRX_TRUNCATED');
  assert.ok('header' in parseProxyHeader(huge, { maxLength: 65536 + 16 }));
  // The signature is checked only once 16 bytes are there, as HAProxy does.
  assert.equal(need(Buffer.from('0d0a0d0aff', 'hex')), 1);
  assert.equal(need(Buffer.from('0d0a0d0aff00', 'hex')), 10);
});

test('v2: TLV values are copies (the caller\'s buffer can be reused)', () => {
  const h = v2(0x21, 0x11, IP4 + tlv(4, 'aabb'));
  const r = accept(h);
  h.fill(0);
  assert.equal(r.header.tlvs[0]!.value.toString('hex'), 'aabb');
});
