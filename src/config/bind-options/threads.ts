/**
 * Thread and process sets of `thread` and `process` (configuration.txt 5.1): "all", "odd",
 * "even", a number or a range "low-high", optionally after "<group>/" for threads.
 * HAProxy 2.6 runs one process, and at most 64 threads.
 */
import { availableParallelism } from 'node:os';
import type { LoadState } from '../load-state.js';

export const MAX_THREADS = 64;

/** The lowest and highest numbers of a set ("all" means 1 to `max`). */
export type NumberSet = { readonly lowest: number; readonly highest: number } | { readonly error: string };

/**
 * parse_process_number(): digits with at most one '-' (an open end means `max`; a reversed
 * range is swapped), numbers from 1 to `max`. Returns the highest number, or HAProxy's message.
 */
export function parseNumberSet(text: string, max: number): NumberSet {
  if (text === 'all' || text === 'odd') return { lowest: 1, highest: max };
  if (text === 'even') return { lowest: 2, highest: max };
  const dash = text.indexOf('-');
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!(c >= '0' && c <= '9') && !(c === '-' && i === dash)) return { error: `'${text}' is not a valid number/range.` };
  }
  const num = (s: string): number => (/^[0-9]+/.exec(s) ? Number(/^[0-9]+/.exec(s)![0]) : 0);
  let low = num(text);
  let high = dash < 0 ? low : dash === text.length - 1 ? max : num(text.slice(dash + 1));
  if (high < low) [low, high] = [high, low];
  if (low < 1 || low > max || high > max) return { error: `'${text}' is not a valid number/range. It supports numbers from 1 to ${max}.` };
  return { lowest: low, highest: high };
}

/** Threads HAProxy starts without `nbthread`: one per CPU, at most 64. */
export function threadCount(load: LoadState): number {
  return load.global.nbthread ?? Math.min(MAX_THREADS, availableParallelism());
}

/** `thread-groups` (default 1). */
export function threadGroups(load: LoadState): number {
  const g = (load.global as unknown as Record<string, unknown>)['threadGroups'];
  if (typeof g === 'number') return g;
  const raw = load.global.settings['thread-groups']?.[0];
  return raw && /^[0-9]+$/.test(raw) ? Number(raw) : 1;
}
