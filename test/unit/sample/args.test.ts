import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeArgSpec, isIPv4, isIPv6, parseArgSpec, readArgList, readInt64 } from '../../../src/sample/args.js';

/** Reads "(…)" with the given spec; returns the raw args or the error with its arg number. */
function read(text: string, spec: string, proxy = 'cur'): string[] | string {
  const r = readArgList(text, 0, parseArgSpec(spec), proxy);
  return 'error' in r ? `#${r.argNumber} ${r.error}` : r.args;
}

test('argument specs read like HAProxy dumps them', () => {
  assert.deepEqual(parseArgSpec('str?,sint?'), { types: ['str', 'sint'], min: 0 });
  assert.equal(describeArgSpec(parseArgSpec('str?,sint?')), '[string,integer]');
  assert.equal(describeArgSpec(parseArgSpec('sint,sint,str?')), 'integer,integer[,string]');
  assert.equal(describeArgSpec(parseArgSpec('msk4,msk6?')), 'IPv4 mask[,IPv6 mask]');
  assert.throws(() => parseArgSpec('str?,sint'));
});

test('second-level quoting: quotes removed, delimiters protected (configuration.txt 2.2)', () => {
  assert.deepEqual(read(`('a,b')`, 'str'), ['a,b']);
  assert.deepEqual(read(`("a)b")`, 'str'), ['a)b']);
  assert.deepEqual(read(`(a'b,c')`, 'str'), ['ab,c']);
  assert.deepEqual(read(`(a"b"c)`, 'str'), ['abc']);
  assert.deepEqual(read(`(' a ')`, 'str'), [' a ']);
  assert.deepEqual(read(`(a(b)`, 'str'), ['a(b']);
});

test('second-level escapes: \\\\, \\ , quotes, \\n \\r \\t; others kept as written', () => {
  assert.deepEqual(read('(a\\\\b)', 'str'), ['a\\b']);
  assert.deepEqual(read('(a\\ b)', 'str'), ['a b']);
  assert.deepEqual(read(`(a\\'b)`, 'str'), [`a'b`]);
  assert.deepEqual(read('(a\\"b)', 'str'), ['a"b']);
  assert.deepEqual(read('(a\\tb\\n)', 'str'), ['a\tb\n']);
  // \#, \$, \xNN are not processed at this level.
  assert.deepEqual(read('(x\\x41\\#\\$)', 'str'), ['x\\x41\\#\\$']);
  assert.deepEqual(read('(a\\b)', 'str'), ['a\\b']);
  // Inside single quotes nothing is processed; inside double quotes escapes are.
  assert.deepEqual(read(`('a\\\\b')`, 'str'), ['a\\\\b']);
  assert.deepEqual(read(`("a\\"b")`, 'str'), ['a"b']);
  assert.deepEqual(read(`("a\\)b")`, 'str'), ['a\\)b']);
  // A backslash does not protect a delimiter: "a\," is "a\" then a new argument.
  assert.equal(read('(a\\,b)', 'str'), `#2 expected ')' before ',b)'`);
});

test('argument list errors and the argument number HAProxy reports', () => {
  assert.equal(read('(1,2)', 'sint'), `#2 expected ')' before ',2)'`);
  assert.equal(read('(1)', ''), `#1 expected ')' before '1)'`);
  assert.equal(read('(24,64,1)', 'msk4,msk6?'), `#2 expected ')' before ',1)'`);
  assert.equal(read('(a,b,i,x)', 'reg,str,str?'), `#3 expected ')' before ',x)'`);
  assert.equal(read('(24', 'msk4,msk6?'), `#2 expected ')'`);
  assert.equal(read('(', ''), `#1 expected ')'`);
  assert.equal(read(`('a)`, 'str'), `#2 expected ')'`);
  assert.equal(read('()', 'sint'), `#1 expected type 'integer' at position 1, but got nothing`);
  assert.equal(read('(,64)', 'msk4,msk6?'), `#1 expected type 'IPv4 mask' at position 1, but got nothing`);
  assert.equal(read('(1,)', 'sint,sint,tab?'), `#2 expected type 'integer' at position 2, but got nothing`);
  assert.equal(read('(a)', 'reg,str,str?'), `#2 missing arguments (got 1/2), type 'string' expected`);
  assert.equal(read('(abc)', 'sint'), `#1 failed to parse 'abc' as type 'integer' at position 1`);
  assert.equal(read('(a\\', 'str'), `#1 failed to parse '\\' after 'a' as type 'string' at position 1`);
  assert.equal(read('(x"y\\', 'str'), `#1 failed to parse '\\' after 'xy' as type 'string' at position 1`);
  // An empty integer ends the list: fine before ')' when optional, not before a comma.
  assert.equal(read('(,s)', 'sint?,str?'), `#1 expected ')' before ',s)'`);
  assert.deepEqual(read('(x,)', 'str?,sint?'), ['x', '']);
  assert.deepEqual(read('(,)', 'str?,sint?'), ['', '']);
});

