/**
 * The header HAProxy puts before each log message, per target format (configuration.txt 3.1,
 * "log ... format <format>"), measured against haproxy 2.6.12 (facility local0 = 16, level
 * info = 6):
 *
 *   (none)    <134>Nov 25 21:28:41 haproxy[19347]: msg        "local", or "rfc3164" when a
 *                                                             log-send-hostname is set
 *   local     <134>Nov 25 21:28:41 haproxy[19347]: msg
 *   rfc3164   <134>Nov 25 21:28:41 localhost haproxy[19347]: msg   ("localhost" without a
 *                                                             log-send-hostname)
 *   rfc5424   <134>1 2026-11-25T21:28:41.211921+00:00 - haproxy 19347 - - msg
 *   priority  <134>msg
 *   short     <6>msg                                          (level only)
 *   timed     <6>2026-11-25T21:28:41.211983+00:00 msg
 *   iso       2026-11-25T21:28:41.211987+00:00 msg
 *   raw       msg
 */
import { isoTimestamp, legacyTimestamp } from './dates.js';

export type SyslogFormat = 'local' | 'rfc3164' | 'rfc5424' | 'priority' | 'short' | 'timed' | 'iso' | 'raw';

/** What the header may carry besides the date. */
export interface SyslogMeta {
  /** log-tag (or the program name). */
  readonly tag: string;
  readonly pid: string;
  /** log-send-hostname, when set. */
  readonly host?: string;
  /** RFC 5424 structured data (log-format-sd), without trailing spaces; '-' when empty. */
  readonly structuredData?: string;
}

/** The format actually used when a target names none (HAProxy's LOG_FORMAT_UNSPEC). */
export function effectiveFormat(format: SyslogFormat | undefined, meta: SyslogMeta): SyslogFormat {
  if (format !== undefined) return format;
  if (meta.host) return 'rfc3164';
  if (meta.tag) return 'local';
  return 'raw';
}

/**
 * The header for one message. `facility` and `level` are numbers (RFC 5424 6.2.1);
 * `nowMicros` is the current time in microseconds since the epoch.
 */
export function syslogHeader(format: SyslogFormat, facility: number, level: number, meta: SyslogMeta, nowMicros: number): string {
  let h = '';
  switch (format) {
    case 'local':
    case 'rfc3164':
    case 'rfc5424':
    case 'priority':
      h = `<${facility * 8 + level}>`;
      break;
    case 'short':
    case 'timed':
      h = `<${level}>`;
      break;
    default:
      break;
  }
  switch (format) {
    case 'local':
    case 'rfc3164':
      h += legacyTimestamp(new Date(Math.floor(nowMicros / 1000)));
      if (format === 'rfc3164') h += meta.host ? `${meta.host} ` : 'localhost ';
      if (meta.tag) h += meta.pid ? `${meta.tag}[${meta.pid}]: ` : `${meta.tag}: `;
      break;
    case 'rfc5424':
      h += '1 ' + isoTimestamp(nowMicros);
      h += `${meta.host || '-'} ${meta.tag || '-'} ${meta.pid || '-'} - ${meta.structuredData || '-'} `;
      break;
    case 'timed':
    case 'iso':
      h += isoTimestamp(nowMicros);
      break;
    default:
      break;
  }
  return h;
}

/** The current time in microseconds since the epoch. */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}
