import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAlert, assertValid, assertWarning, at, bare, cfg } from '../global/helpers.js';

// The test helper sets the local peer name to "testhost".

test('old syntax: peer lines; the local one is also a listener', async () => {
  const r = await cfg('peers p', '  peer testhost 127.0.0.1:10000', '  peer other 192.0.2.1:10000');
  assertValid(r);
  const p = r.model.peers[0]!;
  assert.deepEqual(p.peers.map((x) => [x.name, x.local, x.address?.port]), [['testhost', true, 10000], ['other', false, 10000]]);
});

test('a peers section without the local peer is removed with a warning', async () => {
  const r = await cfg('peers p', '  peer a 127.0.0.1:1000');
  assertValid(r);
  assertWarning(r, "Removing incomplete section 'peers p' (no peer named 'testhost').");
  const d = await cfg('peers p', '  disabled', '  peer a 127.0.0.1:1000');
  assert.ok(!d.warnings.some((w) => /Removing/.test(w)));
});

test('peer lines are read as servers: "server <local>/<name>" in messages', async () => {
  assertAlert(await cfg('peers p', '  peer a 127.0.0.1:1000-1001'), bare(2, "'server (null)/a' : port range not permitted here in '127.0.0.1:1000-1001'"));
  assertAlert(
    await cfg('peers p', '  peer testhost 127.0.0.1:1000', '  peer a 1.2.3.4:1-2'),
    bare(3, "'server testhost/a' : port range not permitted here in '1.2.3.4:1-2'"),
  );
  assertAlert(await cfg('peers p', '  peer a@b 127.0.0.1:1000'), bare(2, "character '@' is not permitted in peer name 'a@b'."));
  assertAlert(await cfg('peers p', '  peer a fd@3'), bare(2, "'server (null)/a' : a file descriptor is not acceptable here in 'fd@3'\n"));
  assertAlert(await cfg('peers p', '  peer testhost 127.0.0.1:0'), at(2, "'peer testhost' : invalid port '0'"));
  assertAlert(await cfg('peers p', '  peer testhost 127.0.0.1'), at(2, "'peer testhost' : missing port specification in '127.0.0.1'"));
  assertAlert(
    await cfg('peers p', '  peer testhost 127.0.0.1:1000', '  peer testhost 127.0.0.1:1001'),
    at(3, "'peer testhost' : local peer name already referenced at t.cfg:2. testhost"),
  );
});

test('new syntax: bind + server without address for the local peer', async () => {
  const r = await cfg('peers p', '  bind :10000', '  server testhost', '  server other 192.0.2.1:10000');
  assertValid(r);
  assert.equal(r.model.peers[0]!.binds.length, 1);
  assertAlert(
    await cfg('peers p', '  server testhost 127.0.0.1:1000'),
    bare(2, "'server testhost/testhost' : unknown keyword '127.0.0.1:1000'. Hint: no address was expected for this server."),
  );
  assertAlert(await cfg('peers p', '  bind :1000', '  bind :1001'), at(3, 'One listener per "peers" section is authorized but another is already configured at [t.cfg:2].'));
  assertAlert(await cfg('peers p', '  peer testhost 1.2.3.4:5', '  bind :1000'), at(3, 'mixing "peer" and "bind" line is forbidden'));
  assertAlert(await cfg('peers p', '  bind 1.2.3.4', '  server testhost'), at(2, "'bind 1.2.3.4' : missing port specification in '1.2.3.4'"));
  assertAlert(await cfg('peers p', '  bind :1000 x'), at(2, "'bind :1000' in section 'peers': unknown keyword 'x'."));
});

test('log lines of a peers section', async () => {
  assertAlert(await cfg('peers p', '  peer testhost 127.0.0.1:1000', '  log'), at(3, 'log : expects <address> and <facility> or global as arguments'));
  assertValid(await cfg('peers p', '  peer testhost 127.0.0.1:1000', '  log global', '  log 127.0.0.1 local0'));
});
