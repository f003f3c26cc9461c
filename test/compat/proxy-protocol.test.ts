/**
 * The PROXY protocol module (src/net/proxy-protocol.ts) against the real haproxy 2.6:
 * - receiving: the same bytes go to haproxy (`bind ... accept-proxy`, a log-format that shows the
 *   addresses it took, sent to a UDP syslog receiver here) and to readProxyHeader() on a Node
 *   listener; both must accept or refuse alike, with the same addresses or the same message;
 * - sending: haproxy with `server ... send-proxy*` toward a raw listener here; what it sends must
 *   parse to the client's addresses and be byte for byte what makeProxyLine() builds from the
 *   server options as Portier's configuration model records them; health checks too.
 * Skipped when haproxy is not installed (CI installs it).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAPROXY, haproxyInstalled } from './corpus.js';
import { check } from '../helpers/config.js';
import {
  buildProxyV1,
  buildProxyV2,
  checkSendsProxy,
  crc32c,
  makeProxyLine,
  parseProxyHeader,
  readProxyHeader,
  serverPpBits,
  type ProxyReadResult,
} from '../../src/net/proxy-protocol.js';

const SKIP = haproxyInstalled() ? false : 'haproxy is not installed';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Harness

const dir = mkdtempSync(join(tmpdir(), 'portier-pp-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitFor<T>(what: string, fn: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

interface Haproxy {
  readonly child: ChildProcess;
  output(): string;
  stop(): void;
}

/** Starts `haproxy -db -f cfg` and waits until `port` listens. */
async function startHaproxy(name: string, cfg: string, port: number, host = '127.0.0.1'): Promise<Haproxy> {
  const file = join(dir, `${name}.cfg`);
  writeFileSync(file, cfg);
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const h = { child, output: () => out, stop: () => void child.kill('SIGKILL') };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited:\n${out}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, host);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return h;
    if (Date.now() > deadline) {
      h.stop();
      throw new Error(`haproxy does not listen on ${port}:\n${out}`);
    }
    await sleep(20);
  }
}

/** A UDP syslog receiver: the message text of each datagram (after "haproxy[pid]: "). */
async function syslog(): Promise<{ port: number; messages: string[]; socket: UdpSocket }> {
  const socket = createSocket('udp4');
  const messages: string[] = [];
  socket.on('message', (m) => messages.push(m.toString('latin1').replace(/^<\d+>.*? haproxy\[\d+\]: /, '').replace(/\n$/, '')));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { port: socket.address().port, messages, socket };
}

/** A raw TCP listener that keeps what each connection sends. */
interface Capture {
  readonly server: Server;
  readonly port: number;
  /** Each connection: what it sent, and its addresses (kept: a closed socket forgets them). */
  readonly conns: { data: Buffer; socket: Socket; remote: { address: string; port: number }; local: { address: string; port: number } }[];
}

