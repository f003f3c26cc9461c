/**
 * The "acl" keyword (configuration.txt 4.2, 7.1): verdicts, messages and lines checked against
 * haproxy 2.6.12. Tests that need the sample layer's types (int/ip defaults) are skipped while
 * it does not give them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from '../../helpers/config.js';
import { sampleTyped } from './typed.js';

const HEAD = 'defaults\n  mode http\nfrontend f\n  bind :8080\n';

/** Checks lines appended to a frontend; the first appended line is line 5. */
async function fe(...lines: string[]) {
  return check(HEAD + lines.map((l) => `  ${l}\n`).join(''));
}

test('a valid acl is accepted and recorded', async () => {
  const r = await fe('acl is_static path_beg -i /static /images', 'acl is_static hdr_end(host) .example.com');
  assert.deepEqual(r.alerts, []);
  const acls = r.model.proxies[0]!.acls;
  assert.equal(acls.length, 2);
  assert.equal(acls[0]!.name, 'is_static');
  assert.equal(acls[0]!.kw, 'path_beg');
  assert.equal(acls[0]!.match, 'beg');
  assert.equal(acls[0]!.flags.ignoreCase, true);
  assert.deepEqual(acls[0]!.patterns.map((p) => p.text), ['/static', '/images']);
  assert.equal(acls[1]!.expr.fetch.name, 'req.hdr');
  // The keyword runs; what its expression needs is checked where a running rule uses it.
  assert.ok(!r.warnings.some((w) => w.includes("keyword 'acl' is not supported yet")));
});

