/** Address text as HAProxy 2.6 reads and writes it in PROXY v1 lines (proxy-protocol-inet.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inetNtop6, inetPton4, inetPton6, ipv4FromNumber, readLenientIpv4, readPort } from '../../../src/net/proxy-protocol-inet.js';

const v4 = (s: string): { addr: string; rest: string } => {
  const b = Buffer.from(s, 'latin1');
  const r = readLenientIpv4(b, 0, b.length);
  return { addr: ipv4FromNumber(r.value), rest: s.slice(r.next) };
};

test('TCP4 addresses: HAProxy\'s lenient reader (inetaddr_host_lim_ret)', () => {
  assert.deepEqual(v4('1.2.3.4 x'), { addr: '1.2.3.4', rest: ' x' });
  // Missing parts are zero, empty parts too, leading zeros are fine.
  assert.equal(v4('1.2.3').addr, '1.2.3.0');
  assert.equal(v4('1..3.4').addr, '1.0.3.4');
  assert.equal(v4(' ').addr, '0.0.0.0');
  assert.equal(v4('01.02.03.04').addr, '1.2.3.4');
  // Only the last three digits of a part count; a part above 255 carries into the byte before.
  assert.equal(v4('1234.2.3.4').addr, '234.2.3.4');
  assert.equal(v4('256.6.7.8').addr, '0.6.7.8');
  assert.equal(v4('0.256.0.1').addr, '1.0.0.1');
  assert.equal(v4('999.999.999.999').addr, ipv4FromNumber((((999 * 2 ** 24) + 999 * 2 ** 16 + 999 * 256 + 999) % 2 ** 32)));
  // It stops after the fourth part, or at the first byte that is neither a digit nor a dot.
  assert.deepEqual(v4('1.2.3.4.5'), { addr: '1.2.3.4', rest: '.5' });
  assert.deepEqual(v4('1.2x'), { addr: '1.2.0.0', rest: 'x' });
  // It never reads past its limit.
  const b = Buffer.from('1.2.3.4', 'latin1');
  assert.deepEqual(readLenientIpv4(b, 0, 3), { value: 0x01020000, next: 3 });
});

test('ports: digits, modulo 65536 (read_uint then htons)', () => {
  const p = (s: string): [number, number] => {
    const b = Buffer.from(s, 'latin1');
    const r = readPort(b, 0, b.length);
    return [r.value, r.next];
  };
  assert.deepEqual(p('80 '), [80, 2]);
  assert.deepEqual(p(''), [0, 0]);
  assert.deepEqual(p('x'), [0, 0]);
  assert.deepEqual(p('70000'), [4464, 5]);
  assert.deepEqual(p('99999'), [34463, 5]);
  assert.deepEqual(p('65536'), [0, 5]);
  assert.deepEqual(p('4294967376'), [80, 10]);
});

test('inet_pton(AF_INET): glibc rules', () => {
  assert.deepEqual([...inetPton4('1.2.3.4')!], [1, 2, 3, 4]);
  assert.deepEqual([...inetPton4('0.0.0.0')!], [0, 0, 0, 0]);
  for (const bad of ['01.2.3.4', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.', '.1.2.3', '1..2.3', '', ' 1.2.3.4', '1.2.3.4 ']) {
    assert.equal(inetPton4(bad), undefined, bad);
  }
});

test('inet_pton(AF_INET6): glibc rules', () => {
  const hex = (s: string): string | undefined => {
    const b = inetPton6(s);
    return b ? Buffer.from(b).toString('hex') : undefined;
  };
  assert.equal(hex('::'), '0'.repeat(32));
  assert.equal(hex('::1'), '0'.repeat(30) + '01');
  assert.equal(hex('1::'), '0001' + '0'.repeat(28));
  assert.equal(hex('2001:DB8::a:B'), '20010db8' + '0'.repeat(16) + '000a000b');
  assert.equal(hex('1:2:3:4:5:6:7:8'), '00010002000300040005000600070008');
  assert.equal(hex('1:2:3:4:5:6:7::'), '00010002000300040005000600070000');
  assert.equal(hex('::2:3:4:5:6:7:8'), '00000002000300040005000600070008');
  assert.equal(hex('::ffff:1.2.3.4'), '00000000000000000000ffff01020304');
  assert.equal(hex('1:2:3:4:5:6:1.2.3.4'), '00010002000300040005000601020304');
  assert.equal(hex('0001:02:3::'), '000100020003' + '0'.repeat(20));
  for (const bad of [
    '', ':', ':1', '1:', ':::', '1:::2', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8', '::g', 'fe80::1%eth0', '::ffff:1.2.3', '::ffff:01.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '1.2.3.4', ' ::1',
  ]) {
    assert.equal(hex(bad), undefined, bad);
  }
});

test('inet_ntop(AF_INET6): the form HAProxy (and Node) write', () => {
  const n = (s: string): string => inetNtop6(inetPton6(s)!);
  assert.equal(n('::'), '::');
  assert.equal(n('::1'), '::1');
  assert.equal(n('1::'), '1::');
  assert.equal(n('2001:0DB8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  // A single zero group is not compressed; the first of two equal runs is.
  assert.equal(n('1:0:2:3:4:5:6:7'), '1:0:2:3:4:5:6:7');
  assert.equal(n('1:0:0:2:0:0:3:4'), '1::2:0:0:3:4');
  assert.equal(n('1:0:0:2:0:0:0:4'), '1:0:0:2::4');
  // IPv4-mapped and IPv4-compatible addresses keep a dotted tail; ::1 and ::2 do not.
  assert.equal(n('::ffff:1.2.3.4'), '::ffff:1.2.3.4');
  assert.equal(n('::1.2.3.4'), '::1.2.3.4');
  assert.equal(n('::0.0.0.2'), '::2');
  assert.equal(n('::fffe:1.2.3.4'), '::fffe:102:304');
  assert.equal(n('0:0:0:0:1:ffff:1.2.3.4'), '::1:ffff:102:304');
});
