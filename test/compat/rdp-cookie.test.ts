/**
 * RDP cookies (configuration.txt 4.2 "balance rdp-cookie", 7.3.5 "req.rdp_cookie") compared
 * with haproxy: RDP clients send an X.224 connection request carrying "Cookie:
 * mstshash=<user>"; the same clients through both proxies must reach the same servers, with
 * map-based and consistent hashing, and a tcp-request rule on the cookie must refuse the same
 * one. A client without a cookie (its buffer too short to be one) takes the next server in
 * turn, as HAProxy falls back.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { logHead, runBoth } from '../helpers/l4/compare.js';
import { service, type Service } from '../helpers/l4/net.js';
import { exchange } from '../helpers/process.js';
import { HAPROXY } from '../helpers/l4/proxy.js';

const skip = existsSync(HAPROXY) ? false : `${HAPROXY} is not installed`;
const services: Service[] = [];
after(async () => {
  for (const s of services) await s.close();
});

/** An X.224 connection request (TPKT + 7-byte header) with an RDP cookie. */
function rdpRequest(cookie: string): Buffer {
  const body = Buffer.from(`Cookie: ${cookie}\r\n`, 'latin1');
  const len = 11 + body.length;
  return Buffer.concat([Buffer.from([3, 0, len >> 8, len & 255, len - 5, 0xe0, 0, 0, 0, 0, 0]), body]);
}

/** A server that answers its name to the first bytes it gets. */
async function named(name: string): Promise<Service> {
  const s = await service((sock) => sock.once('data', () => sock.end(`${name}\n`)));
  services.push(s);
  return s;
}

const CLIENTS = [
  ...Array.from({ length: 24 }, (_, i) => rdpRequest(`mstshash=user${i}`)),
  rdpRequest('mstshash=baduser'),
  rdpRequest('MSTSHASH=User3'),
  rdpRequest('msts=other'),
  Buffer.from('hello\n'),
  Buffer.from('hello again\n'),
];

async function servers(lines: string): Promise<{ haproxy: string[]; portier: string[] }> {
  const r = await runBoth(async () => {
    const s = await Promise.all(['s1', 's2', 's3', 's4'].map(named));
    return {
      config: (bind: number, logPort: number) =>
        logHead(logPort, '    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n') +
        `\nlisten rdp\n    bind 127.0.0.1:${bind}\n    tcp-request inspect-delay 2s\n` +
        '    tcp-request content reject if { req.rdp_cookie(mstshash) -m str baduser }\n' +
        '    tcp-request content accept if RDP_COOKIE\n' +
        `${lines}\n` +
        `    server s1 127.0.0.1:${s[0]!.port}\n    server s2 127.0.0.1:${s[1]!.port} weight 2\n` +
        `    server s3 127.0.0.1:${s[2]!.port}\n    server s4 127.0.0.1:${s[3]!.port} weight 3\n`,
      async drive(bind: number) {
        const got: string[] = [];
        // exchange() writes what it is given: bytes here (its type says string).
        for (const c of CLIENTS) got.push((await exchange({ port: bind }, c as unknown as string, true, 10_000)).trim() || '(refused)');
        return got;
      },
      lines: CLIENTS.length,
    };
  });
  return { haproxy: r.haproxy.result, portier: r.portier.result };
}

describe('RDP cookies compared with haproxy', { skip, concurrency: 2 }, () => {
  test('balance rdp-cookie, map-based', async () => {
    const r = await servers('    balance rdp-cookie');
    assert.deepEqual(r.portier, r.haproxy);
    assert.equal(r.portier[24], '(refused)');
    assert.equal(new Set(r.portier).size, 5, 'every server chosen, and one refusal');
  });

  test('balance rdp-cookie(msts), consistent with avalanche', async () => {
    const r = await servers('    balance rdp-cookie(msts)\n    hash-type consistent sdbm avalanche');
    assert.deepEqual(r.portier, r.haproxy);
  });
});
