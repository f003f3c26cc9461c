/**
 * Opens listening sockets from configured addresses: TCP (IPv4/IPv6), unix sockets with their
 * permissions and owner (bind options mode/user/group/uid/gid, configuration.txt 5.1), and
 * descriptors inherited from the parent (fd@N, as HAProxy's test driver and service managers
 * pass them).
 */
import { chmodSync, chownSync, lstatSync, renameSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressModel } from '../config/model/address.js';
import { isTcpHandle, type TcpHandle } from '../tcp/handle-endpoint.js';
import { lookupGroupId, lookupUserId } from './accounts.js';

export interface ListenOptions {
  /** Bind options of the line (mode, user, group, uid, gid, backlog, ...). */
  readonly bindOptions: Readonly<Record<string, unknown>>;
  /** Called for each accepted connection. */
  readonly onConnection: (socket: Socket) => void;
  /**
   * When given, a TCP listener hands each accepted connection's libuv handle here instead, with
   * no net.Socket made (tcp/handle-endpoint.ts); onConnection still serves unix sockets and a
   * Node whose listener cannot be taken over.
   */
  readonly onHandle?: (handle: TcpHandle) => void;
  /** Keep the read side open when the client half-closes (TCP proxying needs it). */
  readonly allowHalfOpen?: boolean;
  /** Accepted sockets are not read until resumed (lets the caller decide, e.g. at maxconn). */
  readonly pauseOnConnect?: boolean;
  /** listen() backlog; default: the bind option "backlog", else 1024. */
  readonly backlog?: number;
}

/** "127.0.0.1:80", "[::1]:80", "/path", "fd@3": how HAProxy names an address in messages. */
export function describeAddress(a: AddressModel, port?: number): string {
  if (a.family === 'unix') return a.path!;
  if (a.family === 'abns') return `abns@${a.path}`;
  if (a.family === 'fd' || a.family === 'sockpair') return `${a.family}@${a.fd}`;
  const p = port ?? a.port;
  return a.family === 'ipv6' ? `[${a.ip}]:${p}` : `${a.ip}:${p}`;
}

/**
 * Starts listening on one address (one port: ranges are expanded by the caller). Resolves with
 * the server, or rejects with an Error whose message is HAProxy-like ("cannot bind socket ...").
 */
export function listenOn(a: AddressModel, opts: ListenOptions, port?: number): Promise<Server> {
  const server = createServer(
    { allowHalfOpen: opts.allowHalfOpen ?? false, pauseOnConnect: opts.pauseOnConnect ?? false, noDelay: true },
    opts.onConnection,
  );
  const backlog = opts.backlog ?? (typeof opts.bindOptions['backlog'] === 'number' ? (opts.bindOptions['backlog'] as number) : 1024);
  return new Promise((resolve, reject) => {
    const fail = (e: NodeJS.ErrnoException): void => {
      reject(new Error(`cannot bind socket (${e.code ?? e.message}) [${describeAddress(a, port)}]`));
    };
    server.once('error', fail);
    const ready = (): void => {
      server.off('error', fail);
      if (opts.onHandle) takeAccepts(server, opts.onHandle);
      try {
        if (a.family === 'unix') applyUnixPermissions(a.path!, opts.bindOptions);
      } catch (e) {
        server.close();
        reject(new Error(`cannot change UNIX socket ownership or permissions (${(e as Error).message}) [${a.path}]`));
        return;
      }
      resolve(server);
    };
    switch (a.family) {
      case 'fd':
        server.listen({ fd: a.fd!, backlog }, ready);
        break;
      case 'unix':
        prepareUnixPath(a.path!);
        server.listen({ path: a.path!, backlog }, ready);
        break;
      case 'abns':
        // Linux abstract namespace: a leading NUL byte in the path.
        server.listen({ path: `\0${a.path}`, backlog }, ready);
        break;
      case 'ipv4':
      case 'ipv6':
        // SO_REUSEPORT, as HAProxy sets by default: a new process can bind while the old one
        // still listens, then ask it to leave (-sf), and no connection is refused meanwhile.
        server.listen(
          { host: a.ip!, port: port ?? a.port!, backlog, reusePort: true, ipv6Only: a.family === 'ipv6' && opts.bindOptions['v6only'] === true },
          ready,
        );
        break;
      default:
        reject(new Error(`unsupported address family '${a.family}' [${a.raw}]`));
    }
  });
}

/**
 * Node's listener makes a net.Socket of each accepted handle in its handle's `onconnection`
 * (lib/net.js); replacing that callback hands the handle over as it is. Errors of accept(2)
 * (EMFILE...) are left to libuv, which retries, as HAProxy does (Node would emit 'error' on the
 * server). Only for a TCP listener, whose accepted handles are TCP handles too.
 */
function takeAccepts(server: Server, onHandle: (handle: TcpHandle) => void): void {
  const h = (server as unknown as { _handle?: { onconnection?: unknown } | null })._handle;
  if (!h || typeof h.onconnection !== 'function' || !isTcpHandle(h)) return;
  h.onconnection = (err: number, client: unknown): void => {
    if (err === 0 && isTcpHandle(client)) onHandle(client);
  };
}

/**
 * A stale socket file from a previous run is replaced, as HAProxy does (it binds a temporary
 * name and renames it over the old one); anything else at that path is left for bind() to refuse.
 */
function prepareUnixPath(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // absent: nothing to do
  }
}

function applyUnixPermissions(path: string, o: Readonly<Record<string, unknown>>): void {
  const mode = o['mode'];
  if (typeof mode === 'number') chmodSync(path, mode);
  let uid = typeof o['uid'] === 'number' ? (o['uid'] as number) : -1;
  let gid = typeof o['gid'] === 'number' ? (o['gid'] as number) : -1;
  if (typeof o['user'] === 'string') uid = lookupUserId(o['user'] as string) ?? uid;
  if (typeof o['group'] === 'string') gid = lookupGroupId(o['group'] as string) ?? gid;
  if (uid !== -1 || gid !== -1) chownSync(path, uid, gid);
}

/** Replaces `path` atomically by `tmp` (kept for the reload work: listener handover). */
export function renameOver(tmp: string, path: string): void {
  renameSync(tmp, path);
}
