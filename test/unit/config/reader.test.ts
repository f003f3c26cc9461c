/**
 * The reader (src/config/reader.ts): lines into statements, the conditional blocks and the
 * messages of configuration.txt 2.4, the end-of-line rules. Every expectation here was first
 * observed with haproxy 2.6.12 on the same text (`haproxy -c -f t.cfg`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Diagnostics, locatedMessage } from '../../../src/config/diagnostics.js';
import { ConfigEnvironment } from '../../../src/config/environment.js';
import { listConfigFiles, readConfigText, type ReadOutcome, type StatementConsumer } from '../../../src/config/reader.js';
import type { Statement } from '../../../src/config/types.js';

interface Read {
  outcome: ReadOutcome;
  /** "line: word word" for each statement handed to the consumer. */
  statements: string[];
  /** "severity: parsing [t.cfg:N]: message" */
  messages: string[];
  env: ConfigEnvironment;
}

/**
 * Reads `text` as t.cfg with a consumer that records statements, opens a "section" on the
 * words global/frontend/backend/listen (for ${.SECTION}), and runs setenv/unsetenv like the
 * global section does.
 */
function read(text: string, vars: Record<string, string> = {}): Read {
  const env = new ConfigEnvironment(vars);
  const diag = new Diagnostics(false);
  const statements: string[] = [];
  let section = '';
  const consumer: StatementConsumer = {
    statement(st: Statement) {
      statements.push(`${st.where.line}: ${st.words.join(' ')}`);
      const [kw, a, b] = st.words;
      if (kw === 'global') section = 'global';
      else if (kw === 'frontend' || kw === 'backend' || kw === 'listen') section = a ?? kw;
      else if (kw === 'setenv' && a !== undefined) env.set(a, b ?? '');
      else if (kw === 'unsetenv' && a !== undefined) env.unset(a);
    },
    sectionName: () => section,
    endFile: () => void (section = ''),
    aborted: () => false,
  };
  const outcome = readConfigText('t.cfg', text, env, diag, consumer);
  const messages = diag.list.map((d) => `${d.severity}: ${locatedMessage(d)}`);
  return { outcome, statements, messages, env };
}

test('statements carry their words and line numbers; comments and blank lines are skipped', () => {
  const r = read('# header\nglobal\n\n   \t\n    maxconn 10   # ten\nfrontend fe\n  bind :80\n');
  assert.deepEqual(r.statements, ['2: global', '5: maxconn 10', '6: frontend fe', '7: bind :80']);
  assert.deepEqual(r.messages, []);
  assert.equal(r.outcome, 'ok');
});

test('CRLF line endings read as LF', () => {
  const r = read('global\r\n    maxconn 10\r\n');
  assert.deepEqual(r.statements, ['1: global', '2: maxconn 10']);
  assert.deepEqual(r.messages, []);
});

test('a last line without LF is refused, with its length + 1 as position', () => {
  const r = read('global\n    maxconn 10');
  assert.deepEqual(r.messages, ['alert: parsing [t.cfg:2]: Missing LF on last line, file might have been truncated at position 15.']);
  assert.notEqual(r.outcome, 'ok');
});

test('a NUL on the last line: the part before it is still parsed, then "Missing LF on last line"', () => {
  // haproxy: "unknown keyword 'maxc' in 'global' section" then the Missing LF alert, both on line 2.
  const r = read('global\n  maxc\0onn 10\n');
  assert.deepEqual(r.statements, ['1: global', '2: maxc']);
  assert.deepEqual(r.messages, ['alert: parsing [t.cfg:2]: Missing LF on last line, file might have been truncated at position 7.']);
});

test('a NUL on a line that is not the last: the part before it is parsed, then "Stray NUL character", and the file ends there', () => {
  const r = read('global\n  maxconn 10\0 # rest\n  nbthread 1\n');
  assert.deepEqual(r.statements, ['1: global', '2: maxconn 10']);
  assert.deepEqual(r.messages, ['alert: parsing [t.cfg:2]: Stray NUL character at position 13.']);
});

test('lexer errors are reported per line and reading goes on', () => {
  const r = read('global\n  foo "bar\n  \\xZZ\n  maxconn 1\n');
  assert.deepEqual(r.statements, ['1: global', '4: maxconn 1']);
  assert.equal(r.messages.length, 2);
  assert.match(r.messages[0]!, /^alert: parsing \[t\.cfg:2\]: unmatched quote at position 7:/);
  assert.match(r.messages[1]!, /^alert: parsing \[t\.cfg:3\]: truncated or invalid hexadecimal sequence at position 3:/);
  assert.equal(r.outcome, 'errors');
});

test('the caret display: the line without its leading blanks, indented by two spaces', () => {
  const r = read('global\n\t  \t maxconn "abc\n');
  assert.equal(r.messages[0], 'alert: parsing [t.cfg:2]: unmatched quote at position 14:\n  maxconn "abc\n          ^');
});

