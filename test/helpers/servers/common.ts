/**
 * What the real-server fixtures (slapd.ts, mariadb.ts, redis.ts, postgres.ts, smtp.ts, https.ts)
 * share: the fixture contract, the account servers run as, their temp dirs, one-shot tools,
 * the ports they listen on, and data-dir templates. Their long-running processes are
 * daemon.ts's; what cleans up after a test process that dies is reaper.ts. Every wait is
 * bounded.
 */
import { spawn } from 'node:child_process';
import { existsSync, lchownSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../l4/net.js';
import { forgetDir, reapDir } from './reaper.js';

export const HOST = '127.0.0.1' as const;

/** What every fixture returns (with its protocol's details beside). */
export interface ServerFixture {
  readonly host: typeof HOST;
  readonly port: number;
  /** Stops the server; once this resolves, its port refuses connections. */
  stop(): Promise<void>;
  /** Starts it again after stop(), on the same port(s) and with the same data. */
  start(): Promise<void>;
  /** stop(), then removes its temp dir. */
  close(): Promise<void>;
}

/**
 * `path` if it exists; otherwise an error naming the Debian package that .ci/run must install,
 * so that a machine without it fails loudly instead of skipping.
 */
export function requireBinary(path: string, pkg: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: .ci/run must install the Debian package '${pkg}'`);
  return path;
}

/** The account the servers run as: ours, unless we are root (see serverUser). */
export interface Account {
  readonly uid: number;
  readonly gid: number;
}

function lookupNobody(): Account {
  const line = readFileSync('/etc/passwd', 'latin1').split('\n').find((l) => l.startsWith('nobody:'));
  const f = line?.split(':');
  if (!f || f.length < 4) throw new Error('no account "nobody" in /etc/passwd: the servers cannot be run unprivileged');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

/**
 * CI and this workplace run the tests as root. postgres and mariadbd refuse to run as root, and
 * no test server should: as root, every server (and every tool that writes its files) runs as
 * `nobody`, and the fixture's temp dir is handed to it. As any other user, servers run as that
 * user: undefined here.
 */
export const serverUser: Account | undefined = process.getuid?.() === 0 ? lookupNobody() : undefined;

/** Spawn options that run a child as the server account. */
export function asServer(): { uid?: number; gid?: number } {
  return serverUser ? { uid: serverUser.uid, gid: serverUser.gid } : {};
}

/** A minimal environment for servers and their tools: no PG*, MYSQL_*, LDAP* from ours. */
export function serverEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: home, LANG: 'C', TZ: 'UTC' };
}

/**
 * A new dir `portier-<name>-XXXXXX` under os.tmpdir(), owned by the server account, removed
 * when the test process exits unless removeDir() did it before.
 */
export async function fixtureDir(name: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `portier-${name}-`));
  reapDir(dir);
  await giveToServer(dir);
  return dir;
}

/** Removes a dir made by fixtureDir (bounded retries: a server may still be closing files). */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  forgetDir(dir);
}

/** Hands `path` (recursively) to the server account; nothing to do unless we are root. */
export async function giveToServer(path: string): Promise<void> {
  if (!serverUser) return;
  const { uid, gid } = serverUser;
  const walk = (p: string): void => {
    lchownSync(p, uid, gid);
    if (!lstatSync(p).isDirectory()) return;
    for (const name of readdirSync(p)) walk(join(p, name));
  };
  walk(path);
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion (bounded, SIGKILL past `timeoutMs`) and rejects unless it exits
 * 0, with its output in the message. `server: true` runs it as the server account (initdb and
 * mariadb-install-db write files the server will own); `check: false` resolves whatever the
 * exit code (for clients whose failure a test expects).
 */
export function runTool(
  cmd: string,
  args: readonly string[],
  opts: { server?: boolean; env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number; check?: boolean } = {},
): Promise<ToolResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], ...(opts.server ? asServer() : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('latin1').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('latin1').on('data', (d: string) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (opts.check !== false && code !== 0) {
        const why = timedOut ? `was killed after ${timeoutMs} ms` : `exited with ${code}`;
        reject(new Error(`${cmd} ${args.join(' ')} ${why}\n${stdout}${stderr}`));
      } else resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * A port for a server that must come back on it after a restart: free now, and below the
 * ephemeral range, where neither concurrent tests' port-0 listeners nor outgoing connections
 * land while it is stopped.
 */
export function stablePort(): Promise<number> {
  return closedPort(HOST);
}

/** Resolves once a connection to `port` is refused (the server is really gone); bounded. */
export async function waitRefused(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: HOST, port });
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
    });
    if (refused) return;
    if (Date.now() > deadline) throw new Error(`${HOST}:${port} still accepts connections ${timeoutMs} ms after its server was stopped`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/**
 * Builds a data dir once per test process (`build` fills the dir it is given) and hands each
 * caller a copy in `dest`: initdb and mariadb-install-db take seconds, a copy takes
 * milliseconds. The template lives in its own fixtureDir, removed when the process exits.
 */
const templates = new Map<string, Promise<string>>();
export async function copyOfTemplate(key: string, build: (dir: string) => Promise<void>, dest: string): Promise<void> {
  let made = templates.get(key);
  if (!made) {
    made = (async () => {
      const dir = await fixtureDir(`${key}-template`);
      await build(join(dir, 'data'));
      return join(dir, 'data');
    })();
    templates.set(key, made);
    // A failed build is not remembered: the next caller tries again (and reports its error).
    made.catch(() => templates.delete(key));
  }
  const src = await made;
  // -a keeps modes and owners (postgres insists on a 0700 data dir it owns).
  await runTool('/bin/cp', ['-a', src, dest], { timeoutMs: 60_000 });
}
