/**
 * Whole-configuration checks of proxies (HAProxy's check_config_validity): references between
 * sections, missing timeouts, ... One function per check, in the order HAProxy reports them.
 */
import type { ProxyModel } from '../model/proxy.js';
import { CAP_BE, CAP_FE } from '../types.js';
import type { PostCheck } from './types.js';

function typeName(p: ProxyModel): string {
  return p.kind === 'listen' ? 'proxy' : p.kind;
}

/** default_backend must name a proxy with backend capability. */
const defaultBackendExists: PostCheck = (load) => {
  for (const p of load.proxies) {
    if (!(p.cap & CAP_FE) || !p.defaultBackend) continue;
    const name = p.defaultBackend.name;
    const target = load.proxies.find((q) => q.name === name && q.cap & CAP_BE);
    if (!target) {
      load.diag.alert(undefined, `Proxy '${p.name}': unable to find required default_backend: '${name}'.`);
    } else if (target === p) {
      load.diag.alert(undefined, `Proxy '${p.name}': loop detected for default_backend: '${name}'.`);
    }
  }
};

/** A frontend without bind line works as nothing: HAProxy suggests a backend. */
const frontendHasBind: PostCheck = (load) => {
  for (const p of load.proxies) {
    if (p.kind === 'frontend' && p.binds.length === 0 && !p.disabled) {
      load.diag.warning(undefined, `frontend '${p.name}' has no 'bind' directive. Please declare it as a backend if this was intended.`);
    }
  }
};

/** Proxies in tcp or http mode without client/connect/server timeouts get HAProxy's warning. */
const missingTimeouts: PostCheck = (load) => {
  for (const p of load.proxies) {
    if (p.disabled || p.mode === 'log') continue;
    const t = p.timeouts;
    const missingClient = p.cap & CAP_FE && !t['client'];
    const missingServer = p.cap & CAP_BE && (!t['connect'] || !t['server']);
    if (missingClient || missingServer) {
      load.diag.warning(
        undefined,
        `missing timeouts for ${typeName(p)} '${p.name}'.\n` +
          '   | While not properly invalid, you will certainly encounter various problems\n' +
          '   | with such a configuration. To fix this, please ensure that all following\n' +
          "   | timeouts are set to a non-zero value: 'client', 'connect', 'server'.",
      );
    }
  }
};

export const proxyChecks: PostCheck[] = [defaultBackendExists, frontendHasBind, missingTimeouts];
