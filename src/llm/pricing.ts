/**
 * USD per million tokens. Sources: STACK.md §1.2 (models overview table,
 * 2026-11) for the 5.x models; Anthropic's published prices for the 4.x ones.
 * Cache writes (5-minute) cost 1.25× input and cache reads 0.1× input, the
 * API's standard multipliers. Haiku 5.5 is listed "from $0.10/$0.50": its
 * lowest tier, so estimates for it may be low.
 */
export interface Price {
  input: number;
  output: number;
}

const TABLE: Record<string, Price> = {
  'claude-opus-5-5': { input: 4, output: 20 },
  'claude-sonnet-5-5': { input: 2, output: 10 },
  'claude-haiku-5-5': { input: 0.1, output: 0.5 },
  'claude-fable-5-1': { input: 10, output: 50 },
  'claude-opus-4-6': { input: 5, output: 25 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-sonnet-4-6': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
};

/** For a model missing from the table: the dearest known price, so a --max-cost check errs on the safe side. */
const FALLBACK: Price = { input: 10, output: 50 };

export function priceOf(model: string): { price: Price; known: boolean } {
  const base = model.replace(/-\d{8}$/, '');
  const p = TABLE[base];
  return p ? { price: p, known: true } : { price: FALLBACK, known: false };
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/** `inputTokens` excludes cached tokens, as the API reports them. */
export function costUsd(model: string, t: TokenCounts): number {
  const { price } = priceOf(model);
  const usd =
    (t.inputTokens * price.input + (t.cacheWriteTokens ?? 0) * price.input * 1.25 + (t.cacheReadTokens ?? 0) * price.input * 0.1 + t.outputTokens * price.output) /
    1e6;
  return Math.round(usd * 1e6) / 1e6;
}
