/** The PCRE2 syntax errors HAProxy reports for check regexes (checks-regex.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { regexError } from '../../../src/config/sections/proxy/checks-regex.js';

test('errors with PCRE2 wording and offsets', () => {
  const cases: [string, string, number][] = [
    ['(', 'missing closing parenthesis', 1],
    ['(a', 'missing closing parenthesis', 2],
    [')', 'unmatched closing parenthesis', 0],
    ['a)', 'unmatched closing parenthesis', 1],
    ['*a', 'quantifier does not follow a repeatable item', 0],
    ['a**', 'quantifier does not follow a repeatable item', 2],
    ['a{1,2}{3}', 'quantifier does not follow a repeatable item', 8],
    ['a{2,1}', 'numbers out of order in {} quantifier', 5],
    ['\\', '\\ at end of pattern', 1],
    ['[z-a]', 'range out of order in character class', 3],
    ['x[', 'missing terminating ] for character class', 2],
    ['(?z)', 'unrecognized character after (? or (?-', 2],
    ['[[:foo:]]', 'unknown POSIX class name', 3],
  ];
  for (const [p, msg, off] of cases) assert.equal(regexError(p), `regex '${p}' is invalid (error=${msg}, erroffset=${off})`, p);
});

test('valid PCRE that JavaScript would refuse is accepted', () => {
  for (const p of ['(?P<n>a)', 'a++', '(?>a)', '(?i)abc', '(?<=a)b', "(?'n'a)", '(*UTF)a', '\\Q(\\E', 'a{,3}', '[]a]', '(?#c)a', '^a$', 'a*?']) {
    assert.equal(regexError(p), undefined, p);
  }
});