test('the caret display of a long line: 80 characters around the error, with "..."', () => {
  const early = read('global\n  ' + 'a'.repeat(30) + ' "' + 'b'.repeat(100) + '\n');
  assert.equal(early.messages[0], `alert: parsing [t.cfg:2]: unmatched quote at position 34:\n  ${'a'.repeat(30)} "${'b'.repeat(48)}\n  ${' '.repeat(31)}^`);
  const late = read('global\n  ' + 'a'.repeat(120) + ' "' + 'b'.repeat(10) + '\n');
  assert.equal(late.messages[0], `alert: parsing [t.cfg:2]: unmatched quote at position 124:\n  ...${'a'.repeat(36)} "${'b'.repeat(10)}...\n  ${' '.repeat(40)}^`);
});

test('variables: set by earlier statements, pseudo-variables .FILE .LINE .SECTION', () => {
  const r = read('global\n  setenv A one\n  x "${A}" "${.FILE}" "${.LINE}" "${.SECTION}"\n  unsetenv A\n  y "${A-gone}"\nfrontend fe\n  z "${.SECTION}"\n', {});
  assert.deepEqual(r.statements.slice(2), ['3: x one t.cfg 3 global', '4: unsetenv A', '5: y gone', '6: frontend fe', '7: z fe']);
});

test('.if/.elif/.else: only the first true branch is read, nested blocks follow their parent', () => {
  const r = read(
    ['.if 0', 'a', '.elif 1', 'b', '  .if 1', 'c', '  .else', 'd', '  .endif', '.elif 1', 'e', '.else', 'f', '.endif', '.if 0', '  .if 1', 'g', '  .endif', '.else', 'h', '.endif', ''].join('\n'),
  );
  assert.deepEqual(r.statements, ['4: b', '6: c', '20: h']);
  assert.deepEqual(r.messages, []);
});

test('lines of skipped blocks are still cut into words: their lexer errors count', () => {
  const r = read('.if 0\n  foo "bar\n.endif\n');
  assert.match(r.messages[0]!, /^alert: parsing \[t\.cfg:2\]: unmatched quote at position 7:/);
});

test('skipped blocks: conditions, unknown directives and messages are not looked at', () => {
  const r = read('.if 0\n  .if this is not parsed\n  .endif\n.bogus\n.alert "x"\n.warning two words\n.endif\n.if 1\n.elif foo(\n.endif\nglobal\n');
  assert.deepEqual(r.messages, []);
  assert.deepEqual(r.statements, ['11: global']);
});

test('conditions: words joined by one space, so spaces inside arguments count', () => {
  // haproxy: streq(a, a) is false (the second argument is " a").
  assert.deepEqual(read('.if streq(a, a)\nx\n.endif\n').statements, []);
  assert.deepEqual(read('.if streq(a,a)\nx\n.endif\n').statements, ['2: x']);
  assert.deepEqual(read('.if streq("a b",a b)\nx\n.endif\n').statements, ['2: x']);
  // an empty condition is false; a comment ends the condition
  assert.deepEqual(read('.if\nx\n.endif\n').statements, []);
  assert.deepEqual(read('.if 1 # comment\nx\n.endif\n').statements, ['2: x']);
});

test('lone .endif / .else / .elif stop the reading', () => {
  for (const [d, msg] of [
    ['.endif', "lone '.endif' with no matching '.if'."],
    ['.else', "lone '.else' with no matching '.if'."],
    ['.elif 1', "lone '.elif' with no matching '.if'."],
  ] as const) {
    const r = read(`global\n${d}\nfoo\n`);
    assert.deepEqual(r.messages, [`alert: parsing [t.cfg:2]: ${msg}`], d);
    assert.deepEqual(r.statements, ['1: global'], d);
    assert.equal(r.outcome, 'aborted', d);
  }
});

test('.else after .else, .elif after .else', () => {
  const a = read('.if 0\n.else\n.else\n.endif\n');
  assert.deepEqual(a.messages, ["alert: parsing [t.cfg:3]: '.else' after '.else' is not permitted."]);
  assert.equal(a.outcome, 'aborted');
  const b = read('.if 0\n.else\n.elif 1\n.endif\n');
  assert.deepEqual(b.messages, ["alert: parsing [t.cfg:3]: '.elif' after '.else' is not permitted."]);
});

test('.endif and .else take no argument: the block is then left open', () => {
  const e = read('.if 1\n.endif 1\n');
  assert.deepEqual(e.messages, ["alert: parsing [t.cfg:2]: Unexpected argument '1' for '.endif'.", "alert: parsing [t.cfg:2]: non-terminated '.if' block."]);
  const l = read('.if 1\n.else 1\n.endif\n');
  assert.deepEqual(l.messages, ["alert: parsing [t.cfg:2]: Unexpected argument '1' for '.else'.", "alert: parsing [t.cfg:2]: non-terminated '.if' block."]);
});

