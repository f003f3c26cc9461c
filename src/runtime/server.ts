/** A running server of a backend (configuration.txt 5.2): where to connect, its weight and state. */
import type { NetConnectOpts } from 'node:net';
import type { ServerModel } from '../config/model/server.js';
import type { LbServer } from '../lb/types.js';

export class RuntimeServer implements LbServer {
  readonly name: string;
  readonly id: number;
  readonly weight: number;
  readonly backup: boolean;
  readonly maxconn: number;
  /** Connections currently open to this server. */
  current = 0;
  /** Connections made since startup. */
  total = 0;

  constructor(
    readonly model: ServerModel,
    position: number,
  ) {
    this.name = model.name;
    const o = model.options as Record<string, unknown>;
    this.id = typeof o['id'] === 'number' ? (o['id'] as number) : position;
    this.weight = typeof o['weight'] === 'number' ? (o['weight'] as number) : 1;
    this.backup = o['backup'] === true;
    this.maxconn = typeof o['maxconn'] === 'number' ? (o['maxconn'] as number) : 0;
  }

  usable(): boolean {
    return true;
  }

  /**
   * Where to connect for a client that reached us on `localPort`: a port-less server uses that
   * port, "+N"/"-N" shifts it (configuration.txt 5.2, "server <addr>[:[port]]").
   */
  connectOptions(localPort: number | undefined): NetConnectOpts {
    const a = this.model.address;
    if (a.family === 'unix') return { path: a.path! };
    if (a.family === 'abns') return { path: `\0${a.path}` };
    let port = a.port;
    if (port === undefined) port = (localPort ?? 0) + (a.portOffset ?? 0);
    return { host: a.ip!, port };
  }
}
