/**
 * The seed's advanced example (examples/seed-advanced.cfg: clients on a UNIX socket with mode
 * 666, `balance leastconn`, servers A and B and a backup, `default-server maxconn 125 maxqueue
 * 125`) without its health-check and TLS options (they come with later issues), the servers on
 * loopback addresses 127.0.0.1-3 with OS-chosen ports, the socket in a temp dir through the
 * example's own "${PORTIER_RUN}" variable. Run through haproxy too, which shows the
 * expectations are HAProxy's. (How leastconn spreads is the balancing tests' business.)
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { greeter, open, until, waitForListener, within, type Service } from '../helpers/l4/net.js';
import { ROOT, startProxy, tempDir, todoUntilSupported, type Impl } from '../helpers/l4/proxy.js';

const EXAMPLE = readFileSync(join(ROOT, 'examples', 'seed-advanced.cfg'), 'latin1');

/** Words of the example that belong to health checks and TLS, dropped here. */
const CHECK_AND_TLS = [
  /^ *timeout check \S+ *\n/m,
  /^ *option ldap-check *\n/m,
  / error-limit \d+/,
  / rise \d+/,
  / on-marked-down shutdown-sessions/,
  / check-ssl\b/g,
  / check\b/g,
  / ssl\b/g,
  / ca-file \S+/g,
  / on-error mark-down/g,
];

