/**
 * A keyword context for sample-expression tests: a LoadState with a few sections (backend 'b'
 * with a stick table and server 's1', backend 'st' with a table, frontend 'f', listen 'l',
 * userlist 'ul') and the current proxy 'f' unless told otherwise.
 */
import { Diagnostics } from '../../../src/config/diagnostics.js';
import { ConfigEnvironment } from '../../../src/config/environment.js';
import { KeywordContext } from '../../../src/config/keywords.js';
import { LoadState, newGlobalModel } from '../../../src/config/load-state.js';
import type { ProxyKind, ProxyModel } from '../../../src/config/model/proxy.js';
import type { ServerModel } from '../../../src/config/model/server.js';
import type { StickTableModel } from '../../../src/config/model/stick-table.js';
import { builtinProxy } from '../../../src/config/sections/proxy.js';

export function proxy(kind: ProxyKind, name: string, extra: Partial<ProxyModel> = {}): ProxyModel {
  return { ...builtinProxy(kind, name, { file: 't.cfg', line: 1 }), mode: 'http', ...extra };
}

export interface TestLoad {
  readonly load: LoadState;
  readonly diag: Diagnostics;
  readonly proxies: Record<string, ProxyModel>;
  /** A context in proxy `current` (default 'f') at t.cfg:<line>. */
  ctx(current?: string, line?: number): KeywordContext<unknown>;
}

export function testLoad(): TestLoad {
  const diag = new Diagnostics(false);
  const load = new LoadState(
    new ConfigEnvironment({}),
    diag,
    { checkOnly: true, diagnostics: false, localPeer: 'test', ignoreResolveFailures: false, noServerVerify: false },
    newGlobalModel(),
  );
  const table = (line: number, name = 't'): StickTableModel => ({ where: { file: 't.cfg', line }, name, type: 'ip', size: 1024, nopurge: false, srvkey: 'name', store: [] });
  const proxies: Record<string, ProxyModel> = {
    b: proxy('backend', 'b', { stickTable: table(10), servers: [{ name: 's1' } as ServerModel] }),
    st: proxy('backend', 'st', { stickTable: table(12) }),
    f: proxy('frontend', 'f'),
    l: proxy('listen', 'l'),
  };
  load.proxies.push(...Object.values(proxies));
  load.userlists.push({ name: 'ul', where: { file: 't.cfg', line: 14 }, groups: [], users: [] });
  return {
    load,
    diag,
    proxies,
    ctx: (current = 'f', line = 18) => new KeywordContext<unknown>(load, proxies[current]!, { file: 't.cfg', line }, []),
  };
}
