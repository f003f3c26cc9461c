import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCheckFormat } from '../../../src/checks/check-format.js';
import { sampleConvAdd, sampleConvDiv, sampleConvMul, sampleConvSub } from '../../../src/sample/converters/arith.js';
import { castSample, newSample } from '../../../src/sample/convert.js';
import type { Sample } from '../../../src/sample/types.js';
import { VarStore } from '../../../src/sample/var-store.js';
import { testCheckEnv } from '../../helpers/check-env.js';

const sint = (n: number): Sample => ({ ...newSample(), type: 'sint', num: n });
const str = (s: string): Sample => ({ ...newSample(), type: 'str', bytes: Buffer.from(s, 'latin1') });
const value = (v: VarStore, name: string): string | undefined => {
  const s = newSample();
  return v.get(name, s) && castSample(s, 'str') ? s.bytes.toString('latin1') : undefined;
};

test("set-var's conditions, as HAProxy's var_set", () => {
  const v = new VarStore();
  assert.equal(v.set('a', sint(5), ['ifexists']), false, 'ifexists: no variable yet');
  assert.equal(v.set('a', sint(5), ['ifnotexists']), true);
  assert.equal(v.set('a', sint(9), ['ifnotexists']), false);
  assert.equal(v.set('a', sint(7), ['ifgt']), false, 'ifgt: 5 is not greater than 7');
  assert.equal(v.set('a', sint(3), ['ifgt']), true);
  assert.equal(v.set('a', sint(1), ['iflt']), false, 'iflt: 3 is not less than 1');
  assert.equal(value(v, 'a'), '3');
  assert.equal(v.set('a', sint(4), ['ifempty']), false, 'a number is never empty');
  assert.equal(v.set('b', str(''), ['ifnotempty']), false);
  assert.equal(value(v, 'b'), undefined, 'a refused value leaves the new variable without one');
  assert.equal(v.set('b', str('x'), ['ifset']), false);
  assert.equal(v.set('b', str('x'), ['ifnotset']), true);
  assert.equal(v.set('b', str('y'), ['ifset']), true);
  assert.equal(value(v, 'b'), 'y');
  v.unset('b');
  assert.equal(v.set('b', str('z'), ['ifexists']), false, 'unset removes the variable');
});

test('a declared (proc) variable exists without a value and survives unset', () => {
  const v = new VarStore();
  v.declare('p');
  assert.equal(value(v, 'p'), undefined);
  assert.equal(v.set('p', sint(1), ['ifexists']), true);
  v.unset('p');
  assert.equal(value(v, 'p'), undefined);
  assert.equal(v.set('p', sint(2), ['ifexists', 'ifnotset']), true);
});

test('stored bytes are a copy: the sample may change after', () => {
  const v = new VarStore();
  const s = str('abc');
  v.set('s', s);
  s.bytes[0] = 0x7a;
  assert.equal(value(v, 's'), 'abc');
});

test('arithmetic saturates at the signed 64-bit limits, as HAProxy', () => {
  const env = testCheckEnv();
  const run = (c: typeof sampleConvAdd, a: number, b: string): string => {
    const s = sint(a);
    assert.ok(c([{ type: 'str', value: b }], [])(s, env));
    return castSample(s, 'str') ? s.bytes.toString() : '';
  };
  assert.equal(run(sampleConvAdd, 2 ** 62, String(2 ** 62)), '9223372036854775807');
  assert.equal(run(sampleConvSub, -(2 ** 62), String(2 ** 63)), '-9223372036854775808');
  assert.equal(run(sampleConvMul, -(2 ** 40), String(2 ** 40)), '-9223372036854775808');
  assert.equal(run(sampleConvDiv, -(2 ** 63), '-1'), '9223372036854775807');
  assert.equal(run(sampleConvDiv, -7, '2'), '-3');
  assert.equal(sampleConvAdd([{ type: 'str', value: 'check.none' }], [])(sint(1), env), false, 'a variable without a value fails the conversion');
});

test("check formats print samples as lf_text_len: nothing when missing, +M '-', +Q quotes, +E escapes, up to a NUL", () => {
  const env = testCheckEnv();
  const fmt = (...parts: [string, string?, string[]?][]): string =>
    compileCheckFormat({
      text: '',
      parts: parts.map(([kind, value, options]) =>
        kind === 'text' ? { kind: 'text', value: value! } : { kind: 'expr', value: value!, options, expr: { fetch: { name: value!.split('(')[0]!, args: [], values: value!.includes('(') ? [{ type: 'str', value: value!.slice(value!.indexOf('(') + 1, -1) }] : [] }, converters: [] } as never },
      ),
    })(env);
  assert.equal(fmt(['text', 'a='], ['expr', 'var(check.x)']), 'a=');
  assert.equal(fmt(['expr', 'var(check.x)', ['M']]), '-');
  assert.equal(fmt(['expr', 'var(check.x)', ['M', 'Q']]), '""');
  assert.equal(fmt(['expr', 'srv_name', ['Q']]), '"srv"');
  assert.equal(fmt(['expr', 'str(a"b]c)', ['E']]), 'a\\"b\\]c');
  assert.equal(fmt(['expr', 'bin(41004200)']), 'A');
});
