/**
 * Loads a configuration: files → statements → sections → model, then the checks that need the
 * whole configuration, then hostname resolution. Never throws for bad input: everything wrong
 * is a diagnostic with file:line where there is one.
 */
import { lookup } from 'node:dns/promises';
import { Diagnostics, type Diagnostic } from './diagnostics.js';
import { ConfigEnvironment } from './environment.js';
import { LoadState, newGlobalModel, type LoadOptions } from './load-state.js';
import type { ConfigModel } from './model/index.js';
import { ConfigParser } from './parser.js';
import { postChecks } from './post-checks.js';
import { readConfigFile, readConfigText } from './reader.js';
import { SECTIONS } from './sections/index.js';

export interface LoadResult {
  /** The model; present even when there are alerts (so -c can say more), frozen. */
  readonly model: ConfigModel;
  readonly diag: Diagnostics;
  readonly env: ConfigEnvironment;
  /** True when no alert was raised. */
  readonly ok: boolean;
  /** Reading stopped early (preprocessor error, `.alert`, unreadable file). */
  readonly aborted: boolean;
}

export interface LoadInput {
  /** Files to read, in order (already expanded from directories). */
  readonly files: readonly string[];
  /** Text per file, instead of reading the disk (tests). */
  readonly texts?: ReadonlyMap<string, string>;
  readonly options: LoadOptions;
  readonly env?: ConfigEnvironment;
  readonly diag?: Diagnostics;
  /** Receives each message as it is found (the console prints them as HAProxy does). */
  readonly onDiagnostic?: (d: Diagnostic) => void;
}

export async function loadConfig(input: LoadInput): Promise<LoadResult> {
  const diag = input.diag ?? new Diagnostics(!input.options.checkOnly);
  if (input.onDiagnostic) diag.onDiagnostic(input.onDiagnostic);
  const env = input.env ?? new ConfigEnvironment();
  const load = new LoadState(env, diag, input.options, newGlobalModel());
  // HAPROXY_LOCALPEER is known while reading (peer "${HAPROXY_LOCALPEER}" works);
  // HAPROXY_CFGFILES is only set once every file is read, as HAProxy does.
  env.set('HAPROXY_LOCALPEER', input.options.localPeer);
  const parser = new ConfigParser(load, SECTIONS);
  let aborted = false;

  for (const file of input.files) {
    load.files.push(file);
    const alertsBefore = diag.count('alert');
    const text = input.texts?.get(file);
    const outcome = text !== undefined ? readConfigText(file, text, env, diag, parser) : readConfigFile(file, env, diag, parser);
    if (diag.count('alert') > alertsBefore) diag.announce({ severity: 'alert', message: `Error(s) found in configuration file : ${file}` });
    // HAProxy stops at the first file whose reading had to be aborted.
    if (outcome === 'aborted') {
      aborted = true;
      break;
    }
  }
  parser.finish();
  // -dV: server certificates are not verified unless the configuration says otherwise.
  if (input.options.noServerVerify && load.global.ssl?.serverVerify === undefined && load.global.settings['ssl-server-verify'] === undefined) {
    (load.global.ssl ??= {}).serverVerify = 'none';
  }

  env.set('HAPROXY_CFGFILES', load.files.join(';'));

  // As HAProxy, the checks of the whole configuration only run once every line was accepted.
  if (!aborted && !diag.hasAlerts) {
    for (const check of load.deferred) guarded(diag, () => check());
    if (!diag.hasAlerts) for (const check of postChecks) guarded(diag, () => check(load));
    if (!diag.hasAlerts) await resolveHostnames(load);
  }

  const model: ConfigModel = {
    files: load.files,
    global: load.global,
    defaults: load.defaults,
    proxies: load.proxies,
    userlists: load.userlists,
    peers: load.peers,
    resolvers: load.resolvers,
    httpErrors: load.httpErrors,
    mailers: load.mailers,
    rings: load.rings,
    programs: load.programs,
    caches: load.caches,
    logForwards: load.logForwards,
    fcgiApps: load.fcgiApps,
  };
  return { model: deepFreeze(model), diag, env, ok: !diag.hasAlerts, aborted };
}

/** A bug in a check must not crash the process: it is reported as an internal error. */
function guarded(diag: Diagnostics, run: () => void): void {
  try {
    run();
  } catch (e) {
    diag.alert(undefined, `internal error while checking the configuration: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function resolveHostnames(load: LoadState): Promise<void> {
  await Promise.all(
    load.resolutions.map(async (r) => {
      try {
        const family = r.family === 'ipv4' ? 4 : r.family === 'ipv6' ? 6 : 0;
        const res = await lookup(r.hostname, { family });
        r.resolved(res.address, res.family === 6 ? 'ipv6' : 'ipv4');
      } catch {
        r.failed();
      }
    }),
  );
}

/** Freezes the model and everything it holds (iteratively: models hold tens of thousands of objects). */
function deepFreeze<T>(value: T): T {
  const stack: object[] = [];
  if (value && typeof value === 'object') stack.push(value);
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (Object.isFrozen(o)) continue;
    Object.freeze(o);
    for (const k in o) {
      const v = (o as Record<string, unknown>)[k];
      if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) stack.push(v);
    }
  }
  return value;
}
