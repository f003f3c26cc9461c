/**
 * A proxy and keyword contexts for calling the ACL, condition and log-format parsers directly,
 * as the rule keywords do. The proxy is built by the real section parser from a small text.
 */
import { Diagnostics, locatedMessage } from '../../../src/config/diagnostics.js';
import { ConfigEnvironment } from '../../../src/config/environment.js';
import { KeywordContext } from '../../../src/config/keywords.js';
import { LoadState, newGlobalModel } from '../../../src/config/load-state.js';
import type { ProxyModel } from '../../../src/config/model/proxy.js';
import { ConfigParser, runRow } from '../../../src/config/parser.js';
import { rows as aclRows } from '../../../src/config/sections/proxy/acl.js';
import { readConfigText } from '../../../src/config/reader.js';
import { SECTIONS } from '../../../src/config/sections/index.js';

export interface Harness {
  readonly load: LoadState;
  readonly proxy: ProxyModel;
  /** A context for a statement on `line` of t.cfg. */
  ctx(line: number): KeywordContext<unknown>;
  /** Runs an "acl" line (the words after "acl") as line `line` of t.cfg. */
  acl(line: number, words: string): void;
  /** Every message so far, "severity: located message". */
  lines(): string[];
}

export function harness(kind: 'frontend' | 'backend' | 'listen' = 'frontend', mode: 'http' | 'tcp' = 'http', extra = ''): Harness {
  const diag = new Diagnostics(false);
  const options = { checkOnly: true, diagnostics: false, localPeer: 'h', ignoreResolveFailures: false, noServerVerify: false };
  const env = new ConfigEnvironment({});
  const load = new LoadState(env, diag, options, newGlobalModel());
  const parser = new ConfigParser(load, SECTIONS);
  readConfigText('t.cfg', `${extra}${kind} f\n  mode ${mode}\n`, env, diag, parser);
  const proxy = load.proxies.find((p) => p.name === 'f')!;
  const ctx = (line: number) => new KeywordContext<unknown>(load, proxy, { file: 't.cfg', line }, []);
  return {
    load,
    proxy,
    ctx,
    acl(line, words) {
      const args = ['acl', ...words.split(' ')];
      runRow(new KeywordContext<ProxyModel>(load, proxy, { file: 't.cfg', line }, args), aclRows[0]!, args);
    },
    lines: () => diag.list.filter((d) => d.code !== 'notyet').map((d) => `${d.severity}: ${locatedMessage(d)}`),
  };
}
