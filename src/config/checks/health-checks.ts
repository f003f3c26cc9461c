/**
 * Whole-configuration checks of health checks (HAProxy's check_config_validity and
 * check_proxy_tcpcheck), in the order HAProxy reports them for each proxy:
 *
 * - "backend 'b' uses http-check rules without 'option httpchk', so the rules are ignored."
 * - `option external-check` needs the global `external-check` and an `external-check command`,
 *   and warns without `insecure-fork-wanted`; `external-check command|path` without the
 *   option are ignored (warning); a command without a leading '/' needs a path (alert, even
 *   for a proxy where it is ignored).
 * - "... uses tcp-check rules without 'option tcp-check' ..."
 *
 * It also completes the rule list each proxy runs (HealthCheckModel.rules: implicit connect
 * and expect, comments folded), for the runtime.
 */
import type { LoadState } from '../load-state.js';
import type { ProxyModel } from '../model/proxy.js';
import { finalRules, healthCheckOf } from '../sections/proxy/checks-state.js';
import type { PostCheck } from './types.js';

function typeName(p: ProxyModel): string {
  return p.kind === 'listen' ? 'proxy' : p.kind;
}

/**
 * Whether a global flag keyword was set. The global section records keywords without a typed
 * field in `settings` (an explicit `no <keyword>` is recorded as the word 'no').
 */
function globalFlag(load: LoadState, keyword: string): boolean {
  const g = load.global as unknown as Record<string, unknown>;
  const camel = keyword.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  if (typeof g[camel] === 'boolean') return g[camel] as boolean;
  const v = load.global.settings[keyword];
  return v !== undefined && v[0] !== 'no';
}

const healthCheckRules: PostCheck = (load) => {
  for (const p of load.proxies) {
    // HAProxy skips disabled proxies in these checks.
    if (!p.healthCheck || p.disabled) continue;
    const hc = healthCheckOf(p);
    if (hc.unusedHttp) {
      load.diag.warning(undefined, `${typeName(p)} '${p.name}' uses http-check rules without 'option httpchk', so the rules are ignored.`);
    }
    if (hc.type === 'external') {
      if (!globalFlag(load, 'external-check')) {
        load.diag.alert(undefined, `Proxy '${p.name}' : 'option external-check' unable to find required 'global.external-check'.`);
      }
      if (!hc.externalCommand) {
        load.diag.alert(undefined, `Proxy '${p.name}' : 'option external-check' unable to find required 'external-check command'.`);
      }
      if (!globalFlag(load, 'insecure-fork-wanted')) {
        load.diag.warning(
          undefined,
          `Proxy '${p.name}' : 'insecure-fork-wanted' not enabled in the global section, 'option external-check' will likely fail.`,
        );
      }
    } else {
      for (const [setting, what] of [
        [hc.externalCommand, 'command'],
        [hc.externalPath, 'path'],
      ] as const) {
        if (setting) {
          load.diag.warning(undefined, `'external-check ${what}' will be ignored for ${typeName(p)} '${p.name}' (requires 'option external-check').`);
        }
      }
    }
    if (hc.externalCommand && !hc.externalCommand.value.startsWith('/') && !hc.externalPath) {
      load.diag.alert(undefined, `Proxy '${p.name}': 'external-check command' does not have a leading '/' and 'external-check path' is not set.`);
    }
    if (hc.unusedTcp) {
      load.diag.warning(undefined, `${typeName(p)} '${p.name}' uses tcp-check rules without 'option tcp-check', so the rules are ignored.`);
    }
    const rules = finalRules(hc);
    if (rules) hc.rules = rules;
  }
};

export const healthCheckChecks: PostCheck[] = [healthCheckRules];
