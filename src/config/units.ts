/**
 * Numbers, times and sizes as HAProxy reads them (configuration.txt 2.5 "Time format"; sizes
 * with k/m/g suffixes). Each parser returns a value or says which character is wrong, so each
 * keyword can word its error as HAProxy does.
 */

export type Parsed<T> = { value: T } | { error: 'empty' | 'overflow' | 'underflow' | 'char'; char?: string };

/** Time units, in milliseconds (or microseconds when the caller asks for them). */
const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Largest timer HAProxy accepts: 2^31 - 1 ms (~24.8 days). */
export const TIMER_MAX_MS = 2147483647;

/**
 * Parses "<digits>[unit]" into milliseconds (the default unit is `defaultUnit`, 'ms' unless a
 * keyword says otherwise, e.g. 's' for `stats refresh`). Sub-millisecond non-zero values are an
 * underflow (HAProxy's minimum non-null timer is 1 ms).
 */
export function parseTime(text: string, defaultUnit: keyof typeof TIME_UNITS = 'ms'): Parsed<number> {
  if (text === '') return { error: 'empty' };
  const m = /^([0-9]*)(.*)$/s.exec(text)!;
  const digits = m[1]!;
  const rest = m[2]!;
  if (digits === '') return { error: 'char', char: text[0] };
  let unit = defaultUnit as string;
  if (rest !== '') {
    const u = /^(us|ms|s|m|h|d)/.exec(rest);
    if (!u) return { error: 'char', char: rest[0] };
    unit = u[1]!;
    if (rest.length > unit.length) return { error: 'char', char: rest[unit.length] };
  }
  const n = Number(digits);
  const ms = n * TIME_UNITS[unit]!;
  if (ms > TIMER_MAX_MS) return { error: 'overflow' };
  if (n > 0 && ms < 1) return { error: 'underflow' };
  return { value: Math.floor(ms) };
}

/** The usual HAProxy message for a bad time argument, or undefined when the value is fine. */
export function timeError(r: Parsed<number>, arg: string, kw: string): string | undefined {
  if ('value' in r) return undefined;
  switch (r.error) {
    case 'overflow':
      return `timer overflow in argument '${arg}' to '${kw}' (maximum value is 2147483647 ms or ~24.8 days)`;
    case 'underflow':
      return `timer underflow in argument '${arg}' to '${kw}' (minimum non-null value is 1 ms)`;
    case 'empty':
      return `'${kw}' expects an integer value (in milliseconds)`;
    default:
      return `unexpected character '${r.char}' in '${kw}'`;
  }
}

const SIZE_UNITS: Record<string, number> = { k: 1024, m: 1024 * 1024, g: 1024 * 1024 * 1024 };

/** "<digits>[k|m|g]" (case-insensitive units) into bytes, limited to 32 bits unsigned. */
export function parseSize(text: string): Parsed<number> {
  if (text === '') return { error: 'empty' };
  const m = /^([0-9]*)(.*)$/s.exec(text)!;
  if (m[1] === '') return { error: 'char', char: text[0] };
  let mult = 1;
  const rest = m[2]!;
  if (rest !== '') {
    const u = SIZE_UNITS[rest[0]!.toLowerCase()];
    if (u === undefined) return { error: 'char', char: rest[0] };
    if (rest.length > 1) return { error: 'char', char: rest[1] };
    mult = u;
  }
  const v = Number(m[1]) * mult;
  if (v > 0xffffffff) return { error: 'overflow' };
  return { value: v };
}

/**
 * atoi()-like reading used by many HAProxy keywords: leading digits (with an optional sign),
 * anything after them ignored. Returns NaN when there are no digits at all.
 */
export function atoi(text: string): number {
  const m = /^[ \t]*([-+]?[0-9]+)/.exec(text);
  if (!m) return 0;
  const v = Number(m[1]);
  // C's atoi wraps to 32 bits; keep the sign and clamp like strtol then truncate.
  return Math.trunc(v) | 0;
}

/** A strict decimal integer (only digits, optional sign), or undefined. */
export function strictInt(text: string): number | undefined {
  return /^[-+]?[0-9]+$/.test(text) ? Number(text) : undefined;
}

/** A strict unsigned decimal integer, or undefined. */
export function strictUint(text: string): number | undefined {
  return /^[0-9]+$/.test(text) ? Number(text) : undefined;
}
