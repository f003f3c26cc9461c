/**
 * ACLs and conditions at run time (acl/exec.ts, acl/match.ts, sample/compile.ts): every match
 * method on real parsed ACLs, the three-valued logic of conditions ("may change" data), and
 * the fetches of the request buffer. The expected answers were checked against haproxy 2.6.12
 * where they are not plain from configuration.txt 7.1 (test/compat/tcp-request.test.ts runs
 * the same kind of rules through both).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition } from '../../../src/acl/condition.js';
import { ACL_FAIL, ACL_MISS, ACL_PASS, compileCondition } from '../../../src/acl/exec.js';
import { aclNotYet, conditionAcls } from '../../../src/acl/support.js';
import type { EnvAddress, SampleEnv } from '../../../src/sample/types.js';
import { harness } from './harness.js';

interface EnvOptions {
  /** The request buffer (latin1); undefined: none (tcp-request connection). */
  data?: string;
  final?: boolean;
  /** The client closed its side (the buffer cannot grow). */
  closed?: boolean;
  src?: EnvAddress;
  dst?: EnvAddress;
}

function env(o: EnvOptions = {}): SampleEnv {
  const data = o.data === undefined ? undefined : Buffer.from(o.data, 'latin1');
  return {
    final: o.final ?? false,
    reqData: data,
    reqMayGrow: !o.closed,
    srcAddr: () => o.src,
    dstAddr: () => o.dst,
    frontendName: 'f',
    backendName: 'f',
    backendId: 1,
    targetServer: () => undefined,
    resData: undefined,
    vars: () => undefined,
  };
}

/** Compiles "if ..." (anonymous ACLs written between braces, named ones declared by `acls`). */
function condition(text: string, acls: string[] = []): (e: SampleEnv) => number {
  const h = harness('frontend', 'tcp');
  acls.forEach((a, i) => h.acl(5 + i, a));
  const r = parseCondition(h.ctx(9), h.proxy, ['tcp-request', 'content', 'accept', ...text.split(' ')], 3, []);
  assert.ok('condition' in r, 'error' in r ? r.error : '');
  for (const a of conditionAcls(h.proxy, r.condition)) assert.deepEqual(aclNotYet(a), [], text);
  return compileCondition(h.proxy, r.condition);
}

/** One anonymous ACL, final evaluation: true when it matches. */
function matches(acl: string, o: EnvOptions = {}): boolean {
  return condition(`if { ${acl} }`)(env({ final: true, ...o })) === ACL_PASS;
}

const v4 = (address: string, port = 1234): EnvAddress => ({ family: 'ipv4', address, port });
const v6 = (address: string, port = 1234): EnvAddress => ({ family: 'ipv6', address, port });

test('int: values, ranges and the eq/ge/gt/le/lt operators', () => {
  assert.ok(matches('int(5) 5'));
  assert.ok(!matches('int(5) 4 6'));
  assert.ok(matches('int(5) 4 5 6'));
  assert.ok(matches('int(5) 1:5'));
  assert.ok(matches('int(5) 5:'));
  assert.ok(matches('int(5) :5'));
  assert.ok(!matches('int(5) 6:'));
  assert.ok(matches('int(5) gt 4'));
  assert.ok(!matches('int(5) gt 5'));
  assert.ok(matches('int(5) ge 5'));
  assert.ok(matches('int(5) lt 6'));
  assert.ok(!matches('int(5) lt 5'));
  assert.ok(matches('int(5) le 5'));
  assert.ok(matches('int(5) eq 5'));
  assert.ok(matches('int(-3) lt 0'));
  // A boolean is 0 or 1; a string is read as a number.
  assert.ok(matches('always_true -m int 1'));
  assert.ok(matches('str(12ab) -m int 12'));
  // No pattern: no match.
  assert.ok(!matches('int(5) --'));
});

test('str, beg, end, sub, len, with and without -i', () => {
  assert.ok(matches('str(abc) abc'));
  assert.ok(!matches('str(abc) ab'));
  assert.ok(!matches('str(abc) ABC'));
  assert.ok(matches('str(abc) -i ABC'));
  assert.ok(matches('str(abc) -m beg ab'));
  assert.ok(!matches('str(abc) -m beg bc'));
  assert.ok(matches('str(abc) -m beg -i AB'));
  assert.ok(matches('str(abc) -m end bc'));
  assert.ok(!matches('str(abc) -m end ab'));
  assert.ok(matches('str(abc) -m sub b'));
  assert.ok(!matches('str(abc) -m sub d'));
  assert.ok(matches('str(abc) -m len 3'));
  assert.ok(matches('str(abc) -m len gt 2'));
  assert.ok(!matches('str(abc) -m len lt 3'));
  // -i folds ASCII letters only.
  assert.ok(!matches('str(\xe9) -i \xc9'));
});

