/**
 * The stats sockets of the global section: each accepts runtime API connections at its level
 * (bind option "level", default operator), with `stats timeout` and `stats maxconn`
 * (configuration.txt 3.1, "stats socket").
 */
import type { Server, Socket } from 'node:net';
import type { StatsSocketModel } from '../config/model/global.js';
import { listenOn } from '../net/listen.js';
import { CliConnection } from './cli-session.js';
import type { CliLevel, CliProcessView } from './cli-types.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAXCONN = 10;

export class StatsSockets {
  readonly listeners: Server[] = [];
  private readonly sessions = new Set<Socket>();

  constructor(
    private readonly sockets: readonly StatsSocketModel[],
    private readonly view: CliProcessView,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
    private readonly maxconn = DEFAULT_MAXCONN,
  ) {}

  async start(): Promise<void> {
    for (const s of this.sockets) {
      const level = (s.bind.options['level'] as CliLevel | undefined) ?? 'operator';
      for (const address of s.bind.addresses) {
        const server = await listenOn(address, { bindOptions: s.bind.options, onConnection: (c) => this.accept(c, level) });
        this.listeners.push(server);
      }
    }
  }

  private accept(socket: Socket, level: CliLevel): void {
    if (this.sessions.size >= this.maxconn) {
      socket.destroy();
      return;
    }
    this.sessions.add(socket);
    socket.once('close', () => this.sessions.delete(socket));
    new CliConnection(socket, level, this.timeoutMs, this.view);
  }

  close(): void {
    for (const l of this.listeners) l.close();
    for (const s of this.sessions) s.destroy();
  }
}
