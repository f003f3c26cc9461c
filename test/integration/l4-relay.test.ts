/**
 * The client-to-server direction of a layer-4 stream (src/tcp/relay.ts relayAccepted): an
 * accepted socket is either "adopted" (read into a buffer of the stream's, through Node's
 * internals, as net.connect's `onread` does) or relayed with 'data' events when this Node does
 * not allow that. Both paths run here on real sockets, in this process, with the server side
 * read with `onread` as Portier does: bytes arrive intact and in order, a half-close goes through
 * in each direction, and a server that does not read stops the reads from the client (nothing
 * piles up in the proxy), as does pause() on the accepted socket. Then through Portier, whose
 * streams adopt the client socket from accept (its early reads copied out of the buffer until the
 * server is connected) and write each read straight to the other socket's handle; with
 * PORTIER_ADOPT_SOCKETS=0, which keeps 'data' events throughout; and with
 * PORTIER_DIRECT_WRITES=0, which writes through socket.write().
 * Idle streams give their read buffers back (sweepIdleRelays, run here at once instead of
 * waiting for its timer): data after that still arrives intact both ways, small or in bursts
 * bigger than a buffer, with half-closes and backpressure; many idle streams hold no buffer;
 * a TLS connection read with `onread` (Portier's server side with `ssl`) behaves the same.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connect as tlsConnect, createServer as createTlsServer, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { BufferedRelay, canAdopt, relayAccepted, relaysOwningBuffers, spareBuffers, sweepIdleRelays } from '../../src/tcp/relay.js';
import { freePort, until, waitForListener, within } from '../helpers/l4/net.js';
import { startProxy, type Proxy } from '../helpers/l4/proxy.js';
import { makePki } from '../helpers/tls/pki.js';

const servers: Server[] = [];
const sockets = new Set<Socket>();
after(async () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) await new Promise((r) => s.close(r));
});

async function listen(s: Server): Promise<number> {
  servers.push(s);
  s.on('connection', (c: Socket) => {
    sockets.add(c);
    c.once('close', () => sockets.delete(c));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Reads stop once the kernel buffers toward a server that does not read are full: bytesRead settles. */
async function readsSettle(socket: Socket): Promise<void> {
  let last = -1;
  await until(
    () => {
      const now = socket.bytesRead;
      const settled = now === last;
      last = now;
      return settled;
    },
    20_000,
    'the reads from the client to stop',
    200,
  );
}

/** What the server received, and its socket. */
interface Sink {
  socket: Socket;
  chunks: Buffer[];
  ended: Promise<void>;
}

interface Proxied {
  socket: Socket;
  adopted: boolean;
  up: Socket;
  reader: BufferedRelay;
  /** The client side's relay, when adopted. */
  writer?: BufferedRelay;
  /** Bytes Node had read ahead into the socket's buffer when the relay started. */
  readAhead: number;
}

/**
 * A proxy in miniature, as TcpStream runs one: accept paused, read the client early (one
 * chunk, then pause, as readEarly does) until Node has read ahead into the socket's own buffer,
 * connect to the server with `onread`, then relay both ways.
 */
async function rig(adopt: boolean, sinkReads: boolean) {
  let sinkResolve!: (s: Sink) => void;
  const sinkReady = new Promise<Sink>((r) => (sinkResolve = r));
  const sinkPort = await listen(
    createServer({ allowHalfOpen: true, pauseOnConnect: !sinkReads }, (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise<void>((r) => socket.once('end', r));
      sinkResolve({ socket, chunks, ended });
    }),
  );
  let accepted!: (a: Proxied) => void;
  const proxied = new Promise<Proxied>((r) => (accepted = r));
  const port = await listen(
    createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
      const early: Buffer[] = [];
      const onEarly = (c: Buffer): void => {
        early.push(c);
        client.pause();
      };
      client.on('data', onEarly);
      client.resume();
      // Connect once Node has read ahead beyond the first chunk: relayAccepted must send that first.
      void until(() => early.length > 0 && (client.readableLength > 0 || client.readableEnded), 10_000, 'early data').then(() => {
        const reader = new BufferedRelay();
        const up = connect({ port: sinkPort, host: '127.0.0.1', allowHalfOpen: true, onread: reader.onread });
        up.once('connect', () => {
          client.off('data', onEarly);
          const readAhead = client.readableLength;
          for (const c of early) up.write(c);
          const writer = relayAccepted(client, up, () => {}, () => up.end(), adopt);
          reader.start(up, client, () => {}, () => client.end());
          client.resume();
          accepted({ socket: client, adopted: writer !== undefined, up, reader, writer, readAhead });
        });
      });
    }),
  );
  return { port, proxied, sinkReady };
}

