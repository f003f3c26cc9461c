/**
 * Log-format strings (configuration.txt 8.2.4): "%ci:%cp [%tr] %ft %b/%s ... %[expr]".
 * PLACEHOLDER CONTRACT (the logging work replaces the body, keeps the signature):
 * compiles `text` into a list of parts, checking variable names, flags (%{+Q}) and embedded
 * sample expressions for the place it is used, with HAProxy's errors.
 */
import type { KeywordContext } from '../config/keywords.js';
import type { SampleUse } from '../sample/types.js';

export interface LogFormatPart {
  readonly kind: 'text' | 'var' | 'expr';
  readonly value: string;
  readonly options?: readonly string[];
}

export type LogFormatParse = { parts: LogFormatPart[] } | { error: string };

export function parseLogFormat(_ctx: KeywordContext<unknown>, text: string, _use: SampleUse): LogFormatParse {
  return { parts: [{ kind: 'text', value: text }] };
}