test('without parentheses: nothing when all optional, else an empty text is read', () => {
  const r = readArgList('fc_rtt', 6, parseArgSpec('str?'), 'f');
  assert.ok(!('error' in r) && r.args.length === 0 && r.end === 6);
  assert.equal(readArgList('int', 3, parseArgSpec('sint'), 'f') && read('', 'sint'), `#1 expected type 'integer' at position 1, but got nothing`);
  assert.equal(read('', 'reg,str'), `#2 missing arguments (got 1/2), type 'string' expected`);
  assert.deepEqual(read('', 'tab'), ['']);
});

test('typed values: integers, addresses, masks, names, servers, field numbers', () => {
  const values = (text: string, spec: string) => {
    const r = readArgList(text, 0, parseArgSpec(spec), 'cur');
    assert.ok(!('error' in r), text);
    return r.values;
  };
  assert.deepEqual(values('(+5)', 'sint'), [{ type: 'sint', value: 5 }]);
  assert.deepEqual(values('(-)', 'sint'), [{ type: 'sint', value: -0 }]);
  assert.deepEqual(values('(24,64)', 'msk4,msk6?'), [
    { type: 'msk4', value: '255.255.255.0', bits: 24 },
    { type: 'msk6', value: '/64', bits: 64 },
  ]);
  assert.deepEqual(values('(255.0.255.0)', 'msk4'), [{ type: 'msk4', value: '255.0.255.0' }]);
  assert.deepEqual(values('()', 'tab'), [{ type: 'tab', value: 'cur', implicit: true }]);
  assert.deepEqual(values('(st)', 'tab'), [{ type: 'tab', value: 'st', implicit: false }]);
  assert.deepEqual(values('(b/s1)', 'srv'), [{ type: 'srv', value: 'b/s1', proxy: 'b', server: 's1' }]);
  assert.deepEqual(values('(1..2)', 'pbuf'), [{ type: 'pbuf', value: [1, 0, 2] }]);
  // After a comma, an empty optional integer still exists with the value 0 (be2hex(:,)).
  assert.deepEqual(values('(:,)', 'str?,sint?,sint?'), [
    { type: 'str', value: ':' },
    { type: 'sint', value: 0 },
  ]);
  assert.equal(read('(1.)', 'pbuf'), `#1 failed to parse '1.' as type 'Protocol buffers field number' at position 1`);
  assert.equal(read('(33)', 'msk4'), `#1 failed to parse '33' as type 'IPv4 mask' at position 1`);
});

test('integers and addresses as HAProxy reads them', () => {
  assert.equal(readInt64('00012'), 12);
  assert.equal(readInt64('--5'), undefined);
  assert.equal(readInt64('0x10'), undefined);
  assert.equal(readInt64('99999999999999999999'), 9223372036854775807);
  assert.ok(isIPv4('0.0.0.0') && !isIPv4('01.2.3.4') && !isIPv4('1.2.3') && !isIPv4('1.2.3.256'));
  assert.ok(isIPv6('::') && isIPv6('::ffff:1.2.3.4') && isIPv6('1:2:3:4:5:6:7::') && isIPv6('1:2:3:4:5:6:1.2.3.4'));
  assert.ok(!isIPv6('fe80::1%eth0') && !isIPv6('1::2::3') && !isIPv6('12345::') && !isIPv6('::01.2.3.4') && !isIPv6('1.2.3.4'));
});