for (const adopt of [true, false]) {
  const path = adopt ? 'adopted (onread-like)' : "'data' events";

  test(`relay, ${path}: 8 MB up then a half-close, 1 MB back then the server's half-close; bytes intact and counted`, async () => {
    const r = await rig(adopt, true);
    const up = randomBytes(8 << 20);
    const down = randomBytes(1 << 20);
    const client = connect({ port: r.port, host: '127.0.0.1', allowHalfOpen: true });
    const back: Buffer[] = [];
    client.on('data', (c: Buffer) => back.push(c));
    const clientEnded = new Promise<void>((res) => client.once('end', res));
    client.write(up);
    client.end();
    const p = await within(r.proxied, 10_000, 'the proxied connection');
    if (adopt) assert.equal(p.adopted, canAdopt, 'adopted whenever this Node allows it');
    else assert.equal(p.adopted, false);
    assert.ok(p.readAhead > 0, 'data was waiting in the socket when the relay started');
    const sink = await within(r.sinkReady, 10_000, 'the server side');
    await within(sink.ended, 20_000, "the client's half-close at the server");
    const got = Buffer.concat(sink.chunks);
    assert.equal(got.length, up.length);
    assert.equal(sha(got), sha(up));
    assert.equal(p.socket.bytesRead, up.length, "the accepted socket's byte count (the logs' bytes_in)");
    // The other direction still flows after the client's half-close, then closes too.
    sink.socket.end(down);
    await within(clientEnded, 20_000, "the server's half-close at the client");
    assert.equal(sha(Buffer.concat(back)), sha(down));
    client.destroy();
  });

  test(`relay, ${path}: a server that does not read stops the reads from the client; nothing piles up; all arrives once it reads`, async () => {
    const r = await rig(adopt, false);
    const total = 48 << 20;
    const data = randomBytes(total);
    const client = connect({ port: r.port, host: '127.0.0.1', allowHalfOpen: true });
    client.write(data);
    client.end();
    const p = await within(r.proxied, 10_000, 'the proxied connection');
    const sink = await within(r.sinkReady, 10_000, 'the server side');
    await readsSettle(p.socket);
    assert.ok(p.socket.bytesRead < total / 2, `read ${p.socket.bytesRead} of ${total} bytes with the server not reading`);
    // What the proxy holds: at most a read buffer or a chunk and Node's write high-water mark.
    assert.ok(p.up.writableLength <= 256 * 1024, `${p.up.writableLength} bytes wait in the proxy`);
    sink.socket.resume();
    await within(sink.ended, 30_000, "the client's data and half-close at the server");
    const got = Buffer.concat(sink.chunks);
    assert.equal(got.length, total);
    assert.equal(sha(got), sha(data));
    client.destroy();
  });
}

test('an adopted socket: pause() stops its reads, resume() restarts them', { skip: canAdopt ? false : 'this Node does not allow adoption' }, async () => {
  const sinkPort = await listen(createServer({ allowHalfOpen: true }, (s) => s.resume()));
  let got!: (s: Socket) => void;
  const acceptedP = new Promise<Socket>((r) => (got = r));
  const port = await listen(
    createServer({ allowHalfOpen: true, pauseOnConnect: true }, (s) => {
      const up = connect({ port: sinkPort, host: '127.0.0.1' });
      up.once('connect', () => {
        assert.ok(relayAccepted(s, up, () => {}, () => up.end()));
        s.pause();
        got(s);
      });
    }),
  );
  const client = connect({ port, host: '127.0.0.1' });
  const s = await within(acceptedP, 10_000, 'the accepted socket');
  client.write(randomBytes(1 << 20));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(s.bytesRead, 0, 'nothing read while paused');
  s.resume();
  await until(() => s.bytesRead === 1 << 20, 10_000, 'the reads to resume');
  client.destroy();
});

