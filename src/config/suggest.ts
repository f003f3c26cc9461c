/**
 * "Did you mean ...?" for unknown keywords, with HAProxy's measure of likeness
 * (cfg_find_best_match): a word's fingerprint counts the transitions between consecutive
 * character classes (each letter, digit, other, plus begin and end markers); the distance of two
 * words is the sum of the differences of their counts. The closest candidate is suggested when
 * the distance is at most twice the length of both words.
 */

const BEGIN = 28;
const END = 29;
const CLASSES = 32;

function charClass(code: number): number {
  if (code >= 97 && code <= 122) return code - 97; // a-z
  if (code >= 65 && code <= 90) return code - 65; // A-Z, as lower case
  if (code >= 48 && code <= 57) return 26; // digit
  return 27; // anything else
}

function fingerprint(word: string): Uint8Array {
  const fp = new Uint8Array(CLASSES * CLASSES);
  let prev = BEGIN;
  for (let i = 0; i < word.length; i++) {
    const c = charClass(word.charCodeAt(i));
    fp[prev * CLASSES + c]!++;
    prev = c;
  }
  fp[prev * CLASSES + END]!++;
  return fp;
}

function distance(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i]! - b[i]!);
  return d;
}

/** The candidate closest to `word`, or undefined when none is close enough to suggest. */
export function bestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const fp = fingerprint(word);
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = distance(fp, fingerprint(c));
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  if (best === undefined || bestDist > 2 * word.length || bestDist > 2 * best.length) return undefined;
  return best;
}

/** "; did you mean 'x' maybe ?" or '' (HAProxy's wording). */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const m = bestMatch(word, candidates);
  return m ? `; did you mean '${m}' maybe ?` : '';
}
