/**
 * The running configuration: frontends with their backends, and the stats sockets. Built from
 * the frozen model once; started, paused and stopped by the master (signals, -sf/-st).
 */
import type { ConfigEnvironment } from '../config/environment.js';
import type { ConfigModel } from '../config/model/index.js';
import type { ProxyModel } from '../config/model/proxy.js';
import { CAP_BE, CAP_FE } from '../config/types.js';
import { StatsSockets } from '../admin/stats-socket.js';
import { HAPROXY_COMPAT_VERSION, PORTIER_VERSION } from '../version.js';
import { RuntimeBackend } from './backend.js';
import { RuntimeFrontend } from './frontend.js';

export class RunningProcess {
  readonly frontends: RuntimeFrontend[] = [];
  readonly backends = new Map<string, RuntimeBackend>();
  readonly stats: StatsSockets;
  private stopping = false;

  constructor(
    readonly model: ConfigModel,
    env: ConfigEnvironment,
  ) {
    for (const p of model.proxies) {
      if (p.cap & CAP_BE && !p.disabled) this.backends.set(p.name, new RuntimeBackend(p));
    }
    for (const p of model.proxies) {
      if (p.cap & CAP_FE && !p.disabled) this.frontends.push(new RuntimeFrontend(p, this.backendFor(p)));
    }
    this.stats = new StatsSockets(
      model.global.statsSockets,
      { environment: () => env.toObject(), version: () => `${HAPROXY_COMPAT_VERSION} (Portier ${PORTIER_VERSION})` },
      model.global.statsTimeout,
      model.global.statsMaxconn,
    );
  }

  /** A listen section serves its own servers; a frontend its default_backend. */
  private backendFor(p: ProxyModel): RuntimeBackend | undefined {
    if (p.cap & CAP_BE && p.servers.length > 0) return this.backends.get(p.name);
    if (p.defaultBackend) return this.backends.get(p.defaultBackend.name);
    return undefined;
  }

  /** Binds every listener; rejects with the first binding error. */
  async start(): Promise<void> {
    await this.stats.start();
    for (const f of this.frontends) await f.start();
  }

  /** Soft stop (SIGUSR1, -sf): stop accepting, let connections finish, then call `done`. */
  softStop(done: () => void): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const f of this.frontends) f.closeListeners();
    this.stats.close();
    const check = (): void => {
      if (this.frontends.every((f) => f.active.size === 0)) done();
    };
    for (const f of this.frontends) f.onIdle = check;
    check();
  }

  /** Hard stop (SIGTERM, -st): close everything now. */
  hardStop(): void {
    this.stopping = true;
    for (const f of this.frontends) {
      f.closeListeners();
      for (const c of f.active) c.destroy();
    }
    this.stats.close();
  }
}