/**
 * Starts Portier on `cfg` with `env`: by default accepted sockets are adopted and relays write
 * to the other socket's handle directly; PORTIER_ADOPT_SOCKETS=0 and PORTIER_DIRECT_WRITES=0
 * turn each off.
 */
async function portier(cfg: string, port: number, env: Record<string, string> = {}): Promise<Proxy> {
  const p = startProxy('portier', cfg, { env });
  await waitForListener({ port, host: '127.0.0.1' }, 15_000, () => p.child.exitCode === null);
  return p;
}

const portierConfig = (port: number, server: number, extra = ''): string => `defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen up
    bind 127.0.0.1:${port}
${extra}    server s 127.0.0.1:${server}
`;

const paths: { path: string; env: Record<string, string> }[] = [
  { path: 'client sockets adopted, direct writes', env: {} },
  { path: 'PORTIER_ADOPT_SOCKETS=0', env: { PORTIER_ADOPT_SOCKETS: '0' } },
  { path: 'PORTIER_DIRECT_WRITES=0', env: { PORTIER_DIRECT_WRITES: '0' } },
];
for (const { path, env } of paths) {

  test(`through Portier (${path}): 16 MB uploaded at once to a server that reads slowly arrive intact, then both half-closes`, async () => {
    const total = 16 << 20;
    const data = randomBytes(total);
    const received: Buffer[] = [];
    let serverEnded!: () => void;
    const endedAtServer = new Promise<void>((r) => (serverEnded = r));
    const sinkPort = await listen(
      createServer({ allowHalfOpen: true }, (s) => {
        // Reads a chunk, waits 5 ms, and so on: Portier must hold the client back meanwhile.
        s.on('data', (c: Buffer) => {
          received.push(c);
          s.pause();
          setTimeout(() => s.resume(), 5);
        });
        s.once('end', () => {
          serverEnded();
          s.end('done');
        });
      }),
    );
    const port = await freePort();
    const p = await portier(portierConfig(port, sinkPort), port, env);
    try {
      const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      const reply: Buffer[] = [];
      client.on('data', (c: Buffer) => reply.push(c));
      const clientEnded = new Promise<void>((r) => client.once('end', r));
      // Sent before the server connection is up: the first 16 kB wait in Portier's early buffer.
      client.write(data);
      client.end();
      await within(endedAtServer, 60_000, 'the upload and its half-close at the server');
      await within(clientEnded, 10_000, "the server's answer and half-close at the client");
      assert.equal(sha(Buffer.concat(received)), sha(data));
      assert.equal(Buffer.concat(reply).toString(), 'done');
      client.destroy();
    } finally {
      await p.stop();
    }
  });

  test(`through Portier (${path}): content inspected (tcp-request content) then relayed, a rejected client closed`, async () => {
    const received: Buffer[] = [];
    let done!: () => void;
    const endedAtServer = new Promise<void>((r) => (done = r));
    const sinkPort = await listen(
      createServer({ allowHalfOpen: true }, (s) => {
        s.write('hi ');
        s.on('data', (c: Buffer) => received.push(c));
        s.once('end', () => {
          done();
          s.end('bye');
        });
      }),
    );
    const port = await freePort();
    // A delay longer than the waits below: the rules must decide as the data comes.
    const rules = `    tcp-request inspect-delay 60s
    tcp-request content reject if { req.payload(0,4) -m str NOPE }
    tcp-request content accept if { req.len ge 8 }
`;
    const p = await portier(portierConfig(port, sinkPort, rules), port, env);
    try {
      // Accepted once 8 bytes came (sent in two parts): the server greets, then 1 MB more.
      const tail = randomBytes(1 << 20);
      const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      const reply: Buffer[] = [];
      const greeted = new Promise<void>((r) => client.once('data', () => r()));
      client.on('data', (c: Buffer) => reply.push(c));
      const clientEnded = new Promise<void>((r) => client.once('end', r));
      client.write('HELO');
      await new Promise((r) => setTimeout(r, 100));
      client.write('1234');
      await within(greeted, 10_000, "the server's greeting (the rules accepted)");
      client.write(tail);
      client.end();
      await within(endedAtServer, 20_000, 'the data and half-close at the server');
      await within(clientEnded, 10_000, "the server's answer at the client");
      assert.equal(sha(Buffer.concat(received)), sha(Buffer.concat([Buffer.from('HELO1234'), tail])));
      assert.equal(Buffer.concat(reply).toString(), 'hi bye');
      client.destroy();
      // A rejected one: closed by Portier, nothing reaches the server.
      const before = received.length;
      const rejected = connect({ port, host: '127.0.0.1' });
      rejected.on('error', () => {});
      const closed = new Promise<void>((r) => rejected.once('close', () => r()));
      rejected.write('NOPE and more');
      await within(closed, 10_000, 'the rejected client closed');
      assert.equal(received.length, before);
    } finally {
      await p.stop();
    }
  });
}

