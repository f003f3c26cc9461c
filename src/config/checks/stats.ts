/**
 * Whole-configuration checks of stats pages (HAProxy's check_config_validity): a proxy that is
 * not in http mode cannot serve one ("'stats' statement ignored for backend 'b' as it requires
 * HTTP mode."). Stats settings are inherited from defaults sections, so the warning also names
 * proxies that only inherited them.
 */
import type { PostCheck } from './types.js';

const statsNeedHttp: PostCheck = (load) => {
  for (const p of load.proxies) {
    if (!p.stats || p.mode === 'http' || p.disabled) continue;
    load.diag.warning(undefined, `'stats' statement ignored for ${p.kind === 'listen' ? 'proxy' : p.kind} '${p.name}' as it requires HTTP mode.`);
  }
};

export const statsChecks: PostCheck[] = [statsNeedHttp];
