import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAlert, assertValid, at, globalCfg, tight } from './helpers.js';

test('maxconn and friends: atol, "already specified" only when set to non-zero', async () => {
  assertAlert(await globalCfg('maxconn'), at(2, "'maxconn' expects an integer argument."));
  assertAlert(await globalCfg('maxconn 5 6'), at(2, "'maxconn' cannot handle unexpected argument '6'."));
  const r = await globalCfg('maxconn 5', 'maxconn 6');
  assertValid(r);
  assert.ok(r.lines.includes("alert: parsing [t.cfg:3] : 'maxconn' already specified. Continuing."));
  assert.equal(r.model.global.maxconn, 5);
  assert.equal((await globalCfg('maxconn 0', 'maxconn 7')).model.global.maxconn, 7);
  assertAlert(await globalCfg('maxcompcpuusage 101'), at(2, "'maxcompcpuusage' expects an integer argument between 0 and 100."));
  assertAlert(await globalCfg('maxcomprate'), at(2, "'maxcomprate' expects an integer argument in kb/s."));
});

test('spread-checks and max-spread-checks use "parsing [f:l]:"', async () => {
  assertAlert(await globalCfg('spread-checks 51'), tight(2, "'spread-checks' needs a positive value in range 0..50."));
  assertAlert(await globalCfg('max-spread-checks x'), tight(2, "unsupported character 'x' in 'max-spread-checks' (wants an integer delay)."));
  assertAlert(await globalCfg('max-spread-checks 3000d'), tight(2, 'timer overflow in argument <3000d> to <max-spread-checks>, maximum value is 2147483647 ms (~24.8 days).'));
});

test('tune.* ranges and messages', async () => {
  assertAlert(await globalCfg('tune.bufsize x'), at(2, "'tune.bufsize' expects a positive integer argument."));
  assertAlert(await globalCfg('tune.comp.maxlevel 10'), at(2, "'tune.comp.maxlevel' expects a numeric value between 1 and 9"));
  assertAlert(await globalCfg('tune.h2.header-table-size 4095'), at(2, "'tune.h2.header-table-size' expects a numeric value between 4096 and 65536."));
  assertAlert(await globalCfg('tune.h2.max-frame-size 16383'), at(2, "'tune.h2.max-frame-size' expects a numeric value between 16384 and 16777215."));
  assertAlert(await globalCfg('tune.http.maxhdr 0'), at(2, "'tune.http.maxhdr' expects a numeric value between 1 and 32767"));
  assertAlert(await globalCfg('tune.idletimer 100s'), at(2, "'tune.idletimer' expects a timer value between 0 and 65535 ms."));
  assertAlert(await globalCfg('tune.idle-pool.shared x'), at(2, "'tune.idle-pool.shared' expects either 'on' or 'off' but got 'x'."));
  assertAlert(await globalCfg('profiling.tasks x'), at(2, "'profiling.tasks' expects either 'on', 'auto', or 'off' but got 'x'."));
  assertAlert(await globalCfg('tune.peers.max-updates-at-once 0'), at(2, "'tune.peers.max-updates-at-once' expects an integer argument greater than 0."));
  assertAlert(await globalCfg('tune.pattern.cache-size'), at(2, "'tune.pattern.cache-size' expects a positive numeric value"));
  assertAlert(await globalCfg('tune.vars.global-max-size 1k'), at(2, "tune.vars.global-max-size: '1k' is an invalid size"));
  assertAlert(await globalCfg('tune.chksize 10'), tight(2, "option 'tune.chksize' is not supported any more (tune.bufsize is used instead)."));
  const r = await globalCfg('tune.bufsize 32768', 'tune.http.maxhdr 200', 'tune.h2.initial-window-size 65536');
  assertValid(r);
  assert.equal(r.model.global.tune?.['tune.bufsize'], 32768);
  assert.equal(r.model.global.tune?.['tune.http.maxhdr'], 200);
});

test('experimental directives need expose-experimental-directives first', async () => {
  assertAlert(
    await globalCfg('tune.fd.edge-triggered on'),
    at(2, "'tune.fd.edge-triggered' directive is experimental, must be allowed via a global 'expose-experimental-directives'"),
  );
  assertValid(await globalCfg('expose-experimental-directives', 'tune.fd.edge-triggered on'));
});

test('a tiny tune.bufsize breaks HAProxy\'s built-in error pages', async () => {
  const r = await globalCfg('tune.bufsize 300');
  assert.equal(r.ok, false);
  assert.ok(r.alerts.includes('Internal error: invalid default message for HTTP return code 503: unable to add payload into the HTX message.'));
  assert.ok(!r.alerts.some((a) => / 200: /.test(a)));
  assertValid(await globalCfg('tune.bufsize 1024'));
});

test('knobs without meaning in Node are accepted with a notice', async () => {
  const r = await globalCfg('noepoll', 'tune.pipesize 65536', 'maxpipes 100', 'tune.buffers.limit 10');
  assertValid(r);
  assert.equal(r.lines.filter((l) => l.startsWith('notice:') && /has no effect in Portier/.test(l)).length, 4);
  assert.equal(r.warnings.length, 0);
});

test('set-var / set-var-fmt: proc scope only', async () => {
  assertAlert(await globalCfg('set-var proc.a'), at(2, "'set-var' requires a process-wide variable name ('proc.<name>') and a sample expression."));
  assertAlert(await globalCfg('set-var txn.a int(1)'), at(2, "'set-var': cannot set variable 'txn.a', only scope 'proc' is permitted in the global section."));
  assertAlert(
    await globalCfg('set-var a int(1)'),
    at(2, "invalid variable name 'a'. A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'"),
  );
  assertAlert(await globalCfg('set-var proc.a-b int(1)'), at(2, "invalid syntax at char '-b)'"));
  assertAlert(await globalCfg('set-var-fmt proc.a'), at(2, "'set-var-fmt' requires a process-wide variable name ('proc.<name>') and a format string."));
  const r = await globalCfg('set-var proc.a int(1)', 'set-var-fmt proc.b "x%[var(proc.a)]"');
  assertValid(r);
  assert.deepEqual(r.model.global.setVars?.map((v) => [v.name, v.kind]), [['proc.a', 'expr'], ['proc.b', 'fmt']]);
});

test('server-state-file: a warning when it cannot be read', async () => {
  const r = await globalCfg('server-state-base /tmp', 'server-state-file portier-no-such-file');
  assertValid(r);
  assert.ok(r.warnings.includes("config: Can't open global server state file '/tmp/portier-no-such-file': No such file or directory"));
  assertAlert(await globalCfg('server-state-file'), at(2, "'server-state-file' expect one argument: a file path."));
});