// ------------------------------------------------------------ idle streams give their buffers back

/** Collects what `s` receives; `upTo(n)` waits until n bytes came and returns them. */
function collector(s: Socket): { upTo: (n: number, what: string) => Promise<Buffer>; ended: Promise<void> } {
  const chunks: Buffer[] = [];
  let length = 0;
  s.on('data', (c: Buffer) => {
    chunks.push(c);
    length += c.length;
  });
  const ended = new Promise<void>((r) => s.once('end', r));
  return {
    ended,
    upTo: async (n, what) => {
      await until(() => length >= n, 20_000, `${what} (${length} of ${n} bytes)`, 10);
      const all = Buffer.concat(chunks);
      chunks.length = 0;
      length = 0;
      return all;
    },
  };
}

/**
 * Three sweeps: the first takes the relays started since the last one into the swept set, the
 * second sees the reads since the previous one, the third demotes.
 */
function sweepThrice(): void {
  sweepIdleRelays();
  sweepIdleRelays();
  sweepIdleRelays();
}

const idleSkip = { skip: canAdopt ? false : 'this Node does not allow adoption (no demotion either)' };

test('an idle stream gives both buffers back; then small data, bursts over 64 kB both ways, and half-closes arrive intact', idleSkip, async () => {
  const r = await rig(true, true);
  const client = connect({ port: r.port, host: '127.0.0.1', allowHalfOpen: true });
  const atClient = collector(client);
  const first = randomBytes(1 << 20);
  client.write(first);
  const p = await within(r.proxied, 10_000, 'the proxied connection');
  const sink = await within(r.sinkReady, 10_000, 'the server side');
  // The rig's own 'data' listener collects it, then collector() takes over.
  await until(() => Buffer.concat(sink.chunks).length >= first.length, 20_000, 'the first MB at the server');
  assert.equal(sha(Buffer.concat(sink.chunks)), sha(first));
  const atServer = collector(sink.socket);
  const writer = p.writer!;
  assert.ok(writer.holdsBuffer && p.reader.holdsBuffer, 'both sides read into buffers of their own while data flows');

  sweepThrice();
  assert.ok(!writer.holdsBuffer, 'the idle client side is demoted');
  assert.ok(!p.reader.holdsBuffer, 'the idle server side is demoted');
  assert.equal(relaysOwningBuffers(), 0, 'no relay of this process holds a buffer');

  // Small messages after a demotion: copied out of the shared buffer, no buffer taken.
  for (let i = 0; i < 5; i++) {
    client.write(`ping ${i}\n`);
    assert.equal((await atServer.upTo(7, 'a ping')).toString(), `ping ${i}\n`);
    sink.socket.write(`pong ${i}\n`);
    assert.equal((await atClient.upTo(7, 'a pong')).toString(), `pong ${i}\n`);
  }
  assert.ok(!writer.holdsBuffer && !p.reader.holdsBuffer, 'small reads stay on the shared buffer');

  // A burst bigger than a buffer right after the demotion, each way: a buffer is taken again.
  for (let round = 0; round < 2; round++) {
    const up = randomBytes((1 << 20) + 12345);
    client.write(up);
    assert.equal(sha(await atServer.upTo(up.length, 'the burst up')), sha(up));
    const down = randomBytes((1 << 20) + 54321);
    sink.socket.write(down);
    assert.equal(sha(await atClient.upTo(down.length, 'the burst down')), sha(down));
    assert.ok(writer.holdsBuffer && p.reader.holdsBuffer, 'promoted by the bursts');
    sweepThrice();
    assert.ok(!writer.holdsBuffer && !p.reader.holdsBuffer, 'demoted again once idle');
  }

  // Half-closes after a demotion, each way, with data just before.
  const last = randomBytes(200_000);
  client.end(last);
  await within(atServer.ended, 10_000, "the client's half-close at the server");
  assert.equal(sha(await atServer.upTo(last.length, 'the last upload')), sha(last));
  const lastDown = randomBytes(300_000);
  sink.socket.end(lastDown);
  await within(atClient.ended, 10_000, "the server's half-close at the client");
  assert.equal(sha(await atClient.upTo(lastDown.length, 'the last download')), sha(lastDown));
  assert.equal(p.socket.bytesRead, first.length + 5 * 7 + 2 * ((1 << 20) + 12345) + last.length);
  client.destroy();
  writer.release();
  p.reader.release();
});

