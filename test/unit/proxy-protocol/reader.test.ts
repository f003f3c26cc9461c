/**
 * Reading the PROXY header from a real socket (proxy-protocol-reader.ts): nothing after the
 * header is consumed, HAProxy's single read and its error cases, the timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { TLSSocket, connect as tlsConnect } from 'node:tls';
import { onProxyHeader, readProxyHeader, type ProxyReadResult } from '../../../src/net/proxy-protocol.js';

/** A listener on 127.0.0.1:0 (paused on connect, as the runtime's) and a connected client. */
async function pair(): Promise<{ server: Server; client: Socket; accepted: Socket; close(): void }> {
  let resolveAccepted!: (s: Socket) => void;
  const acceptedP = new Promise<Socket>((r) => (resolveAccepted = r));
  const server = createServer({ pauseOnConnect: true }, (s) => {
    s.on('error', () => {});
    resolveAccepted(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  client.on('error', () => {});
  await new Promise((r) => client.once('connect', r));
  const accepted = await acceptedP;
  return {
    server,
    client,
    accepted,
    close() {
      client.destroy();
      accepted.destroy();
      server.close();
    },
  };
}

/** Everything the socket delivers until the peer ends. */
function readAll(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => (out += d));
    s.on('end', () => resolve(out));
    s.resume();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('header and data in one segment: the header is taken, the data stays in the socket', async () => {
  const p = await pair();
  try {
    p.client.end('PROXY TCP4 1.2.3.4 5.6.7.8 1000 2000\r\nGET / HTTP/1.0\r\n\r\n');
    const r = await readProxyHeader(p.accepted, 1000);
    assert.ok('header' in r, JSON.stringify(r));
    assert.equal(r.header.src?.address, '1.2.3.4');
    assert.equal(r.length, 38);
    assert.equal(p.accepted.isPaused(), true);
    assert.equal(await readAll(p.accepted), 'GET / HTTP/1.0\r\n\r\n');
  } finally {
    p.close();
  }
});

test('a v2 header followed by data sent later', async () => {
  const p = await pair();
  try {
    const h = Buffer.from('0d0a0d0a000d0a515549540a2111000c0102030405060708000100020a', 'hex');
    p.client.write(h.subarray(0, 28));
    const r = await readProxyHeader(p.accepted, 1000);
    assert.ok('header' in r);
    assert.equal(r.header.dst?.port, 2);
    p.client.end('later');
    assert.equal(await readAll(p.accepted), 'later');
  } finally {
    p.close();
  }
});

test('a header split across segments: truncated, as HAProxy reads once; accepted with waitForMore', async () => {
  for (const waitForMore of [false, true]) {
    const p = await pair();
    try {
      const rp = readProxyHeader(p.accepted, 2000, { waitForMore });
      p.client.write('PROXY TCP4 1.2.3.4 ');
      await sleep(50);
      p.client.end('5.6.7.8 1 2\r\nrest');
      const r = await rp;
      if (!waitForMore) {
        assert.ok('code' in r && r.code === 'PRX_TRUNCATED', JSON.stringify(r));
        assert.equal((r as { error: string }).error, 'Truncated PROXY protocol header received');
      } else {
        assert.ok('header' in r, JSON.stringify(r));
        assert.equal(await readAll(p.accepted), 'rest');
      }
    } finally {
      p.close();
    }
  }
});

test('errors: not a header, closed, reset, timeout', async () => {
  const expectCode = async (act: (c: Socket) => void, code: string, timeoutMs = 2000, message?: string): Promise<void> => {
    const p = await pair();
    try {
      const rp = readProxyHeader(p.accepted, timeoutMs);
      act(p.client);
      const r = await rp;
      assert.ok('code' in r, JSON.stringify(r));
      assert.equal(r.code, code);
      if (message) assert.equal(r.error, message);
    } finally {
      p.close();
    }
  };
  await expectCode((c) => c.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 'PRX_NOT_HDR', 2000, 'Received something which does not look like a PROXY protocol header');
  await expectCode((c) => c.write('PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n'), 'PRX_BAD_HDR', 2000, 'Received an invalid PROXY protocol header');
  await expectCode((c) => c.end(), 'PRX_EMPTY', 2000, 'Connection closed while waiting for PROXY protocol header');
  await expectCode((c) => c.resetAndDestroy(), 'PRX_ABORT', 2000, 'Connection error while waiting for PROXY protocol header');
  await expectCode(() => {}, 'PRX_TIMEOUT', 100, 'Timeout while waiting for PROXY protocol header');
  // A short chunk and a close: truncated, whatever the mode.
  await expectCode((c) => c.end('PROXY TCP4'), 'PRX_TRUNCATED');
});

test('an error leaves the socket open and paused for the caller', async () => {
  const p = await pair();
  try {
    p.client.write('hello, this is not a header\r\n');
    const r = await readProxyHeader(p.accepted, 1000);
    assert.ok('code' in r);
    assert.equal(p.accepted.destroyed, false);
    assert.equal(p.accepted.isPaused(), true);
  } finally {
    p.close();
  }
});

test('callback form: called synchronously from the deciding event; cancel stops reading', async () => {
  const p = await pair();
  try {
    let got: ProxyReadResult | undefined;
    const cancel = onProxyHeader(p.accepted, 0, {}, (r) => (got = r));
    cancel();
    p.client.write('PROXY UNKNOWN\r\n');
    await sleep(50);
    assert.equal(got, undefined);
    assert.equal(p.accepted.isPaused(), true);
    await new Promise<void>((resolve) => {
      onProxyHeader(p.accepted, 0, {}, (r) => {
        got = r;
        resolve();
      });
    });
    const g = got as ProxyReadResult | undefined;
    assert.ok(g && 'header' in g && g.header.protocol === 'UNKNOWN');
  } finally {
    p.close();
  }
});

// A self-signed certificate for the TLS test (EC P-256, valid until 2126).
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgtpc7eLsbeYomXHkf
zANkpJMXbi3LlXu3E40n9guxbCOhRANCAAT6/1tLzr/bgSoHgD4Yl4f621Uub/kG
HruY0zISTxtHtLvbMpLxCy2hRbD0KFbRZJBnmHS9GRdrIXpZvplU7VYj
-----END PRIVATE KEY-----
`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBhjCCASugAwIBAgIUaQvHDnLktEkVydRBrVBj+yevieQwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMcG9ydGllci10ZXN0MCAXDTI2MTEyNTIxMzgyNVoYDzIxMjYx
MTAxMjEzODI1WjAXMRUwEwYDVQQDDAxwb3J0aWVyLXRlc3QwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAT6/1tLzr/bgSoHgD4Yl4f621Uub/kGHruY0zISTxtHtLvb
MpLxCy2hRbD0KFbRZJBnmHS9GRdrIXpZvplU7VYjo1MwUTAdBgNVHQ4EFgQU5V2o
91Qm7+/mZXFUfS+ZNvJJfFMwHwYDVR0jBBgwFoAU5V2o91Qm7+/mZXFUfS+ZNvJJ
fFMwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEArGs6jao3YxCL
amlJtAOOU05l3GPUYikoBS3BWgqPQSoCIQD9iM2NXjTGdZD8vgMnRkN7Z69xURjT
UkoIcXTG3JG+3w==
-----END CERTIFICATE-----
`;

test('accept-proxy then TLS: the ClientHello that came with the header reaches the TLS layer', async () => {
  const p = await pair();
  try {
    // The header and the ClientHello leave in one segment.
    p.client.cork();
    p.client.write('PROXY TCP6 ::1 ::2 1 2\r\n');
    const tc = tlsConnect({ socket: p.client, rejectUnauthorized: false, servername: 'x.example' });
    tc.on('error', () => {});
    setImmediate(() => p.client.uncork());
    const r = await readProxyHeader(p.accepted, 2000);
    assert.ok('header' in r, JSON.stringify(r));
    // The ClientHello was read with the header and pushed back.
    assert.ok(p.accepted.readableLength > 0);
    const ts = new TLSSocket(p.accepted, { isServer: true, key: KEY, cert: CERT });
    ts.on('error', () => {});
    const serverGot = new Promise<string>((resolve) => ts.once('data', (d: Buffer) => resolve(d.toString())));
    await new Promise((resolve) => tc.once('secureConnect', resolve));
    tc.write('hello over tls');
    assert.equal(await serverGot, 'hello over tls');
    tc.destroy();
    ts.destroy();
  } finally {
    p.close();
  }
});
