/**
 * Log targets (configuration.txt 3.1 and 4.2, "log"): the model's `log` lines made into
 * senders, and the sending of one message to a list of them with HAProxy's rules
 * (log.c, process_send_log / __do_send_log):
 *
 * - a message goes to a target only if its level is at most the target's <max level>;
 * - it is sent at the level max(level, <min level>) (a more severe message is lowered);
 * - `sample` keeps only the ranks in its ranges;
 * - the header is the target's format (syslog-header.ts); header + message are cut to
 *   `len` (default 1024), then an LF is added (datagrams: len + 1 bytes at most; file
 *   descriptors: len bytes LF included).
 */
import type { LogTargetModel } from '../config/model/log.js';
import type { Where } from '../config/types.js';
import { LOG_FACILITIES, LOG_LEVELS } from '../config/log-target.js';
import { LogSampler } from './sampler.js';
import { fdSink, udpSink, unixSink, type LogSink } from './sinks.js';
import { effectiveFormat, nowMicros, syslogHeader, type SyslogFormat, type SyslogMeta } from './syslog-header.js';
import { loadUnixDgram, UNIX_DGRAM_PACKAGE } from './unix-dgram.js';

/** HAProxy's MAX_SYSLOG_LEN: the default `len`. */
export const DEFAULT_LOG_LEN = 1024;
const SYSLOG_PORT = 514;

export type LogLevelName = 'emerg' | 'alert' | 'crit' | 'err' | 'warning' | 'notice' | 'info' | 'debug';

export function levelNumber(name: string): number {
  const n = LOG_LEVELS.indexOf(name);
  return n < 0 ? 6 : n;
}

/** A target ready to send. */
export interface LogTarget {
  readonly where: Where;
  readonly sink: LogSink;
  readonly facility: number;
  readonly maxLevel: number;
  readonly minLevel: number;
  readonly len: number;
  readonly format?: SyslogFormat;
  readonly sampler?: LogSampler;
}

/**
 * What Portier cannot send to yet, for the configuration check: the text that goes before
 * " is not supported yet", or undefined when the target runs.
 */
export function logTargetNotYet(t: LogTargetModel): string | undefined {
  const target = t.target;
  if (!target) return undefined;
  if ('ring' in target) return `log target 'ring@${target.ring}' (ring buffers)`;
  if ('special' in target) return undefined;
  if (target.socket === 'stream') return `log target '${target.raw}' (a stream socket, which HAProxy feeds through a ring buffer)`;
  if (target.family === 'abns') return `log target '${target.raw}' (abstract unix socket)`;
  if (target.family === 'unix' && !loadUnixDgram()) {
    return `log target '${target.raw}' (a unix datagram socket) without the optional package '${UNIX_DGRAM_PACKAGE}' (npm install ${UNIX_DGRAM_PACKAGE})`;
  }
  return undefined;
}

/** The sender of one target; undefined for the targets logTargetNotYet() refuses. */
function sinkOf(t: LogTargetModel): LogSink | undefined {
  const target = t.target;
  if (!target || 'ring' in target) return undefined;
  if ('special' in target) return fdSink(target.special === 'stdout' ? 1 : 2);
  if (target.socket === 'stream') return undefined;
  switch (target.family) {
    case 'ipv4':
    case 'ipv6': {
      const ip = target.ip ?? target.hostname;
      if (ip === undefined) return undefined;
      const family = target.ip?.includes(':') ? 'ipv6' : target.ip ? 'ipv4' : target.family;
      return udpSink(ip, target.port || SYSLOG_PORT, family);
    }
    case 'unix':
      return target.path !== undefined ? unixSink(target.path) : undefined;
    case 'fd':
      return target.fd !== undefined ? fdSink(target.fd) : undefined;
    default:
      return undefined;
  }
}

/** Opens the targets of a `log` list (the configuration refused the others already). */
export function openLogTargets(models: readonly LogTargetModel[]): LogTarget[] {
  const out: LogTarget[] = [];
  for (const m of models) {
    const sink = sinkOf(m);
    if (!sink) continue;
    const facility = LOG_FACILITIES.indexOf(m.facility ?? '');
    out.push({
      where: m.where,
      sink,
      facility: facility < 0 ? 16 : facility,
      maxLevel: m.level !== undefined ? levelNumber(m.level) : 7,
      minLevel: m.minLevel !== undefined ? levelNumber(m.minLevel) : 0,
      len: m.length ?? DEFAULT_LOG_LEN,
      format: m.format,
      sampler: m.sample ? new LogSampler(m.sample.ranges, m.sample.size) : undefined,
    });
  }
  return out;
}

/** HAProxy's global.max_syslog_len: the longest `len` of all targets, at least 1024. */
export function maxLineLength(targets: readonly LogTarget[]): number {
  let n = DEFAULT_LOG_LEN;
  for (const t of targets) if (t.len > n) n = t.len;
  return n;
}

/** Trailing LFs and NULs are not part of a message (HAProxy removes them). */
function trimMessage(m: string): string {
  let end = m.length;
  while (end > 0 && (m[end - 1] === '\n' || m[end - 1] === '\0')) end--;
  return end === m.length ? m : m.slice(0, end);
}

/** Sends one message (latin1 text) to each target that takes it; `now` in µs (tests). */
export function sendToTargets(targets: readonly LogTarget[], level: number, message: string, meta: SyslogMeta, now?: number): void {
  if (targets.length === 0) return;
  const msg = trimMessage(message);
  let logger = 0;
  for (const t of targets) {
    if (level > t.maxLevel) continue;
    if (t.sampler && !t.sampler.next()) continue;
    logger++;
    now ??= nowMicros();
    const header = syslogHeader(effectiveFormat(t.format, meta), t.facility, Math.max(level, t.minLevel), meta, now);
    // Datagrams hold `len` bytes then the LF; a descriptor's line holds `len` bytes, LF included.
    const room = t.sink.kind === 'dgram' ? t.len : t.len - 1;
    let line = header + msg;
    if (line.length > room) line = line.slice(0, room);
    t.sink.send(Buffer.from(line + '\n', 'latin1'), logger);
  }
}