test('dir and dom: delimited parts', () => {
  // configuration.txt 7.1.3's examples, as haproxy 2.6 answers them: it matches "png" (a part
  // between slashes) and not "dc-eu.example:80" (not in the string), unlike what the manual says.
  const path = 'str(/images/png/logo/32x32.png)';
  for (const p of ['/images', '/images/png', 'images/png', '/png/logo', 'logo/32x32.png', '32x32.png', 'png']) assert.ok(matches(`${path} -m dir ${p}`), p);
  for (const p of ['32x32', 'images/p', '/']) assert.ok(!matches(`${path} -m dir ${p}`), p);
  const url = 'str(http://www1.dc-eu.example.com:80/blah)';
  for (const p of ['http', 'www1', '.www1', 'dc-eu', 'example', 'com', '80', 'dc-eu.example', 'blah', ':www1:', 'example.com:80']) assert.ok(matches(`${url} -m dom ${p}`), p);
  for (const p of ['eu', 'dc', 'dc-eu.example:80', '.']) assert.ok(!matches(`${url} -m dom ${p}`), p);
});

test('reg: PCRE translated once; -i', () => {
  assert.ok(matches('str(GET\t/x) -m reg ^GET\\s'));
  assert.ok(!matches('str(GET/x) -m reg ^POST'));
  assert.ok(matches('str(get/x) -m reg -i ^GET'));
  assert.ok(matches('str(abc) -m reg b+c$'));
});

test('bin: hexadecimal blocks, upper or lower case', () => {
  assert.ok(matches('bin(48656c6c6f) -m bin 48656C6C6F'));
  assert.ok(!matches('bin(48656c6c6f) -m bin 48656C6C'));
  assert.ok(matches('req.payload(0,3) -m bin 000102', { data: '\x00\x01\x02\x03' }));
});

test('a binary sample read as a string stops at its first NUL (haproxy 2.6)', () => {
  const data = 'abc\x00ef';
  assert.ok(matches('req.payload(0,6) -m str abc', { data }));
  assert.ok(matches('req.payload(0,6) -m str -i ABC', { data }));
  assert.ok(!matches('req.payload(0,6) -m end ef', { data }));
  assert.ok(!matches('req.payload(0,6) -m len 6', { data }));
  assert.ok(matches('req.payload(0,6) -m len 3', { data }));
  assert.ok(matches('req.payload(0,6) -m bin 616263006566', { data }));
});

test('ip: IPv4 networks (also non-contiguous masks), IPv6 prefixes, and IPv4 within IPv6 (7.1.6)', () => {
  const local = { src: v4('127.0.0.1') };
  assert.ok(matches('src 127.0.0.1', local));
  assert.ok(matches('src 127.0.0.0/8', local));
  assert.ok(matches('src 127.1/8', local));
  assert.ok(!matches('src 10.0.0.0/8', local));
  assert.ok(matches('src 10.0.0.0/8 127.0.0.0/255.0.0.0', local));
  assert.ok(matches('src 127.0.0.1/255.0.0.255', { src: v4('127.9.9.1') }));
  assert.ok(!matches('src 127.0.0.1/255.0.0.255', { src: v4('127.9.9.2') }));
  assert.ok(!matches('src 127.0.0.0/255.0.0.255', local));
  // IPv4 sample, IPv6 pattern: ::ffff:a.b.c.d.
  assert.ok(matches('src ::ffff:127.0.0.0/104', local));
  assert.ok(!matches('src ::1', local));
  // IPv6 samples.
  assert.ok(matches('src 2001:db8::/32', { src: v6('2001:db8::1') }));
  assert.ok(!matches('src 2001:db8::/32', { src: v6('2001:db9::1') }));
  for (const a of ['::ffff:127.0.0.1', '::127.0.0.1', '2002:7f00:1::']) assert.ok(matches('src 127.0.0.0/8', { src: v6(a) }), a);
  assert.ok(!matches('src 127.0.0.0/8', { src: v6('2001:db8::7f00:1') }));
  // The LOCALHOST predefined ACL.
  assert.equal(condition('if LOCALHOST')(env({ src: v6('::1') })), ACL_PASS);
  // Unix sockets have no address: no sample, no match.
  assert.ok(!matches('src 0.0.0.0/0'));
  // Ports: a port 0 is no sample.
  assert.ok(matches('src_port 1024:', local));
  assert.ok(matches('dst_port 80', { dst: v4('10.0.0.1', 80) }));
  assert.ok(!matches('dst_port -m found', { dst: v4('10.0.0.1', 0) }));
  assert.ok(matches('dst 10.0.0.1', { dst: v4('10.0.0.1', 80) }));
  // String samples read as addresses.
  assert.ok(matches('str(192.168.1.20) -m ip 192.168.1.0/24'));
});

