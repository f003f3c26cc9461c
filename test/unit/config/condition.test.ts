/**
 * The condition evaluator of `.if`/`.elif` and `-cc` (src/config/condition.ts,
 * configuration.txt 2.4). Each value and each message was first observed with
 * `haproxy -cc '<condition>'` (2.6.12): exit 0 true, 1 false, 2 error with
 * "Failed to evaluate condition: <message>".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCondition } from '../../../src/config/condition.js';

const vars: Record<string, string> = { TESTVAR: '1', EMPTY: '' };
const env = (name: string): string | undefined => vars[name];

function value(text: string): boolean {
  const r = evaluateCondition(text, env);
  if ('error' in r) assert.fail(`'${text}': unexpected error ${r.error.message}`);
  return r.value;
}

function error(text: string): string {
  const r = evaluateCondition(text, env);
  if ('value' in r) assert.fail(`'${text}': evaluated to ${r.value}, an error was expected`);
  return r.error.message;
}

test('the regtest check_condition.vtc', () => {
  assert.equal(value('version_atleast(2.4)'), true);
  assert.equal(value('version_atleast(1024)'), false);
  assert.equal(value("streq(foo,'foo')"), true);
  assert.equal(value(`streq("foo bar",'foo bar')`), true);
  assert.equal(value('streq(foo,bar)'), false);
  assert.equal(value('defined(TESTVAR) && streq("1","1")'), true);
  assert.equal(value('feature(OPENSSL) || !feature(OPENSSL)'), true);
  assert.equal(value('1&&!0&&!((streq(a,b)||!streq(a,a)&&1)||strneq(a,a))'), true);
  assert.equal(value('1   &&!   0&&    !((streq(a,b)||!streq(a,a)&&1)||strneq(a,a))'), true);
  assert.equal(value('1 && !0 && !((streq(a,b) || !streq(a,a) && 1) || strneq(a,a))'), true);
  assert.equal(value('1 && !0 && !((streq(a,b) || !streq(a,a) && 1) || strneq(a,b))'), false);
  assert.equal(value('1 && !0 && !((streq(a,a) || !streq(a,a) && 1) || strneq(a,a))'), false);
  assert.equal(value(''), false);
  assert.equal(value('-1000 && 200'), true);
});

test('integers: strtoll with base 0 (decimal, 0x hexadecimal, 0 octal, a sign)', () => {
  assert.equal(value('0'), false);
  assert.equal(value('017'), true);
  assert.equal(value('0x1F'), true);
  assert.equal(value('0x0'), false);
  assert.equal(value('+5'), true);
  // '08' is octal 0 followed by an unexpected '8'
  assert.equal(error('08'), "unexpected character '8' at the end of conditional expression '08'");
  assert.equal(error('0x'), "unexpected character 'x' at the end of conditional expression '0x'");
  assert.equal(error('- 5'), "unparsable conditional expression '- 5'");
});

test('predicates', () => {
  assert.equal(value('defined(TESTVAR)'), true);
  assert.equal(value('defined(EMPTY)'), true);
  assert.equal(value('defined(NOPE_NOT_SET)'), false);
  assert.equal(value('defined()'), false);
  assert.equal(value('defined'), false);
  assert.equal(value('strneq(a,b)'), true);
  assert.equal(value('strneq(a,a)'), false);
  // spaces are part of the arguments
  assert.equal(value('streq(a, a)'), false);
  assert.equal(value('streq( a,a)'), false);
  assert.equal(value('streq(a b,a b)'), true);
  assert.equal(value('version_atleast(2.6)'), true);
  assert.equal(value('version_atleast(2.6.12)'), true);
  assert.equal(value('version_atleast(2.6.13)'), false);
  assert.equal(value('version_atleast(2.6-dev0)'), true);
  assert.equal(value('version_atleast(2.6.12-dev1)'), true);
  assert.equal(value('version_before(2.6.13-dev1)'), true);
  assert.equal(value('version_before(2.7)'), true);
  assert.equal(value('version_before(2.6.12)'), false);
  assert.equal(value('version_before(x)'), false);
  assert.equal(value('version_atleast(abc)'), true);
  assert.equal(value('version_atleast()'), true);
  assert.equal(value('feature(OPENSSL)'), true);
  assert.equal(value('feature(openssl)'), false);
  assert.equal(value('feature(OPEN)'), false);
  assert.equal(value('feature(-LUA)'), false);
  assert.equal(value('ssllib_name_startswith(OpenSSL)'), true);
});

test('feature() with an empty name is true (every feature list "contains" it)', () => {
  assert.equal(value('feature()'), true);
});

test('predicate names are case-sensitive', () => {
  assert.equal(error('STREQ(a,a)'), "unparsable conditional expression 'STREQ(a,a)'");
});

test('argument errors', () => {
  assert.equal(error('streq(a)'), "missing arguments (got 1/2), type 'string' expected in argument 1 of predicate 'streq' used in conditional expression");
  assert.equal(error('streq()'), "missing arguments (got 1/2), type 'string' expected in argument 1 of predicate 'streq' used in conditional expression");
  assert.equal(error('defined(A,B)'), "expected ')' before ',B)' in argument 1 of predicate 'defined' used in conditional expression");
  // HAProxy names argument 1 here too, not 2.
  assert.equal(error('streq(a,b,c)'), "expected ')' before ',c)' in argument 1 of predicate 'streq' used in conditional expression");
  assert.equal(error('version_atleast(2.6'), "expected ')' in argument 1 of predicate 'version_atleast' used in conditional expression");
  assert.equal(error("streq(a,'a)"), "expected ')' in argument 1 of predicate 'streq' used in conditional expression");
});

test('trailing characters', () => {
  assert.equal(error('200rrr'), "unexpected character 'r' at the end of conditional expression '200rrr'");
  assert.equal(error('!(0))'), "unexpected character ')' at the end of conditional expression '!(0))'");
  assert.equal(error('streq(a,b) streq(a,a)'), "unexpected character 's' at the end of conditional expression 'streq(a,b) streq(a,a)'");
  assert.equal(error('1 | 0'), "unexpected character '|' at the end of conditional expression '1 | 0'");
});

test('a missing operand: where HAProxy points', () => {
  // after '&&': the operator
  assert.equal(error('1 &&'), "unparsable conditional expression '&&'");
  assert.equal(error('1 || 0 &&'), "unparsable conditional expression '&&'");
  // after '||': the start of the expression (or of its parenthesis)
  assert.equal(error('1 ||'), "unparsable conditional expression '1 ||'");
  assert.equal(error('0 && 1 ||'), "unparsable conditional expression '0 && 1 ||'");
  assert.equal(error('1 && 2 || '), "unparsable conditional expression '1 && 2 || '");
  assert.equal(error('(1 ||'), "unparsable conditional expression '(1 ||'");
  assert.equal(error('1 && (0 ||'), "unparsable conditional expression '(0 ||'");
  assert.equal(error('streq(a,b) ||'), "unparsable conditional expression 'streq(a,b) ||'");
  // after '!': the first '!'
  assert.equal(error('!'), "unparsable conditional expression '!'");
  assert.equal(error('!!'), "unparsable conditional expression '!!'");
  assert.equal(error('1 && !!'), "unparsable conditional expression '!!'");
  assert.equal(error('streq(a,b) || !'), "unparsable conditional expression '!'");
  // nothing before an operator, inside or after a parenthesis
  assert.equal(error('&& 1'), "unparsable conditional expression '&& 1'");
  assert.equal(error('()'), "unparsable conditional expression ')'");
  assert.equal(error('(!'), "unparsable conditional expression '!'");
  assert.equal(error('1 && ('), "unparsable conditional expression '('");
});

test("a parenthesis never closed: \"expected ')' after\" the term, '!' included", () => {
  assert.equal(error('(1 && (0 || 1)'), "expected ')' after conditional expression '(1 && (0 || 1)'");
  assert.equal(error('1 && (0 || 1'), "expected ')' after conditional expression '(0 || 1'");
  assert.equal(error('1 || (0'), "expected ')' after conditional expression '(0'");
  assert.equal(error('!(1'), "expected ')' after conditional expression '!(1'");
  assert.equal(error('((1)'), "expected ')' after conditional expression '((1)'");
  assert.equal(error(' ( 1'), "expected ')' after conditional expression ' ( 1'");
});

test('errors carry the index where the quoted text starts (the position of .if messages)', () => {
  const at = (text: string): number => {
    const r = evaluateCondition(text, env);
    assert.ok('error' in r, text);
    return r.error.index;
  };
  assert.equal(at('foo'), 0);
  assert.equal(at('200rrr'), 3);
  assert.equal(at('!(0))'), 4);
  assert.equal(at('1 &&'), 2);
});
