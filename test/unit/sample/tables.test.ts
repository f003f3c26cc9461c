import { Diagnostics } from '../../../src/config/diagnostics.js';
import { ConfigEnvironment } from '../../../src/config/environment.js';
import { LoadState, newGlobalModel } from '../../../src/config/load-state.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { converterRows, converterTable } from '../../../src/sample/converters/index.js';
import { fetchRows, fetchTable } from '../../../src/sample/fetches/index.js';
import { parseArgSpec, describeArgSpec } from '../../../src/sample/args.js';
import { SOURCES, usesOf } from '../../../src/sample/usage.js';
import { checkIntRange, readMapFile } from '../../../src/sample/pattern-file.js';

test('every fetch and converter of HAProxy 2.6, supported exactly when it has a run-time implementation, with a summary', () => {
  assert.equal(fetchRows.length, 453);
  assert.equal(converterRows.length, 135);
  for (const row of [...fetchRows, ...converterRows]) {
    assert.equal(row.status, row.run ? 'supported' : 'notyet', row.name);
    assert.ok(row.summary.length > 10 && row.summary.endsWith('.'), row.name);
    parseArgSpec(row.args);
  }
  for (const row of fetchRows) assert.ok(row.src in SOURCES, row.name);
});

test('argument grammars and places match haproxy -dKsmp', () => {
  const f = (name: string) => {
    const r = fetchTable.get(name)!;
    return `${name}(${describeArgSpec(parseArgSpec(r.args))}): ${r.out}`;
  };
  assert.equal(f('req.hdr'), 'req.hdr([string,integer]): str');
  assert.equal(f('src_conn_cnt'), 'src_conn_cnt(table): sint');
  assert.equal(f('sc_clr_gpc'), 'sc_clr_gpc(integer,integer[,table]): sint');
  assert.equal(f('ssl_c_s_dn'), 'ssl_c_s_dn([string,integer,string]): str');
  assert.equal(f('var'), 'var(string[,string]): any');
  assert.equal(f('payload_lv'), 'payload_lv(integer,integer[,string]): bin');
  const ipmask = converterTable.get('ipmask')!;
  assert.deepEqual([ipmask.args, ipmask.in, ipmask.out], ['msk4,msk6?', 'addr', 'ipv4']);
  assert.equal(converterTable.get('map_ip_int')!.in, 'addr');
  assert.deepEqual(usesOf('HRSHV'), ['be-tcp-response-content', 'be-http-response', 'be-http-response-body', 'be-stick-store', 'fe-tcp-response-content', 'fe-http-response', 'fe-http-response-body', 'tcp-check']);
  assert.equal(usesOf('INTRN').includes('config'), false);
  assert.equal(fetchTable.get('hdr')!.aliasOf, 'req.hdr');
  assert.equal(fetchTable.get('shdr')!.deprecated, true);
});

/** A fresh load state: each read goes through the pattern-file registry of one configuration. */
const load = (): LoadState => new LoadState(new ConfigEnvironment({}), new Diagnostics(false), { checkOnly: true, diagnostics: false, localPeer: 'h', ignoreResolveFailures: false, noServerVerify: false }, newGlobalModel());

test('map files: keys and values read for the match and output types', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portier-map-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const strs = file('s.map', '# comment\n\n  k1   v1 with spaces  \nk2\n\tk3\tv3\r\n');
  const r = readMapFile(load(), strs, 'str', 'str');
  assert.ok('entries' in r);
  assert.deepEqual(r.entries.map((e) => [e.key, e.value, e.line]), [['k1', 'v1 with spaces', 3], ['k2', '', 4], ['k3', 'v3', 5]]);
  assert.deepEqual(readMapFile(load(), strs, 'str', 'int'), { error: `unable to parse 'v1 with spaces' at line 3 of file '${strs}'` });
  // '#' starts a comment in the first column only (haproxy 2.6.12: "'#abc' is not a number").
  const indented = file('c.map', '1 a\n  #abc b\n');
  assert.deepEqual(readMapFile(load(), indented, 'int', 'str'), { error: `'#abc' is not a number at line 2 of file '${indented}'` });
  const ints = file('i.map', '1 a\n2-5 b\n:7 c\nx d\n');
  assert.deepEqual(readMapFile(load(), ints, 'int', 'str'), { error: `'x' is not a number at line 4 of file '${ints}'` });
  const ips = file('ip.map', '10.0.0.0/8 1.2.3.4/24\nfoo ::1\n');
  assert.deepEqual(readMapFile(load(), ips, 'ip', 'ip'), { error: `'foo' is not a valid IPv4 or IPv6 address at line 2 of file '${ips}'` });
  const regs = file('r.map', '(a a\n');
  assert.deepEqual(readMapFile(load(), regs, 'reg', 'str'), { error: `regex '(a' is invalid (error=missing closing parenthesis, erroffset=2) at line 1 of file '${regs}'` });
  assert.deepEqual(readMapFile(load(), join(dir, 'none.map'), 'str', 'str'), { error: `failed to open pattern file <${join(dir, 'none.map')}>` });
});

test('integer patterns and ranges', () => {
  for (const ok of ['1', '-1', '2-5', '2:5', ':5', '5:', '1-', '--', '--1', '9223372036854775807']) assert.equal(checkIntRange(ok), undefined, ok);
  assert.equal(checkIntRange('+1'), "'+1' is not a number");
  assert.equal(checkIntRange('99999999999999999999'), "'99999999999999999999' is not a number");
  for (const bad of ['-', ':', '1:2:3', '5:3', '5-3', '1:-2', '---1', '-5:-3']) assert.equal(checkIntRange(bad), `'${bad}' is not a valid number range`, bad);
});
