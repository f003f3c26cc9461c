/**
 * The load side of `npm run bench:tcp`, written in Node: one process that is either the server
 * the proxies forward to, or the client that loads them. bench/tcp.ts runs both on the core the
 * proxy under test does not use.
 *
 *   node dist/bench/tcp-peer.js server
 *       listens on 127.0.0.1:0, prints `{"port":N}` on a line, serves until killed. The first
 *       byte a client sends picks what the connection is: 'S' (sink: everything after it is
 *       counted and dropped; at the client's end of stream the server answers the count as
 *       decimal text and closes), 'E' (echo: everything after it comes back) or 'D' (source:
 *       'D<decimal bytes>\n' asks for that many bytes, sent as fast as the reader takes them,
 *       then the server closes).
 *   node dist/bench/tcp-peer.js bulk <port> <connections> <total bytes>
 *       sends `total` bytes split over `connections` parallel sink connections; prints
 *       `{"bytes":N,"ms":T}` once every server count has come back and matched.
 *   node dist/bench/tcp-peer.js down <port> <connections> <total bytes>
 *       the other direction: receives `total` bytes over `connections` parallel source
 *       connections; prints `{"bytes":N,"ms":T}` once every connection has closed with its count.
 *   node dist/bench/tcp-peer.js rate <port> <concurrency> <seconds> [<payload bytes>]
 *       `concurrency` loops of: connect, send the payload, receive it back whole, close; prints
 *       `{"connections":N,"errors":E,"ms":T}`.
 *
 * Only the loopback: every address is 127.0.0.1.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

const HOST = '127.0.0.1';
/** One buffer written again and again: the source allocates nothing per write. */
const CHUNK = Buffer.alloc(256 * 1024, 'x');

function serve(): void {
  const server = createServer({ noDelay: true }, (s) => {
    let mode = 0;
    let count = 0;
    let request = '';
    s.on('error', () => s.destroy());
    s.on('data', (d: Buffer) => {
      if (mode === 0) {
        mode = d[0]!;
        d = d.subarray(1);
        if (mode !== 0x53 && mode !== 0x45 && mode !== 0x44) {
          s.destroy();
          return;
        }
      }
      if (mode === 0x44) {
        if (request.endsWith('\n')) return;
        request += d.toString('latin1');
        if (request.endsWith('\n')) source(s, Number(request.trim()));
        return;
      }
      if (mode === 0x53) count += d.length;
      else if (d.length > 0) s.write(d);
    });
    s.on('end', () => {
      if (mode === 0x53) s.end(`${count}\n`);
      else s.end();
    });
  });
  server.listen({ host: HOST, port: 0, backlog: 4096 }, () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
}

/** Sends `bytes` from the shared chunk with backpressure, then closes (the 'D' mode). */
function source(s: Socket, bytes: number): void {
  let left = bytes;
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, CHUNK.length);
      left -= n;
      if (!s.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
        s.once('drain', pump);
        return;
      }
    }
    s.end();
  };
  pump();
}

/** One source connection: asks for `bytes`, resolves once they all came and the server closed. */
function sourceOne(port: number, bytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: HOST, port, noDelay: true });
    let got = 0;
    s.once('connect', () => s.write(`D${bytes}\n`));
    s.on('data', (d: Buffer) => (got += d.length));
    s.on('end', () => s.end());
    s.on('error', reject);
    s.on('close', () => {
      if (got === bytes) resolve();
      else reject(new Error(`source sent ${got} bytes, expected ${bytes}`));
    });
  });
}

/** One sink connection: sends `bytes` after the 'S', resolves once the server's count matches. */
function sinkOne(port: number, bytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: HOST, port, noDelay: true });
    let left = bytes;
    let answer = '';
    s.setEncoding('latin1');
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, CHUNK.length);
        left -= n;
        const more = s.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
        if (!more) {
          s.once('drain', pump);
          return;
        }
      }
      s.end();
    };
    s.once('connect', () => {
      s.write('S');
      pump();
    });
    s.on('data', (d: string) => (answer += d));
    s.on('error', reject);
    s.on('close', () => {
      if (answer.trim() === String(bytes)) resolve();
      else reject(new Error(`sink counted ${JSON.stringify(answer.trim())}, expected ${bytes}`));
    });
  });
}

async function bulk(port: number, connections: number, total: number, down = false): Promise<void> {
  const each = Math.floor(total / connections);
  const sizes = Array.from({ length: connections }, (_, i) => each + (i < total - each * connections ? 1 : 0));
  const t0 = process.hrtime.bigint();
  await Promise.all(sizes.map((n) => (down ? sourceOne(port, n) : sinkOne(port, n))));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(`${JSON.stringify({ bytes: total, ms })}\n`);
}

async function rate(port: number, concurrency: number, seconds: number, payloadBytes: number): Promise<void> {
  const payload = Buffer.concat([Buffer.from('E'), Buffer.alloc(payloadBytes, 'p')]);
  const deadline = Date.now() + seconds * 1000;
  let connections = 0;
  let errors = 0;
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      const s = connect({ host: HOST, port, noDelay: true });
      let got = 0;
      let ok = false;
      s.once('connect', () => s.write(payload));
      s.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= payloadBytes) {
          ok = true;
          s.destroy();
        }
      });
      s.on('error', () => s.destroy());
      s.on('close', () => {
        if (ok) connections++;
        else errors++;
        resolve();
      });
    });
  const loop = async (): Promise<void> => {
    while (Date.now() < deadline) await once();
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(`${JSON.stringify({ connections, errors, ms })}\n`);
}

const [what, ...rest] = process.argv.slice(2);
const n = rest.map(Number);
if (what === 'server') serve();
else if (what === 'bulk') await bulk(n[0]!, n[1]!, n[2]!);
else if (what === 'down') await bulk(n[0]!, n[1]!, n[2]!, true);
else if (what === 'rate') await rate(n[0]!, n[1]!, n[2]!, n[3] ?? 16);
else {
  process.stderr.write('usage: tcp-peer server | bulk|down <port> <conns> <bytes> | rate <port> <conc> <s> [<bytes>]\n');
  process.exit(2);
}
