/**
 * Server and listener options on the data path, through haproxy and Portier with the same
 * configuration (Portier on raw handles, the default, and with PORTIER_RAW_SOCKETS=0), each
 * compared with what haproxy does:
 * - `send-proxy` and `send-proxy-v2` to a plain TCP server: the bytes the server receives;
 * - a port-less server (the port the client reached) and a `+offset` port;
 * - several `bind` lines in one proxy;
 * - frontend `maxconn 1`: a second client waits, unread, until the first one's stream ends;
 * - `option tcpka` with `clitcpka-idle`/`srvtcpka-idle`: keep-alive timers on both connections.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { freePort, until, waitForListener, within } from '../helpers/l4/net.js';
import { DATA_PATH_RUNS, startProxy, type Proxy } from '../helpers/l4/proxy.js';

const servers: Server[] = [];
after(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

interface Capture {
  port: number;
  /** What each connection sent, in arrival order, once it ended. */
  received: string[];
  /** Connections open now. */
  open: number;
}

/** A server on host:port (0: any) that answers "ok" to each connection's first bytes and keeps what it got. */
async function capture(host = '127.0.0.1', port = 0): Promise<Capture> {
  const cap: Capture = { port: 0, received: [], open: 0 };
  const s = createServer({ allowHalfOpen: true }, (c) => {
    cap.open++;
    let got = Buffer.alloc(0);
    c.on('error', () => {});
    c.once('data', () => c.write('ok'));
    c.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
    c.on('end', () => {
      cap.received.push(got.toString('latin1'));
      c.end();
    });
    c.on('close', () => cap.open--);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(port, host, r));
  cap.port = (s.address() as AddressInfo).port;
  return cap;
}

/** A client that sends `text`; `answered` is the first thing it gets back. */
function client(port: number, text: string, host = '127.0.0.1'): { socket: Socket; answered: Promise<string> } {
  const socket = connect({ port, host, allowHalfOpen: true });
  socket.on('error', () => {});
  socket.write(text);
  const answered = within(new Promise<string>((r) => socket.once('data', (d: Buffer) => r(d.toString('latin1')))), 10_000, `an answer to ${text}`);
  return { socket, answered };
}

const runs = DATA_PATH_RUNS;

const HEAD = `defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
`;

/** Runs `body` with each proxy on `cfg(...)`; returns what each body returned, by run name. */
async function eachRun<T>(cfg: () => string, listens: number[], body: (p: Proxy) => Promise<T>): Promise<Record<string, T>> {
  const out: Record<string, T> = {};
  for (const run of runs) {
    const p = startProxy(run.impl, cfg(), { env: run.env });
    try {
      for (const port of listens) await waitForListener({ host: '127.0.0.1', port }, 15_000, () => p.child.exitCode === null);
      out[run.name] = await body(p);
    } finally {
      await p.stop();
    }
  }
  return out;
}

/**
 * One listen section in front of a new capture server, with `options` (proxy lines) and
 * `serverOptions` (after the server's address): `body` runs once waitForListener's probe has
 * left the server, for each run.
 */
async function throughOneListen<T>(options: string[], serverOptions: string, body: (port: number, srv: Capture) => Promise<T>): Promise<Record<string, T>> {
  const srv = await capture();
  const port = await freePort();
  const lines = options.map((o) => `    ${o}\n`).join('');
  return eachRun(
    () => `${HEAD}
listen one
${lines}    bind 127.0.0.1:${port}
    server s 127.0.0.1:${srv.port}${serverOptions ? ` ${serverOptions}` : ''}
`,
    [port],
    async () => {
      await until(() => srv.open === 0, 5000, 'the probe to end');
      srv.received.length = 0;
      return body(port, srv);
    },
  );
}

function sameAsHaproxy<T>(seen: Record<string, T>, what: string): T {
  const h = seen['haproxy']!;
  for (const run of runs.slice(1)) assert.deepEqual(seen[run.name], h, `${run.name}: ${what}`);
  return h;
}

test('send-proxy and send-proxy-v2 to a plain TCP server: the same bytes as haproxy', async () => {
  const v1 = await capture();
  const v2 = await capture();
  const [p1, p2] = [await freePort(), await freePort()];
  const seen = await eachRun(
    () => `${HEAD}
listen one
    bind 127.0.0.1:${p1}
    server s 127.0.0.1:${v1.port} send-proxy

listen two
    bind 127.0.0.1:${p2}
    server s 127.0.0.1:${v2.port} send-proxy-v2
`,
    [p1, p2],
    async () => {
      v1.received.length = 0;
      v2.received.length = 0;
      for (const port of [p1, p2]) {
        const c = client(port, 'hello');
        await c.answered;
        c.socket.end();
      }
      // (waitForListener's probe may have reached the servers too: only the client's stream is kept.)
      await until(() => v1.received.some((r) => r.endsWith('hello')) && v2.received.some((r) => r.endsWith('hello')), 10_000, 'the data at the servers');
      const one = v1.received.find((r) => r.endsWith('hello'));
      const two = v2.received.find((r) => r.endsWith('hello'));
      // The client's port differs by run: hidden (v1: text; v2: two bytes at offset 24).
      const hideV2 = (s: string): string => `${s.slice(0, 24)}PP${s.slice(26)}`;
      return { one: one!.replace(/ (\d+) (\d+)\r\n/, ' CPORT $2\r\n'), two: hideV2(two!) };
    },
  );
  const h = sameAsHaproxy(seen, 'what the servers received');
  assert.match(h.one, /^PROXY TCP4 127\.0\.0\.1 127\.0\.0\.1 CPORT \d+\r\nhello$/);
  assert.ok(h.two.startsWith('\r\n\r\n\0\r\nQUIT\n'), 'a v2 header');
  assert.ok(h.two.endsWith('hello'));
});

test('a port-less server takes the port the client reached; "+1" the next one', async () => {
  // Servers on 127.0.0.2, on the proxy's own port and the one after it.
  let port = 0;
  let same: Capture | undefined;
  let next: Capture | undefined;
  for (let i = 0; i < 20 && !next; i++) {
    port = await freePort();
    try {
      same = await capture('127.0.0.2', port);
      next = await capture('127.0.0.2', port + 1);
    } catch {
      // taken: another pair
    }
  }
  assert.ok(same && next, 'two free ports in a row on 127.0.0.2');
  const plus = await freePort();
  const seen = await eachRun(
    () => `${HEAD}
listen bare
    bind 127.0.0.1:${port}
    server s 127.0.0.2

listen offset
    bind 127.0.0.1:${plus}
    server s 127.0.0.2:${port + 1 - plus >= 0 ? '+' : ''}${port + 1 - plus}
`,
    [port, plus],
    async () => {
      same.received.length = 0;
      next.received.length = 0;
      const a = client(port, 'to the same port');
      const b = client(plus, 'to an offset');
      const got = [await a.answered, await b.answered];
      a.socket.end();
      b.socket.end();
      await until(() => same.received.some((r) => r.length > 0) && next.received.some((r) => r.length > 0), 10_000, 'the servers to get the data');
      return { got, same: same.received.filter((r) => r.length > 0), next: next.received.filter((r) => r.length > 0) };
    },
  );
  const h = sameAsHaproxy(seen, 'which servers were reached');
  assert.deepEqual(h, { got: ['ok', 'ok'], same: ['to the same port'], next: ['to an offset'] });
});

test('several bind lines in one proxy: each accepts', async () => {
  const srv = await capture();
  const [a, b] = [await freePort(), await freePort()];
  const seen = await eachRun(
    () => `${HEAD}
listen two
    bind 127.0.0.1:${a}
    bind 127.0.0.1:${b}
    server s 127.0.0.1:${srv.port}
`,
    [a, b],
    async () => {
      const got: string[] = [];
      for (const port of [a, b]) {
        const c = client(port, `via ${port === a ? 'a' : 'b'}`);
        got.push(await c.answered);
        c.socket.end();
      }
      return got;
    },
  );
  assert.deepEqual(sameAsHaproxy(seen, 'the answers'), ['ok', 'ok']);
});

test('frontend maxconn 1: a second client waits, unread, until the first stream ends', async () => {
  const seen = await throughOneListen(['maxconn 1'], '', async (port, srv) => {
    const first = client(port, 'first');
    assert.equal(await first.answered, 'ok');
    const second = client(port, 'second');
    const early = await Promise.race([second.answered, new Promise<string>((r) => setTimeout(() => r('waiting'), 500))]);
    const atServer = srv.open;
    first.socket.end();
    const late = await second.answered;
    second.socket.end();
    // (An empty one is waitForListener's probe, ending late.)
    const order = (): string[] => srv.received.filter((r) => r.length > 0);
    await until(() => order().length >= 2, 10_000, 'both streams to end');
    return { early, atServer, late, order: order() };
  });
  const h = sameAsHaproxy(seen, 'the second client waiting');
  // (While it waits, one connection at the server: the first's.)
  assert.deepEqual(h, { early: 'waiting', atServer: 1, late: 'ok', order: ['first', 'second'] });
});

/**
 * The established TCP connections from or to `port` that have a keep-alive timer (`ss -o`):
 * "local" when `port` is the connection's local port (the side that accepted), else "remote".
 */
function keepAliveTimers(port: number): string[] {
  const out = execFileSync('ss', ['-tnoH', 'state', 'established', `( sport = :${port} or dport = :${port} )`], { encoding: 'latin1' });
  return out
    .split('\n')
    .filter((l) => /timer:\(keepalive/.test(l))
    .map((l) => (l.trim().split(/\s+/)[2]!.endsWith(`:${port}`) ? 'local' : 'remote'));
}

test('option tcpka with clitcpka-idle and srvtcpka-idle: keep-alive on the client and the server connection', async () => {
  const seen = await throughOneListen(['option tcpka', 'clitcpka-idle 100', 'srvtcpka-idle 200'], '', async (port, srv) => {
    const c = client(port, 'hello');
    await c.answered;
    // The proxy's side of each connection has a keep-alive timer; the test's sockets have none.
    const onClientSide = keepAliveTimers(port);
    const onServerSide = keepAliveTimers(srv.port);
    c.socket.end();
    return { onClientSide, onServerSide };
  });
  const h = sameAsHaproxy(seen, 'the keep-alive timers');
  // The connection the proxy accepted, and the one it made to the server.
  assert.deepEqual(h, { onClientSide: ['local'], onServerSide: ['remote'] });
});

test('minconn with fullconn: the server limit grows with the backend load, as haproxy computes it', async () => {
  const seen = await throughOneListen(['fullconn 40'], 'minconn 1 maxconn 10', async (port, srv) => {
    // 4 streams on a backend whose fullconn is 40: the limit is max(1, 10 * 4 / 40) = 1.
    const held = [0, 1, 2, 3].map((i) => client(port, `c${i}`));
    await new Promise((r) => setTimeout(r, 500));
    const atServer = srv.open;
    for (const c of held) c.socket.end();
    const answers = await Promise.all(held.map((c) => c.answered));
    return { atServer, answers };
  });
  const h = sameAsHaproxy(seen, 'the streams let through to the server');
  assert.deepEqual(h, { atServer: 1, answers: ['ok', 'ok', 'ok', 'ok'] });
});
