/** Pattern parsers of the match methods (acl/patterns.ts, acl/ip.ts), checked against haproxy 2.6.12. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOperator, parseBinPattern, parseDottedPattern, parseIntPattern } from '../../../src/acl/patterns.js';
import { parseIpPattern } from '../../../src/acl/ip.js';

const range = (r: ReturnType<typeof parseIntPattern>) => ('error' in r ? r.error : r.pattern.type === 'range' ? [r.pattern.min, r.pattern.max] : r.pattern.type);

test('integer ranges', () => {
  assert.deepEqual(range(parseIntPattern('80')), [80, 80]);
  assert.deepEqual(range(parseIntPattern('80:90')), [80, 90]);
  assert.deepEqual(range(parseIntPattern(':90')), [undefined, 90]);
  assert.deepEqual(range(parseIntPattern('80:')), [80, undefined]);
  assert.deepEqual(range(parseIntPattern('-5')), [undefined, 5]);
  assert.deepEqual(range(parseIntPattern('5-7')), [5, 7]);
  assert.deepEqual(range(parseIntPattern('0:-0')), [0, 0]);
  assert.equal(range(parseIntPattern('90:80')), "'90:80' is not a valid number range");
  assert.equal(range(parseIntPattern(':')), "':' is not a valid number range");
  assert.equal(range(parseIntPattern('+5')), "'+5' is not a number");
  assert.equal(range(parseIntPattern('9223372036854775808')), "'9223372036854775808' is not a number");
  assert.equal(range(parseIntPattern('5:-')), "'5:-' is not a valid number range");
});

test('operators rewrite values into ranges, as HAProxy does', () => {
  assert.deepEqual(applyOperator('gt', '5', false), { text: '6:' });
  assert.deepEqual(applyOperator('lt', '5', false), { text: ':4' });
  assert.deepEqual(applyOperator('ge', '3.7', false), { text: '3:' });
  assert.deepEqual(applyOperator('gt', '5:7', false), { text: '5:7' });
  assert.deepEqual(applyOperator('gt', '9223372036854775807', false), { text: '-9223372036854775808:' });
  assert.deepEqual(applyOperator('gt', '5x', false), { error: "'5x' is neither a number nor a supported operator" });
  assert.deepEqual(applyOperator('lt', '0.0', true), { text: ':-1.65535' });
  assert.deepEqual(applyOperator('gt', '3.65536', true), { error: "'3.65536' contains too large a minor value" });
});

test('dotted versions', () => {
  assert.deepEqual(range(parseDottedPattern('3.1')), [0x30001, 0x30001]);
  assert.deepEqual(range(parseDottedPattern('3')), [0x30000, 0x30000]);
  assert.equal(range(parseDottedPattern('3.')), "'3.' is not a dotted number");
  assert.equal(range(parseDottedPattern('3.2:3.1')), "'3.2:3.1' is not a valid dotted number range");
});

test('binary patterns', () => {
  assert.deepEqual(parseBinPattern('0A'), { pattern: { type: 'bin', text: '0A', hex: '0a' } });
  assert.deepEqual(parseBinPattern('0a0'), { error: 'an even number of hex digit is expected' });
});

test('IP patterns', () => {
  const ip = (t: string, dns = false) => {
    const r = parseIpPattern(t, dns);
    return 'error' in r ? r.error : 'resolve' in r ? `resolve ${r.resolve.host} ${r.resolve.mask}` : r.pattern;
  };
  assert.deepEqual(ip('10.0.0.0/8'), { type: 'ipv4', text: '10.0.0.0/8', addr: '10.0.0.0', mask: '255.0.0.0' });
  assert.deepEqual(ip('1.2.3.4/255.0.255.0'), { type: 'ipv4', text: '1.2.3.4/255.0.255.0', addr: '1.2.3.4', mask: '255.0.255.0' });
  assert.deepEqual(ip('fe80::/10'), { type: 'ipv6', text: 'fe80::/10', addr: 'fe80::', prefix: 10 });
  assert.deepEqual(ip('::ffff:1.2.3.4'), { type: 'ipv6', text: '::ffff:1.2.3.4', addr: '::ffff:1.2.3.4', prefix: 128 });
  for (const t of ['1.2.3.4/33', '1.2.3.4/', '256.0.0.0', '::1/129', 'fe80::1%eth0', '127.1', '010.0.0.1', 'localhost'])
    assert.equal(ip(t), `'${t}' is not a valid IPv4 or IPv6 address`, t);
  // Without -n, digit-and-dot forms are inet_aton numbers and names are resolved later.
  assert.deepEqual((parseIpPattern('127.1', true) as { pattern: { addr: string } }).pattern.addr, '127.0.0.1');
  assert.deepEqual((parseIpPattern('010.0.0.1', true) as { pattern: { addr: string } }).pattern.addr, '8.0.0.1');
  assert.equal(ip('localhost/8', true), 'resolve localhost 255.0.0.0');
  assert.equal(ip('08', true), "'08' is not a valid IPv4 or IPv6 address");
});