test('backpressure after a demotion: a server that does not read stops the client; all arrives once it reads', idleSkip, async () => {
  const r = await rig(true, false);
  const client = connect({ port: r.port, host: '127.0.0.1', allowHalfOpen: true });
  const head = randomBytes(256 << 10);
  client.write(head);
  const p = await within(r.proxied, 10_000, 'the proxied connection');
  const sink = await within(r.sinkReady, 10_000, 'the server side');
  // The first 256 kB fit in the kernel's buffers toward the (not reading) server.
  await until(() => p.socket.bytesRead === head.length && p.up.writableLength === 0, 10_000, 'the head relayed');
  sweepThrice();
  assert.ok(!p.writer!.holdsBuffer, 'demoted: nothing waits to be written');
  const total = 48 << 20;
  const data = randomBytes(total);
  client.write(data);
  client.end();
  await readsSettle(p.socket);
  assert.ok(p.socket.bytesRead < total / 2, `read ${p.socket.bytesRead} of ${total} bytes with the server not reading`);
  assert.ok(p.up.writableLength <= 256 * 1024, `${p.up.writableLength} bytes wait in the proxy`);
  // A sweep while the write waits takes nothing away from the relay.
  sweepThrice();
  sink.socket.resume();
  await within(sink.ended, 30_000, "the client's data and half-close at the server");
  assert.equal(sha(Buffer.concat(sink.chunks)), sha(Buffer.concat([head, data])));
  client.destroy();
  p.writer!.release();
  p.reader.release();
});

test('many idle streams hold no read buffers; each still carries data afterwards', idleSkip, async () => {
  const n = 300;
  // An echo server and a proxy in miniature, as TcpStream relays (both sides buffered).
  const echoPort = await listen(createServer({ allowHalfOpen: true }, (s) => s.pipe(s)));
  const relays: BufferedRelay[] = [];
  const port = await listen(
    createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
      const reader = new BufferedRelay();
      const up = connect({ port: echoPort, host: '127.0.0.1', allowHalfOpen: true, onread: reader.onread });
      sockets.add(up);
      up.once('connect', () => {
        const writer = relayAccepted(client, up, () => {}, () => up.end());
        assert.ok(writer, 'adopted');
        reader.start(up, client, () => {}, () => client.end());
        relays.push(reader, writer);
        client.resume();
      });
    }),
  );
  const clients = await Promise.all(
    Array.from({ length: n }, () => new Promise<Socket>((res, rej) => {
      const c = connect({ port, host: '127.0.0.1' }, () => res(c));
      c.once('error', rej);
    })),
  );
  const got = clients.map((c) => collector(c));
  clients.forEach((c, i) => c.write(`hello ${String(i).padStart(4, '0')}`));
  for (let i = 0; i < n; i++) assert.equal((await got[i]!.upTo(10, 'hello')).toString(), `hello ${String(i).padStart(4, '0')}`);
  await until(() => relays.length === 2 * n, 10_000, 'all relays started');
  assert.ok(relays.every((r) => r.holdsBuffer));
  assert.ok(relaysOwningBuffers() >= 2 * n);
  // The buffers given back and not kept in the pool are really freed (nothing else refers to them).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().arrayBuffers;
  sweepThrice();
  assert.equal(relaysOwningBuffers(), 0, 'no idle relay holds a buffer');
  const freed = (2 * n - 256) * 65536;
  await until(
    () => {
      gc();
      return before - process.memoryUsage().arrayBuffers >= 0.9 * freed;
    },
    10_000,
    `${freed} bytes of buffers freed (${before - process.memoryUsage().arrayBuffers})`,
    100,
  );
  assert.ok(relays.every((r) => !r.holdsBuffer));
  assert.ok(spareBuffers() <= 256, `${spareBuffers()} buffers kept for later streams (at most 256)`);
  // Each stream still works: a burst over 64 kB echoed intact through both demoted sides.
  const bursts = clients.slice(0, 20).map(() => randomBytes(100_000));
  bursts.forEach((b, i) => clients[i]!.write(b));
  for (let i = 0; i < bursts.length; i++) assert.equal(sha(await got[i]!.upTo(bursts[i]!.length, 'an echoed burst')), sha(bursts[i]!));
  for (const c of clients) c.destroy();
  for (const r of relays) r.release();
});

