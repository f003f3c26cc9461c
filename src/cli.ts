/**
 * Portier's entry point: HAProxy's command line (management.txt 3) with its exit codes.
 *
 *   portier -v | -vv                 version (exit 0)
 *   portier -cc <condition>          evaluate a .if condition: exit 0 true, 1 false, 2 error
 *   portier -c -f cfg                check: 0 valid, 2 valid but nothing would listen, 1 invalid
 *   portier [-d|-db|-D] -f cfg ...   run
 */
import { hostname } from 'node:os';
import { parseCommandLine, usageText, type CliOptions } from './cli-args.js';
import { evaluateCondition } from './config/condition.js';
import { tokenizeLine } from './config/lexer.js';
import type { LoadResult } from './config/loader.js';
import type { LoadOptions } from './config/load-state.js';
import type { ConfigModel } from './config/model/index.js';
import { errnoText, listConfigFiles } from './config/reader.js';
import { Console } from './log/console.js';
import { featureLine, HAPROXY_COMPAT_VERSION, PORTIER_DATE, PORTIER_VERSION, sslLibrary } from './version.js';

const MIN_NODE_MAJOR = 24;

function versionBanner(): string {
  return (
    `HAProxy version ${HAPROXY_COMPAT_VERSION} (Portier ${PORTIER_VERSION}) ${PORTIER_DATE} - Portier, a HAProxy-compatible load balancer for Node.js\n` +
    `Status: Portier ${PORTIER_VERSION}, compatible with the configuration language of HAProxy ${HAPROXY_COMPAT_VERSION}.\n` +
    `Running on: Node.js ${process.version} ${process.platform} ${process.arch}\n`
  );
}

function versionDetails(): string {
  return (
    versionBanner() +
    `\nFeature list : ${featureLine()}\n` +
    `\nBuilt with OpenSSL version : OpenSSL ${sslLibrary.version}\n` +
    `Running on OpenSSL version : OpenSSL ${sslLibrary.version}\n` +
    `OpenSSL library supports TLS extensions : yes\n` +
    `OpenSSL library supports SNI : yes\n` +
    `Built with the Node.js ${process.version} runtime (event loop: libuv ${process.versions.uv}).\n`
  );
}

export async function main(argv: readonly string[]): Promise<number> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    process.stderr.write(
      `portier: Node.js ${MIN_NODE_MAJOR} or newer is required (this is ${process.version}); run bin/portier, which uses the Node.js pinned by npm ci.\n`,
    );
    return 1;
  }
  const console = new Console();
  const parsed = parseCommandLine(argv);
  if ('usage' in parsed) {
    // A bad -sf/-st list is only an alert; anything else shows the usage, as HAProxy does.
    if (parsed.error) console.message('alert', parsed.error);
    if (!parsed.error || parsed.withUsage) process.stderr.write(versionBanner() + usageText('portier'));
    return 1;
  }
  const o = parsed.options;
  console.quiet = o.quiet;
  console.verbose = o.verbose;
  console.diagnostics = o.diagnostics;

  if (o.version) {
    process.stdout.write(o.version === 'vv' ? versionDetails() : versionBanner());
    return 0;
  }
  if (o.condition !== undefined) return checkCondition(o.condition, console);
  if (o.chdir) {
    try {
      process.chdir(o.chdir);
    } catch (e) {
      console.message('alert', `Could not change to directory ${o.chdir} : ${errnoText(e)}`);
      return 1;
    }
  }
  if (o.dumpKeywords !== undefined) {
    const { dumpKeywords } = await import('./config/dump-keywords.js');
    process.stdout.write(dumpKeywords(o.dumpKeywords));
    if (o.configPaths.length === 0) return 0;
  }
  for (const [flag, set] of [
    [o.masterWorker ?? '-W', o.masterWorker],
    ['-S', o.masterCli],
    ['-x', o.socketTransfer],
  ] as const) {
    if (set !== undefined && !o.checkOnly) {
      console.message('alert', `option '${flag}' is not supported yet (master-worker mode and listener handover come with hitless reloads).`);
      return 1;
    }
  }

  const listed = listConfigFiles(o.configPaths);
  if ('error' in listed) {
    if (listed.usage) {
      process.stderr.write(versionBanner() + usageText('portier'));
    } else {
      console.message('alert', `config : ${listed.error}`);
    }
    return 1;
  }

  const loadOptions: LoadOptions = {
    checkOnly: o.checkOnly,
    diagnostics: o.diagnostics,
    localPeer: o.localPeer ?? hostname(),
    localPeerFromCli: o.localPeer !== undefined,
    masterWorker: o.masterWorker !== undefined,
    ignoreResolveFailures: o.ignoreResolveFailures,
    noServerVerify: o.noServerVerify,
    maxconn: o.maxconn,
    defaultProxyMaxconn: o.defaultProxyMaxconn,
  };
  // The keyword tables are large: load them only when a configuration is read (-v and -cc,
  // which scripts and test drivers call often, stay quick).
  const { ConfigEnvironment } = await import('./config/environment.js');
  const { loadConfig } = await import('./config/loader.js');
  const env = new ConfigEnvironment();
  const result = await loadConfig({ files: listed.files, options: loadOptions, env, diag: undefined, onDiagnostic: console.diagnostic });
  if (result.model.global.quiet) console.quiet = true;

  if (!result.ok) {
    // After an aborted reading HAProxy has already said "Error(s) found in ... file".
    if (!result.aborted) console.config('alert', 'Fatal errors found in configuration.');
    return 1;
  }
  const warnings = result.diag.count('warning');
  if (warnings > 0 && (o.zeroWarning || result.model.global.zeroWarning)) {
    console.config('alert', "Some warnings were found and 'zero-warning' is set. Aborting.");
    return 1;
  }
  if (o.checkOnly) return reportCheck(result, warnings, console, o.masterWorker !== undefined);
  const { startProcess } = await import('./master/start.js');
  return startProcess(result.model, o, result, console);
}

