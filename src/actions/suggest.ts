/**
 * "Did you mean" for unknown actions, with HAProxy's measure (tools.c, word fingerprints):
 * each word is reduced to the counts of its character transitions, where letters count
 * case-insensitively, every digit is the same class and every other character is the same
 * class as the start and end of the word, plus one mark per character class present. The
 * distance of two words is the sum of the differences. The closest candidate is kept when
 * its distance is at most twice the length of both words (three times for prefix actions
 * such as "set-var").
 */

import { wordDistance } from '../config/suggest.js';

export interface SuggestCandidate {
  readonly name: string;
  /** A prefix action gets more tolerance. */
  readonly prefix?: boolean;
}

/**
 * The candidate closest to `word` (the first one on ties, in the given order), or undefined
 * when none is close enough. `extra` words are compared after the candidates.
 */
export function suggestAction(word: string, candidates: readonly SuggestCandidate[], extra: readonly string[] = []): string | undefined {
  let best: SuggestCandidate | undefined;
  let bestDist = Infinity;
  for (const c of [...candidates, ...extra.map((name) => ({ name, extra: true }))]) {
    const d = wordDistance(word, c.name);
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  if (!best) return undefined;
  const factor = 2 + (best.prefix && !('extra' in best) ? 1 : 0);
  const wl = [...word].length;
  const bl = [...best.name].length;
  if (bestDist > factor * wl || bestDist > factor * bl) return undefined;
  return best.name;
}