test('found and bool', () => {
  assert.ok(matches('req.payload(0,1) -m found', { data: 'x' }));
  assert.ok(!matches('req.payload(0,2) -m found', { data: 'x' }));
  assert.ok(matches('req.len -m bool', { data: 'x' }));
  assert.ok(!matches('req.len -m bool', { data: '' }));
  assert.ok(matches('always_true'));
  assert.ok(!matches('always_false'));
  assert.ok(matches('bool(true)'));
  assert.ok(!matches('bool(0)'));
});

test('converters: hex, hex2i, lower, upper, length, bool, not, odd, even, neg', () => {
  assert.ok(matches('req.payload(0,2),hex 4142', { data: 'AB' }));
  assert.ok(matches('req.payload(0,2),hex,hex2i 16706', { data: 'AB' }));
  assert.ok(matches('str(AbC),lower abc'));
  assert.ok(matches('str(AbC),upper ABC'));
  assert.ok(matches('str(AbC),length 3'));
  assert.ok(matches('int(0),not'));
  assert.ok(matches('int(7),odd'));
  assert.ok(matches('int(8),even'));
  assert.ok(matches('int(8),neg -- -8'));
  assert.ok(matches('int(2),bool'));
  // hex2i fails on anything but hex digits: no sample.
  assert.ok(!matches('str(xy),hex2i -m found'));
  // The socks4 check of HAProxy's tests: a port and an address read from the buffer.
  const req = '\x04\x01\x1f\x90\x7f\x00\x00\x01';
  assert.ok(matches('req.payload(2,2),hex,hex2i eq 8080', { data: req }));
  assert.ok(matches('req.payload(4,4),hex,hex2i -m ip 127.0.0.1', { data: req }));
});

test('req.len: "may change" until the evaluation is final (configuration.txt 7.3.5)', () => {
  const c = condition('if { req.len eq 14 }');
  assert.equal(c(env({ data: '' })), ACL_MISS);
  assert.equal(c(env({ data: 'x'.repeat(13) })), ACL_MISS);
  assert.equal(c(env({ data: 'x'.repeat(14) })), ACL_PASS);
  assert.equal(c(env({ data: 'x'.repeat(15) })), ACL_MISS);
  assert.equal(c(env({ data: 'x'.repeat(13), final: true })), ACL_FAIL);
  // "a check with equality to zero will almost always immediately match".
  assert.equal(condition('if { req.len eq 0 }')(env({ data: '' })), ACL_PASS);
  // No buffer (tcp-request connection): no sample.
  assert.equal(c(env({ final: true })), ACL_FAIL);
});

