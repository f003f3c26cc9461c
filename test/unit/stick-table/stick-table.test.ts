/** stick-table (configuration.txt 4.2 "stick-table"). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, checkLines, said } from '../checks-config/load.js';
import { parseStickSize } from '../../../src/config/sections/proxy/stick-table.js';

const table = async (args: string) => checkLines([`stick-table ${args}`]);

test('a table with every option is recorded', async () => {
  const r = await table('type string len 64 size 1m expire 30m nopurge srvkey addr store gpc0,conn_rate(10s) store gpc_rate(2,1m),server_id');
  assert.equal(r.ok, true);
  const t = r.model.proxies[0]!.stickTable!;
  assert.equal(t.name, 'b');
  assert.equal(t.type, 'string');
  assert.equal(t.keyLength, 64);
  assert.equal(t.size, 1024 * 1024);
  assert.equal(t.expire, 30 * 60_000);
  assert.equal(t.nopurge, true);
  assert.equal(t.srvkey, 'addr');
  assert.deepEqual(t.store, [{ name: 'gpc0' }, { name: 'conn_rate', period: 10_000 }, { name: 'gpc_rate', count: 2, period: 60_000 }, { name: 'server_id' }]);
  assert.ok(r.warnings.includes("t.cfg:7: keyword 'stick-table' is not supported yet"));
  const d = await table('type binary size 10');
  assert.equal(d.model.proxies[0]!.stickTable!.keyLength, 32);
});

test('type, size and expire errors', async () => {
  const cases: [string, string][] = [
    ['', 'stick-table: missing size.'],
    ['size 1', 'stick-table: missing type.'],
    ['type foo size 1', "stick-table: unknown type 'foo'."],
    ['type ip size 0', 'stick-table: missing size.'],
    ['type string len 0 size 1', "stick-table: unknown type '0'."],
    ['type string len size 1', "stick-table: unknown type 'size'."],
    ['type ip len 10 size 1', "stick-table: unknown argument 'len'."],
    ['type ip size', "stick-table: missing argument after 'size'."],
    ['type ip size 1x', "stick-table: unexpected character 'x' in argument of 'size'."],
    ['type ip size 5g', "stick-table: unexpected character 'g' in argument of 'size'."],
    ['type ip size 1 expire x', "stick-table: unexpected character 'x' in argument of 'expire'."],
    ['type ip size 1 srvkey foo', "stick-table : unknown server key type 'foo'."],
    ['type ip size 1 write-to x', "stick-table: unknown argument 'write-to'."],
  ];
  for (const [args, msg] of cases) {
    const r = await table(args);
    assert.equal(r.ok, false, args);
    assert.deepEqual(said(r), [`alert: parsing [t.cfg:7] : ${msg}`], args);
  }
  assert.deepEqual(said(await table('type ip size 1 expire 30d')), [
    'alert: parsing [t.cfg:7]: stick-table: timer overflow in argument <30d> to <expire>, maximum value is 2147483647 ms (~24.8 days).',
  ]);
});

test('sizes: k, m, g units and 32-bit overflow reported at the character', () => {
  assert.deepEqual(parseStickSize('1k'), { value: 1024 });
  assert.deepEqual(parseStickSize('1G'), { value: 1024 ** 3 });
  assert.deepEqual(parseStickSize('4294967295'), { value: 4294967295 });
  assert.deepEqual(parseStickSize('4294967296'), { char: '6' });
  assert.deepEqual(parseStickSize('4096m'), { char: 'm' });
  assert.deepEqual(parseStickSize('1k2'), { char: '2' });
  assert.deepEqual(parseStickSize('-1'), { char: '-' });
});

test('stored data types and their arguments', async () => {
  const cases: [string, string][] = [
    ['store foo', "unknown store option 'foo'."],
    ['store gpc0_rate', "missing argument to store option 'gpc0_rate'."],
    ['store gpc0_rate(x)', "error when processing store option 'gpc0_rate'."],
    ['store gpc0_rate(10s', "missing closing parenthesis after store option 'gpc0_rate'."],
    ['store gpc0(1)', "unexpected argument to store option 'gpc0'."],
    ['store gpc(101)', "array size is out of allowed range (1-100) for store option 'gpc'."],
    ['store gpc_rate(2)', "missing argument to store option 'gpc_rate'."],
    ['store gpt(3,1)', "unexpected argument to store option 'gpt'."],
    ['store gpc(2),gpc0', "simultaneous usage of 'gpc' and 'gpc[0/1]' in a same table is not permitted as 'gpc' overrides 'gpc[0/1]'."],
    ['store gpt0 store gpt(2)', "simultaneous usage of 'gpt' and 'gpt0' in a same table is not permitted as 'gpt' overrides 'gpt0'."],
    ['store gpc_rate(2,1s),gpc1_rate(1s)', "simultaneous usage of 'gpc_rate' and 'gpc[0/1]_rate' in a same table is not permitted as 'gpc_rate' overrides 'gpc[0/1]_rate'."],
    ['store ,gpc0', "unknown store option ''."],
    ['store glitch_cnt', "unknown store option 'glitch_cnt'."],
  ];
  for (const [args, msg] of cases) {
    assert.deepEqual(said(await table(`type ip size 1 ${args}`)), [`alert: parsing [t.cfg:7] : stick-table: ${msg}`], args);
  }
  // A repeated type is a warning; words after a closing parenthesis are ignored.
  const dup = await table('type ip size 1 store gpc0,gpc0 store conn_rate(1s)x');
  assert.equal(dup.ok, true);
  assert.deepEqual(said(dup), ["warning: parsing [t.cfg:7]: stick-table: store option 'gpc0' already enabled, ignored."]);
});

test('one table per name: a second one in a proxy, or a proxy of the same name', async () => {
  assert.deepEqual(said(await checkLines(['stick-table type ip size 1', 'stick-table type foo'])), [
    "alert: parsing [t.cfg:8] : stick-table name 'b' conflicts with table declared in backend 'b' at t.cfg:7.",
  ]);
  const r = await check(
    ['defaults', '  timeout client 1s', '  timeout server 1s', '  timeout connect 1s', 'frontend x', '  bind :8001', '  stick-table type ip size 1', 'backend x', '  stick-table type ip size 1', ''].join('\n'),
  );
  assert.deepEqual(said(r), ["alert: parsing [t.cfg:9] : stick-table name 'x' conflicts with table declared in frontend 'x' at t.cfg:7."]);
  // A refused table does not take the name.
  assert.deepEqual(said(await checkLines(['stick-table type foo', 'stick-table type ip size 1'])), ["alert: parsing [t.cfg:7] : stick-table: unknown type 'foo'."]);
});

test('not in defaults sections', async () => {
  assert.deepEqual(said(await checkLines(['stick-table type ip size 1'], { section: 'defaults d' })), [
    "alert: parsing [t.cfg:7] : 'stick-table' is not supported in 'defaults' section.",
  ]);
});

test('the peers section must exist (checked after the last line)', async () => {
  const r = await table('type ip size 1 peers p');
  assert.deepEqual(said(r), ["alert: Proxy 'b': unable to find sync peers 'p'."]);
});
