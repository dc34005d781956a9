/**
 * Token estimates without a tokenizer (none ships with the SDK, and the API's
 * count_tokens endpoint needs the network). Pure.
 *
 * The heuristic mimics a byte-pair tokenizer's pre-tokenization: text splits
 * into words (with their leading space), runs of up to three digits, runs of
 * punctuation and whitespace. A short word is one token, a long one costs one
 * per ~5 letters, punctuation about one per character pair, every non-ASCII
 * character one. Counting pieces rather than characters matters here: the
 * compact format trades id/punctuation noise (many tokens per character) for
 * prose (few), which a flat chars/3.5 rule would misjudge.
 *
 * Calibration: the only reference figure available offline is the project
 * brief's "one-line summary ≈ 45 tokens per work order" on the two corpora;
 * the heuristic gives 45.0 and 45.1 there with no scaling (bench/tokens.bench.mjs).
 * Newer Claude tokenizers count the same text as more tokens (STACK.md §1.4),
 * so cost estimates add SAFETY on top. It is an estimate: the API's usage
 * figures are the truth and are what `organize` reports after a call.
 */

const PIECE = /'(?:[sdmt]|ll|ve|re)| ?[A-Za-z]+| ?\d{1,3}| ?[!-/:-@[-`{-~]+|\s*\n|\s+|[^\x00-\x7f]/g;

/** Margin applied when an estimate gates spending (--max-cost, dry-run cost). */
export const SAFETY = 1.15;

export function estimateTokens(text: string): number {
  let n = 0;
  PIECE.lastIndex = 0;
  for (let m = PIECE.exec(text); m; m = PIECE.exec(text)) {
    const p = m[0];
    const last = p.charCodeAt(p.length - 1);
    const len = p.charCodeAt(0) === 32 && p.length > 1 ? p.length - 1 : p.length;
    if ((last >= 65 && last <= 90) || (last >= 97 && last <= 122)) n += len <= 7 ? 1 : Math.ceil(len / 5);
    else if ((last >= 48 && last <= 57) || last > 127 || last === 32 || (last >= 9 && last <= 13)) n += 1;
    else n += Math.ceil(len / 2);
  }
  return n;
}

/** The flat rule, kept for comparison in the benchmark. */
export function estimateTokensFlat(text: string): number {
  return Math.ceil(text.length / 3.5);
}