function reportCheck(result: LoadResult, warnings: number, console: Console, masterWorker: boolean): number {
  const say = (line: string): void => {
    if (!console.quiet || console.verbose) process.stdout.write(line + '\n');
  };
  if (warnings > 0) say('Warnings were found.');
  if (!hasListener(result.model, masterWorker)) {
    say('Configuration file has no error but will not start (no listener) => exit(2).');
    return 2;
  }
  say('Configuration file is valid');
  return 0;
}

/**
 * Something would accept connections, as HAProxy counts it for "-c": a bind line of any proxy
 * (HAProxy counts those of backends too, which it warns it ignores), a stats socket, a
 * log-forward bind, the local peer of a peers section, or master-worker mode (its master CLI).
 */
export function hasListener(model: ConfigModel, masterWorkerFlag = false): boolean {
  if (model.global.statsSockets.length > 0 || model.global.masterWorker || masterWorkerFlag) return true;
  if (model.logForwards.some((l) => l.binds.length > 0 || l.dgramBinds.length > 0)) return true;
  if (model.peers.some((s) => !s.disabled && s.peers.some((p) => p.local))) return true;
  return model.proxies.some((p) => !p.disabled && p.binds.length > 0);
}

/** -cc: the condition is cut into words like a configuration line, then joined by spaces. */
function checkCondition(text: string, console: Console): number {
  const lexed = tokenizeLine(text, { get: (n) => process.env[n], pseudo: () => undefined });
  if (lexed.error) {
    console.message('alert', `config : Syntax Error in condition: ${lexed.error.message.replace(/^unmatched quote$/, 'Unmatched quote')}.`);
    return 2;
  }
  // HAProxy's argument cutting leaves an empty first (last) word when the text starts (ends)
  // with blanks: the condition it evaluates keeps one blank there, visible in its messages.
  const text2 = (/^[ \t]/.test(text) ? ' ' : '') + lexed.words.join(' ') + (/[ \t]$/.test(text) ? ' ' : '');
  const r = evaluateCondition(text2, (n) => process.env[n]);
  if ('error' in r) {
    console.message('alert', `config : Failed to evaluate condition: ${r.error.message}`);
    return 2;
  }
  return r.value ? 0 : 1;
}

export type { CliOptions };
