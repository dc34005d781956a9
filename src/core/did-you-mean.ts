/** "Did you mean …?" for a word typed by a person. Pure. */

/** The known word closest to `word`, when it is close enough to be a typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = word.toLowerCase();
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  if (best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3))) return best;
  // A shortened word ("single_active" for "single_active_track"): the one known word it starts.
  const starts = lower.length >= 4 ? known.filter((k) => k.toLowerCase().startsWith(lower)) : [];
  return starts.length === 1 ? starts[0] : undefined;
}

export function didYouMean(word: string, known: readonly string[]): string | undefined {
  const c = closest(word, known);
  return c === undefined ? undefined : `Did you mean "${c}"?`;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
