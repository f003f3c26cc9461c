/**
 * Logging keywords of proxies (configuration.txt 4.2): log, log-format, log-format-sd,
 * error-log-format, log-tag, unique-id-format, unique-id-header. Format strings are compiled
 * once every section is read (checks/proxy.ts), as HAProxy does, since the mode they are
 * checked against may still change.
 */
import { LOG_ADDRESS, parseAddress } from '../../address.js';
import { parseLogOptions } from '../../log-target.js';
import type { KeywordContext } from '../../keywords.js';
import type { LogTargetModel } from '../../model/log.js';
import type { ProxyModel } from '../../model/proxy.js';
import { CAP_ALL, CAP_DEF, CAP_FE } from '../../types.js';
import { logTargetNotYet } from '../../../log/targets.js';
import { setLogFormat, warnIgnoredInBackend } from './options.js';
import { resolveAddress, type ProxyRow } from './support.js';

type Ctx = KeywordContext<ProxyModel>;

/** The log target: stdout, stderr, ring@<name>, or a socket address (UDP by default). */
/** The target of a log line; undefined when its host name does not resolve (reported). */
function parseLogTarget(ctx: Ctx, text: string): LogTargetModel['target'] | { error: string } {
  if (text === 'stdout' || text === 'stderr') return { special: text };
  if (text.startsWith('ring@')) return { ring: text.slice(5) };
  const r = parseAddress(text, LOG_ADDRESS);
  // Some of HAProxy's address messages end with a line feed, printed as an empty line.
  if ('error' in r) return { error: `${r.error}${r.newline ? '\n' : ''}` };
  const address = r.address;
  let failed = false;
  resolveAddress(ctx, address, () => {
    failed = true;
    ctx.alert(`log : invalid address: '${address.hostname}' in '${text}'\n`);
  });
  if (failed) return undefined;
  return address;
}

/**
 * `log <target> [len <n>] [format <f>] [sample <ranges>:<size>] <facility> [<level> [<minlevel>]]`,
 * `log global` and `no log` (configuration.txt 4.2 "log"). HAProxy checks the options in
 * this fixed order and the address last.
 */
function parseLog(ctx: Ctx, args: readonly string[]): void {
  const p = ctx.state;
  const fail = (msg: string): void => ctx.alert(`log : ${msg}`);
  if (ctx.modifier === 'no') {
    if (args[1] !== undefined) return fail("'no log' does not expect arguments");
    p.logs = [];
    return;
  }
  if (args[1] === 'global' && args.length === 2) {
    // Copies the global section's targets as they are at this point, except those the proxy
    // already has from an earlier "log global" (its own or its defaults'): HAProxy skips a
    // global target already referenced. The model keeps no reference, so an identical target
    // stands for it.
    const key = (t: LogTargetModel): string => JSON.stringify({ ...t, where: undefined });
    const have = new Set(p.logs.map(key));
    for (const t of ctx.load.global.logs) if (!have.has(key(t))) p.logs.push({ ...structuredClone(t), where: ctx.where });
    return;
  }
  if (args.length < 3) return fail('expects <address> and <facility> or global as arguments');
  const parsed = parseLogOptions(args);
  if ('error' in parsed) return fail(parsed.error);
  const t = parseLogTarget(ctx, args[1]!);
  if (t === undefined) return; // a name that does not resolve, already reported
  if ('error' in t) return fail(t.error);
  const target: LogTargetModel = { where: ctx.where, target: t, ...parsed.options };
  p.logs.push(target);
  const notYet = logTargetNotYet(target);
  if (notYet !== undefined) ctx.notYet(notYet);
}

const log: ProxyRow = {
  name: 'log',
  cap: CAP_ALL,
  negatable: true,
  status: 'partial',
  note: "ring@ and stream (tcp@) targets are not supported yet; unix sockets such as /dev/log need the prebuilt addon of node-unix-socket (an optional dependency npm ci installs on Linux x64)",
  summary: 'Where the proxy sends its logs: "global", a syslog target with facility and levels, or "no log".',
  parse: parseLog,
};

/** log-format, log-format-sd, error-log-format, unique-id-format: one word, escaped spaces. */
function oneFormatArg(ctx: Ctx, args: readonly string[]): string | undefined {
  if (!args[1]) {
    ctx.alert(`${args[0]} expects an argument.`);
    return undefined;
  }
  if (args[2] !== undefined) {
    ctx.alert(`${args[0]} expects only one argument, don't forget to escape spaces!`);
    return undefined;
  }
  return args[1];
}

const logFormat: ProxyRow = {
  name: 'log-format',
  cap: CAP_FE | CAP_DEF,
  capByParse: true,
  status: 'partial',
  note: 'sample expressions (%[...]) run when their fetches and converters do (docs/acl.md); the others are refused',
  summary: 'Custom format of the log lines (variables of configuration.txt 8.2.4).',
  parse(ctx, args) {
    const text = oneFormatArg(ctx, args);
    if (text === undefined) return;
    setLogFormat(ctx, 'custom', text);
    warnIgnoredInBackend(ctx, 'log-format');
  },
};

const logFormatSd: ProxyRow = {
  name: 'log-format-sd',
  cap: CAP_FE | CAP_DEF,
  capByParse: true,
  status: 'notyet',
  summary: 'Structured-data part of RFC 5424 log lines.',
  parse(ctx, args) {
    const text = oneFormatArg(ctx, args);
    if (text === undefined) return;
    ctx.state.logFormatSd = { where: ctx.where, text };
    warnIgnoredInBackend(ctx, 'log-format-sd');
  },
};

const errorLogFormat: ProxyRow = {
  name: 'error-log-format',
  cap: CAP_FE | CAP_DEF,
  capByParse: true,
  status: 'notyet',
  summary: 'Format of the log lines of connection errors (failed handshakes, ...).',
  parse(ctx, args) {
    const text = oneFormatArg(ctx, args);
    if (text === undefined) return;
    const p = ctx.state;
    if (p.errorLogFormat && p.kind === 'defaults') {
      ctx.warning("'error-log-format' overrides previous 'error-log-format' in 'defaults' section.", 'tight');
    }
    p.errorLogFormat = { where: ctx.where, text };
    warnIgnoredInBackend(ctx, 'error-log-format');
  },
};

const logTag: ProxyRow = {
  name: 'log-tag',
  cap: CAP_ALL,
  status: 'supported',
  summary: 'Syslog tag of the proxy\'s log lines (instead of the global one).',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert("'log-tag' expects a tag for use in syslog.");
      return;
    }
    ctx.state.logTag = args[1];
  },
};

const uniqueIdFormat: ProxyRow = {
  name: 'unique-id-format',
  cap: CAP_FE | CAP_DEF,
  capByParse: true, // HAProxy accepts (and compiles) it in backends too
  status: 'notyet',
  summary: 'Format of the unique request identifier (a log-format string).',
  parse(ctx, args) {
    const text = oneFormatArg(ctx, args);
    if (text === undefined) return;
    ctx.state.uniqueIdFormat = { where: ctx.where, text };
  },
};

const uniqueIdHeader: ProxyRow = {
  name: 'unique-id-header',
  cap: CAP_FE | CAP_DEF,
  capByParse: true,
  status: 'notyet',
  summary: 'Request header that carries the unique identifier to the server.',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert('unique-id-header expects an argument.');
      return;
    }
    ctx.state.uniqueIdHeader = args[1];
  },
};

export const rows: ProxyRow[] = [log, logFormat, logFormatSd, errorLogFormat, logTag, uniqueIdFormat, uniqueIdHeader];