test('a block still open at the end of the file: the last line is named (blank lines count)', () => {
  const r = read('.if 1\nglobal\n\n\n');
  assert.deepEqual(r.messages, ["alert: parsing [t.cfg:4]: non-terminated '.if' block."]);
  assert.equal(r.outcome, 'aborted');
});

test('unparsable conditions stop the reading, with the expression and a position', () => {
  const u = read('.if foo\nx\n.endif\n');
  assert.equal(u.messages[0], "alert: parsing [t.cfg:1]: unparsable conditional expression 'foo' in '.if' at position 1:\n  .if foo\n      ^");
  assert.equal(u.outcome, 'aborted');
  // the line shown is '.if ' and the words of the condition joined by one space
  const spaced = read('   .if   foo\n.endif\n');
  assert.equal(spaced.messages[0], "alert: parsing [t.cfg:1]: unparsable conditional expression 'foo' in '.if' at position 1:\n  .if foo\n      ^");
  const t = read('.if !(0))\n.endif\n');
  assert.equal(t.messages[0], "alert: parsing [t.cfg:1]: unexpected character ')' at the end of conditional expression '!(0))' in '.if' at position 5:\n  .if !(0))\n          ^");
  const d = read('.if 1 &&\n.endif\n');
  assert.match(d.messages[0]!, /^alert: parsing \[t\.cfg:1\]: unparsable conditional expression '&&' in '\.if' at position 3:/);
  const p = read('.if (1 && (0 || 1)\n.endif\n');
  assert.match(p.messages[0]!, /^alert: parsing \[t\.cfg:1\]: expected '\)' after conditional expression '\(1 && \(0 \|\| 1\)' in '\.if' at position 1:/);
  const e = read('.if 0\n.elif also(bad\n.endif\n');
  assert.match(e.messages[0]!, /^alert: parsing \[t\.cfg:2\]: unparsable conditional expression 'also\(bad' in '\.elif' at position 1:/);
});

test('predicate argument errors', () => {
  const m = read('.if streq(a)\n.endif\n');
  assert.equal(m.messages[0], "alert: parsing [t.cfg:1]: missing arguments (got 1/2), type 'string' expected in argument 1 of predicate 'streq' used in conditional expression in '.if' at position 8:\n  .if streq(a)\n             ^");
  const q = read(`.if streq(a,"'a")\n.endif\n`);
  assert.match(q.messages[0]!, /^alert: parsing \[t\.cfg:1\]: expected '\)' in argument 1 of predicate 'streq' used in conditional expression in '\.if' at position 12:/);
});

test('.alert stops everything; .warning, .notice, .diag are messages', () => {
  const a = read('.alert "stop here"\nfoo\n');
  assert.deepEqual(a.messages, ["alert: parsing [t.cfg:1]: 'stop here'."]);
  assert.deepEqual(a.statements, []);
  assert.equal(a.outcome, 'aborted');
  const m = read('.warning "w"\n.notice "n"\n.diag "d"\n.alert\nx\n');
  assert.deepEqual(m.messages, ["warning: parsing [t.cfg:1]: 'w'.", "notice: parsing [t.cfg:2]: 'n'.", "diag: parsing [t.cfg:3]: 'd'.", "alert: parsing [t.cfg:4]: ''."]);
});

test('a message of several unquoted words is an error, and reading goes on', () => {
  const r = read('.warning two words\nfoo\n');
  assert.deepEqual(r.messages, ["alert: parsing [t.cfg:1]: Unexpected argument 'words' for '.warning'. Use quotes if the message should contain spaces."]);
  assert.deepEqual(r.statements, ['2: foo']);
});

test('an unknown directive stops the reading of this file', () => {
  const r = read('.bogus\nfoo\n');
  assert.deepEqual(r.messages, ["alert: parsing [t.cfg:1]: unknown directive '.bogus'."]);
  assert.deepEqual(r.statements, []);
});

test('listConfigFiles: files as given, directories as <dir>/<name>.cfg in lexical order', () => {
  const d = mkdtempSync(join(tmpdir(), 'portier-reader-'));
  try {
    mkdirSync(join(d, 'conf.d'));
    for (const n of ['10.cfg', '9.cfg', 'A.cfg', 'b.cfg', '.hidden.cfg', 'c.conf']) writeFileSync(join(d, 'conf.d', n), '');
    mkdirSync(join(d, 'conf.d', 'sub.cfg'));
    writeFileSync(join(d, 'x.conf'), '');
    const dir = join(d, 'conf.d');
    assert.deepEqual(listConfigFiles([join(d, 'x.conf'), dir]), { files: [join(d, 'x.conf'), ...['10', '9', 'A', 'b'].map((n) => `${dir}/${n}.cfg`)] });
    // HAProxy does not normalise: "dir/" gives "dir//10.cfg".
    assert.deepEqual((listConfigFiles([dir + '/']) as { files: string[] }).files[0], `${dir}//10.cfg`);
    assert.deepEqual(listConfigFiles([join(d, 'missing.cfg')]), { error: `Cannot open configuration file/directory ${join(d, 'missing.cfg')} : No such file or directory` });
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
