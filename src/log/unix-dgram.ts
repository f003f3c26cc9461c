/**
 * Unix datagram sockets (`log /dev/log local0`): Node's dgram module cannot open them, so they
 * come from the optional native package `unix-dgram` (docs/dependencies.md), loaded the first
 * time a configuration names such a target. Without it, that target is refused with its
 * file:line (log/targets.ts).
 */
import { createRequire } from 'node:module';

/** The part of unix-dgram's socket Portier uses. */
export interface UnixDgramSocket {
  send(buf: Buffer, offset: number, length: number, path: string, callback: (err?: Error & { code?: unknown }) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  close(): void;
}

interface UnixDgramModule {
  createSocket(type: 'unix_dgram'): UnixDgramSocket;
}

let loaded: UnixDgramModule | null | undefined;

/** The package, or undefined when it is not installed (or its native part was not built). */
export function loadUnixDgram(): UnixDgramModule | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('unix-dgram') as UnixDgramModule;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
