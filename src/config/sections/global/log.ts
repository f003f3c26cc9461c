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
import type { KeywordContext } from '../../keywords.js';
import type { LogTargetModel } from '../../model/log.js';
import { addressError, parseAddressChecked, resolveLater } from './addresses.js';
import { effectiveArgs, stringRow, type Row } from './helpers.js';

export const LOG_FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news',
  'uucp', 'cron', 'auth2', 'ftp', 'ntp', 'audit', 'alert', 'cron2',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;

export const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

const LOG_FORMATS = ['local', 'rfc3164', 'rfc5424', 'priority', 'short', 'timed', 'iso', 'raw'] as const;

export type LogParse = { target: LogTargetModel } | { error: string };

/**
 * Reads `args` = ["log", <address>, ...] into a log target. Returns HAProxy's message (without
 * the "log : " prefix) on error. Hostnames are resolved after the last line; a failure is then
 * reported on the statement with `prefix`.
 */
export function parseLogTarget(ctx: KeywordContext<unknown>, args: readonly string[], prefix = 'log : '): LogParse {
  if (!args[1] || !args[2]) return { error: 'expects <address> and <facility>  as arguments' };
  let i = 2;
  let length: number | undefined;
  let format: LogTargetModel['format'];
  let sample: LogTargetModel['sample'];
  if (args[i] === 'len') {
    const text = args[i + 1] ?? '';
    const v = /^[0-9]+$/.test(text) ? Number(text) : NaN;
    if (!(v >= 80 && v <= 65535)) return { error: `invalid log length '${text}', must be between 80 and 65535` };
    length = v;
    i += 2;
  }
  if (args[i] === 'format') {
    const text = args[i + 1] ?? '';
    if (!(LOG_FORMATS as readonly string[]).includes(text)) return { error: `unknown log format '${text}'` };
    format = text as LogTargetModel['format'];
    i += 2;
  }
  if (args[i] === 'sample') {
    const r = parseSample(args[i + 1] ?? '');
    if ('error' in r) return r;
    sample = r.sample;
    i += 2;
  }
  const facility = args[i] ?? '';
  if (!(LOG_FACILITIES as readonly string[]).includes(facility)) return { error: `unknown log facility '${facility}'` };
  i++;
  let level: string | undefined;
  let minLevel: string | undefined;
  if (args[i]) {
    if (!(LOG_LEVELS as readonly string[]).includes(args[i]!)) return { error: `unknown optional log level '${args[i]}'` };
    level = args[i];
    i++;
    if (args[i]) {
      if (!(LOG_LEVELS as readonly string[]).includes(args[i]!)) return { error: `unknown optional minimum log level '${args[i]}'` };
      minLevel = args[i];
      i++;
    }
  }
  if (args[i]) return { error: `cannot handle unexpected argument '${args[i]}'` };

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
    target: { where: ctx.where, target, length, format, sample, facility, level, minLevel },
  };
}

/**
 * `sample <ranges>:<size>`: "1-3,5:6" (ranges from 1, not overlapping, within the size). A
 * wrong range is named with the rest of the list from it, as HAProxy does; the size is read
 * as a 32-bit unsigned number (it wraps).
 */
function parseSample(text: string): { sample: NonNullable<LogTargetModel['sample']> } | { error: string } {
  const colon = text.indexOf(':');
  if (colon < 0) return { error: 'Missing sample size' };
  const rangesText = text.slice(0, colon);
  const sizeText = text.slice(colon + 1);
  if (rangesText === '') return { error: 'no sampling ranges given' };
  const ranges: [number, number][] = [];
  let maxHigh = 0;
  let pos = 0;
  while (pos < rangesText.length) {
    const start = pos;
    const end = rangesText.indexOf(',', pos);
    const part = end < 0 ? rangesText.slice(pos) : rangesText.slice(pos, end);
    pos = end < 0 ? rangesText.length : end + 1;
    const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(part);
    const low = m ? Number(m[1]) % 2 ** 32 : 0;
    const high = m ? (m[2] !== undefined ? Number(m[2]) % 2 ** 32 : low) : 0;
    if (!m || low === 0 || high < low) return { error: `wrong sample range '${rangesText.slice(start)}'` };
    for (const [a, b] of ranges) if (low <= b && high >= a) return { error: 'ranges are overlapping' };
    ranges.push([low, high]);
    maxHigh = Math.max(maxHigh, high);
  }
  const size = /^[0-9]+$/.test(sizeText) ? Number(BigInt(sizeText) % 2n ** 32n) : 0;
  if (size === 0) return { error: `wrong sample size '${sizeText}' for sample range '${rangesText}'` };
  if (size < maxHigh) return { error: `sample size ${size} should be greater or equal to ${maxHigh} the maximum of the high ranges limits` };
  return { sample: { ranges: rangesText, size } };
}

/** `log` in the global section; `no log` forgets the targets given so far. */
const log: Row = {
  name: 'log',
  status: 'notyet',
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
  },
};

const logTag: Row = stringRow({
  name: 'log-tag',
  status: 'notyet',
  summary: 'Tag (program name) in the syslog header (default: the program name).',
  missing: "'log-tag' expects a tag for use in syslog.",
  get: () => undefined,
  set: (ctx, v) => void (ctx.state.logTag = v),
});

/** `log-send-hostname [<name>]`: extra words are ignored. */
const logSendHostname: Row = {
  name: 'log-send-hostname',
  status: 'notyet',
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
