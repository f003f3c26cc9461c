/**
 * Garbage in: whatever is given as configuration, `portier -c` answers with a clear message in
 * HAProxy's words, exits 1, and never prints a stack trace, in bounded time. Each expected
 * message below was taken from haproxy 2.6.12 on the same input.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { PORTIER, portier, run, type RunResult } from '../helpers/run.js';
import { looksLikeCrash } from '../compat/corpus.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'portier-garbage-'));
  // Let another user (the unreadable-file case) reach the files of this directory.
  chmodSync(dir, 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, data: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

/** The common contract: exit 1, at least one [ALERT], no JavaScript stack trace or Node error. */
function assertRefused(r: RunResult, what: string): void {
  assert.equal(r.signal, null, `${what}: killed (${r.signal}), probably by the time limit`);
  assert.ok(!looksLikeCrash(r.stderr), `${what}: stack trace or internal error on stderr:\n${r.stderr.slice(0, 4000)}`);
  assert.equal(r.code, 1, `${what}: exit status ${r.code}\n${r.stderr.slice(0, 4000)}`);
}

/** A reproducible byte stream (xorshift32), so that a failure can be replayed. */
function pseudoRandomBytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

test('random bytes: alerts on the lines, exit 1', async () => {
  for (const seed of [1, 42, 2024]) {
    const p = file(`random-${seed}.cfg`, pseudoRandomBytes(64 * 1024, seed));
    const r = await portier(['-c', '-f', p]);
    assertRefused(r, `random bytes (seed ${seed})`);
    assert.match(r.stderr, new RegExp(`\\[ALERT\\] +\\(\\d+\\) : config : parsing \\[${escapeRe(p)}:\\d+\\]`));
  }
});

test('a binary file (a copy of /bin/ls): refused from its first line', async (t) => {
  if (!existsSync('/bin/ls')) return t.skip('/bin/ls not found');
  const p = join(dir, 'ls.cfg');
  copyFileSync('/bin/ls', p);
  const r = await portier(['-c', '-f', p]);
  assertRefused(r, 'binary file');
  // HAProxy: "parsing [ls.cfg:1]: unknown keyword '\x7fELF...' out of section."
  assert.match(r.stderr, new RegExp(`parsing \\[${escapeRe(p)}:1\\]`));
});

test('a 10 MB line: read whole, reported, in bounded time', async () => {
  const p = file('long-line.cfg', 'global\n    ' + 'x'.repeat(10 * 1024 * 1024) + '\n');
  const r = await portier(['-c', '-f', p], { timeoutMs: 60_000 });
  assertRefused(r, '10 MB line');
  assert.match(r.stderr, new RegExp(`parsing \\[${escapeRe(p)}:2\\] : unknown keyword 'xxxxxxxxxx`));
});

test('a 1 MB line with an unmatched quote: the caret display stays short', async () => {
  const p = file('long-quote.cfg', 'global\n    maxconn "' + 'x'.repeat(1024 * 1024) + '\n');
  const r = await portier(['-c', '-f', p], { timeoutMs: 60_000 });
  assertRefused(r, '1 MB line with a quote');
  assert.match(r.stderr, new RegExp(`parsing \\[${escapeRe(p)}:2\\]: unmatched quote at position 13:`));
  // HAProxy shows at most 80 characters of the line around the error.
  assert.ok(r.stderr.length < 4096, `the whole line was printed (${r.stderr.length} bytes on stderr)`);
});

test('a missing file', async () => {
  const p = join(dir, 'does-not-exist.cfg');
  const r = await portier(['-c', '-f', p]);
  assertRefused(r, 'missing file');
  assert.match(r.stderr, new RegExp(`\\[ALERT\\] +\\(\\d+\\) : config : Cannot open configuration file/directory ${escapeRe(p)} : No such file or directory`));
});

test('an unreadable file (mode 000)', async (t) => {
  const p = file('unreadable.cfg', 'global\n    maxconn 100\n');
  chmodSync(p, 0o000);
  let r: RunResult;
  if (userInfo().uid !== 0) {
    r = await portier(['-c', '-f', p]);
  } else if (existsSync('/usr/bin/setpriv')) {
    // root reads anything: run the child as nobody.
    r = await run('/usr/bin/setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', PORTIER, '-c', '-f', p], {
      env: { ...process.env, NODE_COMPILE_CACHE: '' },
    });
    if (/setpriv: /.test(r.stderr)) return t.skip(`cannot switch to nobody: ${r.stderr.trim()}`);
  } else {
    return t.skip('running as root without setpriv: root can read a mode 000 file');
  }
  assertRefused(r, 'unreadable file');
  assert.match(r.stderr, new RegExp(`\\[ALERT\\] +\\(\\d+\\) : config : Could not open configuration file ${escapeRe(p)} : Permission denied`));
});

