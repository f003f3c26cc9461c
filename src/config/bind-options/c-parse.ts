/**
 * Numbers and times read the way HAProxy's C code reads them for bind and server options:
 * atoi()/atol() (leading blanks, optional sign, digits, anything after ignored, saturating
 * strtol then truncated to an int) and parse_time_err() (digits, one unit, 64-bit wrap while
 * reading digits). Reproducing these quirks is what makes "weight 5x" valid and
 * "weight 99999999999999999999" an error about -1, as in HAProxy.
 */

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/** C isspace(). */
function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/**
 * strtol(text, &end, 10): the value (saturated to a 64-bit long) and the index where reading
 * stopped (0 when no digit was read, as C sets end = text).
 */
export function strtol(text: string): { value: bigint; end: number } {
  let i = 0;
  while (isCSpace(text[i])) i++;
  let neg = false;
  if (text[i] === '+' || text[i] === '-') {
    neg = text[i] === '-';
    i++;
  }
  const start = i;
  while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
  if (i === start) return { value: 0n, end: 0 };
  let v = BigInt(text.slice(start, i));
  if (neg) v = -v;
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < LONG_MIN) v = LONG_MIN;
  return { value: v, end: i };
}

/** (int)atol(text) / atoi(text): strtol truncated to a signed 32-bit int. */
export function atoi(text: string | undefined): number {
  return Number(BigInt.asIntN(32, strtol(text ?? '').value));
}

/** (unsigned int)atol(text). */
export function atou(text: string | undefined): number {
  return Number(BigInt.asUintN(32, strtol(text ?? '').value));
}

/** C isdigit() on the first character. */
export function startsWithDigit(text: string | undefined): boolean {
  const c = text?.[0];
  return c !== undefined && c >= '0' && c <= '9';
}

export type TimeResult =
  | { readonly value: number; readonly trailing?: string }
  | { readonly error: 'overflow' }
  | { readonly error: 'underflow' }
  /** The character where reading stopped ('' when the text ended: C prints a NUL). */
  | { readonly error: 'char'; readonly char: string };

const UNIT_MS: Record<string, bigint> = { s: 1000n, m: 60_000n, h: 3_600_000n, d: 86_400_000n };

/**
 * parse_time_err(text, &ret, TIME_UNIT_MS or TIME_UNIT_S) (configuration.txt 2.5): digits, then
 * an optional unit (us, ms, s, m, h, d). Sub-unit values round up. Characters after a valid
 * unit are accepted with a warning (`trailing` is set). Values above 2^31-1 ms are an overflow.
 */
export function parseTimeErr(text: string, unit: 'ms' | 's' = 'ms'): TimeResult {
  if (!startsWithDigit(text)) return { error: 'char', char: text[0] ?? '' };
  let i = 0;
  let value = 0n;
  while (i < text.length && text[i]! >= '0' && text[i]! <= '9') {
    value = BigInt.asUintN(64, value * 10n + BigInt(text.charCodeAt(i) - 48));
    i++;
  }
  // Value in microseconds-free arithmetic: numerator / denominator, in milliseconds.
  let num = value;
  let den = 1n;
  const c = text[i];
  if (c !== undefined) {
    if (c === 'u') {
      if (text[i + 1] !== 's') return { error: 'char', char: 'u' };
      den = 1000n;
      i += 2;
    } else if (c === 'm' && text[i + 1] === 's') {
      i += 2;
    } else if (UNIT_MS[c] !== undefined) {
      num = value * UNIT_MS[c]!;
      i += 1;
    } else {
      return { error: 'char', char: c };
    }
  }
  if (unit === 's') den *= 1000n;
  const result = (num + den - 1n) / den;
  const max = unit === 's' ? 2147483n : 2147483647n;
  if (result > max) return { error: 'overflow' };
  if (value !== 0n && result === 0n) return { error: 'underflow' };
  return i < text.length ? { value: Number(result), trailing: text } : { value: Number(result) };
}

/** HAProxy's warning for characters after a valid time unit (accepted for now). */
export function trailingTimeWarning(r: TimeResult): string | undefined {
  if (!('value' in r) || r.trailing === undefined) return undefined;
  const text = r.trailing;
  const m = /^[0-9]*(us|ms|s|m|h|d)?/.exec(text)!;
  const bad = text[m[0].length] ?? '';
  return (
    `unexpected character '${bad}' after the timer value '${text}', only ` +
    '(us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. ' +
    'This will be reported as an error in next versions.'
  );
}
