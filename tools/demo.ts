/**
 * `npm run demo`: starts three small TCP services (two active, one backup), then Portier with
 * examples/demo.cfg in front of them, shows connections being balanced (with Portier's tcplog
 * lines on its standard output), over TCP and over the unix socket, stops app2 to show its
 * health check marking it DOWN (and `show servers state` on the runtime API), starts it again,
 * and keeps running until Ctrl-C.
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

/** One runtime API command on the admin socket. */
function cli(path: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect(path);
    let data = '';
    c.setEncoding('utf8');
    c.on('connect', () => c.end(`${command}\n`));
    c.on('data', (d: string) => (data += d));
    c.on('close', () => resolve(data.trimEnd()));
    c.on('error', reject);
  });
}

/** Polls the runtime API until app `name` has operational state `state` (0 down, 2 up). */
async function waitForState(admin: string, name: string, state: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const line = (await cli(admin, 'show servers state demo')).split('\n').find((l) => l.split(' ')[3] === name);
    if (line && Number(line.split(' ')[5]) === state) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not reach state ${state}`);
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
  const admin = join(dir, 'admin.sock');
  console.log('Stopping app2: its health check fails and Portier marks it DOWN (see the log line; fall 2 counts from a fully up server, a server still rising goes down at once, as in HAProxy).');
  await new Promise((r) => apps[1]!.close(() => r(undefined)));
  await waitForState(admin, 'app2', 0);
  console.log(`show servers state demo:\n${await cli(admin, 'show servers state demo')}`);
  console.log(`  TCP connection while app2 is down: ${await ask(Number(ports.DEMO_PORT))}`);
  console.log('Starting app2 again: two good checks bring it back UP.');
  apps[1] = await app('app2', Number(ports.APP2_PORT));
  await waitForState(admin, 'app2', 2);
  console.log(`Try it:   socat - TCP:127.0.0.1:${ports.DEMO_PORT}      (type a line: it is echoed back)`);
  console.log(`          socat - UNIX:${sock}`);
  console.log(`Runtime API:   echo "show servers state" | socat - UNIX:${admin}`);
  console.log(`               echo "set server demo/app1 state maint" | socat - UNIX:${admin}   (then "state ready")`);
  console.log('Ctrl-C stops the demo.');
}

main().catch((e: unknown) => {
  console.error(`demo: ${(e as Error).message}`);
  process.exit(1);
});
