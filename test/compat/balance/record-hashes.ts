/**
 * Records reference values of HAProxy's hash functions (its sdbm, djb2, wt6, crc32 converters,
 * with and without avalanche: "the same functions as used by the hash-based load balancing
 * algorithms", configuration.txt 7.3.1) into hash-vectors.json, for
 * test/unit/lb/hash.test.ts. Run by hand:
 *
 *   npx tsc -p . && node dist/test/compat/balance/record-hashes.js
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../helpers/run.js';

const HAPROXY = process.env['HAPROXY'] ?? '/usr/sbin/haproxy';
const FUNCTIONS = ['sdbm', 'djb2', 'wt6', 'crc32'] as const;

/** Keys as hex: empty, short, every length up to 20, bytes above 0x7f, a long one. */
const KEYS: string[] = ['', '00', 'ff', '7f000001', '00ff7f80', '0a0b0c0d0e0f'];
for (let n = 1; n <= 20; n++) KEYS.push(Buffer.from('abcdefghijklmnopqrstuvwxyz'.slice(0, n)).toString('hex'));
KEYS.push(Buffer.from('/images/logo.png?size=large&v=12').toString('hex'));
KEYS.push(Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37 + 11) & 0xff)).toString('hex'));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('latin1').on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

const dir = mkdtempSync(join(tmpdir(), 'hashes-'));
const port = await freePort();
// One frontend line per key: the path selects the key, the answer lists its 8 hashes.
const rules = KEYS.map((k, i) => {
  const fetch = k === '' ? 'str()' : `bin(${k})`;
  const parts = FUNCTIONS.flatMap((f) => [`%[${fetch},${f}]`, `%[${fetch},${f}(1)]`]).join(' ');
  return `    http-request return status 200 content-type text/plain lf-string "${parts}" if { path /${i} }`;
});
const cfg = ['defaults', '    mode http', '    timeout client 5s', '    timeout server 5s', '    timeout connect 5s', 'frontend f', `    bind 127.0.0.1:${port}`, ...rules, ''].join('\n');
writeFileSync(join(dir, 'h.cfg'), cfg);
const child = spawn(HAPROXY, ['-db', '-f', join(dir, 'h.cfg')], { stdio: 'inherit' });
try {
  let vectors: { key: string; hashes: Record<string, number> }[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      vectors = [];
      for (let i = 0; i < KEYS.length; i++) {
        const v = (await get(port, `/${i}`)).trim().split(' ').map(Number);
        const hashes: Record<string, number> = {};
        FUNCTIONS.forEach((f, j) => {
          hashes[f] = v[2 * j]!;
          hashes[`${f} avalanche`] = v[2 * j + 1]!;
        });
        vectors.push({ key: KEYS[i]!, hashes });
      }
      break;
    } catch (e) {
      if (attempt > 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  writeFileSync(join(ROOT, 'test/compat/balance/hash-vectors.json'), JSON.stringify(vectors, null, 1) + '\n');
  console.log(`${vectors.length} keys recorded`);
} finally {
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
