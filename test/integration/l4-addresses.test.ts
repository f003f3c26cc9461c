/**
 * Addresses on the data path, through haproxy and Portier with the same configuration: an IPv6
 * listener and an IPv6 server, and servers connected from a chosen source address (`source`,
 * configuration.txt 5.2), IPv4 and IPv6. Portier runs twice: on raw handles (the default:
 * accept, bind, connect and connect6 on libuv's TCP handle) and with PORTIER_RAW_SOCKETS=0
 * (net.Sockets). The servers say whom they see; the log lines (a log-format of the address
 * variables) must be the same for the three runs.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { freePort, until, waitForListener, within } from '../helpers/l4/net.js';
import { DATA_PATH_RUNS, startProxy } from '../helpers/l4/proxy.js';

const servers: Server[] = [];
after(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

/** A server on `host` that answers a line with the address it sees the connection come from. */
async function whoAmI(host: string): Promise<number> {
  const s = createServer((c) => {
    c.on('error', () => {});
    c.once('data', () => c.end(`${c.remoteAddress}\n`));
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, host, r));
  return (s.address() as AddressInfo).port;
}

/** What the client gets back for one line sent to host:port. */
function ask(host: string, port: number): Promise<string> {
  return within(
    new Promise<string>((resolve, reject) => {
      const c = connect({ host, port });
      let got = '';
      c.on('data', (d: Buffer) => (got += d.toString()));
      c.on('end', () => resolve(got.trim()));
      c.on('error', reject);
      c.write('who?\n');
    }),
    10_000,
    `an answer through ${host}:${port}`,
  );
}

const runs = DATA_PATH_RUNS;

test('IPv6 listener and server, and source addresses: what the servers see and the log lines agree', async () => {
  const v6 = await whoAmI('::1');
  const v4 = await whoAmI('127.0.0.1');
  const seen: Record<string, { answers: string[]; logs: string[] }> = {};
  for (const run of runs) {
    const p6 = await freePort();
    const p4 = await freePort();
    const cfg = `global
    log stdout format raw local0

defaults
    mode tcp
    log global
    log-format "%ci %fi:%fp %b/%s %bi %si:%sp %ts %B"
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen six
    bind [::1]:${p6}
    server s6 [::1]:${v6} source [::1]

listen four
    bind 127.0.0.1:${p4}
    server s4 127.0.0.1:${v4} source 127.0.0.2
`;
    const proxy = startProxy(run.impl, cfg, { env: run.env });
    try {
      await waitForListener({ host: '127.0.0.1', port: p4 }, 15_000, () => proxy.child.exitCode === null);
      await waitForListener({ host: '::1', port: p6 }, 15_000, () => proxy.child.exitCode === null);
      const answers = [await ask('::1', p6), await ask('127.0.0.1', p4)];
      // (The probes of waitForListener are logged too, with nothing sent: left out, how they end is a race.)
      const lines = (): string[] => proxy.output().split('\n').filter((l) => / (six|four)\/s[46] /.test(l) && !l.endsWith(' 0'));
      await until(() => lines().length >= 2, 10_000, `2 log lines from ${run.name} (${proxy.output()})`);
      seen[run.name] = { answers, logs: lines().map((l) => l.replace(new RegExp(`:(${p6}|${p4}) `), ':FP ')) };
    } finally {
      await proxy.stop();
    }
  }
  const h = seen['haproxy']!;
  assert.deepEqual(h.answers, ['::1', '127.0.0.2'], 'haproxy connects from the source addresses');
  assert.deepEqual(h.logs, [`::1 ::1:FP six/s6 ::1 ::1:${v6} -- 4`, `127.0.0.1 127.0.0.1:FP four/s4 127.0.0.2 127.0.0.1:${v4} -- 10`]);
  for (const run of runs.slice(1)) {
    assert.deepEqual(seen[run.name]!.answers, h.answers, `${run.name}: what the servers see`);
    assert.deepEqual(seen[run.name]!.logs, h.logs, `${run.name}: the log lines`);
  }
});
