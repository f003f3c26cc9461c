import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAlert, assertValid, assertWarning, cfg, tight } from '../global/helpers.js';

test('users and groups', async () => {
  const r = await cfg(
    'userlist L1',
    '  group G1 users tiger,scott',
    '  group G2',
    '  user tiger password $6$k6y3o.eP$JlKBx9za9667qe4',
    '  user scott insecure-password elgato groups G2',
  );
  assertValid(r);
  const l = r.model.userlists[0]!;
  assert.deepEqual(l.groups.map((g) => [g.name, g.users]), [['G1', ['tiger', 'scott']], ['G2', []]]);
  assert.deepEqual(l.users.map((u) => [u.name, u.insecure, u.groups]), [['tiger', false, []], ['scott', true, ['G2']]]);
  assert.ok(r.warnings.includes("t.cfg:2: keyword 'group' is not supported yet"));
});

test('grammar errors', async () => {
  assertAlert(await cfg('userlist L', '  user'), tight(2, "'user' expects <name> as arguments."));
  assertAlert(await cfg('userlist L', '  user a foo'), tight(2, "'user' only supports 'password', 'insecure-password' and 'groups' options."));
  assertAlert(await cfg('userlist L', '  user a insecure-password x y'), tight(2, "'user' only supports 'password', 'insecure-password' and 'groups' options."));
  assertAlert(await cfg('userlist L', '  group'), tight(2, "'group' expects <name> as arguments."));
  assertAlert(await cfg('userlist L', '  group a@b'), tight(2, "character '@' is not permitted in 'group' name 'a@b'."));
  assertAlert(await cfg('userlist L', '  group g users a x'), tight(2, "'group' only supports 'users' option."));
  assertWarning(await cfg('userlist L', '  group g', '  group g'), tight(3, "ignoring duplicated group 'g' in userlist 'L'."));
  assertWarning(await cfg('userlist L', '  user a', '  user a'), tight(3, "ignoring duplicated user 'a' in userlist 'L'."));
});

test('names in groups/users must exist: first error only, last list first', async () => {
  assertAlert(await cfg('userlist L', '  group g1', '  user a groups g1,g2'), "userlist 'L': no such group 'g2' specified in user 'a'");
  assertAlert(await cfg('userlist L', '  user a', '  group g1 users a,b'), "userlist 'L': no such user 'b' specified in group 'g1'");
  const r = await cfg('userlist L', '  user a groups g9', 'userlist M', '  user b groups g8');
  assert.deepEqual(r.alerts, ["userlist 'M': no such group 'g8' specified in user 'b'"]);
  const u = await cfg('userlist L', '  group g1 users zz', '  user a groups g9');
  assert.deepEqual(u.alerts, ["userlist 'L': no such group 'g9' specified in user 'a'"]);
});

test('a duplicated userlist is merged into the first one', async () => {
  const r = await cfg('userlist L', '  user x', 'userlist L', '  user x', '  user y');
  assertValid(r);
  assert.equal(r.model.userlists.length, 1);
  assert.deepEqual(r.model.userlists[0]!.users.map((u) => u.name), ['x', 'y']);
});
