/**
 * The options of a `log` line, shared by every section that takes one (global, proxies, peers,
 * log-forward, fcgi-app's log-stderr) — configuration.txt 3.1 and 4.2 "log":
 *
 *   log <target> [len <length>] [format <format>] [sample <ranges>:<size>]
 *       <facility> [<max level> [<min level>]]
 *
 * HAProxy reads the optional words in this fixed order and the target last, so the same error
 * comes first. The target itself (address, stdout/stderr, ring@) is read by the caller, which
 * decides when host names are resolved.
 */
import type { LogTargetModel } from './model/log.js';

/** Syslog facilities, in their numeric order (RFC 5424 6.2.1). */
export const LOG_FACILITIES: readonly string[] = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'auth2', 'ftp', 'ntp', 'audit', 'alert', 'cron2',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

/** Syslog levels, most severe first. */
export const LOG_LEVELS: readonly string[] = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

export const LOG_FORMATS: readonly string[] = ['local', 'rfc3164', 'rfc5424', 'priority', 'short', 'timed', 'iso', 'raw'];

export type LogOptions = Pick<LogTargetModel, 'length' | 'format' | 'sample' | 'facility' | 'level' | 'minLevel'>;

/**
 * Reads the words after the target (`args` = ["log", <target>, ...]). Returns HAProxy's message
 * (without the "log : " prefix) when one is wrong.
 */
export function parseLogOptions(args: readonly string[]): { options: LogOptions } | { error: string } {
  let i = 2;
  const o: { -readonly [K in keyof LogOptions]: LogOptions[K] } = {};
  if (args[i] === 'len') {
    // atoi(): leading digits count, anything after them is ignored.
    const v = /^[0-9]*/.exec(args[i + 1] ?? '')![0];
    const n = Number(v);
    if (v === '' || n < 80 || n > 65535) return { error: `invalid log length '${args[i + 1] ?? ''}', must be between 80 and 65535` };
    o.length = n;
    i += 2;
  }
  if (args[i] === 'format') {
    const f = args[i + 1] ?? '';
    if (!LOG_FORMATS.includes(f)) return { error: `unknown log format '${f}'` };
    o.format = f as LogTargetModel['format'];
    i += 2;
  }
  if (args[i] === 'sample') {
    const s = parseLogSample(args[i + 1] ?? '');
    if ('error' in s) return s;
    o.sample = s;
    i += 2;
  }
  const facility = args[i] ?? '';
  if (!LOG_FACILITIES.includes(facility)) return { error: `unknown log facility '${facility}'` };
  o.facility = facility;
  i++;
  if (args[i]) {
    if (!LOG_LEVELS.includes(args[i]!)) return { error: `unknown optional log level '${args[i]}'` };
    o.level = args[i];
    i++;
    if (args[i]) {
      if (!LOG_LEVELS.includes(args[i]!)) return { error: `unknown optional minimum log level '${args[i]}'` };
      o.minLevel = args[i];
      i++;
    }
  }
  if (args[i]) return { error: `cannot handle unexpected argument '${args[i]}'` };
  return { options: o };
}

/**
 * "<ranges>:<size>" of `log ... sample`: ranges are "n" or "n-m" (from 1), comma-separated,
 * not overlapping, and the size (a 32-bit unsigned number: it wraps) covers them all. A wrong
 * range is named with the rest of the list from it, as HAProxy does.
 */
export function parseLogSample(text: string): { ranges: string; size: number } | { error: string } {
  const colon = text.indexOf(':');
  if (colon < 0) return { error: 'Missing sample size' };
  const ranges = text.slice(0, colon);
  const sizeText = text.slice(colon + 1);
  if (ranges === '') return { error: 'no sampling ranges given' };
  const items: [number, number][] = [];
  let pos = 0;
  while (pos < ranges.length) {
    const start = pos;
    const low = /^[0-9]*/.exec(ranges.slice(pos))![0];
    pos += low.length;
    let high = low;
    if (ranges[pos] === '-') {
      high = /^[0-9]*/.exec(ranges.slice(pos + 1))![0];
      pos += 1 + high.length;
    }
    const lo = Number(low);
    const hi = Number(high);
    if (low === '' || high === '' || lo < 1 || hi < lo || (pos < ranges.length && ranges[pos] !== ',')) {
      return { error: `wrong sample range '${ranges.slice(start)}'` };
    }
    items.push([lo, hi]);
    if (ranges[pos] === ',') pos++;
  }
  items.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < items.length; i++) if (items[i]![0] <= items[i - 1]![1]) return { error: 'ranges are overlapping' };
  const size = /^[0-9]+$/.test(sizeText) ? Number(BigInt(sizeText) % 2n ** 32n) : 0;
  if (size === 0) return { error: `wrong sample size '${sizeText}' for sample range '${ranges}'` };
  const max = Math.max(...items.map((r) => r[1]));
  if (size < max) return { error: `sample size ${size} should be greater or equal to ${max} the maximum of the high ranges limits` };
  return { ranges, size };
}
