/**
 * The command line, compared with haproxy's where it makes sense (management.txt 3). Each
 * expectation is written once and applied to Portier, and to /usr/sbin/haproxy when it is
 * installed, so that the test proves the expectation is HAProxy's behaviour and not a guess.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portier, run, type RunResult } from '../helpers/run.js';
import { exchange, waitForListener } from '../helpers/process.js';
import { HAPROXY, looksLikeCrash } from '../compat/corpus.js';
import { spawn } from 'node:child_process';
import { PORTIER } from '../helpers/run.js';

const haveHaproxy = existsSync(HAPROXY);
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'portier-flags-'));
  writeFileSync(join(dir, 'ok.cfg'), 'frontend fe\n    bind 127.0.0.1:8080\n    timeout client 5s\n');
  // missing timeouts: a warning, no error
  writeFileSync(join(dir, 'warn.cfg'), 'frontend fe\n    bind 127.0.0.1:8080\n');
  writeFileSync(join(dir, 'bad.cfg'), 'frontend fe\n    bind 127.0.0.1:8080\n    timeout client 5x\n');
  writeFileSync(join(dir, 'nolistener.cfg'), 'backend be\n    server s1 127.0.0.1:9000\n');
  writeFileSync(join(dir, 'peer.cfg'), '.if streq("${HAPROXY_LOCALPEER}",mypeer)\n.alert "peer is mypeer"\n.else\n.alert "peer is ${HAPROXY_LOCALPEER}"\n.endif\n');
  writeFileSync(join(dir, 'cfgfiles.cfg'), '.alert "files=[${HAPROXY_CFGFILES}]"\n');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'inner.cfg'), '.alert "read inner.cfg"\n');
  mkdirSync(join(dir, 'conf.d'));
  for (const n of ['20-b', '10-a', '3-c']) writeFileSync(join(dir, 'conf.d', `${n}.cfg`), `.notice "${n}"\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

type Check = (r: RunResult, who: string) => void;

/** Runs the same command line with Portier and (if installed) haproxy, and checks both. */
async function same(args: readonly string[], check: Check, opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<void> {
  const o = { cwd: opts.cwd ?? dir, env: { ...process.env, ...opts.env } };
  if (haveHaproxy) check(await run(HAPROXY, args, o), 'haproxy');
  const r = await portier(args, o);
  assert.ok(!looksLikeCrash(r.stderr), `portier crashed:\n${r.stderr}`);
  check(r, 'portier');
}

const exits = (code: number): Check => (r, who) => assert.equal(r.code, code, `${who}: exit ${r.code}, expected ${code}\n${r.stderr}`);
const both = (...checks: Check[]): Check => (r, who) => checks.forEach((c) => c(r, who));
const stderrMatches = (re: RegExp): Check => (r, who) => assert.match(r.stderr, re, `${who} stderr`);
const stdoutMatches = (re: RegExp): Check => (r, who) => assert.match(r.stdout, re, `${who} stdout`);
const alerts = (r: RunResult): string[] => r.stderr.split('\n').filter((l) => l.startsWith('[ALERT]'));

test('-v: version on stdout, mentions 2.6.12, exit 0', () => same(['-v'], both(exits(0), stdoutMatches(/^HAProxy version 2\.6\.12/))));

test('-vv: build details, exit 0', () => same(['-vv'], both(exits(0), stdoutMatches(/^HAProxy version 2\.6\.12/), stdoutMatches(/Feature list : /), stdoutMatches(/OpenSSL/))));

test('-cc: every case of the regtest startup/check_condition.vtc', async () => {
  const cases: [string, number][] = [
    ['version_atleast(2.4)', 0],
    ['version_atleast(1024)', 1],
    ["streq(foo,'foo')", 0],
    [`streq("foo bar",'foo bar')`, 0],
    ['streq(foo,bar)', 1],
    ['defined(TESTVAR) && streq("$TESTVAR","1")', 0],
    ['feature(OPENSSL) || !feature(OPENSSL)', 0],
    ['1&&!0&&!((streq(a,b)||!streq(a,a)&&1)||strneq(a,a))', 0],
    ['1   &&!   0&&    !((streq(a,b)||!streq(a,a)&&1)||strneq(a,a))', 0],
    ['1 && !0 && !((streq(a,b) || !streq(a,a) && 1) || strneq(a,a))', 0],
    ['1 && !0 && !((streq(a,b) || !streq(a,a) && 1) || strneq(a,b))', 1],
    ['1 && !0 && !((streq(a,a) || !streq(a,a) && 1) || strneq(a,a))', 1],
    ['', 1],
    ['-1000 && 200', 0],
    // parse errors: exit 2 (the regtest only says "not 0")
    ['200rrr', 2],
    ['!(0))', 2],
    ['streq(a,"a)', 2],
  ];
  await Promise.all(
    cases.map(([cond, code]) =>
      same(['-cc', cond], (r, who) => assert.equal(r.code, code, `${who} -cc '${cond}': exit ${r.code}, expected ${code}\n${r.stderr}`), { env: { TESTVAR: '1' } }),
    ),
  );
});

test('-cc error messages', async () => {
  await same(['-cc', '200rrr'], stderrMatches(/\[ALERT\] +\(\d+\) : config : Failed to evaluate condition: unexpected character 'r' at the end of conditional expression '200rrr'\n/));
  await same(['-cc', 'foo'], stderrMatches(/\[ALERT\] +\(\d+\) : config : Failed to evaluate condition: unparsable conditional expression 'foo'\n/));
  await same(['-cc', 'streq(a,"a)'], stderrMatches(/\[ALERT\] +\(\d+\) : config : Syntax Error in condition: Unmatched quote\.\n/));
});

test('-c: 0 valid, 2 no listener, 1 invalid', async () => {
  await same(['-c', '-f', 'ok.cfg'], both(exits(0), stdoutMatches(/^Configuration file is valid\n$/)));
  await same(['-c', '-f', 'nolistener.cfg'], both(exits(2), stdoutMatches(/Configuration file has no error but will not start \(no listener\) => exit\(2\)\./)));
  await same(['-c', '-f', 'bad.cfg'], both(exits(1), stderrMatches(/parsing \[bad\.cfg:3\] : unexpected character 'x' in 'timeout client'/)));
});

test('-c -q: silent, whatever the verdict', async () => {
  const silent: Check = (r, who) => {
    assert.equal(r.stdout, '', `${who} stdout`);
    assert.equal(r.stderr, '', `${who} stderr`);
  };
  await same(['-c', '-q', '-f', 'ok.cfg'], both(exits(0), silent));
  await same(['-c', '-q', '-f', 'warn.cfg'], both(exits(0), silent));
  await same(['-c', '-q', '-f', 'nolistener.cfg'], both(exits(2), silent));
  await same(['-c', '-q', '-f', 'bad.cfg'], both(exits(1), silent));
});

test('-V cancels -q', () => same(['-c', '-V', '-q', '-f', 'warn.cfg'], both(exits(0), stderrMatches(/\[WARNING\] .*missing timeouts for frontend 'fe'/))));

test('-dW: warnings become fatal (exit 1); no warning, no change', async () => {
  await same(['-c', '-dW', '-f', 'warn.cfg'], both(exits(1), stderrMatches(/\[WARNING\]/)));
  await same(['-c', '-q', '-dW', '-f', 'warn.cfg'], exits(1));
  await same(['-c', '-dW', '-f', 'ok.cfg'], exits(0));
});

test('-C <dir>: relative -f paths are read from <dir>', async () => {
  await same(['-C', 'sub', '-c', '-f', 'inner.cfg'], both(exits(1), stderrMatches(/parsing \[inner\.cfg:1\]: 'read inner\.cfg'\./)));
  await same(['-C', join(dir, 'nowhere'), '-c', '-f', 'ok.cfg'], both(exits(1), stderrMatches(new RegExp(`\\[ALERT\\] +\\(\\d+\\) : Could not change to directory ${join(dir, 'nowhere').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} : No such file or directory`))));
});

test('-L <name> is "${HAPROXY_LOCALPEER}" in the configuration; the host name by default', async () => {
  await same(['-c', '-L', 'mypeer', '-f', 'peer.cfg'], both(exits(1), stderrMatches(/parsing \[peer\.cfg:2\]: 'peer is mypeer'\./)));
  const host = (await import('node:os')).hostname();
  await same(['-c', '-f', 'peer.cfg'], both(exits(1), stderrMatches(new RegExp(`parsing \\[peer\\.cfg:4\\]: 'peer is ${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'\\.`))));
});

test('--: the remaining arguments are configuration files', async () => {
  // ok.cfg and warn.cfg both declare frontend 'fe': the second one proves it was read.
  const dup = stderrMatches(/Parsing \[warn\.cfg:1\]: frontend 'fe' has the same name as frontend 'fe' declared at ok\.cfg:1\./);
  await same(['-c', '--', 'ok.cfg', 'warn.cfg'], both(exits(1), dup));
  await same(['-c', '-f', 'ok.cfg', '--', 'warn.cfg'], both(exits(1), dup));
});

test('-f <dir>: the .cfg files in lexical order', () =>
  same(['-c', '-f', 'conf.d'], (r, who) => {
    const order = [...r.stderr.matchAll(/parsing \[conf\.d\/([\w-]+)\.cfg:1\]: '([\w-]+)'\./g)].map((m) => m[2]);
    assert.deepEqual(order, ['10-a', '20-b', '3-c'], `${who}:\n${r.stderr}`);
  }));

test('an unknown flag: usage on stderr, exit 1', async () => {
  const usage = both(exits(1), stderrMatches(/^Usage : \S+ \[-f <cfgfile\|cfgdir>\]\* \[ -vdVD \]/m));
  await same(['-zz'], usage);
  await same(['-c', '-f', 'ok.cfg', '-zz'], usage);
});

test('no argument at all: usage, exit 1', () => same([], both(exits(1), stderrMatches(/^Usage : /m))));

test("-sf abc: HAProxy's message, exit 1, no usage", async () => {
  const check = (flag: string): Check =>
    both(exits(1), (r, who) => {
      assert.deepEqual(alerts(r).map((l) => l.replace(/^\[ALERT\] +\(\d+\) : /, '')), [`${flag} option: some bytes unconsumed in PID list {abc}`], `${who}:\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /Usage : /, `${who} printed the usage`);
    });
  await same(['-sf', 'abc'], check('-sf'));
  await same(['-st', 'abc'], check('-st'));
  await same(['-c', '-f', 'ok.cfg', '-sf', '12abc'], check('-sf'));
});

test('-sf with pids, then more flags', () => same(['-c', '-f', 'ok.cfg', '-sf', '12', '13', '-q'], both(exits(0), (r, who) => assert.equal(r.stdout, '', `${who}: -q after the pid list`))));

test('HAPROXY_CFGFILES: empty while the configuration is read', () =>
  // HAProxy exports it only once loading is over (for programs, external checks, the CLI).
  same(['-c', '-f', 'cfgfiles.cfg'], both(exits(1), stderrMatches(/parsing \[cfgfiles\.cfg:1\]: 'files=\[\]'\./))));

test('HAPROXY_CFGFILES at run time: the files in order, separated by ";"', async () => {
  const sock = join(dir, 'env.sock');
  writeFileSync(join(dir, 'rt-a.cfg'), `global\n    stats socket ${sock} level admin\n`);
  writeFileSync(join(dir, 'rt-b.cfg'), '# nothing else\n');
  const child = spawn(PORTIER, ['-db', '-f', 'rt-a.cfg', '-f', 'rt-b.cfg'], { cwd: dir, stdio: 'ignore' });
  try {
    await waitForListener({ path: sock });
    assert.equal(await exchange({ path: sock }, 'show env HAPROXY_CFGFILES\n'), 'HAPROXY_CFGFILES=rt-a.cfg;rt-b.cfg\n\n');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
});