test('acl names: allowed characters, "or", empty', async () => {
  let r = await fe('acl 1b$ path_beg /x');
  assert.deepEqual(r.alerts, ["parsing [t.cfg:5] : character '$' is not permitted in acl name '1b$'."]);
  r = await fe('acl a.b:c-d_e path /x');
  assert.deepEqual(r.alerts, []);
  r = await fe('acl OR path /x');
  assert.deepEqual(r.alerts, ["parsing [t.cfg:5] : acl name 'OR' will never match. 'or' is used to express a logical disjunction within a condition."]);
  r = await fe('acl !a path /x');
  assert.deepEqual(r.alerts, ["parsing [t.cfg:5] : character '!' is not permitted in acl name '!a'."]);
  r = await fe('acl');
  assert.equal(r.alerts.length, 1);
  assert.match(r.alerts[0]!, /^parsing \[t\.cfg:5\] : character '/);
});

test('acl is refused in an anonymous defaults section, allowed in a named one', async () => {
  let r = await check('defaults\n  mode http\n  acl x path /a\n');
  assert.deepEqual(r.alerts, ["parsing [t.cfg:3] : 'acl' not allowed in anonymous 'defaults' section."]);
  r = await check('defaults d\n  mode http\n  acl x path /a\n');
  assert.deepEqual(r.alerts, []);
});

test('flags: -m, -u, -f, unknown options, "--"', async () => {
  const cases: [string, string | undefined][] = [
    ['acl d path -m foo x', "error detected while parsing ACL 'd' : unknown matching method 'foo' when parsing ACL expression."],
    ['acl d path -m', "error detected while parsing ACL 'd' : unknown matching method '' when parsing ACL expression."],
    ['acl d path /x -m foo', undefined],
    ['acl d path -x', "error detected while parsing ACL 'd' : '-x' is not a valid ACL option. Please use '--' before any pattern beginning with a '-'."],
    ['acl d path -- -x', undefined],
    ['acl d path -u x', "error detected while parsing ACL 'd' : the argument of -u must be an integer."],
    ['acl d path -u 0x10', "error detected while parsing ACL 'd' : the argument of -u must be an integer."],
    ['acl d path -u -5 /x', undefined],
    ['acl d path -u', undefined],
    ['acl d path -i -n -M /x', undefined],
    ['acl d path -f /nonexistent/file', "error detected while parsing ACL 'd' : failed to open pattern file </nonexistent/file>."],
    ['acl d path -f', "error detected while parsing ACL 'd' : failed to open pattern file <>."],
  ];
  for (const [line, alert] of cases) {
    const r = await fe(line);
    assert.deepEqual(r.alerts, alert ? [`parsing [t.cfg:5] : ${alert}`] : [], line);
  }
});

test('-u ids are unique across the configuration; ACLs without -u hold the id -1', async () => {
  let r = await fe('acl a path -u 1 /a', 'acl b path -u 1 /b');
  assert.deepEqual(r.alerts, ["parsing [t.cfg:6] : error detected while parsing ACL 'b' : the id is already used."]);
  r = await check('backend b\n  acl a path -u 5 /x\n' + HEAD + '  acl b path -u 5 /y\n');
  assert.deepEqual(r.alerts, ["parsing [t.cfg:7] : error detected while parsing ACL 'b' : the id is already used."]);
  r = await fe('acl a path /x', 'acl b path -u -1 /y');
  assert.deepEqual(r.alerts, ["parsing [t.cfg:6] : error detected while parsing ACL 'b' : the id is already used."]);
  r = await fe('acl b path -u -1 /y');
  assert.deepEqual(r.alerts, []);
});

test('pattern files: comments in the first column, blanks, -M keys, column conflicts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portier-acl-'));
  const one = join(dir, 'one.lst');
  const map = join(dir, 'two.map');
  const bad = join(dir, 'bad.lst');
  writeFileSync(one, '# comment\n\n  /a  \n/b # not a comment\n\t#x\n/c\r\n');
  writeFileSync(map, 'k1 v1\nk2\n  k3   v3 v4\n');
  writeFileSync(bad, '(\n');
  let r = await fe(`acl a path -f ${one}`);
  assert.deepEqual(r.alerts, []);
  assert.deepEqual(r.model.proxies[0]!.acls[0]!.patterns.map((p) => p.text), ['/a  ', '/b # not a comment', '#x', '/c']);
  r = await fe(`acl a path -M -f ${map}`);
  assert.deepEqual(r.model.proxies[0]!.acls[0]!.patterns.map((p) => p.text), ['k1', 'k2', 'k3']);
  r = await fe(`acl a path -m reg -f ${bad}`);
  assert.deepEqual(r.alerts, [
    `parsing [t.cfg:5] : error detected while parsing ACL 'a' : regex '(' is invalid (error=missing closing parenthesis, erroffset=1) at line 1 of file '${bad}'.`,
  ]);
  r = await fe(`acl a path -f ${one}`, `acl b path -M -f ${one}`);
  assert.deepEqual(r.alerts, [
    `parsing [t.cfg:6] : error detected while parsing ACL 'b' : The file "${one}" is already used as one column file and cannot be used by as two column file..`,
  ]);
  r = await fe(`acl a path -f ${one} -m beg`);
  assert.deepEqual(r.alerts, ["parsing [t.cfg:5] : error detected while parsing ACL 'a' : '-m' must only be specified before patterns and files in parsing ACL expression."]);
  r = await fe(`acl a path -f ${dir}`);
  assert.deepEqual(r.alerts, [`parsing [t.cfg:5] : error detected while parsing ACL 'a' : error encountered while reading  <${dir}> : Is a directory.`]);
});

test('ACL keywords: errors of their arguments and converters are worded for the keyword', { skip: !sampleTyped() }, async () => {
  const cases: [string, string][] = [
    ['acl a path_beg(x) /x', "ACL keyword 'path_beg' : expected ')' before 'x)'."],
    ['acl a hdr_beg(host www', "ACL keyword 'hdr_beg' : expected ')'."],
    ['acl a path,nope www', "ACL keyword 'path' : unknown converter 'nope'.."],
    ['acl a nope x', "unknown fetch method 'nope' in ACL expression 'nope'."],
    ['acl a PATH_BEG x', "unknown fetch method 'PATH_BEG' in ACL expression 'PATH_BEG'."],
  ];
  for (const [line, msg] of cases) {
    const r = await fe(line);
    assert.deepEqual(r.alerts, [`parsing [t.cfg:5] : error detected while parsing ACL 'a' : ${msg}`], line);
  }
});