/** The example with checks and TLS removed and the servers at the given ports. */
function seedAdvanced(ports: { A: number; B: number; backup: number }, extraServerOptions: Partial<Record<'A' | 'B' | 'backup', string>> = {}): string {
  let cfg = EXAMPLE.replace(/^#.*\n/gm, '');
  for (const re of CHECK_AND_TLS) cfg = cfg.replace(re, '');
  for (const [name, ip] of [['A', '127.0.0.1'], ['B', '127.0.0.2'], ['backup', '127.0.0.3']] as const) {
    const re = new RegExp(`(server ${name} ${ip.replaceAll('.', '\\.')}):636\\b`);
    assert.match(cfg, re, 'examples/seed-advanced.cfg changed: update this test');
    cfg = cfg.replace(re, `$1:${ports[name]}${extraServerOptions[name] ? ` ${extraServerOptions[name]}` : ''}`);
  }
  assert.doesNotMatch(cfg, /check|ssl|ca-file|on-error|rise|error-limit|on-marked-down/, cfg);
  assert.match(cfg, /bind "\$\{PORTIER_RUN-\/tmp\}\/etab_UT\.sock" mode 666/);
  assert.match(cfg, /default-server +maxconn 125 maxqueue 125/);
  assert.match(cfg, /balance leastconn/);
  assert.match(cfg, /server backup 127\.0\.0\.3:\d+ +backup/);
  return cfg;
}

const services: Service[] = [];
after(async () => {
  for (const s of services) await s.close();
});

async function servers(): Promise<{ A: Service; B: Service; backup: Service }> {
  const A = await greeter('A', '127.0.0.1');
  const B = await greeter('B', '127.0.0.2');
  const backup = await greeter('backup', '127.0.0.3');
  services.push(A, B, backup);
  return { A, B, backup };
}

/** Connects to the socket and resolves with the socket and the greeting of the server reached. */
async function through(path: string): Promise<{ socket: Socket; server: string }> {
  const socket = await open({ path });
  socket.setEncoding('latin1');
  const server = await within(
    new Promise<string>((resolve, reject) => {
      let got = '';
      socket.on('data', (d: string) => {
        got += d;
        if (got.includes('\n')) resolve(got.split('\n')[0]!);
      });
      socket.once('close', () => reject(new Error(`closed before a greeting (got ${JSON.stringify(got)})`)));
    }),
    10_000,
    'a greeting through the socket',
  );
  return { socket, server };
}

/** Starts `impl` with PORTIER_RUN set to a fresh temp dir; resolves once the socket accepts. */
async function startedOnSocket(impl: Impl, cfg: string): Promise<{ stop: () => Promise<void>; path: string }> {
  const dir = tempDir('portier-l4-seed-');
  const path = join(dir, 'etab_UT.sock');
  const p = startProxy(impl, cfg, { env: { PORTIER_RUN: dir } });
  try {
    await waitForListener({ path }, 15_000, () => p.child.exitCode === null);
  } catch (e) {
    await p.stop();
    throw new Error(`${impl} did not start: ${(e as Error).message}\n${p.output()}`);
  }
  return {
    path,
    async stop() {
      const code = await p.stop();
      assert.ok(code === 0 || code === 143 || code === 'SIGTERM', `${impl} exited with ${code}: ${p.output()}`);
    },
  };
}

const sample = seedAdvanced({ A: 1, B: 2, backup: 3 });
test(
  'seed advanced example: the socket has mode 666, clients reach A and B through it, the backup stays unused while they are up',
  { todo: todoUntilSupported(sample, 'the seed advanced example (leastconn, maxconn, maxqueue)') },
  async () => {
    const s = await servers();
    const cfg = seedAdvanced({ A: s.A.port, B: s.B.port, backup: s.backup.port });
    const sequences: Record<string, string[]> = {};
    for (const impl of ['haproxy', 'portier'] as const) {
      const sequence: string[] = (sequences[impl] = []);
      const before = { A: s.A.accepted, B: s.B.accepted, backup: s.backup.accepted };
      const p = await startedOnSocket(impl, cfg);
      // The start-up probe's stream must be over, or leastconn would count it.
      await new Promise((r) => setTimeout(r, 200));
      await until(() => s.A.open.size + s.B.open.size + s.backup.open.size === 0, 5000, `${impl}: the probe's stream to end`);
      await new Promise((r) => setTimeout(r, 100));
      const held: Socket[] = [];
      try {
        assert.equal(statSync(p.path).mode & 0o777, 0o666, `${impl}: socket mode`);
        assert.ok(statSync(p.path).isSocket());
        // Twenty clients held at once: leastconn spreads them over the two active servers.
        const reached: Record<string, number> = {};
        for (let i = 0; i < 20; i++) {
          const c = await through(p.path);
          held.push(c.socket);
          sequence.push(c.server);
          reached[c.server] = (reached[c.server] ?? 0) + 1;
        }
        assert.ok((reached['A'] ?? 0) > 0 && (reached['B'] ?? 0) > 0, `${impl}: ${JSON.stringify(reached)}`);
        assert.equal(reached['backup'], undefined, `${impl}: ${JSON.stringify(reached)}`);
        assert.equal(s.backup.accepted, before.backup, `${impl}: the backup server got a connection`);
        // Data flows both ways through the socket.
        const c = held[0]!;
        const echoed = new Promise<string>((resolve) => {
          let got = '';
          c.on('data', (d: string) => {
            got += d;
            if (got.includes('over the socket\n')) resolve(got);
          });
        });
        c.write('over the socket\n');
        assert.match(await within(echoed, 5000, 'the echo'), /over the socket\n/);
      } finally {
        for (const h of held) h.destroy();
        await p.stop();
      }
    }
    // leastconn gives the same servers in the same order as haproxy.
    assert.deepEqual(sequences['portier'], sequences['haproxy']);
  },
);

const disabled = { A: 'disabled', B: 'disabled' };
const sampleDisabled = seedAdvanced({ A: 1, B: 2, backup: 3 }, disabled);
const disabledTodo = todoUntilSupported(sampleDisabled, "the seed advanced example and server option 'disabled'");
test(
  'seed advanced example: with A and B in maintenance (server option disabled), the backup serves',
  { todo: disabledTodo },
  async () => {
    const s = await servers();
    const cfg = seedAdvanced({ A: s.A.port, B: s.B.port, backup: s.backup.port }, disabled);
    for (const impl of ['haproxy', 'portier'] as const) {
      const p = await startedOnSocket(impl, cfg);
      try {
        for (let i = 0; i < 3; i++) {
          const c = await through(p.path);
          c.socket.destroy();
          assert.equal(c.server, 'backup', impl);
        }
      } finally {
        await p.stop();
      }
    }
  },
);
