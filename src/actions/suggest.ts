/**
 * "Did you mean" for unknown actions, with HAProxy's measure (tools.c, word fingerprints):
 * each word is reduced to the counts of its character transitions, where letters count
 * case-insensitively, every digit is the same class and every other character is the same
 * class as the start and end of the word, plus one mark per character class present. The
 * distance of two words is the sum of the differences. The closest candidate is kept when
 * its distance is at most twice the length of both words (three times for prefix actions
 * such as "set-var").
 */

/** Digits, then "other" which is also the start and end marker. */
const DIGIT = 27;
const OTHER = 28;

function charClass(c: string): number {
  const code = c.toLowerCase().charCodeAt(0);
  if (code >= 97 && code <= 122) return code - 96;
  if (code >= 48 && code <= 57) return DIGIT;
  return OTHER;
}

/** Transition counts keyed by from * 32 + to, and presence marks keyed by the class alone. */
function fingerprint(word: string): Map<number, number> {
  const fp = new Map<number, number>();
  let from = OTHER;
  for (const c of word) {
    const to = charClass(c);
    fp.set(to, 1);
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
  const fp = fingerprint(word);
  let best: SuggestCandidate | undefined;
  let bestDist = Infinity;
  for (const c of [...candidates, ...extra.map((name) => ({ name, extra: true }))]) {
    const d = distance(fp, fingerprint(c.name));
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