test('warnings: no pattern, and a space before "("', async () => {
  let r = await fe('acl a path_beg');
  assert.ok(
    r.lines.includes(
      "warning: parsing acl keyword 'path_beg' :\n" +
        '  no pattern to match against were provided, so this ACL will never match.\n' +
        "  If this is what you intended, please add '--' to get rid of this warning.\n" +
        "  If you intended to match only for existence, please use '-m found'.\n" +
        "  If you wanted to force an int to match as a bool, please use '-m bool'.\n",
    ),
  );
  r = await fe('acl a path_beg --');
  assert.ok(!r.lines.some((l) => l.includes('no pattern')));
  r = await fe('acl a path (x)');
  assert.ok(r.lines.some((l) => l.startsWith("warning: parsing acl 'a' :\n  matching 'path' for pattern '(x)' is likely a mistake")));
  r = await fe('acl a path -- (x)');
  assert.ok(!r.lines.some((l) => l.includes('likely a mistake')));
});

test('patterns: regex, binary, dotted versions, method', async () => {
  const cases: [string, string | undefined][] = [
    ['acl a req.hdr(x) -m reg a{2,1}', "regex 'a{2,1}' is invalid (error=numbers out of order in {} quantifier, erroffset=5)"],
    ['acl a path_reg ^/(a|b)$ [[:alpha:]]+', undefined],
    ['acl a req.hdr(x) -m bin 0', 'an even number of hex digit is expected'],
    ['acl a req.hdr(x) -m bin 0G0a', "an hex digit is expected (found 'G')"],
    ['acl a req.hdr(x) -m bin 0A', undefined],
    ['acl a req_ssl_ver 3.1:x', "'3.1:x' is not a valid dotted number range"],
    ['acl a req_ssl_ver gt 65536.0', "'65536.0' contains too large a major value"],
    ['acl a req_ssl_ver 3.1 gt 3.0', undefined],
    ['acl a method FOO', undefined],
    ['acl a path_len gt 3.x', undefined],
    ['acl a path_len 3.1', "'3.1' is not a number"],
  ];
  for (const [line, msg] of cases) {
    const r = await fe(line);
    assert.deepEqual(r.alerts, msg ? [`parsing [t.cfg:5] : error detected while parsing ACL 'a' : ${msg}.`] : [], line);
  }
});

test('typed samples: integer operators and ranges, IP networks, -m compatibility', { skip: !sampleTyped() }, async () => {
  const cases: [string, string | undefined][] = [
    ['acl a dst_port 80 80:90 :90 90: eq 80 gt 80 lt 90', undefined],
    ['acl a dst_port ge x', "'x' is neither a number nor a supported operator"],
    ['acl a dst_port 8x', "'8x' is not a number"],
    ['acl a dst_port 90:80', "'90:80' is not a valid number range"],
    ['acl a dst_port -- -5', undefined],
    ['acl a dst_port gt 9223372036854775807', "'-9223372036854775808:' is not a valid number range"],
    ['acl a dst_port EQ 5', "'EQ' is not a number"],
    ['acl a src 10.0.0.0/8 192.168.0.0/255.255.0.0 ::1 fe80::/10', undefined],
    ['acl a src 1.2.3.4/33', "'1.2.3.4/33' is not a valid IPv4 or IPv6 address"],
    ['acl a src -n 127.1', "'127.1' is not a valid IPv4 or IPv6 address"],
    ['acl a src 127.1 010.0.0.1 10', undefined],
    ['acl a ssl_fc -m ip 1.2.3.4', "matching method 'ip' cannot be used with fetch keyword 'ssl_fc'"],
    ['acl a method -m int 1', "matching method 'int' cannot be used with fetch keyword 'method'"],
    ['acl a var(txn.x) foo', "matching method must be specified first (using '-m') when using a sample fetch of this type ('var')"],
    ['acl a var(txn.x) -m str foo', undefined],
    ['acl a req.payload(0,1) -m bin 00', undefined],
  ];
  for (const [line, msg] of cases) {
    const r = await fe(line);
    assert.deepEqual(r.alerts, msg ? [`parsing [t.cfg:5] : error detected while parsing ACL 'a' : ${msg}.`] : [], line);
  }
});

test('an empty word ends the patterns', async () => {
  const r = await fe('acl a path /a "" /b');
  assert.deepEqual(r.model.proxies[0]!.acls[0]!.patterns.map((p) => p.text), ['/a']);
});
