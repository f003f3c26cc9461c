import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandLine, type CliOptions } from '../../src/cli-args.js';

function opts(argv: string[]): CliOptions {
  const r = parseCommandLine(argv);
  assert.ok('options' in r, `usage for ${argv.join(' ')}`);
  return r.options;
}

test('-f is repeatable, -- takes every following argument as a file', () => {
  assert.deepEqual(opts(['-f', 'a.cfg', '-c', '-f', 'dir', '--', 'b.cfg', '-c']).configPaths, ['a.cfg', 'dir', 'b.cfg', '-c']);
});

test('-sf/-st take pids until the next option; an empty list is fine', () => {
  const o = opts(['-f', 'x', '-sf', '12', '13', '-st', '14', '-db']);
  assert.deepEqual(o.finishPids, [12, 13]);
  assert.deepEqual(o.terminatePids, [14]);
  assert.ok(o.foreground);
  assert.deepEqual(opts(['-f', 'x', '-sf']).finishPids, []);
  const bad = parseCommandLine(['-f', 'x', '-sf', '12abc']);
  assert.ok('usage' in bad && bad.error === '-sf option: some bytes unconsumed in PID list {abc}');
});

test('flags with values, and flags that mean nothing in Node are accepted', () => {
  const o = opts(['-L', 'peer1', '-n', '100', '-N', '50', '-m', '512', '-C', '/tmp', '-p', 'pid', '-dM', '-dM0x50,no-merge', '-de', '-dS', '-dG', '-dR', '-dr', '-dV', '-dW', '-dD', '-q', '-V', '-c', '-f', 'x']);
  assert.equal(o.localPeer, 'peer1');
  assert.equal(o.maxconn, 100);
  assert.equal(o.defaultProxyMaxconn, 50);
  assert.equal(o.memoryLimitMb, 512);
  assert.equal(o.chdir, '/tmp');
  assert.equal(o.pidfile, 'pid');
  assert.ok(o.ignoreResolveFailures && o.noServerVerify && o.zeroWarning && o.diagnostics && o.checkOnly);
  assert.ok(o.verbose && !o.quiet);
});

test('version, condition, daemon, master-worker flags', () => {
  assert.equal(opts(['-v']).version, 'v');
  assert.equal(opts(['-vv']).version, 'vv');
  assert.equal(opts(['-cc', 'streq(a,a)']).condition, 'streq(a,a)');
  assert.ok(opts(['-D', '-f', 'x']).daemon);
  assert.equal(opts(['-Ws', '-f', 'x']).masterWorker, '-Ws');
  assert.equal(opts(['-S', 'fd@3', '-f', 'x']).masterCli, 'fd@3');
});

test('unknown flags, missing values and no argument at all give the usage', () => {
  for (const argv of [[], ['-Z'], ['-f'], ['-cc'], ['-p'], ['file.cfg'], ['-ff', 'x']]) {
    assert.ok('usage' in parseCommandLine(argv), argv.join(' '));
  }
});
