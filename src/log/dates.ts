/**
 * The dates HAProxy writes in log lines and syslog headers, byte for byte (configuration.txt
 * 8.2.4 for %t/%T/%Tl/%ms, 3.1 "log ... format" for the headers). Local time follows the
 * process time zone (TZ), as HAProxy's localtime() does.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const pad3 = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + n;
const pad4 = (n: number): string => String(n).padStart(4, '0');

/** Offset of local time from GMT at `d`, as "+hhmm" / "-hhmm" (HAProxy's get_gmt_offset). */
export function gmtOffset(d: Date): string {
  let diff = -d.getTimezoneOffset();
  const sign = diff < 0 ? '-' : '+';
  diff = Math.abs(diff) % 1440;
  return sign + pad2(Math.floor(diff / 60)) + pad2(diff % 60);
}

/** %t: "25/Nov/2026:21:28:41.199", local time with milliseconds. */
export function logDate(d: Date): string {
  return `${pad2(d.getDate())}/${MONTHS[d.getMonth()]}/${pad4(d.getFullYear())}:${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${pad3(d.getMilliseconds())}`;
}

/** %T: "25/Nov/2026:21:28:41 +0000", GMT. */
export function logDateGmt(d: Date): string {
  return `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${pad4(d.getUTCFullYear())}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
}

/** %Tl: "25/Nov/2026:22:28:41 +0100", local time with its offset. */
export function logDateLocal(d: Date): string {
  return `${pad2(d.getDate())}/${MONTHS[d.getMonth()]}/${pad4(d.getFullYear())}:${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${gmtOffset(d)}`;
}

/** %ms: milliseconds of the date on three digits. */
export function logMillis(d: Date): string {
  return pad3(d.getMilliseconds());
}

/** The RFC 3164 timestamp with its trailing space: "Nov  5 21:28:41 " (day padded with a space). */
export function legacyTimestamp(d: Date): string {
  const day = d.getDate();
  return `${MONTHS[d.getMonth()]} ${day < 10 ? ' ' : ''}${day} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} `;
}

/**
 * The ISO 8601 timestamp of rfc5424/timed/iso headers, with microseconds and the local
 * offset, and its trailing space: "2026-11-25T21:28:41.211921+00:00 ".
 * `micros` is the time in microseconds since the epoch.
 */
export function isoTimestamp(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const d = new Date(ms);
  const us = Math.floor(micros) % 1_000_000;
  const off = gmtOffset(d);
  return (
    `${pad4(d.getFullYear())}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}` +
    `.${String(us).padStart(6, '0')}${off.slice(0, 3)}:${off.slice(3)} `
  );
}
