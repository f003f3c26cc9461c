/**
 * Reading the PROXY header from an accepted connection in its stream form
 * (proxy-protocol-endpoint.ts), on both kinds: a raw handle from the listener and a net.Socket.
 * What follows the header in the same read is handed over, and what comes later is read by the
 * next owner; HAProxy's single read and its error cases; the timeout; the connection given back
 * paused to its previous owner.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Server, type Socket } from 'node:net';
import { listenOn } from '../../../src/net/listen.js';
import { onEndpointProxyHeader } from '../../../src/net/proxy-protocol-endpoint.js';
import type { ProxyReadResult } from '../../../src/net/proxy-protocol.js';
import type { Endpoint, EndpointOwner } from '../../../src/tcp/endpoint.js';
import { HandleEndpoint, rawSockets } from '../../../src/tcp/handle-endpoint.js';
import { SocketEndpoint } from '../../../src/tcp/socket-endpoint.js';
import { freePort } from '../../helpers/process.js';

const servers: Server[] = [];
after(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

/** An owner that keeps what it reads and whether the connection closed. */
class Collector implements EndpointOwner {
  data = '';
  ended = false;
  closed = false;
  endpointConnected(): void {}
  endpointData(_ep: Endpoint, chunk: Buffer): boolean {
    this.data += chunk.toString('latin1');
    return true;
  }
  endpointEnd(): void {
    this.ended = true;
  }
  endpointDrain(): void {}
  endpointError(): void {}
  endpointClose(): void {
    this.closed = true;
  }
}

type Kind = 'raw handle' | 'net.Socket';
const kinds: Kind[] = rawSockets ? ['raw handle', 'net.Socket'] : ['net.Socket'];

/** A listener of `kind`, a client connected to it, and the accepted connection (owned by a Collector). */
async function pair(kind: Kind): Promise<{ client: Socket; conn: Endpoint; first: Collector }> {
  const port = await freePort();
  const first = new Collector();
  let got!: (e: Endpoint) => void;
  const accepted = new Promise<Endpoint>((r) => (got = r));
  const server = await listenOn({ family: 'ipv4', ip: '127.0.0.1', port, raw: `127.0.0.1:${port}` } as Parameters<typeof listenOn>[0], {
    bindOptions: {},
    allowHalfOpen: true,
    pauseOnConnect: true,
    onConnection: (s) => got(new SocketEndpoint(s, first)),
    onHandle: kind === 'raw handle' ? (h) => got(HandleEndpoint.accepted(h, first)) : undefined,
  });
  servers.push(server);
  const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  client.on('error', () => {});
  await new Promise((r) => client.once('connect', r));
  return { client, conn: await accepted, first };
}

function read(conn: Endpoint, timeoutMs: number, waitForMore = false): Promise<{ r: ProxyReadResult; rest: string }> {
  return new Promise((resolve) => onEndpointProxyHeader(conn, timeoutMs, { waitForMore }, (r, rest) => resolve({ r, rest: rest.toString('latin1') })));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

for (const kind of kinds) {
  test(`${kind}: header and data in one segment; the data after it is handed over, what comes later goes to the next owner`, async () => {
    const { client, conn, first } = await pair(kind);
    try {
      client.write('PROXY TCP4 1.2.3.4 5.6.7.8 1000 2000\r\nGET / HTTP/1.0\r\n');
      const { r, rest } = await read(conn, 1000);
      assert.ok('header' in r, JSON.stringify(r));
      assert.equal(r.header.src?.address, '1.2.3.4');
      assert.equal(r.length, 38);
      assert.equal(rest, 'GET / HTTP/1.0\r\n');
      assert.equal(conn.paused, true, 'given back paused');
      assert.equal(conn.owner, first, 'given back to its previous owner');
      client.end('Host: x\r\n\r\n');
      await sleep(50);
      assert.equal(first.data, '', 'nothing read before the next owner resumes it');
      conn.resume();
      for (let i = 0; i < 100 && !first.ended; i++) await sleep(20);
      assert.equal(first.data, 'Host: x\r\n\r\n');
      assert.ok(first.ended);
    } finally {
      client.destroy();
      conn.destroy();
    }
  });

  test(`${kind}: a header split across segments is truncated (HAProxy reads once); accepted with waitForMore`, async () => {
    for (const waitForMore of [false, true]) {
      const { client, conn } = await pair(kind);
      try {
        const reading = read(conn, 2000, waitForMore);
        client.write('PROXY TCP4 1.2.3.4 ');
        await sleep(50);
        client.write('5.6.7.8 1 2\r\nrest');
        const { r, rest } = await reading;
        if (!waitForMore) {
          assert.ok('code' in r && r.code === 'PRX_TRUNCATED', JSON.stringify(r));
        } else {
          assert.ok('header' in r, JSON.stringify(r));
          assert.equal(rest, 'rest');
        }
      } finally {
        client.destroy();
        conn.destroy();
      }
    }
  });

  test(`${kind}: errors: not a header, closed, reset, timeout; the connection stays open for the caller`, async () => {
    const expectCode = async (act: (c: Socket) => void, code: string, timeoutMs = 2000): Promise<void> => {
      const { client, conn } = await pair(kind);
      try {
        const reading = read(conn, timeoutMs);
        act(client);
        const { r, rest } = await reading;
        assert.ok('code' in r, JSON.stringify(r));
        assert.equal(r.code, code);
        assert.equal(rest, '');
        if (code === 'PRX_NOT_HDR' || code === 'PRX_TIMEOUT') assert.equal(conn.destroyed, false, 'left open for the caller to log and close');
      } finally {
        client.destroy();
        conn.destroy();
      }
    };
    await expectCode((c) => c.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 'PRX_NOT_HDR');
    await expectCode((c) => c.write('PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n'), 'PRX_BAD_HDR');
    await expectCode((c) => c.end(), 'PRX_EMPTY');
    await expectCode((c) => c.resetAndDestroy(), 'PRX_ABORT');
    await expectCode(() => {}, 'PRX_TIMEOUT', 100);
    await expectCode((c) => c.end('PROXY TCP4'), 'PRX_TRUNCATED');
  });
}
