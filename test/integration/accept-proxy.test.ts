/**
 * `bind ... accept-proxy` end to end (configuration.txt 5.1), through haproxy and Portier with
 * the same configuration: Portier on raw handles (the default) and with PORTIER_RAW_SOCKETS=0.
 * A header with data in the same segment, a header with data later, v1 and v2; then the
 * failures HAProxy logs with their own line ("<src>:<port> [<date>] <frontend>/<bind>: <why>"):
 * not a header, a connection closed before anything, the client timeout. What the server
 * receives and the log lines must be the same for the three runs.
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

/** Collects what each connection sends until its FIN, then answers "got:<it>". */
async function collector(): Promise<number> {
  const s = createServer({ allowHalfOpen: true }, (c) => {
    c.on('error', () => {});
    let got = '';
    c.on('data', (d: Buffer) => (got += d.toString('latin1')));
    c.on('end', () => c.end(`got:${got}`));
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

/**
 * Sends each part (a pause between them), then a FIN (unless `end` is false); resolves once
 * closed with the answer, and "RST" when the connection was reset.
 */
function exchange(port: number, parts: (string | Buffer)[], end = true): Promise<string> {
  return within(
    new Promise<string>((resolve) => {
      const c = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      let got = '';
      c.on('data', (d: Buffer) => (got += d.toString('latin1')));
      c.on('error', (e: NodeJS.ErrnoException) => (got += e.code === 'ECONNRESET' ? 'RST' : e.code));
      c.on('end', () => c.end());
      c.on('close', () => resolve(got));
      c.once('connect', async () => {
        for (const [i, p] of parts.entries()) {
          if (i > 0) await new Promise((r) => setTimeout(r, 50));
          c.write(p);
        }
        if (end) c.end();
      });
    }),
    10_000,
    `the exchange of ${JSON.stringify(parts.map(String))}`,
  );
}

const V2 = Buffer.concat([
  Buffer.from('0d0a0d0a000d0a515549540a', 'hex'),
  // PROXY, TCP over IPv4, 12 bytes: 192.0.2.7 -> 198.51.100.9, 5000 -> 8443
  Buffer.from([0x21, 0x11, 0x00, 0x0c, 192, 0, 2, 7, 198, 51, 100, 9, 0x13, 0x88, 0x20, 0xfb]),
]);

const runs = DATA_PATH_RUNS;

test('accept-proxy: data with and after the header, v1 and v2, and the failures logged as haproxy logs them', async () => {
  const server = await collector();
  const seen: Record<string, { answers: string[]; logs: string[] }> = {};
  for (const run of runs) {
    const port = await freePort();
    const cfg = `global
    log stdout format raw local0

defaults
    mode tcp
    log global
    log-format "%ci:%cp %fi:%fp %b/%s %ts %U %B"
    timeout connect 2s
    timeout client 1s
    timeout server 2s

listen pp
    bind 127.0.0.1:${port} accept-proxy name ppbind
    server s 127.0.0.1:${server}
`;
    const proxy = startProxy(run.impl, cfg, { env: run.env });
    try {
      const lines = (): string[] => proxy.output().split('\n').filter((l) => / pp\//.test(l));
      // waitForListener's probe closes before sending a header: logged, and left out below.
      await waitForListener({ host: '127.0.0.1', port }, 15_000, () => proxy.child.exitCode === null);
      await until(() => lines().length >= 1, 5000, `the probe logged by ${run.name} (${proxy.output()})`);
      const answers = [
        await exchange(port, ['PROXY TCP4 192.0.2.1 198.51.100.2 4000 443\r\nhello']),
        await exchange(port, ['PROXY TCP4 192.0.2.3 198.51.100.4 4001 444\r\n', 'later']),
        await exchange(port, [Buffer.concat([V2, Buffer.from('v2 data')])]),
        await exchange(port, ['GET / HTTP/1.0\r\n\r\n']),
        await exchange(port, []),
        await exchange(port, [], false),
      ];
      await until(() => lines().length >= 7, 10_000, `7 log lines from ${run.name} (${proxy.output()})`);
      seen[run.name] = {
        answers,
        logs: lines().slice(1).map((l) => l.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/\[[^\]]+\]/, '[DATE]')),
      };
    } finally {
      await proxy.stop();
    }
  }
  const h = seen['haproxy']!;
  // A header that is not one: reset (HAProxy only peeked at the bytes, and closes with them unread).
  assert.deepEqual(h.answers, ['got:hello', 'got:later', 'got:v2 data', 'RST', '', '']);
  assert.deepEqual(h.logs, [
    '192.0.2.1:4000 198.51.100.2:443 pp/s -- 5 9',
    '192.0.2.3:4001 198.51.100.4:444 pp/s -- 5 9',
    '192.0.2.7:5000 198.51.100.9:8443 pp/s -- 7 11',
    '127.0.0.1:PORT [DATE] pp/ppbind: Received something which does not look like a PROXY protocol header',
    '127.0.0.1:PORT [DATE] pp/ppbind: Connection closed while waiting for PROXY protocol header',
    '127.0.0.1:PORT [DATE] pp/ppbind: Timeout while waiting for PROXY protocol header',
  ]);
  for (const run of runs.slice(1)) {
    assert.deepEqual(seen[run.name]!.answers, h.answers, `${run.name}: what the clients got`);
    assert.deepEqual(seen[run.name]!.logs, h.logs, `${run.name}: the log lines`);
  }
});
