/**
 * A running frontend in mode tcp: its listeners, and for each accepted connection, the backend,
 * the server, the connection to it, and forwarding (configuration.txt 4: the path of a
 * connection, layer-4 part).
 */
import { connect, type Server, type Socket } from 'node:net';
import type { ProxyModel } from '../config/model/proxy.js';
import { listenOn } from '../net/listen.js';
import { forward } from '../tcp/forward.js';
import type { RuntimeBackend } from './backend.js';

export class RuntimeFrontend {
  readonly name: string;
  readonly listeners: Server[] = [];
  /** Client connections being served. */
  readonly active = new Set<Socket>();
  private readonly clientTimeout: number;
  /** Called when the last active connection ends (soft stop waits for it). */
  onIdle?: () => void;

  constructor(
    readonly model: ProxyModel,
    private readonly backend: RuntimeBackend | undefined,
  ) {
    this.name = model.name;
    this.clientTimeout = model.timeouts['client'] ?? 0;
  }

  async start(): Promise<void> {
    for (const bind of this.model.binds) {
      for (const address of bind.addresses) {
        const server = await listenOn(address, {
          bindOptions: bind.options,
          allowHalfOpen: true,
          pauseOnConnect: true,
          onConnection: (s) => this.accept(s),
        });
        this.listeners.push(server);
      }
    }
  }

  /** Stops accepting; connections in progress go on. */
  closeListeners(): void {
    for (const l of this.listeners) l.close();
    this.listeners.length = 0;
  }

  private accept(client: Socket): void {
    this.active.add(client);
    client.once('close', () => {
      this.active.delete(client);
      if (this.active.size === 0) this.onIdle?.();
    });
    client.on('error', () => client.destroy());
    const backend = this.backend;
    const server = backend?.lb.pick();
    if (!backend || !server) {
      // No server can be had: HAProxy closes the connection (the layer-4 work adds queues).
      client.destroy();
      return;
    }
    const upstream = connect({ ...server.connectOptions(client.localPort), allowHalfOpen: true, noDelay: true });
    server.current++;
    server.total++;
    let connectTimer: NodeJS.Timeout | undefined;
    if (backend.connectTimeout > 0) {
      connectTimer = setTimeout(() => {
        upstream.destroy();
        client.destroy();
      }, backend.connectTimeout);
    }
    const failConnect = (): void => {
      clearTimeout(connectTimer);
      upstream.destroy();
      client.destroy();
    };
    upstream.once('error', failConnect);
    upstream.once('connect', () => {
      clearTimeout(connectTimer);
      upstream.off('error', failConnect);
      forward(client, upstream, { client: this.clientTimeout, server: backend.serverTimeout }, () => {});
    });
    upstream.once('close', () => {
      server.current--;
    });
  }
}
