/** PCRE2 syntax checks and the JavaScript translation (acl/regex.ts), checked against haproxy 2.6.12. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRegex } from '../../../src/acl/regex.js';

const err = (p: string, opts = { noCapture: true }) => {
  const r = compileRegex(p, opts);
  return 'error' in r ? r.error : 'OK';
};
const bad = (p: string, msg: string, off: number) => `regex '${p}' is invalid (error=${msg}, erroffset=${off})`;

test('PCRE2 errors with their offsets', () => {
  const cases: [string, string, number][] = [
    ['(', 'missing closing parenthesis', 1],
    ['a)', 'unmatched closing parenthesis', 1],
    ['a{2,1}', 'numbers out of order in {} quantifier', 5],
    ['a{70000}', 'number too big in {} quantifier', 7],
    ['a**', 'quantifier does not follow a repeatable item', 2],
    ['a{2}{3}', 'quantifier does not follow a repeatable item', 6],
    ['^*', 'quantifier does not follow a repeatable item', 1],
    ['\\i', 'unrecognized character follows \\', 1],
    ['\\L', 'PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', 2],
    ['a\\', '\\ at end of pattern', 2],
    ['[a', 'missing terminating ] for character class', 2],
    ['[z-a]', 'range out of order in character class', 3],
    ['[\\d-z]', 'invalid range in character class', 3],
    ['[[:foo:]]', 'unknown POSIX class name', 3],
    ['[:alpha:]', 'POSIX named classes are supported only within a class', 0],
    ['(?<=a+)b', 'lookbehind assertion is not fixed length', 0],
    ['(?<a>x)(?<a>y)', 'two named subpatterns have the same name (PCRE2_DUPNAMES not set)', 12],
    ['(?z)', 'unrecognized character after (? or (?-', 2],
    ['\\x{100}', 'character code point value in \\x{} or \\o{} is too large', 6],
    ['\\400', 'octal value is greater than \\377 in 8-bit non-UTF-8 mode', 4],
    ['(*FOO)', '(*VERB) not recognized or malformed', 5],
    ['\\p{Foo}', 'unknown property after \\P or \\p', 7],
    ['(?(DEFINE)a|b)', 'DEFINE subpattern contains more than one branch', 3],
  ];
  for (const [p, msg, off] of cases) assert.equal(err(p), bad(p, msg, off), p);
});

test('ACL regexes do not capture: "(a)\\1" names a group that does not exist', () => {
  assert.equal(err('(a)\\1'), bad('(a)\\1', 'reference to non-existent subpattern', 4));
  assert.equal(err('(a)\\1', { noCapture: false }), 'OK');
  assert.equal(err('(?<n>a)\\k<n>'), 'OK');
});

test('valid PCRE that JavaScript would refuse or read differently', () => {
  for (const p of ['a{,3}', '[]a]', '(?i)a', '\\Qa.b\\E*', 'x\\Q\\E*', '[[:alpha:]_-]+', '(?<=a|bc)d', 'a++', '(?>a)', '\\h\\R', '(?(?=a)a|b)', '(*UTF)a'])
    assert.equal(err(p), 'OK', p);
});

test('the JavaScript translation keeps the PCRE meaning', () => {
  const js = (p: string, opts = {}) => {
    const r = compileRegex(p, opts);
    assert.ok(!('error' in r), p);
    return new RegExp(r.source, r.flags);
  };
  assert.ok(js('^/static/.*\\.(css|js)$').test('/static/a.css\n')); // '$' before a final newline
  assert.ok(!js('^a.c$').test('a\nc')); // '.' does not match a newline
  assert.ok(js('(?i)^mozilla').test('MoZilla/5.0'));
  assert.ok(js('ab(?i)c|d').test('D')); // (?i) applies to the following alternatives of the group
  assert.ok(!js('ab(?i)c|d').test('aBc'));
  assert.ok(js('x', { caseless: true }).test('X'));
  assert.ok(!js('\\s').test('\xa0')); // no-break space is not \s in PCRE
  assert.ok(js('[[:digit:]]{3}').test('123'));
  assert.ok(js('a{,3}').test('a{,3}')); // not a quantifier in PCRE2 10.42
  assert.ok(js('\\Qa.b\\E').test('a.b') && !js('\\Qa.b\\E').test('axb'));
  const untranslated = compileRegex('(?>a)b');
  assert.ok(!('error' in untranslated) && untranslated.untranslated === 'atomic groups (?>...)');
});