async function capture(host = '127.0.0.1'): Promise<Capture> {
  const conns: Capture['conns'] = [];
  const server = createServer((socket) => {
    const c = {
      data: Buffer.alloc(0),
      socket,
      remote: { address: socket.remoteAddress!, port: socket.remotePort! },
      local: { address: socket.localAddress!, port: socket.localPort! },
    };
    conns.push(c);
    socket.on('data', (d: Buffer) => (c.data = Buffer.concat([c.data, d])));
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return { server, port: (server.address() as AddressInfo).port, conns };
}

function closeCapture(c: Capture): void {
  for (const x of c.conns) x.socket.destroy();
  c.server.close();
}

// ---------------------------------------------------------------------------------------------
// Receiving: the same bytes to haproxy and to readProxyHeader()

const SIG = '0d0a0d0a000d0a515549540a';
const h16 = (n: number): string => n.toString(16).padStart(4, '0');
const tlv = (t: number, hex: string): string => t.toString(16).padStart(2, '0') + h16(hex.length / 2) + hex;
const v2 = (vc: number, fam: number, body: string, len?: number): Buffer =>
  Buffer.from(SIG + vc.toString(16).padStart(2, '0') + fam.toString(16).padStart(2, '0') + h16(len ?? body.length / 2) + body, 'hex');
const IP4 = '01020304' + '05060708' + '03e8' + '07d0';
const IP6 = '20010db8000000000000000000000001' + '20010db8000000000000000000000002' + '03e8' + '07d0';
const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

function withCrc(body: string): Buffer {
  const h = v2(0x21, 0x11, IP4 + tlv(3, '00000000') + body);
  h.writeUInt32BE(crc32c(h), 31);
  return h;
}

const RECEIVE_CASES: readonly (readonly [string, Buffer])[] = [
  ...[
    'PROXY TCP4 1.2.3.4 5.6.7.8 1000 2000\r\n',
    'PROXY TCP4 1.2.3 5.6.7.8 1000 2000\r\n',
    'PROXY TCP4 1234.2.3.4 256.6.7.8 1000 2000\r\n',
    'PROXY TCP4 0.256.0.1 5.6.7.8 70000 2000\r\n',
    'PROXY TCP4  5.6.7.8  2000\r\n',
    'PROXY TCP4 01.02.03.04 5.6.7.8 1000 2000\r\n',
    'PROXY TCP4 1.2.3.4 5.6.7.8 1000 2000 3000\r\n',
    'PROXY TCP4 1.2.3.4 5.6.7.8 1000 2000\n',
    'PROXY TCP4 1.2.3.4.5 5.6.7.8 1000 2000\r\n',
    'PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r',
    'PROXY TCP4 1.2.3.4',
    'PROXY TCP6 ::1 2001:db8::2 1000 2000\r\n',
    'PROXY TCP6 ::ffff:1.2.3.4 ::1 1000 2000\r\n',
    'PROXY TCP6 2001:DB8:0:0::1 0::1 1 2\r\n',
    'PROXY TCP6 ::1 ::1 1 2 junk\r\n',
    'PROXY TCP6 ::1 ::1  2\r\n',
    'PROXY TCP6 ::1 ::1 1x 2\r\n',
    'PROXY TCP6 1.2.3.4 ::1 1 2\r\n',
    'PROXY TCP6 ::1 ::1 99999 2\r\n',
    'PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n',
    'PROXY TCP6 ::1 ::1 1\r\n',
    'PROXY UNKNOWN\r\n',
    'PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n',
    'PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n',
    'PRO',
    'hello\n',
    'GET / HTTP/1.0\r\n\r\n',
    'proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n',
  ].map((s) => [JSON.stringify(s), Buffer.from(s, 'latin1')] as const),
  ['v2 TCP4', v2(0x21, 0x11, IP4)],
  ['v2 LOCAL', v2(0x20, 0x00, '')],
  ['v2 LOCAL with a TCP4 block', v2(0x20, 0x11, IP4)],
  ['v2 LOCAL with garbage', v2(0x20, 0x00, 'ffffff')],
  ['v2 TCP6', v2(0x21, 0x21, IP6)],
  ['v2 UDP4', v2(0x21, 0x12, IP4)],
  ['v2 UNIX', v2(0x21, 0x31, '00'.repeat(216))],
  ['v2 UNSPEC PROXY', v2(0x21, 0x00, '')],
  ['v2 UNSPEC PROXY, the walk from the signature ending on the header', v2(0x21, 0x00, '00'.repeat(2560) + tlv(4, ''), 2563)],
  ['v2 version 1', v2(0x11, 0x11, IP4)],
  ['v2 command 2', v2(0x22, 0x11, IP4)],
  ['v2 TCP4 block too short', v2(0x21, 0x11, IP4.slice(0, 16))],
  ['v2 truncated TLV header', v2(0x21, 0x11, IP4 + '0400')],
  ['v2 TLV beyond the header', v2(0x21, 0x11, IP4 + '040005aabb')],
  ['v2 NOOP, unknown and ALPN TLVs', v2(0x21, 0x11, IP4 + tlv(4, 'aabb') + tlv(0xe0, '') + tlv(1, '6832'))],
  ['v2 CRC32C of 3 bytes', v2(0x21, 0x11, IP4 + tlv(3, '000000'))],
  ['v2 CRC32C wrong', v2(0x21, 0x11, IP4 + tlv(3, '00000000'))],
  ['v2 CRC32C right', withCrc(tlv(2, hex('crc.example')))],
  ['v2 AUTHORITY and UNIQUE_ID', v2(0x21, 0x11, IP4 + tlv(2, hex('www.example.com')) + tlv(5, hex('abc-123')))],
  ['v2 AUTHORITY of 255 bytes', v2(0x21, 0x11, IP4 + tlv(2, '61'.repeat(255)))],
  ['v2 AUTHORITY of 256 bytes', v2(0x21, 0x11, IP4 + tlv(2, '61'.repeat(256)))],
  ['v2 UNIQUE_ID of 128 bytes', v2(0x21, 0x11, IP4 + tlv(5, '62'.repeat(128)))],
  ['v2 UNIQUE_ID of 129 bytes', v2(0x21, 0x11, IP4 + tlv(5, '62'.repeat(129)))],
  ['v2 SSL TLV, malformed (ignored)', v2(0x21, 0x11, IP4 + tlv(0x20, '01'))],
  ['v2 length beyond the data', v2(0x21, 0x11, IP4, 20)],
  ['v2 larger than tune.bufsize', v2(0x21, 0x11, IP4 + tlv(4, '00'.repeat(16400)))],
  ['v2 short signature', Buffer.from(SIG.slice(0, 20), 'hex')],
  ['v2 wrong signature', Buffer.from(SIG.slice(0, 22) + '0b' + '2111000c' + IP4, 'hex')],
  // What the builders write, haproxy reads as meant.
  ['buildProxyV1 TCP4', buildProxyV1({ address: '192.0.2.1', port: 1 }, { address: '198.51.100.2', port: 65535 })],
  ['buildProxyV1 TCP6 mixed', buildProxyV1({ address: '192.0.2.1', port: 40000 }, { address: '2001:db8::80', port: 443 })],
  ['buildProxyV1 UNKNOWN', buildProxyV1({ family: 'unix' }, { address: '192.0.2.1', port: 80 })],
  ['buildProxyV2 TCP4', buildProxyV2({ src: { address: '192.0.2.1', port: 1234 }, dst: { address: '198.51.100.2', port: 80 } })],
  ['buildProxyV2 TCP6', buildProxyV2({ src: { address: '2001:db8::1', port: 1234 }, dst: { address: '::ffff:198.51.100.2', port: 80 } })],
  ['buildProxyV2 LOCAL', buildProxyV2({ local: true, crc32c: true })],
  [
    'buildProxyV2 every TLV',
    buildProxyV2({
      src: { address: '192.0.2.1', port: 1234 }, dst: { address: '198.51.100.2', port: 443 }, crc32c: true, alpn: 'h2',
      authority: 'app.example.com', uniqueId: 'uid-42', netns: 'none',
      ssl: { ssl: true, version: 'TLSv1.3', certSession: true, certConnection: true, verify: 0, cn: 'client', keyAlg: 'EC256', sigAlg: 'ecdsa-with-SHA256', cipher: 'TLS_AES_128_GCM_SHA256' },
    }),
  ],
];

describe('receiving: haproxy accept-proxy and readProxyHeader() agree', { skip: SKIP }, () => {
  let h: Haproxy;
  let log: Awaited<ReturnType<typeof syslog>>;
  let back: Capture;
  let port: number;
  let node: Server;
  const nodeResults: { clientPort: number; result: ProxyReadResult; rest: Promise<string> }[] = [];

  before(async () => {
    log = await syslog();
    back = await capture();
    port = await freePort();
    h = await startHaproxy(
      'receive',
      `global
  log 127.0.0.1:${log.port} local0
defaults
  mode tcp
  log global
  timeout client 2s
  timeout server 2s
  timeout connect 2s
frontend f
  bind 127.0.0.1:${port} accept-proxy
  log-format "OK %ci:%cp %fi:%fp %[fc_src_port] %[fc_pp_authority] %[fc_pp_unique_id]"
  default_backend b
backend b
  server s 127.0.0.1:${back.port}
`,
      port,
    );
    node = createServer({ pauseOnConnect: true }, (s) => {
      s.on('error', () => {});
      void readProxyHeader(s, 2000).then((result) => {
        const rest = new Promise<string>((resolve) => {
          if (!('header' in result)) return resolve('');
          let got = '';
          s.on('data', (d: Buffer) => (got += d.toString('latin1')));
          s.on('end', () => resolve(got));
          s.resume();
        });
        nodeResults.push({ clientPort: s.remotePort!, result, rest });
        if (!('header' in result)) s.destroy();
      });
    });
    await new Promise<void>((r) => node.listen(0, '127.0.0.1', r));
    await sleep(100);
    log.messages.length = 0;
  });

  after(() => {
    h?.stop();
    log?.socket.close();
    if (back) closeCapture(back);
    node?.close();
  });

  /** Sends `bytes` + "DATA" in one write and closes; resolves with the client's local port. */
  async function send(target: number, bytes: Buffer): Promise<number> {
    const s = connect(target, '127.0.0.1');
    s.on('error', () => {});
    await new Promise((r) => s.once('connect', r));
    const local = s.localPort!;
    s.end(Buffer.concat([bytes, Buffer.from('DATA')]));
    s.resume();
    return local;
  }

  for (const [name, bytes] of RECEIVE_CASES) {
    test(name, async () => {
      log.messages.length = 0;
      const hp = await send(port, bytes);
      const line = await waitFor(`haproxy's log line for ${name}`, () => log.messages[0]);
      const np = await send((node.address() as AddressInfo).port, bytes);
      const mine = await waitFor('readProxyHeader', () => nodeResults.find((x) => x.clientPort === np));
      const r = mine.result;
      let expected: string;
      if ('header' in r) {
        const hd = r.header;
        const ci = hd.src ? `${hd.src.address}:${hd.src.port}` : `127.0.0.1:${hp}`;
        const fi = hd.dst ? `${hd.dst.address}:${hd.dst.port}` : `127.0.0.1:${port}`;
        expected = `OK ${ci} ${fi} ${hp} ${hd.authority ?? '-'} ${hd.uniqueId ?? '-'}`;
        assert.equal(await mine.rest, 'DATA');
      } else {
        const src = r.src ? `${r.src.address}:${r.src.port}` : `127.0.0.1:${hp}`;
        expected = `${src} f/1: ${r.error}`;
      }
      assert.equal(line.replace(/ \[[^\]]*\] /, ' '), expected, `haproxy logged: ${line}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Sending: what haproxy sends, parsed and rebuilt byte for byte

interface SendCase {
  readonly name: string;
  /** The server line's options. */
  readonly options: string;
  /** default-server line options for that backend. */
  readonly defaults?: string;
  /** Extra frontend lines. */
  readonly frontend?: string;
  readonly ipv6?: boolean;
  /** The unique id haproxy builds for the stream, from the client's port. */
  readonly uniqueId?: (clientPort: number) => string;
  /** The Portier model does not record this case as HAProxy means it (known gap). */
  readonly todo?: string;
}

const SEND_CASES: readonly SendCase[] = [
  { name: 'send-proxy', options: 'send-proxy' },
  { name: 'send-proxy-v2', options: 'send-proxy-v2' },
  { name: 'send-proxy-v2 with every proxy-v2-options, plain client', options: 'send-proxy-v2 proxy-v2-options crc32c,authority,unique-id,ssl,cert-cn,cert-key,cert-sig,ssl-cipher' },
  { name: 'proxy-v2-options alone sends v1', options: 'proxy-v2-options crc32c' },
  { name: 'send-proxy-v2-ssl-cn, plain client', options: 'send-proxy-v2-ssl-cn' },
  { name: 'send-proxy-v2-ssl', options: 'send-proxy-v2-ssl proxy-v2-options crc32c' },
  { name: 'unique-id with unique-id-format', options: 'send-proxy-v2 proxy-v2-options unique-id', frontend: 'unique-id-format "id-%cp"', uniqueId: (p) => `id-${p}` },
  { name: 'send-proxy and send-proxy-v2: v2', options: 'send-proxy send-proxy-v2' },
  { name: 'no-send-proxy-v2 after send-proxy-v2', options: 'send-proxy-v2 no-send-proxy-v2 send-proxy' },
  { name: 'default-server send-proxy-v2-ssl, server no-send-proxy-v2-ssl: nothing', options: 'no-send-proxy-v2-ssl', defaults: 'send-proxy-v2-ssl' },
  { name: 'default-server send-proxy-v2, server send-proxy', options: 'send-proxy', defaults: 'send-proxy-v2 proxy-v2-options crc32c' },
  {
    name: 'default-server proxy-v2-options adds to the server\'s',
    options: 'send-proxy-v2 proxy-v2-options authority',
    defaults: 'proxy-v2-options crc32c',
    todo: 'the model keeps only the last proxy-v2-options list (server-options/network.ts), HAProxy ORs them',
  },
  {
    name: 'send-proxy-v2 again after no-send-proxy-v2-ssl',
    options: 'send-proxy-v2 no-send-proxy-v2-ssl send-proxy-v2',
    todo: 'the model records options by name, not the order of a no- form between them',
  },
  { name: 'IPv6 client, send-proxy', options: 'send-proxy', ipv6: true },
  { name: 'IPv6 client, send-proxy-v2 crc32c', options: 'send-proxy-v2 proxy-v2-options crc32c', ipv6: true },
];

describe('sending: what haproxy sends is what makeProxyLine() builds', { skip: SKIP }, () => {
  let h: Haproxy;
  const ports = new Map<SendCase, { port: number; cap: Capture }>();
  let model: Awaited<ReturnType<typeof check>>['model'];

  before(async () => {
    let cfg = `defaults
  mode tcp
  timeout client 5s
  timeout server 5s
  timeout connect 5s
`;
    let first = 0;
    for (const [i, c] of SEND_CASES.entries()) {
      const cap = await capture();
      const port = await freePort(c.ipv6 ? '::1' : '127.0.0.1');
      if (!first) first = port;
      ports.set(c, { port, cap });
      cfg += `frontend f${i}
  bind ${c.ipv6 ? `[::1]:${port}` : `127.0.0.1:${port}`}
${c.frontend ? `  ${c.frontend}\n` : ''}  default_backend b${i}
backend b${i}
${c.defaults ? `  default-server ${c.defaults}\n` : ''}  server s 127.0.0.1:${cap.port} ${c.options}
`;
    }
    const checked = await check(cfg);
    assert.deepEqual(checked.alerts, []);
    model = checked.model;
    h = await startHaproxy('send', cfg, first);
    // The connections of the start-up probe are not the test's.
    await sleep(100);
    for (const { cap } of ports.values()) {
      for (const x of cap.conns) x.socket.destroy();
      cap.conns.length = 0;
    }
  });

  after(() => {
    h?.stop();
    for (const { cap } of ports.values()) closeCapture(cap);
  });

  for (const [i, c] of SEND_CASES.entries()) {
    test(c.name, { ...(c.todo ? { todo: c.todo } : {}) }, async () => {
      const { port, cap } = ports.get(c)!;
      const host = c.ipv6 ? '::1' : '127.0.0.1';
      const client = connect(port, host);
      client.on('error', () => {});
      await new Promise((r) => client.once('connect', r));
      client.write('hello');
      const got = await waitFor('the server connection', () => cap.conns.find((x) => x.data.toString('latin1').endsWith('hello'))?.data);
      const src = { address: client.localAddress!, port: client.localPort! };
      const dst = { address: host, port };
      client.destroy();
      const server = model.proxies.find((p) => p.name === `b${i}`)!.servers[0]!;
      const bits = serverPpBits(server.options);
      const mine = makeProxyLine(bits, { src, dst, ...(c.uniqueId ? { uniqueId: c.uniqueId(src.port) } : {}) });
      const sent = got.subarray(0, got.length - 5);
      assert.equal((mine ?? Buffer.alloc(0)).toString('hex'), sent.toString('hex'), `haproxy sent ${JSON.stringify(sent.toString('latin1'))}`);
      if (sent.length === 0) return;
      const r = parseProxyHeader(got);
      assert.ok('header' in r, JSON.stringify(r));
      assert.equal(r.length, sent.length);
      assert.deepEqual([r.header.src?.address, r.header.src?.port], [src.address, src.port]);
      assert.deepEqual([r.header.dst?.address, r.header.dst?.port], [dst.address, dst.port]);
      if (c.uniqueId) assert.equal(r.header.uniqueId, c.uniqueId(src.port));
    });
  }
});

describe('sending: health checks', { skip: SKIP }, () => {
  const CHECK_CASES = [
    { name: 'v1', options: 'send-proxy' },
    { name: 'v2: LOCAL', options: 'send-proxy-v2' },
    { name: 'v2 with TLVs: LOCAL, no unique id', options: 'send-proxy-v2 proxy-v2-options crc32c,ssl,unique-id,authority' },
    { name: 'check-send-proxy alone: v1', options: 'check-send-proxy' },
    { name: 'pp2-never-send-local: PROXY', options: 'send-proxy-v2', global: 'pp2-never-send-local' },
  ];
  for (const c of CHECK_CASES) {
    test(c.name, async () => {
      const cap = await capture();
      const port = await freePort();
      const cfg = `global
${c.global ? `  ${c.global}\n` : ''}defaults
  mode tcp
  timeout client 5s
  timeout server 5s
  timeout connect 5s
listen l
  bind 127.0.0.1:${port}
  # The check waits for a reply that never comes, so its connection stays open while the
  # test reads its addresses.
  option tcp-check
  tcp-check expect string never-sent
  timeout check 3s
  server s 127.0.0.1:${cap.port} check inter 300ms ${c.options}
`;
      const h = await startHaproxy(`check-${c.name.replace(/\W+/g, '-')}`, cfg, port);
      try {
        const conn = await waitFor('a health check', () => cap.conns.find((x) => x.data.length > 0), 5000);
        // Let the whole header arrive.
        await sleep(20);
        const { model, alerts } = await check(cfg);
        assert.deepEqual(alerts, []);
        const server = model.proxies.find((p) => p.name === 'l')!.servers[0]!;
        assert.equal(checkSendsProxy(server.options), true);
        const mine = makeProxyLine(serverPpBits(server.options), {
          check: true,
          neverSendLocal: (model.global as unknown as { flags?: Record<string, boolean> }).flags?.['pp2-never-send-local'] === true,
          src: conn.remote,
          dst: conn.local,
        });
        assert.equal(mine!.toString('hex'), conn.data.toString('hex'), `haproxy sent ${JSON.stringify(conn.data.toString('latin1'))}`);
        assert.ok('header' in parseProxyHeader(conn.data));
      } finally {
        h.stop();
        closeCapture(cap);
      }
    });
  }
});

describe('chained: our header into haproxy, haproxy\'s to the server', { skip: SKIP }, () => {
  test('the authority received in a v2 header is forwarded (proxy-v2-options authority)', async () => {
    const cap = await capture();
    const port = await freePort();
    const cfg = `defaults
  mode tcp
  timeout client 5s
  timeout server 5s
  timeout connect 5s
listen l
  bind 127.0.0.1:${port} accept-proxy
  server s 127.0.0.1:${cap.port} send-proxy-v2 proxy-v2-options authority,crc32c
`;
    const h = await startHaproxy('chain', cfg, port);
    try {
      await sleep(50);
      cap.conns.length = 0;
      const incoming = buildProxyV2({ src: { address: '203.0.113.7', port: 5555 }, dst: { address: '198.51.100.1', port: 443 }, authority: 'chain.example' });
      const client = connect(port, '127.0.0.1');
      client.on('error', () => {});
      await new Promise((r) => client.once('connect', r));
      client.write(Buffer.concat([incoming, Buffer.from('hello')]));
      const got = await waitFor('the server connection', () => cap.conns.find((x) => x.data.toString('latin1').endsWith('hello'))?.data);
      client.destroy();
      const received = parseProxyHeader(incoming);
      assert.ok('header' in received);
      const { model } = await check(cfg);
      const bits = serverPpBits(model.proxies[0]!.servers[0]!.options);
      const mine = makeProxyLine(bits, { src: received.header.src, dst: received.header.dst, receivedAuthority: received.header.authority });
      assert.equal(mine!.toString('hex'), got.subarray(0, got.length - 5).toString('hex'));
    } finally {
      h.stop();
      closeCapture(cap);
    }
  });
});
