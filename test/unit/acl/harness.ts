/**
 * A proxy and keyword contexts for calling the ACL, condition and log-format parsers directly,
 * as the rule keywords will (they are written elsewhere).
 */
import { Diagnostics, locatedMessage } from '../../../src/config/diagnostics.js';
import { ConfigEnvironment } from '../../../src/config/environment.js';
import { KeywordContext } from '../../../src/config/keywords.js';
import { LoadState, newGlobalModel } from '../../../src/config/load-state.js';
import type { ProxyModel } from '../../../src/config/model/proxy.js';
import { rows as aclRows } from '../../../src/config/sections/proxy/acl.js';
import { builtinProxy } from '../../../src/config/sections/proxy.js';

export interface Harness {
  readonly load: LoadState;
  readonly proxy: ProxyModel;
  /** A context for a statement on `line` of t.cfg. */
  ctx(line: number): KeywordContext<unknown>;
  /** Runs an "acl" line (words after "acl") as line `line`. */
  acl(line: number, words: string): void;
  /** Every message so far, "severity: located message". */
  lines(): string[];
}

export function harness(kind: 'frontend' | 'backend' | 'listen' = 'frontend', mode: 'http' | 'tcp' = 'http'): Harness {
  const diag = new Diagnostics(false);
  const options = { checkOnly: true, diagnostics: false, localPeer: 'h', ignoreResolveFailures: false, noServerVerify: false };
  const load = new LoadState(new ConfigEnvironment({}), diag, options, newGlobalModel());
  const proxy: ProxyModel = { ...builtinProxy(kind, 'f', { file: 't.cfg', line: 1 }), mode };
  load.proxies.push(proxy);
  const ctx = (line: number) => new KeywordContext<unknown>(load, proxy, { file: 't.cfg', line }, []);
  return {
    load,
    proxy,
    ctx,
    acl(line, words) {
      const args = ['acl', ...words.split(' ')];
      aclRows[0]!.parse(new KeywordContext<ProxyModel>(load, proxy, { file: 't.cfg', line }, args), args);
    },
    lines: () => diag.list.map((d) => `${d.severity}: ${locatedMessage(d)}`),
  };
}
