import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountFiles } from '../../../src/config/sections/global/accounts.js';
import { assertAlert, assertValid, assertWarning, at, globalCfg, tight } from './helpers.js';

test('daemon, pidfile: arguments and "already specified"', async () => {
  assertAlert(await globalCfg('daemon x'), at(2, "'daemon' cannot handle unexpected argument 'x'."));
  assertAlert(await globalCfg('pidfile'), at(2, "'pidfile' expects a file name as an argument."));
  assertAlert(await globalCfg('pidfile a b'), at(2, "'pidfile' cannot handle unexpected argument 'b'."));
  const r = await globalCfg('daemon', 'pidfile /run/a.pid', 'pidfile /run/b.pid');
  assertValid(r);
  assert.ok(r.lines.includes("alert: parsing [t.cfg:4] : 'pidfile' already specified. Continuing."));
  assert.equal(r.model.global.pidfile, '/run/a.pid');
  assert.equal(r.model.global.daemon, true);
});

test('nbproc is refused with HAProxy 2.5\'s message; master-worker options', async () => {
  assertAlert(
    await globalCfg('nbproc 2'),
    at(2, 'nbproc is not supported any more since HAProxy 2.5. Threads will automatically be used on multi-processor machines if available.'),
  );
  assertAlert(await globalCfg('master-worker foo'), at(2, "'master-worker' only supports 'no-exit-on-failure' option."));
  assertAlert(await globalCfg('master-worker no-exit-on-failure x'), at(2, "'master-worker' cannot handle unexpected argument 'x'."));
  const r = await globalCfg('master-worker no-exit-on-failure');
  assertValid(r);
  assert.equal(r.model.global.masterWorkerNoExitOnFailure, true);
  assertWarning(r, "t.cfg:2: keyword 'master-worker' is not supported yet");
});

test('setenv and friends take effect for the following lines', async () => {
  assertAlert(await globalCfg('setenv A'), tight(2, "'setenv' expects a name and a value."));
  assertAlert(await globalCfg('unsetenv'), tight(2, "'unsetenv' expects at least one variable name."));
  const r = await globalCfg('setenv NODE_NAME n1', 'presetenv NODE_NAME n2', 'node "${NODE_NAME}"');
  assertValid(r);
  assert.equal(r.model.global.node, 'n1');
  const u = await globalCfg('setenv X 1', 'unsetenv X', 'description "${X}-"');
  assert.equal(u.model.global.description, '-');
});

test('uid/gid: numbers only, with HAProxy\'s warning for a name', async () => {
  assertAlert(await globalCfg('uid'), at(2, "'uid' expects an integer argument."));
  const r = await globalCfg('gid x');
  assertValid(r);
  assertWarning(r, at(2, " gid: string 'x' is not a number.\n   | You might want to use the 'group' parameter to use a system group name."));
  const d = await globalCfg('uid 1', 'uid 2');
  assert.ok(d.lines.includes('alert: parsing [t.cfg:3] : user/uid already specified. Continuing.'));
  assert.equal(d.model.global.uid, 1);
  // uid 0 is "not set" for HAProxy: no "already specified".
  const z = await globalCfg('uid 0', 'uid 5');
  assert.equal(z.model.global.uid, 5);
});

test('user/group are looked up in /etc/passwd and /etc/group', async (t) => {
  const saved = { ...accountFiles };
  t.after(() => Object.assign(accountFiles, saved));
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/portier-accounts-');
  writeFileSync(`${dir}/passwd`, 'root:x:0:0::/root:/bin/sh\nhaproxy:x:108:113::/var/lib/haproxy:/usr/sbin/nologin\n');
  writeFileSync(`${dir}/group`, 'root:x:0:\nhaproxy:x:113:\n');
  accountFiles.passwd = `${dir}/passwd`;
  accountFiles.group = `${dir}/group`;
  const r = await globalCfg('user haproxy', 'group haproxy');
  assertValid(r);
  assert.equal(r.model.global.uid, 108);
  assert.equal(r.model.global.gid, 113);
  assertAlert(await globalCfg('user nobody-here'), at(2, "cannot find user id for 'nobody-here' (0:Success)"));
  assertAlert(await globalCfg('group'), at(2, "cannot find group id for '' (0:Success)"));
  const d = await globalCfg('gid 5', 'group haproxy');
  assert.ok(d.lines.includes('alert: parsing [t.cfg:3] : gid/group was already specified. Continuing.'));
});

test('chroot is accepted with a warning saying it is not applied', async () => {
  const r = await globalCfg('chroot /var/lib/haproxy');
  assertValid(r);
  assert.equal(r.model.global.chroot, '/var/lib/haproxy');
  assert.ok(r.warnings.some((w) => w.startsWith('t.cfg:2:') && /not applied/.test(w) && /RootDirectory=/.test(w)));
  // Not refused at startup either.
  const s = await import('../../helpers/config.js').then((m) => m.check('global\n  chroot /x\n', { start: true }));
  assert.equal(s.ok, true);
  assertAlert(await globalCfg('chroot'), at(2, "'chroot' expects a directory as an argument."));
  assertAlert(await globalCfg('chroot /a /b'), at(2, "'chroot' cannot handle unexpected argument '/b'."));
});

