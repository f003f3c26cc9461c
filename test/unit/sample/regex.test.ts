import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pcreSyntaxError, regexErrorText } from '../../../src/sample/regex.js';

const check = (re: string) => {
  const e = pcreSyntaxError(re);
  return e ? regexErrorText(re, e) : 'ok';
};

test('PCRE2 syntax accepted even where JavaScript differs', () => {
  for (const re of ['a++', '(?>a)', '\\Aa\\z', '(?i)a', '(?P<n>a)', '\\h', 'a{1', 'a{,3}', '\\Q(\\E', '[[:alpha:]]', '(*UTF)a', ']', '{', '(?|a)', '(?<=a|bc)d', '(?<=a{2})d', 'a{2}+', '[]a]', '\\_', '\\0', '^/(here)(/|$)']) {
    assert.equal(check(re), 'ok', re);
  }
});

test('PCRE2 errors with its messages and offsets (as haproxy 2.6 prints them)', () => {
  const cases: Record<string, string> = {
    '(': 'missing closing parenthesis, erroffset=1',
    'a)': 'unmatched closing parenthesis, erroffset=1',
    '[a': 'missing terminating ] for character class, erroffset=2',
    '[]': 'missing terminating ] for character class, erroffset=2',
    'a**': 'quantifier does not follow a repeatable item, erroffset=2',
    '^*': 'quantifier does not follow a repeatable item, erroffset=1',
    'a{2}{3}': 'quantifier does not follow a repeatable item, erroffset=6',
    '(*)': 'quantifier does not follow a repeatable item, erroffset=1',
    'a{2,1}': 'numbers out of order in {} quantifier, erroffset=5',
    'x{99999}': 'number too big in {} quantifier, erroffset=7',
    'a\\': '\\ at end of pattern, erroffset=2',
    '\\c': '\\c at end of pattern, erroffset=2',
    '(?<n': 'syntax error in subpattern name (missing terminator?), erroffset=4',
    '(?<1n>a)': 'subpattern name must start with a non-digit, erroffset=3',
    '(?z)': 'unrecognized character after (? or (?-, erroffset=2',
    '[z-a]': 'range out of order in character class, erroffset=3',
    '[a-\\d]': 'invalid range in character class, erroffset=5',
    '[[:alpha:]-z]': 'invalid range in character class, erroffset=10',
    '[[:foo:]]': 'unknown POSIX class name, erroffset=3',
    '(a)\\2': 'reference to non-existent subpattern, erroffset=4',
    '\\g1': 'reference to non-existent subpattern, erroffset=2',
    '\\k<x>': 'reference to non-existent subpattern, erroffset=3',
    '\\i': 'unrecognized character follows \\, erroffset=1',
    '\\u': 'PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u, erroffset=2',
    '\\o': 'missing opening brace after \\o, erroffset=1',
    '[\\x{100}]': 'character code point value in \\x{} or \\o{} is too large, erroffset=7',
    'xyz(?<!ab*)d': 'lookbehind assertion is not fixed length, erroffset=3',
    '(*FOO)a': '(*VERB) not recognized or malformed, erroffset=5',
  };
  for (const [re, msg] of Object.entries(cases)) assert.equal(check(re), `regex '${re}' is invalid (error=${msg})`, re);
});
