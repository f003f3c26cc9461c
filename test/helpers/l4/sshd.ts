/**
 * A real OpenSSH server (Debian's openssh-server) for the layer-4 tests: started by the test on
 * an unprivileged loopback port with its own configuration, host key and authorized key in a
 * temp dir, in the foreground (-D) logging to stderr (-e); and the ssh client to talk to it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, within } from './net.js';

export const SSHD = '/usr/sbin/sshd';
export const SSH = '/usr/bin/ssh';

/** Why SSH tests cannot run here, or false. */
export function sshMissing(): string | false {
  if (!existsSync(SSHD)) return 'openssh-server is not installed (.ci/run installs it)';
  if (!existsSync(SSH) || !existsSync('/usr/bin/ssh-keygen')) return 'openssh-client is not installed (.ci/run installs it)';
  return false;
}

export interface Sshd {
  readonly port: number;
  readonly child: ChildProcess;
  /** The client's private key, authorized for the current user. */
  readonly key: string;
  output(): string;
  stop(): Promise<void>;
}

function keygen(file: string): void {
  const r = spawnSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { encoding: 'latin1', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
}

/** Starts sshd on 127.0.0.1:<free port>; resolves once it listens (retries on a port race). */
export async function startSshd(dir: string): Promise<Sshd> {
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'id'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id.pub')), { mode: 0o600 });
  // Run as root, sshd wants its privilege-separation directory (created by the package's
  // service script, which the tests do not run).
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `ListenAddress 127.0.0.1:${port}`,
        `HostKey ${join(dir, 'host_key')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        // The temp dir is not root-owned with strict modes: let sshd use it anyway.
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin prohibit-password',
        'AllowTcpForwarding no',
        'X11Forwarding no',
        'PrintMotd no',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    // sshd re-executes itself and so wants an absolute path.
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.setEncoding('latin1').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('latin1').on('data', (d: string) => (out += d));
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const ready = await within(
      new Promise<boolean>((resolve) => {
        const look = (): void => {
          if (/Server listening on 127\.0\.0\.1 port \d+/.test(out)) resolve(true);
          else if (child.exitCode !== null || child.signalCode !== null) resolve(false);
          else setTimeout(look, 20);
        };
        look();
      }),
      15_000,
      'sshd to listen',
    );
    if (!ready) {
      if (attempt < 3 && /Address already in use/.test(out)) continue;
      throw new Error(`sshd did not start:\n${out}`);
    }
    return {
      port,
      child,
      key: join(dir, 'id'),
      output: () => out,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await within(exited, 5000, 'sshd to exit').catch(() => child.kill('SIGKILL'));
      },
    };
  }
}

export interface SshResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` over ssh to 127.0.0.1:<port> as the current user with `key` (bounded). */
export function ssh(port: number, key: string, command: string, timeoutMs = 30_000): Promise<SshResult> {
  const args = [
    '-F', '/dev/null',
    '-p', String(port),
    '-i', key,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'ConnectTimeout=10',
    '-o', 'LogLevel=ERROR',
    `${userInfo().username}@127.0.0.1`,
    command,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(SSH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('latin1').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('latin1').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
