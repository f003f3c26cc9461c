/**
 * Proxy loggers (log/stream-logger.ts) on a real UDP receiver: which streams are logged
 * (dontlognull, dontlog-normal), at which level (log-separate-errors), "Connect from" without a
 * format, "log global", defaults inheritance, and the configuration checks of log targets and
 * formats that cannot run yet.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../helpers/config.js';
import { createProcessLogger, createProxyLogger } from '../../src/log/stream-logger.js';
import { closeLogSockets } from '../../src/log/sinks.js';
import { RECORDED } from '../unit/log/fixtures.js';
import { TCP_DEFAULTS, withReceiver } from './log-peers.js';

after(() => closeLogSockets());

async function setup(recvPort: number, feLines: string, global = '') {
  const r = await check(`
global
    log 127.0.0.1:${recvPort} format priority local0
    log-tag t
${global}
${TCP_DEFAULTS}frontend fe
    bind 127.0.0.1:1
${feLines}
    default_backend be
backend be
    server s1 127.0.0.1:1
`);
  assert.deepEqual(r.alerts, []);
  const fe = r.model.proxies.find((p) => p.name === 'fe')!;
  return { r, fe, logger: createProxyLogger(r.model, fe) };
}

test('a proxy without log line logs nowhere; "log global" uses the global targets', async () => {
  await withReceiver(async (recv) => {
  assert.equal((await setup(recv.port, '    option tcplog')).logger, undefined);
  const { logger } = await setup(recv.port, '    log global\n    log-format "%f %b/%s %B"');
  assert.equal(logger!.logasap, false);
  logger!.log(RECORDED);
  assert.deepEqual(await recv.wait(1), ['<134>fe be/s1 5\n']);
  });
});

test('"log global" twice (or after the defaults\' one) adds the global targets once, as HAProxy', async () => {
  const r = await check(`
global
    log 127.0.0.1:514 local0
    log 127.0.0.1:515 local1
defaults
    log global
frontend fe
    log global
    log global
    log 127.0.0.1:516 local2
backend be
    no log
    log global
`);
  const logs = (name: string) => r.model.proxies.find((p) => p.name === name)!.logs.map((t) => t.facility);
  assert.deepEqual(logs('fe'), ['local0', 'local1', 'local2']);
  assert.deepEqual(logs('be'), ['local0', 'local1']);
});

test('dontlognull: a stream where the client sent nothing is not logged (except a logasap line)', async () => {
  await withReceiver(async (recv) => {
  const { logger } = await setup(recv.port, '    log global\n    log-format %U\n    option dontlognull');
  logger!.log({ ...RECORDED, bytesIn: 0 });
  logger!.log({ ...RECORDED, bytesIn: 0, logasap: true });
  logger!.log({ ...RECORDED, bytesIn: 7 });
  assert.deepEqual(await recv.wait(2), ['<134>0\n', '<134>7\n']);
  });
});

test('dontlog-normal and log-separate-errors: errors only, at level err', async () => {
  await withReceiver(async (recv) => {
  const { logger } = await setup(recv.port, '    log global\n    log-format "%ts %rc"\n    option dontlog-normal\n    option log-separate-errors');
  logger!.log(RECORDED);
  logger!.log({ ...RECORDED, termination: { cause: 'L', phase: '-' } });
  logger!.log({ ...RECORDED, termination: { cause: 'S', phase: 'C' } });
  logger!.log({ ...RECORDED, retries: 1 });
  logger!.log({ ...RECORDED, redispatched: true, retries: 1 });
  assert.deepEqual(await recv.wait(3), ['<131>SC 0\n', '<131>-- 1\n', '<131>-- +1\n']);
  });
});

test('without a log format, a frontend logs "Connect from" at accept (haproxy 2.6.12 wording)', async () => {
  await withReceiver(async (recv) => {
  const { logger } = await setup(recv.port, '    log global');
  logger!.log(RECORDED);
  logger!.accepted({ frontend: 'fe', clientIp: '127.0.0.1', clientPort: 45832, frontendIp: '127.0.0.1', frontendPort: 5582 });
  logger!.accepted({ frontend: 'fe', clientIp: 'unix', clientPort: 2, frontendIp: 'unix', frontendPort: 2 });
  assert.deepEqual(await recv.wait(2), ['<134>Connect from 127.0.0.1:45832 to 127.0.0.1:5582 (fe/TCP)\n', '<134>Connect to unix:2 (fe/TCP)\n']);
  // With a format, nothing is logged at accept.
  const { logger: withFormat } = await setup(recv.port, '    log global\n    option tcplog');
  withFormat!.accepted({ frontend: 'fe', clientIp: '127.0.0.1', clientPort: 1, frontendIp: '127.0.0.1', frontendPort: 2 });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(recv.lines.length, 2);
  });
});

test('proxies inherit log lines from defaults; option logasap; the process logger uses the global tag', async () => {
  await withReceiver(async (recv) => {
  const r = await check(`
global
  log 127.0.0.1:${recv.port} local0
  log-tag gtag
defaults
  mode tcp
  log 127.0.0.1:${recv.port} format raw local1 notice
  option logasap
  timeout client 5s
  timeout server 5s
  timeout connect 1s
frontend fe
  bind 127.0.0.1:1
  log-format "%Tt %B"
  default_backend be
backend be
  server s1 127.0.0.1:1
`);
  assert.deepEqual(r.alerts, []);
  const fe = r.model.proxies.find((p) => p.name === 'fe')!;
  const logger = createProxyLogger(r.model, fe)!;
  assert.equal(logger.logasap, true);
  logger.log({ ...RECORDED, logasap: true });
  logger.send('notice', 'a notice');
  await recv.wait(1);
  createProcessLogger(r.model).send('alert', 'process alert');
  const got = await recv.wait(2);
  // The stream line is info: above the target's max level (notice).
  assert.equal(got[0], 'a notice\n');
  assert.match(got[1]!, /^<129>\w{3} [ \d]\d \d\d:\d\d:\d\d gtag\[\d+\]: process alert\n$/);
  });
});

test('targets and formats that cannot run yet are named with their line', async () => {
  const r = await check(`
global
    log ring@r local0
    log tcp@127.0.0.1:514 local0
${TCP_DEFAULTS}frontend fe
    bind 127.0.0.1:1
    log abns@x local0
    log-format "%ci %[src] %[fe_id]"
    default_backend be
backend be
    server s1 127.0.0.1:1
`);
  const notYet = r.warnings.filter((w) => /not supported yet/.test(w));
  assert.deepEqual(notYet, [
    "t.cfg:3: log target 'ring@r' (ring buffers) is not supported yet",
    "t.cfg:4: log target 'tcp@127.0.0.1:514' (a stream socket, which HAProxy feeds through a ring buffer) is not supported yet",
    "t.cfg:12: log target 'abns@x' (abstract unix socket) is not supported yet",
    "t.cfg:13: sample fetch 'fe_id' in a log-format ('%[fe_id]') is not supported yet",
  ]);
  // At startup the same messages refuse the configuration.
  const started = await check('global\n    log ring@r local0\n', { start: true });
  assert.deepEqual(started.alerts, ["t.cfg:2: log target 'ring@r' (ring buffers) is not supported yet"]);
});
