/**
 * Sample expressions in a proxy's log-format (configuration.txt 8.2.4, "%[...]") compared with
 * haproxy: the same configuration and the same client through both, the same line. The
 * formats keep the shape of a tcplog line so that the comparison helpers find them; the
 * fields are filled by expressions (addresses, names, ids, variables, constants, converters,
 * flags), and the lines are compared as written, the client port and the date masked.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { logHead, runBoth } from '../helpers/l4/compare.js';
import { exchange, type Service } from '../helpers/l4/net.js';
import { HAPROXY } from '../helpers/l4/proxy.js';
import { recordingServer } from '../helpers/l4/scripted.js';

const skip = existsSync(HAPROXY) ? false : `${HAPROXY} is not installed`;
const servers: Service[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

/** The line each proxy logs for one client through `format`, with the port and date masked. */
async function lines(format: string): Promise<{ haproxy: string[]; portier: string[] }> {
  const r = await runBoth(async () => {
    const srv = await recordingServer();
    servers.push(srv);
    return {
      config: (bind: number, logPort: number) =>
        logHead(logPort, '    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n') +
        `\nfrontend fe\n    bind 127.0.0.1:${bind}\n    log-format "${format}"\n    default_backend be\n` +
        `backend be\n    server s1 127.0.0.1:${srv.port} id 7\n`,
      drive: async (bind: number) => exchange({ port: bind }, 'ping\n', { timeoutMs: 10_000 }),
      lines: 1,
    };
  });
  const mask = (m: string): string => m.replace(/:\d+ \[[^\]]+\]/, ':PORT [DATE]');
  return { haproxy: r.haproxy.logs.map((l) => mask(l.raw)), portier: r.portier.logs.map((l) => mask(l.raw)) };
}

const TAIL = '%B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq';

describe('sample expressions in log-format compared with haproxy', { skip, concurrency: 2 }, () => {
  test('addresses, ports and names from fetches', async () => {
    const r = await lines(`%[src]:%[src_port] [%t] %[fe_name] %[be_name]/%[srv_name] %[dst_port,mul(0)]/%[int(5),add(3)]/%[be_id] ${TAIL}`);
    assert.deepEqual(r.portier, r.haproxy);
    assert.match(r.portier[0] ?? '', /^127\.0\.0\.1:PORT \[DATE\] fe be\/s1 0\/8\/2 /);
  });

  test('flags and missing samples: +Q, +E, -M, an unset variable', async () => {
    const r = await lines(`%ci:%cp [%t] %{+Q}[str(f_e)] %[var(txn.none)]/%{-M}[var(txn.none)]x%{+E}[str(a]b)] %[bin(3100),length]/%[srv_id]/%[be_id] ${TAIL}`);
    assert.deepEqual(r.portier, r.haproxy);
  });
});
