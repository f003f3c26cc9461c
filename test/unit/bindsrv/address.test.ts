/** The address grammar (configuration.txt 11) against what HAProxy 2.6 answers, case by case. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIND_ADDRESS, DISPATCH_ADDRESS, LOG_ADDRESS, parseAddress, SERVER_ADDRESS, splitAddressList, validHostname } from '../../../src/config/address.js';

function ok(text: string, rules = BIND_ADDRESS): Record<string, unknown> {
  const r = parseAddress(text, rules);
  assert.ok('address' in r, `${text}: ${'error' in r ? r.error : ''}`);
  return r.address as unknown as Record<string, unknown>;
}

function err(text: string, rules = BIND_ADDRESS): string {
  const r = parseAddress(text, rules);
  assert.ok('error' in r, `${text} should fail`);
  return r.error;
}

test('bind: ports are mandatory, single or ranges, read with atoi()', () => {
  assert.deepEqual([ok(':80').ip, ok(':80').port], ['0.0.0.0', 80]);
  assert.equal(ok('*:80').ip, '0.0.0.0');
  assert.equal(ok('127.0.0.1:65535').port, 65535);
  // atoi() stops at the first non-digit; a value beyond 32 bits wraps.
  assert.equal(ok(':80x').port, 80);
  assert.equal(ok(':4294967376').port, 80);
  assert.equal(err(':99999999999999999999'), "invalid port '99999999999999999999'");
  assert.deepEqual([ok(':80-81').port, ok(':80-81').portHigh], [80, 81]);
  assert.equal(err('127.0.0.1'), "missing port specification in '127.0.0.1'");
  assert.equal(err('127.0.0.1:'), "missing port specification in '127.0.0.1:'");
  assert.equal(err('*'), "missing port specification in '*'");
  assert.equal(err(':x80'), "invalid character 'x' in port number 'x80' in ':x80'");
  assert.equal(err(':0'), "invalid port '0'");
  assert.equal(err(':65536'), "invalid port '65536'");
  assert.equal(err(':81-80'), "invalid port range '81-80'");
  assert.equal(err(':80-'), "invalid port ''");
  assert.equal(err(':80-x'), "invalid port 'x'");
  assert.equal(err(':+80'), "port offset not permitted here in ':+80'");
  assert.equal(err(''), "'' resolves to an empty address (environment variable missing?)");
});

test('IPv6: the last colon separates the port; brackets make it explicit', () => {
  assert.equal(ok(':::80').ip, '::');
  assert.equal(ok('[::1]:80').ip, '::1');
  assert.equal(ok('[1.2.3.4]:80').ip, '1.2.3.4');
  assert.equal(ok('ipv6@:80').ip, '::');
  assert.equal(ok('::1', SERVER_ADDRESS).hostname, ':');
  assert.equal(ok('[::1]', SERVER_ADDRESS).ip, '::1');
  assert.equal(err('[::1]'), "missing port specification in '[::1]'");
  assert.equal(err('[::]80'), "missing port specification in '[::]80'");
  // Not literal addresses: names to resolve (which then fail).
  assert.equal(ok('::80').hostname, ':');
  assert.equal(ok('[::1').hostname, '[:');
  assert.equal(ok('fe80::1%eth0:80').hostname, 'fe80::1%eth0');
  assert.equal(ok('ipv6@127.0.0.1:80').hostname, '127.0.0.1');
  assert.equal(ok('127.1:80').hostname, '127.1');
});

test('prefixes set the family and the socket type; a later one wins', () => {
  assert.equal(ok('tcp6@:80').family, 'ipv6');
  assert.equal(ok('dgram+tcp@:80').socket, 'stream');
  assert.equal(err('udp@:80'), "dgram-type address not acceptable in 'udp@:80'");
  assert.equal(err('stream+udp@:80'), "dgram-type address not acceptable in 'stream+udp@:80'");
  assert.equal(err('uxdg@/tmp/a'), "dgram-type address not acceptable in 'uxdg@/tmp/a'");
  assert.equal(err('dgram+/tmp/x'), "dgram-type address not acceptable in 'dgram+/tmp/x'");
  // The port is read before the socket type is checked.
  assert.equal(err('udp@:x'), "invalid character 'x' in port number 'x' in 'udp@:x'");
  assert.equal(
    err('quic4@:80'),
    "unsupported stream protocol for datagram family 2 address 'quic4@:80'; QUIC is not compiled in if this is what you were looking for.",
  );
  assert.equal(err('quic6@:80'), "unsupported stream protocol for datagram family 10 address 'quic6@:80'; QUIC is not compiled in if this is what you were looking for.");
  // Unknown or upper-case prefixes are part of the host name.
  assert.equal(ok('foo@:80').hostname, 'foo@');
  assert.equal(ok('STREAM+:80').hostname, 'STREAM+');
});

test('unix sockets: path length limited to what sun_path holds after ".<pid>.tmp"', () => {
  assert.equal(ok('/tmp/a').family, 'unix');
  assert.equal(ok('unix@').path, '');
  assert.equal(ok('abns@foo').family, 'abns');
  const p97 = '/tmp/' + 'a'.repeat(92);
  assert.equal(ok(p97).path, p97);
  assert.equal(err(p97 + 'a'), `socket path '${p97}a' too long (max 97)`);
  assert.equal(err('unix@' + 'a'.repeat(98)), `socket path 'unix@${'a'.repeat(98)}' too long (max 97)`);
  assert.ok(ok('abns@' + 'a'.repeat(107)));
  assert.equal(err('abns@' + 'a'.repeat(108)), `socket path 'abns@${'a'.repeat(108)}' too long (max 107)`);
  // A unix-bind prefix leaves less room.
  assert.equal(err(p97, { ...BIND_ADDRESS, unixPrefix: '/tmp/xx' }), `socket path '${p97}' too long (max 90)`);
  // Servers have no prefix, but the same margin.
  assert.equal(err(p97 + 'a', SERVER_ADDRESS), `socket path '${p97}a' too long (max 97)`);
});

test('fd@ and sockpair@: an integer, a socket for listeners', () => {
  assert.equal(err('fd@x'), "file descriptor 'x' is not a valid integer in 'fd@x'");
  assert.equal(err('fd@'), "file descriptor '' is not a valid integer in 'fd@'");
  assert.equal(err('fd@-1'), "file descriptor '-1' is not a valid integer in 'fd@-1'");
  assert.equal(err('fd@999'), "cannot use file descriptor '999' : Bad file descriptor.");
  assert.equal(err('fd@+999'), "cannot use file descriptor '999' : Bad file descriptor.");
  assert.equal(err('sockpair@x', SERVER_ADDRESS), "file descriptor 'x' is not a valid integer in 'sockpair@x'");
  assert.equal(err('fd@3', SERVER_ADDRESS), "a file descriptor is not acceptable here in 'fd@3'");
  // Log targets take the number as it is (fd@1 is stdout).
  assert.equal(ok('fd@1', LOG_ADDRESS).fd, 1);
});

test('server and dispatch addresses: optional port, offsets for servers only', () => {
  assert.equal(ok('127.0.0.1', SERVER_ADDRESS).mapPorts, true);
  assert.equal(ok('127.0.0.1:0', SERVER_ADDRESS).port, 0);
  assert.equal(ok('127.0.0.1:+10', SERVER_ADDRESS).portOffset, 10);
  assert.equal(ok('127.0.0.1:-10', SERVER_ADDRESS).portOffset, -10);
  // atoi() of the offset: no check at all.
  assert.equal(ok('127.0.0.1:+x', SERVER_ADDRESS).portOffset, 0);
  assert.equal(err('127.0.0.1:80-90', SERVER_ADDRESS), "port range not permitted here in '127.0.0.1:80-90'");
  assert.equal(err('127.0.0.1:65536', SERVER_ADDRESS), "invalid port '65536'");
  assert.equal(ok('1.2.3.4:80,1.2.3.5:80', SERVER_ADDRESS).hostname, '1.2.3.4:80,1.2.3.5');
  assert.equal(err('1.2.3.4', DISPATCH_ADDRESS), "missing port specification in '1.2.3.4'");
  assert.equal(err('1.2.3.4:+1', DISPATCH_ADDRESS), "port offset not permitted here in '1.2.3.4:+1'");
  assert.equal(ok('/tmp/x', DISPATCH_ADDRESS).family, 'unix');
});

test('address lists and host names', () => {
  assert.deepEqual(splitAddressList(':80,:81'), [':80', ':81']);
  assert.deepEqual(splitAddressList(':80,'), [':80']);
  assert.deepEqual(splitAddressList(',:80'), ['', ':80']);
  assert.equal(validHostname('my-host_1.example.com'), true);
  assert.equal(validHostname('a,b'), false);
  assert.equal(validHostname('fe80:'), false);
  assert.equal(validHostname('a'.repeat(64)), false);
});
