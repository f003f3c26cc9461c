/**
 * PROXY protocol v1 lines, accepted and refused as HAProxy 2.6.12 does (each case observed on
 * haproxy with `bind ... accept-proxy`; test/compat/proxy-protocol.test.ts replays them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProxyHeader, PROXY_ERROR_MESSAGES } from '../../../src/net/proxy-protocol.js';
import { accept, addrs, latin1, need, refuse } from './helpers.js';

test('v1 TCP4: addresses, length, the bytes after the header are not part of it', () => {
  const line = 'PROXY TCP4 192.168.0.1 10.0.0.2 56324 443\r\n';
  const r = accept(line + 'GET / HTTP/1.0\r\n');
  assert.equal(r.length, line.length);
  assert.deepEqual(r.header, {
    version: 1,
    command: 'PROXY',
    protocol: 'TCP4',
    src: { family: 'ipv4', address: '192.168.0.1', port: 56324 },
    dst: { family: 'ipv4', address: '10.0.0.2', port: 443 },
    tlvs: [],
  });
});

test('v1 TCP4: what HAProxy reads leniently', () => {
  assert.equal(addrs(accept('PROXY TCP4 1.2.3 5.6.7.8 1000 2000\r\n').header), '1.2.3.0:1000 5.6.7.8:2000');
  assert.equal(addrs(accept('PROXY TCP4 1234.2.3.4 256.6.7.8 1000 2000\r\n').header), '234.2.3.4:1000 0.6.7.8:2000');
  assert.equal(addrs(accept('PROXY TCP4 0.256.0.1 5.6.7.8 70000 2000\r\n').header), '1.0.0.1:4464 5.6.7.8:2000');
  assert.equal(addrs(accept('PROXY TCP4  5.6.7.8  2000\r\n').header), '0.0.0.0:0 5.6.7.8:2000');
  assert.equal(addrs(accept('PROXY TCP4 01.02.03.04 5.6.7.8 1000 2000\r\n').header), '1.2.3.4:1000 5.6.7.8:2000');
  // No 107-byte limit.
  const long = `PROXY TCP4 ${'0'.repeat(200)}1.2.3.4 5.6.7.8 1 2\r\n`;
  assert.equal(accept(long).length, long.length);
});

test('v1 TCP4: malformed lines', () => {
  for (const bad of [
    'PROXY TCP4 1.2.3.4 5.6.7.8 1000 2000 3000\r\n',
    'PROXY TCP4 1.2.3.4 5.6.7.8 1000 2000\nDATA',
    'PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r',
    'PROXY TCP4 1.2.3.4.5 5.6.7.8 1000 2000\r\n',
    'PROXY TCP4 1.2.3.4DATA',
    'PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n',
    'PROXY TCP4 1.2.3.4 5.6.7.8 1x 2\r\n',
    'PROXY TCP4 1.2.3.4 5.6.7.8 1 2x\r\n',
    'PROXY TCP4 ::1 ::1 1 2\r\n',
    'PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n',
  ]) {
    const e = refuse(bad);
    assert.equal(e.code, 'PRX_BAD_HDR', bad);
    assert.equal(e.error, 'Received an invalid PROXY protocol header');
    assert.equal(e.src, undefined);
  }
});

test('v1 TCP6: addresses through inet_pton, written back canonical', () => {
  assert.equal(addrs(accept('PROXY TCP6 ::1 2001:db8::2 1000 2000\r\n').header), '::1:1000 2001:db8::2:2000');
  assert.equal(addrs(accept('PROXY TCP6 ::ffff:1.2.3.4 ::1 1000 2000\r\n').header), '::ffff:1.2.3.4:1000 ::1:2000');
  assert.equal(addrs(accept('PROXY TCP6 2001:DB8:0:0::1 0::1 1 2\r\n').header), '2001:db8::1:1 ::1:2');
  const r = accept('PROXY TCP6 ::1 ::2 1 2\r\nrest');
  assert.equal(r.length, 'PROXY TCP6 ::1 ::2 1 2\r\n'.length);
  assert.equal(r.header.protocol, 'TCP6');
  assert.equal(r.header.src?.family, 'ipv6');
});

test('v1 TCP6: what HAProxy accepts beyond the spec', () => {
  // Fields after the destination port are ignored.
  assert.equal(addrs(accept('PROXY TCP6 ::1 ::1 1 2 junk\r\n').header), '::1:1 ::1:2');
  // An empty port is 0; ports wrap modulo 65536.
  assert.equal(addrs(accept('PROXY TCP6 ::1 ::1  2\r\n').header), '::1:0 ::1:2');
  assert.equal(addrs(accept('PROXY TCP6 ::1 ::1 99999 2\r\n').header), '::1:34463 ::1:2');
  // A NUL ends a field as a space does (HAProxy cuts the line into C strings).
  assert.equal(addrs(accept('PROXY TCP6 ::1\0zz ::2 1\0x 2\r\n').header), '::1:1 ::2:2');
});

test('v1 TCP6: malformed lines', () => {
  for (const bad of [
    'PROXY TCP6 ::1 ::1 1x 2\r\n',
    'PROXY TCP6 ::1 ::1 1 2x\r\n',
    'PROXY TCP6 1.2.3.4 ::1 1 2\r\n',
    'PROXY TCP6 ::1 1.2.3.4 1 2\r\n',
    'PROXY TCP6 ::1 ::1 1\r\n',
    'PROXY TCP6 ::1\r\n',
    'PROXY TCP6 \r\n',
    'PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n',
    'PROXY TCP6 ::1 ::1 1 2\rX',
    'PROXY TCP6  ::1 1 2\r\n',
  ]) {
    assert.equal(refuse(bad).code, 'PRX_BAD_HDR', bad);
  }
});

test('v1 UNKNOWN: exactly "PROXY UNKNOWN\\r\\n", the connection keeps its addresses', () => {
  const r = accept('PROXY UNKNOWN\r\nDATA');
  assert.equal(r.length, 15);
  assert.deepEqual(r.header, { version: 1, command: 'PROXY', protocol: 'UNKNOWN', tlvs: [] });
  // The spec allows addresses after UNKNOWN; HAProxy 2.6 refuses them.
  const e = refuse('PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n');
  assert.equal(e.code, 'PRX_BAD_PROTO');
  assert.equal(e.error, 'Received an unhandled protocol in the PROXY protocol header');
});

test('v1: other protocols, other prefixes', () => {
  assert.equal(refuse('PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n').code, 'PRX_BAD_PROTO');
  assert.equal(refuse('PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n').code, 'PRX_BAD_PROTO');
  assert.equal(refuse('PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n').code, 'PRX_BAD_PROTO');
  const e = refuse('GET / HTTP/1.0\r\n\r\n');
  assert.equal(e.code, 'PRX_NOT_HDR');
  assert.equal(e.error, 'Received something which does not look like a PROXY protocol header');
  assert.equal(refuse('proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n').code, 'PRX_NOT_HDR');
});

test('v1: incomplete lines ask for more bytes (HAProxy, which reads once, calls them truncated)', () => {
  assert.equal(need(''), 6);
  assert.equal(need('PRO'), 3);
  assert.equal(need('PROXY '), 3);
  assert.equal(need('PROXY TC'), 1);
  // Fewer than 16 bytes that are not "PROXY ": HAProxy cannot tell yet whether it is v2.
  assert.equal(need('hello\n'), 10);
  for (const partial of [
    'PROXY TCP',
    'PROXY TCP4',
    'PROXY TCP4 ',
    'PROXY TCP4 1.2.3.4',
    'PROXY TCP4 1.2.3.4 5.6.7.8 1',
    'PROXY TCP4 1.2.3.4 5.6.7.8 1 2',
    'PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r',
    'PROXY TCP6 ::1 ::1 1 2',
    'PROXY TCP6 ::1 ::1 1 2\r',
    'PROXY UNKNOWN\r',
    'PROXY UNKN',
  ]) {
    assert.ok(need(partial) >= 1, partial);
  }
  // Every prefix of a valid line asks for more, and the full line is accepted.
  const line = 'PROXY TCP6 2001:db8::1 2001:db8::2 65535 1\r\n';
  for (let i = 0; i < line.length; i++) assert.ok('need' in parseProxyHeader(latin1(line.slice(0, i))), line.slice(0, i));
  accept(line);
});

test('v1: a line not complete within tune.bufsize bytes is truncated', () => {
  const long = `PROXY TCP6 ::1 ::1 1 2${' '.repeat(100)}\r\n`;
  assert.equal(accept(long).length, long.length);
  const r = parseProxyHeader(latin1(long), { maxLength: 64 });
  assert.ok('code' in r && r.code === 'PRX_TRUNCATED');
  assert.equal((r as { error: string }).error, PROXY_ERROR_MESSAGES.PRX_TRUNCATED);
  // A complete header within the limit is fine whatever follows.
  assert.equal(accept(Buffer.concat([latin1('PROXY UNKNOWN\r\n'), Buffer.alloc(20000)])).length, 15);
  assert.ok('header' in parseProxyHeader(latin1('PROXY UNKNOWN\r\n' + 'x'.repeat(100)), { maxLength: 15 }));
});
