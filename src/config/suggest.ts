/**
 * "Did you mean ...?" for unknown keywords (HAProxy's cfg_find_best_match idea: compare the
 * words' character-pair fingerprints, keep the closest candidate if it is close enough).
 */

/** Character pairs of a word, with start and end markers, counted. */
function fingerprint(word: string): Map<string, number> {
  const fp = new Map<string, number>();
  const w = `\u0001${word.toLowerCase()}\u0002`;
  for (let i = 0; i + 1 < w.length; i++) {
    const pair = w.slice(i, i + 2);
    fp.set(pair, (fp.get(pair) ?? 0) + 1);
  }
  return fp;
}

function distance(a: Map<string, number>, b: Map<string, number>): number {
  let d = 0;
  for (const [k, v] of a) d += Math.abs(v - (b.get(k) ?? 0));
  for (const [k, v] of b) if (!a.has(k)) d += v;
  return d;
}

/** The candidate closest to `word`, or undefined when none is close enough to suggest. */
export function bestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const fp = fingerprint(word);
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = distance(fp, fingerprint(c));
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  // Each differing character changes at most 4 pairs; allow about half of the shorter word.
  const limit = Math.max(2, Math.min(word.length, best.length) + 1);
  return bestDist <= limit ? best : undefined;
}

/** "; did you mean 'x' maybe ?" or '' (HAProxy's wording). */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const m = bestMatch(word, candidates);
  return m ? `; did you mean '${m}' maybe ?` : '';
}
