/**
 * Unix datagram sockets (`log /dev/log local0`): Node's dgram module cannot open them, so they
 * come from the prebuilt Node-API addon of the `node-unix-socket` project, in its per-platform
 * packages (optional dependencies, docs/dependencies.md): Node-API keeps it loadable in any Node
 * version, and nothing is compiled at install. It is loaded the first time a configuration names
 * such a target; where no build exists for the platform, that target is refused with its
 * file:line (log/targets.ts).
 *
 * Portier loads the platform package itself rather than through the project's `node-unix-socket`
 * wrapper package: the wrapper lists every platform as an optional dependency, and the registry
 * this project installs from serves only the Linux x64 ones, so its lock file could not be
 * complete and `npm ci` would refuse it. What the wrapper adds is the few lines below.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { getSystemErrorMap } from 'node:util';

/** The package named in messages ("npm install ..."). */
export const UNIX_DGRAM_PACKAGE = platformPackage() ?? 'node-unix-socket';

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

/** The addon's socket class: it reports received datagrams and errors as '_data'/'_error' on `ee`. */
interface DgramSocketWrap {
  init(self: DgramSocketWrap): void;
  startRecv(): void;
  bind(path: string): void;
  sendTo(buf: Buffer, offset: number, length: number, path: string, cb: (err?: Error | null) => void): void;
  close(): void;
}
type DgramSocketWrapClass = new (ee: EventEmitter) => DgramSocketWrap;

/** The package with the build for this machine, if the project publishes one. */
function platformPackage(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime;
  return glibc ? 'node-unix-socket-linux-x64-gnu' : 'node-unix-socket-linux-x64-musl';
}

let loaded: UnixDgramModule | null | undefined;

/** The addon, or undefined when it is not installed (or has no build for this platform). */
export function loadUnixDgram(): UnixDgramModule | undefined {
  if (loaded === undefined) {
    loaded = null;
    const pkg = platformPackage();
    if (pkg) {
      try {
        const addon = createRequire(import.meta.url)(pkg) as { DgramSocketWrap: DgramSocketWrapClass };
        loaded = { createSocket: () => wrap(addon.DgramSocketWrap) };
      } catch {
        loaded = null;
      }
    }
  }
  return loaded ?? undefined;
}

function wrap(Wrap: DgramSocketWrapClass): UnixDgramSocket {
  const events = new EventEmitter();
  // The addon calls emit() detached from the object.
  events.emit = events.emit.bind(events);
  const socket = new Wrap(events);
  socket.init(socket);
  // As the project's own wrapper does: the addon's event-loop watcher starts here, and sending
  // relies on it (without it, a failed send crashes the process).
  socket.startRecv();
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    socket.close();
  };
  events.on('_data', (buf: Buffer) => process.nextTick(() => events.emit('message', buf)));
  events.on('_error', (err: Error) => {
    close();
    events.emit('error', err);
  });
  return {
    send(buf, offset, length, path, callback) {
      if (closed) {
        callback(Object.assign(new Error('socket closed'), { code: 'EBADF' }));
        return;
      }
      socket.sendTo(buf, offset, length, path, (err) => callback(err ? withErrno(err) : undefined));
    },
    bind: (path) => socket.bind(path),
    on(event: 'message' | 'error', listener: ((buf: Buffer) => void) | ((err: Error) => void)) {
      events.on(event, listener);
    },
    close,
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