test('req.payload and req.payload_lv: too short may change, never-fitting never matches', () => {
  const p = condition('if { req.payload(0,4) -m bin 41424344 }');
  assert.equal(p(env({ data: 'AB' })), ACL_MISS);
  assert.equal(p(env({ data: 'AB', final: true })), ACL_FAIL);
  assert.equal(p(env({ data: 'ABCD' })), ACL_PASS);
  assert.equal(p(env({ data: 'ABCE' })), ACL_FAIL);
  // Beyond tune.bufsize: known at once to never match.
  assert.equal(condition('if { req.payload(16380,8) -m found }')(env({ data: '' })), ACL_FAIL);
  // A length of 0: the rest of the buffer, which may still grow.
  const rest = condition('if { req.payload(1,0) -m sub PING }');
  assert.equal(rest(env({ data: 'xPI' })), ACL_MISS);
  assert.equal(rest(env({ data: 'xPI', closed: true })), ACL_FAIL);
  assert.equal(rest(env({ data: 'xPING' })), ACL_PASS);
  // Length-prefixed blocks, with an absolute or a relative start.
  const lv = condition('if { req.payload_lv(0,1) -m str hello }');
  assert.equal(lv(env({ data: '\x05hel' })), ACL_MISS);
  assert.equal(lv(env({ data: '\x05hello' })), ACL_PASS);
  assert.equal(lv(env({ data: '\x05world' })), ACL_FAIL);
  assert.equal(condition('if { req.payload_lv(0,2,4) -m str ab }')(env({ data: '\x00\x02zzab' })), ACL_PASS);
  assert.equal(condition('if { req.payload_lv(0,1,+1) -m str ab }')(env({ data: '\x02zab' })), ACL_PASS);
  // A zero length never matches.
  assert.equal(condition('if { req.payload_lv(0,1) -m found }')(env({ data: '\x00abc' })), ACL_FAIL);
});

test('wait_end and WAIT_END: nothing until final, then true', () => {
  assert.equal(condition('if WAIT_END')(env({ data: '' })), ACL_MISS);
  assert.equal(condition('if WAIT_END')(env({ data: '', final: true })), ACL_PASS);
  assert.equal(condition('if { wait_end }')(env({ final: true })), ACL_PASS);
});

test('conditions: implicit AND, ||, !, named ACLs with several lines; MISS only where it can change the answer', () => {
  const len = (n: number, o: EnvOptions = {}): SampleEnv => env({ data: 'x'.repeat(n), ...o });
  // AND: a definite FAIL wins over MISS, whatever the order.
  assert.equal(condition('if { req.len eq 5 } { always_false }')(len(3)), ACL_FAIL);
  assert.equal(condition('if { always_false } { req.len eq 5 }')(len(3)), ACL_FAIL);
  assert.equal(condition('if { req.len eq 5 } { always_true }')(len(3)), ACL_MISS);
  // OR: a PASS wins over MISS.
  assert.equal(condition('if { req.len eq 5 } || { always_true }')(len(3)), ACL_PASS);
  assert.equal(condition('if { req.len eq 5 } or { always_false }')(len(3)), ACL_MISS);
  // Negation keeps MISS.
  assert.equal(condition('if !{ req.len eq 5 }')(len(3)), ACL_MISS);
  assert.equal(condition('if !{ req.len eq 5 }')(len(3, { final: true })), ACL_PASS);
  assert.equal(condition('if ! { always_true }')(len(3)), ACL_FAIL);
  // A named ACL is all its lines ORed.
  const named = condition('if big', ['big req.len gt 100', 'big req.payload(0,3) -m str abc']);
  assert.equal(named(env({ data: 'abc' })), ACL_PASS);
  assert.equal(named(env({ data: 'xyz' })), ACL_MISS);
  assert.equal(named(env({ data: 'xyz', final: true })), ACL_FAIL);
  // "if" with no term never matches.
  assert.equal(condition('if')(len(0)), ACL_FAIL);
  // The ldap check listener of HAProxy's checks/ldap-check.vtc.
  const ldap = condition('if { req.len eq 14 } { req.payload(0,14) -m bin 300C020101600702010304008000 }');
  const hello = Buffer.from('300C020101600702010304008000', 'hex').toString('latin1');
  assert.equal(ldap(env({ data: hello })), ACL_PASS);
  assert.equal(ldap(env({ data: hello.slice(0, 10) })), ACL_MISS);
  assert.equal(ldap(env({ data: hello + 'x' })), ACL_MISS);
  assert.equal(ldap(env({ data: hello + 'x', final: true })), ACL_FAIL);
});

test('what does not run yet is named, for the startup refusal', () => {
  const h = harness('frontend', 'tcp');
  h.acl(5, 'a req.ssl_sni -m end .com');
  h.acl(6, 'b req.payload(0,4),base64 -m str x');
  h.acl(7, 'c str(x) -m reg (?>a)');
  assert.deepEqual(
    h.proxy.acls.map((a) => aclNotYet(a)),
    [["sample fetch 'req.ssl_sni'"], ["converter 'base64'"], ["regex '(?>a)' (atomic groups (?>...))"]],
  );
});