test('through Portier: streams idle past its sweeps (every second) still carry pings and bursts both ways, then half-closes', idleSkip, async () => {
  const sinkPort = await listen(createServer({ allowHalfOpen: true }, (s) => s.pipe(s)));
  const port = await freePort();
  const p = await portier(portierConfig(port, sinkPort), port);
  try {
    const clients = await Promise.all(
      Array.from({ length: 10 }, () => new Promise<Socket>((res, rej) => {
        const c = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => res(c));
        c.once('error', rej);
      })),
    );
    const got = clients.map((c) => collector(c));
    const burst = randomBytes(300_000);
    for (let round = 0; round < 2; round++) {
      clients.forEach((c) => c.write(burst));
      for (const g of got) assert.equal(sha(await g.upTo(burst.length, 'an echoed burst')), sha(burst));
      // Idle through at least two of Portier's sweeps (not asserted: the data must arrive either way).
      await new Promise((r) => setTimeout(r, 2500));
      clients.forEach((c, i) => c.write(`ping ${i}`));
      for (let i = 0; i < clients.length; i++) assert.equal((await got[i]!.upTo(6, 'an echoed ping')).toString(), `ping ${i}`);
    }
    clients.forEach((c) => c.end(burst));
    for (const g of got) {
      await within(g.ended, 10_000, 'the echo server half-closed after the client');
      assert.equal(sha(await g.upTo(burst.length, 'the last burst')), sha(burst));
    }
    for (const c of clients) c.destroy();
  } finally {
    await p.stop();
  }
});

test('a TLS connection read with onread (a server with ssl) is demoted and promoted the same way; bytes intact', idleSkip, async () => {
  const pki = makePki();
  try {
    const cert = pki.issue('idle', { cn: 'localhost', ips: ['127.0.0.1'] });
    let accepted!: (s: TLSSocket) => void;
    const serverSide = new Promise<TLSSocket>((r) => (accepted = r));
    const srv = createTlsServer({ key: readFileSync(cert.key), cert: readFileSync(cert.crt) }, (s) => accepted(s));
    const port = await listen(srv as unknown as Server);
    // The relay writes to a plain TCP pair: what it reads from TLS arrives at `far`.
    let far!: (s: Socket) => void;
    const farSide = new Promise<Socket>((r) => (far = r));
    const farPort = await listen(createServer((x) => far(x)));
    const near = connect({ port: farPort, host: '127.0.0.1' });
    sockets.add(near);
    const atFar = collector(await within(farSide, 10_000, 'the TCP pair'));
    const r = new BufferedRelay();
    // Node's TLSSocket takes `onread` as net.Socket does (its types do not say so).
    const up = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, onread: r.onread } as ConnectionOptions);
    sockets.add(up);
    await within(new Promise((res) => up.once('secureConnect', res)), 10_000, 'the TLS handshake');
    const s = await within(serverSide, 10_000, 'the TLS server side');
    r.start(up, near, () => {}, () => near.end());
    const a = randomBytes(300_000);
    s.write(a);
    assert.equal(sha(await atFar.upTo(a.length, 'the first 300 kB')), sha(a));
    assert.ok(r.holdsBuffer);
    sweepThrice();
    assert.ok(!r.holdsBuffer, 'demoted');
    s.write('small ping');
    assert.equal((await atFar.upTo(10, 'a ping')).toString(), 'small ping');
    const b = randomBytes((1 << 20) + 7);
    s.end(b);
    assert.equal(sha(await atFar.upTo(b.length, 'a burst after the demotion')), sha(b));
    await within(atFar.ended, 10_000, "the TLS side's close passed on");
    assert.ok(r.holdsBuffer, 'promoted by the burst');
    r.release();
  } finally {
    pki.remove();
  }
});
