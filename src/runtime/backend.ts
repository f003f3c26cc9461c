/** A running backend: its servers, its balance algorithm, its server-side timeouts. */
import type { ProxyModel } from '../config/model/proxy.js';
import { RoundRobin } from '../lb/roundrobin.js';
import type { LbAlgorithm } from '../lb/types.js';
import { RuntimeServer } from './server.js';

export class RuntimeBackend {
  readonly name: string;
  readonly servers: RuntimeServer[];
  readonly lb: LbAlgorithm<RuntimeServer>;
  readonly connectTimeout: number;
  readonly serverTimeout: number;

  constructor(readonly model: ProxyModel) {
    this.name = model.name;
    this.servers = model.servers.map((s, i) => new RuntimeServer(s, i + 1));
    this.lb = new RoundRobin(this.servers);
    this.connectTimeout = model.timeouts['connect'] ?? 0;
    this.serverTimeout = model.timeouts['server'] ?? 0;
  }
}
