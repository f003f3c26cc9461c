/** The runtime API on stats sockets: modes, levels and answers, with real socket clients. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connect } from 'node:net';
import { exchange, startPortier, tempDir, waitForListener, type Started } from '../helpers/process.js';
import { run } from '../helpers/run.js';

let p: Started;
let admin: string;
let user: string;
let oper: string;

before(async () => {
  const dir = tempDir();
  admin = join(dir, 'admin.sock');
  user = join(dir, 'user.sock');
  oper = join(dir, 'oper.sock');
  p = startPortier(
    `global
    setenv PORTIER_TEST_VAR "some value"
    stats socket ${admin} mode 600 level admin
    stats socket ${user} level user
    stats socket ${oper}
`,
    [],
    dir,
  );
  await waitForListener({ path: admin });
  await waitForListener({ path: user });
  await waitForListener({ path: oper });
});

after(async () => {
  await p.stop();
});

test('non-interactive: one line of commands, each answer ends with an empty line, then close', async () => {
  const out = await exchange({ path: admin }, 'show version;show cli level\n');
  assert.match(out, /^2\.6\.12 \(Portier [0-9.]+\)\n\nadmin\n\n$/);
});

test('a last line without line feed is still run (VTest half-closes after the command)', async () => {
  assert.equal(await exchange({ path: admin }, 'show cli level'), 'admin\n\n');
});

test('levels: default operator, user cannot read the environment, levels only go down', async () => {
  assert.equal(await exchange({ path: oper }, 'show cli level\n'), 'operator\n\n');
  assert.equal(await exchange({ path: user }, 'show env PORTIER_TEST_VAR\n'), 'Permission denied\n\n');
  assert.equal(await exchange({ path: admin }, 'show env PORTIER_TEST_VAR\n'), 'PORTIER_TEST_VAR=some value\n\n');
  assert.equal(await exchange({ path: admin }, 'show env NOPE\n'), 'Variable not found\n\n');
  assert.equal(await exchange({ path: admin }, 'user;operator;show cli level\n'), '\nPermission denied\n\nuser\n\n');
});

test('unknown commands get HAProxy\'s answer with the closest commands', async () => {
  const out = await exchange({ path: admin }, 'show versio\n');
  assert.match(out, /^Unknown command, but maybe one of the following ones is a better match:\n/);
  assert.match(out, /  show version {28}: show version of the current process\n/);
  assert.match(await exchange({ path: admin }, '\n'), /^Unknown command\. Please enter one of the following commands only :\n/);
});

test('set timeout cli: HAProxy\'s errors, and a value in seconds', async () => {
  assert.equal(await exchange({ path: admin }, 'set timeout cli\n'), 'Expects an integer value.\n\n');
  assert.equal(await exchange({ path: admin }, 'set timeout cli x\n'), 'Invalid timeout value.\n\n');
  assert.equal(await exchange({ path: admin }, 'set timeout cli 10\n'), '\n');
});

test('interactive mode: prompt after each answer, connection kept until quit', async () => {
  const s = connect({ path: admin });
  s.setEncoding('latin1');
  let got = '';
  s.on('data', (d: string) => (got += d));
  const until = async (text: string): Promise<void> => {
    for (let i = 0; i < 200 && !got.includes(text); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(got.includes(text), `waiting for ${JSON.stringify(text)}, got ${JSON.stringify(got)}`);
  };
  s.write('prompt\n');
  await until('\n> ');
  s.write('show cli level\n');
  await until('admin\n\n> ');
  const closed = new Promise((r) => s.on('close', r));
  s.write('quit\n');
  await closed;
  assert.equal(got, '\n> admin\n\n> ');
});

test('socat, as operators use it', async () => {
  const r = await run('socat', ['-', `UNIX-CONNECT:${admin}`], { input: 'show cli level\n' });
  assert.equal(r.stdout, 'admin\n\n');
});
