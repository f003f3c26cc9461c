/** Section headers: each section type words its errors differently, and reacts differently. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAlert, assertValid, assertWarning, at, cfg, tight } from '../global/helpers.js';

test('missing names', async () => {
  assertAlert(await cfg('userlist'), tight(1, "'userlist' expects <name> as arguments."));
  assertAlert(await cfg('peers'), at(1, 'missing name for peers section.'));
  assertAlert(await cfg('resolvers'), at(1, 'missing name for resolvers section.'));
  assertAlert(await cfg('http-errors'), at(1, 'missing name for http-errors section.'));
  assertAlert(await cfg('mailers'), at(1, 'missing name for mailers section.'));
  assertAlert(await cfg('ring'), at(1, 'missing ring name.'));
  assertAlert(await cfg('program'), at(1, "'program' expects an <id> argument"));
  assertAlert(await cfg('cache'), at(1, "'cache' expects a <name> argument"));
  assertAlert(await cfg('log-forward'), at(1, 'missing name for ip-forward section.'));
  assertAlert(await cfg('fcgi-app'), tight(1, "'fcgi-app' expects <name> as argument."));
});

test('invalid characters in names', async () => {
  assertAlert(await cfg('userlist a@b'), tight(1, "character '@' is not permitted in 'userlist' name 'a@b'."));
  assertAlert(await cfg('peers a@b'), at(1, "character '@' is not permitted in 'peers' name 'a@b'."));
  assertAlert(await cfg('resolvers a@b'), at(1, "character '@' is not permitted in 'resolvers' name 'a@b'."));
  assertAlert(await cfg('http-errors a@b'), at(1, "character '@' is not permitted in 'http-errors' name 'a@b'."));
  assertAlert(await cfg('mailers a@b'), at(1, "character '@' is not permitted in 'mailers' name 'a@b'."));
  assertAlert(await cfg('ring a@b'), at(1, "invalid ring name 'a@b' (character '@' is not permitted)."));
  assertAlert(await cfg('log-forward a@b'), at(1, "character '@' is not permitted in 'log-forward' name 'a@b'."));
  assertAlert(await cfg('fcgi-app a@b'), tight(1, "character '@' is not permitted in 'fcgi-app' name 'a@b'."));
});

test('extra words after the name', async () => {
  for (const kind of ['userlist', 'peers', 'program', 'cache', 'log-forward', 'fcgi-app']) {
    assertAlert(await cfg(`${kind} a b`), at(1, `'${kind}' cannot handle unexpected argument 'b'.`));
  }
  // resolvers, http-errors, mailers and ring ignore them.
  assertWarning(await cfg('resolvers a b'), "resolvers 'a' [t.cfg:1] has no nameservers configured!");
});

test('after a refused header: some sections stop reading, others read on', async () => {
  const stop = await cfg('peers', '  foo', 'global', '  bar');
  assert.equal(stop.alerts.length, 1);
  const on = await cfg('userlist', '  foo', 'global', '  bar');
  assertAlert(on, tight(2, "unknown keyword 'foo' in 'users' section"));
  assertAlert(on, at(4, "unknown keyword 'bar' in 'global' section"));
  const ring = await cfg('ring a@b', '  foo');
  assertAlert(ring, at(2, "unknown statement 'foo'."));
  const he = await cfg('http-errors a@b', '  foo');
  assertAlert(he, at(2, "unknown keyword 'foo' in 'http-errors' section"));
});

test('duplicate section names', async () => {
  assertWarning(await cfg('userlist a', 'userlist a'), tight(2, "ignoring duplicated userlist 'a'."));
  assertAlert(await cfg('peers a', 'peers a'), 'Parsing [t.cfg:2]: peers section \'a\' has the same name as another peers section declared at t.cfg:1.');
  const r = await cfg('resolvers a', 'resolvers a', '  foo');
  assertAlert(r, "Parsing [t.cfg:2]: resolvers 'a' has same name as another resolvers (declared at t.cfg:1).");
  assertAlert(r, at(2, 'out of memory.'));
  assert.equal(r.alerts.length, 2);
  assertAlert(await cfg('http-errors a', 'http-errors a'), tight(2, "http-errors section 'a' already exists (declared at t.cfg:1)."));
  assertAlert(await cfg('mailers a', 'mailers a'), "Parsing [t.cfg:2]: mailers section 'a' has the same name as another mailers section declared at t.cfg:1.");
  assertAlert(await cfg('ring a', 'ring a'), at(2, "sink named 'a' already exists."));
  assertAlert(await cfg('program a', 'program a'), tight(2, "'a' program section already exists in the configuration."));
  assertAlert(await cfg('cache a', '  total-max-size 4', 'cache a'), tight(3, "Duplicate cache name 'a'."));
  assertAlert(await cfg('log-forward a', 'log-forward a'), "Parsing [t.cfg:2]: log-forward section 'a' has the same name as another log-forward section declared at t.cfg:1.");
  assertAlert(await cfg('fcgi-app a', 'fcgi-app a'), "Parsing [t.cfg:2]: fcgi-app section 'a' has the same name as another one declared at t.cfg:1.");
});

test('unknown keywords and the no/default prefixes in sections', async () => {
  assertAlert(await cfg('peers p', '  foo'), at(2, "unknown keyword 'foo' in 'peers' section"));
  assertAlert(await cfg('fcgi-app f', '  docroot /x', '  foo'), tight(3, "unknown keyword 'foo' in 'fcgi-app' section"));
  // log-forward stops reading after an unknown keyword.
  const lf = await cfg('log-forward f', '  foo', '  bar');
  assert.deepEqual(lf.alerts, [at(2, "unknown keyword 'foo' in log-forward section.")]);
  const n = await cfg('userlist u', '  no user a');
  assertAlert(n, tight(2, 'negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.'));
  assert.equal(n.model.userlists[0]!.users.length, 1);
  assertValid(await cfg('log-forward f', '  dgram-bind :514', '  no log'));
});
