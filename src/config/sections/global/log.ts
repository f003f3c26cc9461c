/**
 * Global logging keywords (configuration.txt 3.1): `log`, `log-tag`, `log-send-hostname`, and
 * the reading of a log target, shared with the sections that take `log` lines (log-forward,
 * peers, ring users):
 *
 *   log <address> [len <length>] [format <format>] [sample <ranges>:<size>]
 *       <facility> [<max level> [<min level>]]
 *
 * The optional words come in this order only; the address is read last, as HAProxy does, so
 * that the same error is reported first.
 */
import { LOG_ADDRESS } from '../../address.js';
import { parseLogOptions } from '../../log-target.js';
import type { KeywordContext } from '../../keywords.js';
import type { LogTargetModel } from '../../model/log.js';
import { logTargetNotYet } from '../../../log/targets.js';
import { addressError, parseAddressChecked, resolveLater } from './addresses.js';
import { effectiveArgs, stringRow, type Row } from './helpers.js';

export type LogParse = { target: LogTargetModel } | { error: string };

/**
 * Reads `args` = ["log", <address>, ...] into a log target. Returns HAProxy's message (without
 * the "log : " prefix) on error. Hostnames are resolved after the last line; a failure is then
 * reported on the statement with `prefix`.
 */
export function parseLogTarget(ctx: KeywordContext<unknown>, args: readonly string[], prefix = 'log : '): LogParse {
  if (!args[1] || !args[2]) return { error: 'expects <address> and <facility>  as arguments' };
  const parsed = parseLogOptions(args);
  if ('error' in parsed) return parsed;

  const addrText = args[1];
  let target: LogTargetModel['target'];
  if (addrText === 'stdout' || addrText === 'stderr') target = { special: addrText };
  else if (addrText.startsWith('ring@')) target = { ring: addrText.slice(5) };
  else {
    if (/^quic[46]@/.test(addrText)) {
      const family = addrText.startsWith('quic4') ? 2 : 10;
      return {
        error: `unsupported stream protocol for datagram family ${family} address '${addrText}'; QUIC is not compiled in if this is what you were looking for.`,
      };
    }
    const r = parseAddressChecked(addrText, LOG_ADDRESS);
    if ('error' in r) return { error: addressError(r.error) };
    if (r.address.family === 'sockpair') return { error: `cannot use file descriptor '${r.address.fd}' : Socket operation on non-socket.\n` };
    target = r.address;
    resolveLater(ctx, r.address, `${prefix}invalid address: '${r.address.hostname}' in '${addrText}'\n`);
  }
  return {
    target: { where: ctx.where, target, ...parsed.options },
  };
}

/**
 * `log global | <target> ...` in a section with its own list of targets (peers, log-forward):
 * "log global" refers to the global section's targets.
 */
export function readSectionLog(ctx: KeywordContext<{ logs: LogTargetModel[] }>, args: readonly string[]): void {
  if (args[1] === 'global') {
    ctx.state.logs.push({ where: ctx.where, global: true });
    return;
  }
  if (!args[1] || !args[2]) {
    ctx.alert('log : expects <address> and <facility> or global as arguments');
    return;
  }
  const r = parseLogTarget(ctx, args);
  if ('error' in r) {
    ctx.alert(`log : ${r.error}`);
    return;
  }
  ctx.state.logs.push(r.target);
}

/** `log` in the global section; `no log` forgets the targets given so far. */
const log: Row = {
  name: 'log',
  status: 'partial',
  note: "ring@ and stream (tcp@) targets are not supported yet; unix sockets such as /dev/log need the prebuilt addon of node-unix-socket (an optional dependency npm ci installs on Linux x64)",
  negatable: true,
  summary: 'A syslog target for global messages and proxies using "log global".',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (ctx.modifier === 'no') {
      if (args[1]) {
        ctx.alert("log : 'no log' does not expect arguments");
        return;
      }
      ctx.state.logs.length = 0;
      return;
    }
    if (args[1] === 'global') {
      ctx.alert("log : 'global' is not supported for a global syslog server");
      return;
    }
    const r = parseLogTarget(ctx, args);
    if ('error' in r) {
      ctx.alert(`log : ${r.error}`);
      return;
    }
    ctx.state.logs.push(r.target);
    const notYet = logTargetNotYet(r.target);
    if (notYet !== undefined) ctx.notYet(notYet);
  },
};

const logTag: Row = stringRow({
  name: 'log-tag',
  status: 'supported',
  summary: 'Tag (program name) in the syslog header (default: the program name).',
  missing: "'log-tag' expects a tag for use in syslog.",
  get: () => undefined,
  set: (ctx, v) => void (ctx.state.logTag = v),
});

/** `log-send-hostname [<name>]`: extra words are ignored. */
const logSendHostname: Row = {
  name: 'log-send-hostname',
  status: 'supported',
  summary: 'Put a host name in the syslog header (this one, or the system host name).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (ctx.state.logSendHostname !== undefined) {
      ctx.alertContinuing("'log-send-hostname' already specified. Continuing.");
      return;
    }
    ctx.state.logSendHostname = args[1] ? args[1] : true;
  },
};

export const logRows: Row[] = [log, logTag, logSendHostname];
