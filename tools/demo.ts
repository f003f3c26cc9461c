/**
 * `npm run demo`: starts three small TCP services (two active, one backup), then Portier with
 * examples/demo.cfg in front of them, shows connections being balanced (with Portier's tcplog
 * lines on its standard output), over TCP and over the unix socket, and keeps running until
 * Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const dir = process.env.DEMO_DIR ?? '/tmp/portier-demo';
const ports = {
  DEMO_PORT: process.env.DEMO_PORT ?? '8080',
  APP1_PORT: process.env.APP1_PORT ?? '8081',
  APP2_PORT: process.env.APP2_PORT ?? '8082',
  SPARE_PORT: process.env.SPARE_PORT ?? '8083',
};

/** A tiny service: greets with its name, then echoes what it receives. */
function app(name: string, port: number): Promise<Server> {
  const server = createServer((s) => {
    s.write(`hello from ${name}\n`);
    s.pipe(s);
    s.on('error', () => s.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function ask(to: number | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = typeof to === 'number' ? connect(to, '127.0.0.1') : connect(to);
    let data = '';
    c.setEncoding('utf8');
    c.on('data', (d: string) => {
      data += d;
      if (data.includes('\n')) c.end();
    });
    c.on('close', () => resolve(data.trim()));
    c.on('error', reject);
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await ask(port);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`Portier did not start listening on ${port}`);
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const apps = [await app('app1', Number(ports.APP1_PORT)), await app('app2', Number(ports.APP2_PORT)), await app('spare', Number(ports.SPARE_PORT))];
  const portier = spawn(join(root, 'bin', 'portier'), ['-db', '-f', join(root, 'examples', 'demo.cfg')], {
    stdio: 'inherit',
    env: { ...process.env, ...ports, DEMO_DIR: dir },
  });
  const stop = (): void => {
    portier.kill('SIGTERM');
    for (const a of apps) a.close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  portier.on('exit', (code) => {
    for (const a of apps) a.close();
    process.exitCode = code ?? 0;
  });
  await waitForPort(Number(ports.DEMO_PORT));
  const sock = join(dir, 'demo.sock');
  console.log(`Portier listens on 127.0.0.1:${ports.DEMO_PORT} and ${sock}, balancing (leastconn, weights 2:1) across app1 (:${ports.APP1_PORT}) and app2 (:${ports.APP2_PORT}), spare (:${ports.SPARE_PORT}) as backup.`);
  for (let i = 0; i < 3; i++) console.log(`  TCP connection ${i + 1}: ${await ask(Number(ports.DEMO_PORT))}`);
  console.log(`  unix socket connection: ${await ask(sock)}`);
  console.log(`Try it:   socat - TCP:127.0.0.1:${ports.DEMO_PORT}      (type a line: it is echoed back)`);
  console.log(`          socat - UNIX:${sock}`);
  console.log(`Runtime API:   echo "show version" | socat - UNIX:${dir}/admin.sock`);
  console.log('Ctrl-C stops the demo.');
}

main().catch((e: unknown) => {
  console.error(`demo: ${(e as Error).message}`);
  process.exit(1);
});
