import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeLine } from '../../../src/config/lexer.js';

const env = (vars: Record<string, string>) => ({ get: (n: string) => vars[n], pseudo: (n: string) => (n === '.LINE' ? '7' : undefined) });
const words = (line: string, vars: Record<string, string> = {}) => tokenizeLine(line, env(vars)).words;

test('spaces and tabs separate words; comments end the line', () => {
  assert.deepEqual(words('  bind\t:80   # listen'), ['bind', ':80']);
  assert.deepEqual(words('a#b "c#d"'), ['a']);
  assert.deepEqual(words('x "c#d" e\\#f'), ['x', 'c#d', 'e#f']);
});

test('quotes: double (weak), single (strong), empty word', () => {
  assert.deepEqual(words(`x "a b" 'c d' "" ''`), ['x', 'a b', 'c d', '', '']);
  assert.deepEqual(words(`x "%{+Q}o %t"' %s'\\ %{-Q}r`), ['x', '%{+Q}o %t %s %{-Q}r']);
  assert.deepEqual(words(`x '$HOME' "\\$HOME"`, { HOME: '/root' }), ['x', '$HOME', '$HOME']);
});

test('escapes, and unknown escapes kept as written (regexes)', () => {
  assert.deepEqual(words('a\\ b \\x41\\n \\d\\.'), ['a b', 'A\n', '\\d\\.']);
  assert.equal(tokenizeLine('x \\xZZ').error?.message, 'truncated or invalid hexadecimal sequence');
});

test('environment variables only inside double quotes, with defaults and [*]', () => {
  const vars = { A: 'x y z', E: '' };
  assert.deepEqual(words('k ${A} "${A}"', vars), ['k', '${A}', 'x y z']);
  assert.deepEqual(words('k "${NOPE-12}" "${E-12}" "$A"x', vars), ['k', '12', '', 'x y zx']);
  assert.deepEqual(words('k "${A[*]}x"', vars), ['k', 'x', 'y', 'zx']);
  assert.deepEqual(words('k "${.LINE}"', vars), ['k', '7']);
});

test('errors carry the position HAProxy reports', () => {
  assert.deepEqual(tokenizeLine('  maxconn "abc').error, { message: 'unmatched quote', index: 10 });
  assert.deepEqual(tokenizeLine('  maxconn "${X"').error, { message: 'unmatched brace in environment variable name', index: 12 });
  assert.deepEqual(tokenizeLine('  description "$1abc"').error, { message: 'forbidden first char in environment variable name', index: 16 });
  assert.match(tokenizeLine('k ' + Array.from({ length: 70 }, (_, i) => i).join(' ')).error!.message, /too many words/);
});
