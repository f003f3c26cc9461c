/**
 * Numbers, times and sizes as HAProxy reads them (configuration.txt 2.5 "Time format"; sizes
 * with k/m/g suffixes). Each parser returns a value or says which character is wrong, so each
 * keyword can word its error as HAProxy does.
 */

export type Parsed<T> =
  | { value: T; trailing?: string }
  | { error: 'empty' | 'overflow' | 'underflow' | 'char'; char?: string };

/** Time units, in microseconds. */
const UNIT_IN_US: Record<string, bigint> = { us: 1n, ms: 1000n, s: 1_000_000n, m: 60_000_000n, h: 3_600_000_000n, d: 86_400_000_000n };

/** Largest timer HAProxy accepts: 2^31 - 1 ms (~24.8 days). */
export const TIMER_MAX_MS = 2147483647;

/**
 * A time as HAProxy reads it (configuration.txt 2.5; parse_time_err): digits, then an optional
 * unit (us, ms, s, m, h, d); a number without unit is in `unit`. The result is in `unit`,
 * rounded up ("1us" is 1 ms). Characters after a valid unit are accepted (`trailing`: HAProxy
 * 2.6 only warns, see timeTrailingWarning). Values from 2^31 units up overflow.
 */
export function parseTime(text: string, unit: 'ms' | 's' = 'ms'): Parsed<number> {
  if (text === '') return { error: 'empty' };
  const m = /^[0-9]+/.exec(text);
  if (!m) return { error: 'char', char: text[0] };
  const digits = m[0];
  let rest = text.slice(digits.length);
  const value = BigInt(digits) % (1n << 64n);
  let result: bigint;
  let trailing: string | undefined;
  if (rest === '') {
    result = value;
  } else {
    const u = /^(us|ms|s|m|h|d)/.exec(rest);
    if (!u || (rest[0] === 'u' && rest[1] !== 's')) return { error: 'char', char: rest[0] };
    const inUs = UNIT_IN_US[u[1]!]!;
    const outUs = UNIT_IN_US[unit]!;
    result = (value * inUs + outUs - 1n) / outUs;
    rest = rest.slice(u[1]!.length);
    if (rest !== '') trailing = rest[0];
  }
  if (result >= 0x80000000n) return { error: 'overflow' };
  if (result === 0n && value !== 0n) return { error: 'underflow' };
  return trailing !== undefined ? { value: Number(result), trailing } : { value: Number(result) };
}

/** HAProxy 2.6's warning (without location) for characters after a timer's unit. */
export function timeTrailingWarning(text: string, char: string): string {
  return `unexpected character '${char}' after the timer value '${text}', only (us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. This will be reported as an error in next versions.`;
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
