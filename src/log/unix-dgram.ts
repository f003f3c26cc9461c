/**
 * Unix datagram sockets (`log /dev/log local0`): Node's dgram module cannot open them, so they
 * come from the optional package `node-unix-socket` (docs/dependencies.md: a Node-API addon
 * shipped prebuilt, so it loads in any Node version without a compiler), loaded the first time
 * a configuration names such a target. Without it, that target is refused with its file:line
 * (log/targets.ts).
 */
import { createRequire } from 'node:module';
import { getSystemErrorMap } from 'node:util';

/** The package name, for messages. */
export const UNIX_DGRAM_PACKAGE = 'node-unix-socket';

/** A unix datagram socket as Portier uses it. */
export interface UnixDgramSocket {
  /** Sends one datagram; `callback` gets an errno-style error (code, errno) on failure. */
  send(buf: Buffer, offset: number, length: number, path: string, callback: (err?: NodeJS.ErrnoException) => void): void;
  /** Receives datagrams (tests use it as a syslog receiver). */
  bind(path: string): void;
  on(event: 'message', listener: (buf: Buffer) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  close(): void;
}

export interface UnixDgramModule {
  createSocket(): UnixDgramSocket;
}

/** The part of node-unix-socket's DgramSocket used here. */
interface NodeUnixDgramSocket {
  sendTo(buf: Buffer, offset: number, length: number, destPath: string, onWrite?: (err: Error | undefined) => void): void;
  bind(path: string): void;
  on(event: string, listener: (...args: never[]) => void): void;
  close(): void;
}

let loaded: UnixDgramModule | null | undefined;

/** The package, or undefined when it is not installed (or has no build for this platform). */
export function loadUnixDgram(): UnixDgramModule | undefined {
  if (loaded === undefined) {
    try {
      const mod = createRequire(import.meta.url)(UNIX_DGRAM_PACKAGE) as { DgramSocket: new () => NodeUnixDgramSocket };
      loaded = { createSocket: () => wrap(new mod.DgramSocket()) };
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

function wrap(s: NodeUnixDgramSocket): UnixDgramSocket {
  return {
    send(buf, offset, length, path, callback) {
      s.sendTo(buf, offset, length, path, (err) => callback(err ? withErrno(err) : undefined));
    },
    bind: (path) => s.bind(path),
    on(event: 'message' | 'error', listener: ((buf: Buffer) => void) | ((err: Error) => void)) {
      s.on(event === 'message' ? 'data' : 'error', listener as (...args: never[]) => void);
    },
    close: () => s.close(),
  };
}

/** The addon reports the system's text only ("No such file or directory"): find its errno. */
function withErrno(err: Error): NodeJS.ErrnoException {
  const text = err.message.replace(/ \(os error \d+\)$/, '').toLowerCase();
  for (const [errno, [code, message]] of getSystemErrorMap()) {
    if (message.toLowerCase() === text) return Object.assign(err, { code, errno });
  }
  return err;
}