test('node, description, localpeer', async () => {
  assertAlert(
    await globalCfg('node a@b'),
    tight(2, "'node' requires valid node name - non-empty string with digits(0-9), letters(A-Z, a-z), dot(.), hyphen(-) or underscode(_)."),
  );
  assertAlert(await globalCfg('description'), tight(2, "'description' expects a string argument."));
  assertAlert(await globalCfg('localpeer'), at(2, "'localpeer' expects a name as an argument."));
  const r = await globalCfg('description a  b', 'node web-1');
  assert.equal(r.model.global.description, 'a b');
  assert.equal(r.model.global.node, 'web-1');
});

test('default-path modes', async () => {
  assertAlert(
    await globalCfg('default-path'),
    at(2, "missing default-path mode '' for 'default-path', supported modes include 'current', 'config', 'parent', and 'origin'."),
  );
  assertAlert(
    await globalCfg('default-path foo'),
    at(2, "unsupported default-path mode 'foo' for 'default-path', supported modes include 'current', 'config', 'parent', and 'origin'."),
  );
  assertAlert(await globalCfg('default-path origin'), at(2, "'default-path origin' expects a directory as an argument."));
  const r = await globalCfg('default-path origin /tmp');
  assert.deepEqual(r.model.global.defaultPath, { mode: 'origin', origin: '/tmp' });
  const bad = await globalCfg('default-path origin /nonexistent-dir-xyz');
  assert.equal(bad.ok, false);
  assert.match(bad.alerts[0]!, /couldn't set 'default-path' to origin '\/nonexistent-dir-xyz': Impossible to get back to directory/);
});

test('stop timers: hard-stop-after, grace, close-spread-time', async () => {
  assertAlert(await globalCfg('hard-stop-after'), at(2, "'hard-stop-after' expects <time> as argument.\n"));
  assertAlert(await globalCfg('grace 1x'), at(2, "unexpected character 'x' in argument to <grace>.\n"));
  assertAlert(
    await globalCfg('hard-stop-after 30d'),
    at(2, "timer overflow in argument '30d' to 'hard-stop-after' (maximum value is 2147483647 ms or ~24.8 days)"),
  );
  const r = await globalCfg('hard-stop-after 30s', 'close-spread-time infinite', 'grace 1s 2');
  assertValid(r);
  assert.equal(r.model.global.hardStopAfter, 30000);
  assert.equal(r.model.global.closeSpreadTime, 'infinite');
  assert.equal(r.model.global.grace, 1000);
});

test('nbthread 1..64, thread-groups 1, mworker-max-reloads quirks', async () => {
  assertAlert(await globalCfg('nbthread 0'), at(2, "'nbthread' value must be between 1 and 64 (was 0)"));
  assertAlert(await globalCfg('nbthread 4x'), at(2, "'nbthread' passed a missing or unparsable integer value in '4x'"));
  const r = await globalCfg('nbthread 64');
  assertValid(r);
  assert.equal(r.model.global.nbthread, 64);
  assertAlert(await globalCfg('thread-groups 2'), at(2, "'thread-groups' value must be between 1 and 1 (was 2)"));
  assertAlert(await globalCfg('thread-group 1 65'), at(2, "'thread-group 1' passed an unparsable or invalid thread number '65' (valid range is 1 to 64)"));
  // HAProxy only warns (with its "(null)" prefix) and keeps the configuration valid.
  const m = await globalCfg('mworker-max-reloads -1');
  assertValid(m);
  assertWarning(m, at(2, "(null)parsing [t.cfg:2] 'mworker-max-reloads' : invalid value -1, must be >= 0"));
});

test('unix-bind, ulimit-n, fd-hard-limit', async () => {
  assertAlert(await globalCfg('unix-bind foo'), at(2, "'unix-bind' only supports the 'prefix', 'mode', 'uid', 'gid', 'user' and 'group' options."));
  assertAlert(await globalCfg('unix-bind prefix'), at(2, "unix_bind 'prefix' expects a path as an argument."));
  const r = await globalCfg('unix-bind prefix /run/h mode 660 uid 5', 'ulimit-n 5', 'ulimit-n 6');
  assert.deepEqual(r.model.global.unixBind, { prefix: '/run/h', mode: 0o660, uid: 5 });
  assert.ok(r.lines.includes("alert: parsing [t.cfg:4] : 'ulimit-n' already specified. Continuing."));
  assert.equal(r.model.global.ulimitN, 5);
});

test('stats timeout / maxconn / bind-process / unknown member', async () => {
  assertAlert(await globalCfg('stats timeout x'), at(2, "'stats timeout' : unexpected character 'x'"));
  assertAlert(await globalCfg('stats timeout'), at(2, "'stats timeout' : unexpected character '"));
  assertAlert(await globalCfg('stats timeout 0'), at(2, "'stats timeout' expects a positive value"));
  assertAlert(await globalCfg('stats maxconn x'), at(2, "'stats maxconn' expects a positive value"));
  assertAlert(await globalCfg('stats bind-process 2'), at(2, "'stats bind-process' : '2' is not a valid number/range. It supports numbers from 1 to 1.\n"));
  assertAlert(await globalCfg('stats foo'), at(2, "'stats' only supports 'socket', 'maxconn', 'bind-process' and 'timeout' (got 'foo')"));
  const r = await globalCfg('stats timeout 30s 1', 'stats maxconn 5 6');
  assertValid(r);
  assert.equal(r.model.global.statsTimeout, 30000);
  assert.equal(r.model.global.statsMaxconn, 5);
});

test('stats socket addresses: HAProxy repeats the location in the message', async () => {
  assertAlert(await globalCfg('stats socket'), at(2, "'stats socket' in global section expects an address or a path to a UNIX socket"));
  assertAlert(
    await globalCfg('stats socket 127.0.0.1'),
    at(2, "parsing [t.cfg:2] : 'stats socket' : missing port specification in '127.0.0.1'\n"),
  );
  assertAlert(
    await globalCfg('stats socket fd@x'),
    at(2, "parsing [t.cfg:2] : 'stats socket' : file descriptor 'x' is not a valid integer in 'fd@x'\n\n"),
  );
  const r = await globalCfg('stats socket /run/haproxy/admin.sock mode 660 level admin', 'stats socket ipv4@127.0.0.1:9999');
  assertValid(r);
  assert.equal(r.model.global.statsSockets.length, 2);
});

test('cpu-map: grammar checked, then accepted with a notice', async () => {
  assertAlert(
    await globalCfg('cpu-map 1'),
    at(2, "cpu-map expects a process number  ('all', 'odd', 'even', a number from 1 to 64 or a range),  followed by a list of CPU ranges with numbers from 0 to 63."),
  );
  assertAlert(await globalCfg('cpu-map x 0'), at(2, "cpu-map : 'x' is not a valid number/range."));
  assertAlert(await globalCfg('cpu-map 1/65 0'), at(2, "cpu-map : '65' is not a valid number/range. It supports numbers from 1 to 64.\n"));
  assertAlert(await globalCfg('cpu-map 1 x'), at(2, "cpu-map : 'x' is not a CPU range."));
  assertAlert(await globalCfg('cpu-map 1 1024'), at(2, 'cpu-map : supports CPU numbers from 0 to 1023.'));
  assertAlert(await globalCfg('cpu-map auto:1/1 0-3'), at(2, 'cpu-map : PROC/THREAD range and CPU sets must have the same size to be automatically bound'));
  const r = await globalCfg('cpu-map auto:1/1-4 0-3', 'cpu-map auto:1/1-4 0', 'cpu-map 1/all 0-3');
  assertValid(r);
  assert.equal(r.model.global.cpuMaps?.length, 3);
  assert.ok(r.lines.some((l) => l.startsWith('notice:') && /cpu-map/.test(l) && /taskset/.test(l)));
});

test('localpeer sets the local peer name and HAPROXY_LOCALPEER, unless -L gave one', async () => {
  const { hostname } = await import('node:os');
  const { loadConfig } = await import('../../../src/config/loader.js');
  const { ConfigEnvironment } = await import('../../../src/config/environment.js');
  const load = async (localPeer: string, text: string) => {
    const env = new ConfigEnvironment({});
    const r = await loadConfig({
      files: ['t.cfg'],
      texts: new Map([['t.cfg', text]]),
      env,
      options: { checkOnly: true, diagnostics: false, localPeer, ignoreResolveFailures: false, noServerVerify: false },
    });
    return { r, env };
  };
  // Without -L (the local peer name is the host name): localpeer wins, and peers use it.
  const a = await load(hostname(), 'global\n  localpeer lp1\n  setenv SEEN "${HAPROXY_LOCALPEER}"\npeers p\n  peer lp1 127.0.0.1:10000\n');
  assert.equal(a.r.ok, true);
  assert.equal(a.r.model.global.localpeer, 'lp1');
  assert.equal(a.env.get('SEEN'), 'lp1');
  assert.equal(a.r.model.peers[0]!.peers[0]!.local, true);
  // With -L: ignored, with HAProxy's warning.
  const b = await load('from-cli', 'global\n  localpeer lp1\n');
  assert.equal(b.r.model.global.localpeer, undefined);
  assert.ok(b.r.diag.list.some((d) => d.severity === 'warning' && /already set by using the '-L' command line argument/.test(d.message)));
  // After a peers section: ignored too.
  const c = await load(hostname(), 'peers p\n  peer x 127.0.0.1:1\nglobal\n  localpeer lp1\n');
  assert.ok(c.r.diag.list.some((d) => d.message === "'localpeer' ignored since it is used after 'peers' section."));
});