test('a directory without any .cfg file: usage, exit 1', async () => {
  const d = join(dir, 'no-cfg');
  mkdirSync(d);
  writeFileSync(join(d, 'haproxy.conf'), 'global\n');
  writeFileSync(join(d, '.hidden.cfg'), 'global\n');
  const r = await portier(['-c', '-f', d]);
  assertRefused(r, 'directory without .cfg');
  assert.match(r.stderr, /Usage : \S+ \[-f <cfgfile\|cfgdir>\]\*/);
});

test('a directory of several .cfg files: read in lexical order, named <dir>/<file>', async () => {
  const d = join(dir, 'several');
  mkdirSync(d);
  for (const n of ['10', '9', 'A', 'b']) writeFileSync(join(d, `${n}.cfg`), `from_${n}\n`);
  writeFileSync(join(d, '.hidden.cfg'), 'from_hidden\n');
  writeFileSync(join(d, 'c.conf'), 'from_conf\n');
  mkdirSync(join(d, 'sub.cfg'));
  const r = await portier(['-c', '-f', d]);
  assertRefused(r, 'directory of .cfg files');
  const order = [...r.stderr.matchAll(/unknown keyword 'from_(\w+)' out of section/g)].map((m) => m[1]);
  assert.deepEqual(order, ['10', '9', 'A', 'b']);
  // HAProxy joins the directory and the name with a '/', without normalising: "./10.cfg",
  // "dir//10.cfg" for "dir/".
  const dot = await portier(['-c', '-f', '.'], { cwd: d });
  assert.match(dot.stderr, /parsing \[\.\/10\.cfg:1\]/);
  const slash = await portier(['-c', '-f', 'several/'], { cwd: dir });
  assert.match(slash.stderr, /parsing \[several\/\/10\.cfg:1\]/);
});

test('unbalanced quotes', async () => {
  const p = file('quotes.cfg', 'global\n    description "never closed\n');
  const r = await portier(['-c', '-f', p]);
  assertRefused(r, 'unbalanced quotes');
  assert.match(r.stderr, new RegExp(`parsing \\[${escapeRe(p)}:2\\]: unmatched quote at position 17:\n  description "never closed\n              \\^\n`));
});

test(".if without .endif", async () => {
  const p = file('open-if.cfg', 'global\n.if 1\n    maxconn 10\n');
  const r = await portier(['-c', '-f', p]);
  assertRefused(r, '.if without .endif');
  assert.match(r.stderr, new RegExp(`parsing \\[${escapeRe(p)}:3\\]: non-terminated '\\.if' block\\.`));
});

test('a NUL byte on a line that is not the last one: "Stray NUL character"', async () => {
  const p = file('nul.cfg', Buffer.from('global\n  maxconn 10\0 # rest\n  nbthread 1\n', 'latin1'));
  const r = await portier(['-c', '-f', p]);
  assertRefused(r, 'NUL byte');
  assert.match(r.stderr, new RegExp(`parsing \\[${escapeRe(p)}:2\\]: Stray NUL character at position 13\\.`));
});

test('a NUL byte on the last line: "Missing LF on last line"', async () => {
  const p = file('nul-last.cfg', Buffer.from('global\n  maxconn 10\0 # rest\n', 'latin1'));
  const r = await portier(['-c', '-f', p]);
  assertRefused(r, 'NUL byte on the last line');
  assert.match(r.stderr, new RegExp(`parsing \\[${escapeRe(p)}:2\\]: Missing LF on last line, file might have been truncated at position 13\\.`));
});

test('a file without final newline', async () => {
  const p = file('no-lf.cfg', 'global\n    maxconn 10');
  const r = await portier(['-c', '-f', p]);
  assertRefused(r, 'no final newline');
  assert.match(r.stderr, new RegExp(`parsing \\[${escapeRe(p)}:2\\]: Missing LF on last line, file might have been truncated at position 15\\.`));
});

test('an empty -f argument and a -f without value', async () => {
  const r1 = await portier(['-c', '-f', '']);
  assertRefused(r1, "-f ''");
  assert.match(r1.stderr, /Cannot open configuration file\/directory  : No such file or directory/);
  const r2 = await portier(['-c', '-f']);
  // haproxy 2.6 says "failed to copy argv." here; any clear refusal will do.
  assertRefused(r2, '-f without value');
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
