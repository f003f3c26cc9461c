/**
 * "Did you mean ...?" with HAProxy's measure of likeness (tools.c update_word_fingerprint,
 * cfg_find_best_match): a word's fingerprint counts the transitions between consecutive
 * character classes — each letter (case-insensitive), any digit, and "other", which is also
 * the class of the word's start and end — plus one mark for each class present. The distance
 * of two words is the sum of the differences of their fingerprints. The closest candidate (the
 * first one on ties) is suggested when the distance is at most `factor` (2 for keywords) times
 * the length of each word.
 */

const DIGIT = 27;
/** Any other character, and the start and end of a word. */
const OTHER = 28;

function charClass(code: number): number {
  if (code >= 97 && code <= 122) return code - 96; // a-z: 1..26
  if (code >= 65 && code <= 90) return code - 64; // A-Z, as lower case
  if (code >= 48 && code <= 57) return DIGIT;
  return OTHER;
}

function fingerprint(word: string): Map<number, number> {
  const fp = new Map<number, number>();
  let from = OTHER;
  for (let i = 0; i < word.length; i++) {
    const to = charClass(word.charCodeAt(i));
    fp.set(to, 1); // presence mark (row 0 of HAProxy's 32x32 table)
    const k = from * 32 + to;
    fp.set(k, (fp.get(k) ?? 0) + 1);
    from = to;
  }
  const k = from * 32 + OTHER;
  fp.set(k, (fp.get(k) ?? 0) + 1);
  return fp;
}

function distance(a: Map<number, number>, b: Map<number, number>): number {
  let d = 0;
  for (const [k, v] of a) d += Math.abs(v - (b.get(k) ?? 0));
  for (const [k, v] of b) if (!a.has(k)) d += v;
  return d;
}

/** The distance HAProxy measures between two words. */
export function wordDistance(a: string, b: string): number {
  return distance(fingerprint(a), fingerprint(b));
}

/** The candidate closest to `word`, or undefined when none is close enough to suggest. */
export function bestMatch(word: string, candidates: Iterable<string>, factor = 2): string | undefined {
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
  if (best === undefined || bestDist > factor * word.length || bestDist > factor * best.length) return undefined;
  return best;
}

/** "; did you mean 'x' maybe ?" or '' (HAProxy's wording). */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const m = bestMatch(word, candidates);
  return m ? `; did you mean '${m}' maybe ?` : '';
}
