/**
 * USD per million tokens. Anthropic: STACK.md §1.2 (models overview table,
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

/** What one provider charges for one model, with its cache multipliers (of the input price). */
export interface Rates {
  price: Price;
  known: boolean;
  cacheWrite: number;
  cacheRead: number;
}

export function anthropicRates(model: string): Rates {
  return { ...priceOf(model), cacheWrite: 1.25, cacheRead: 0.1 };
}

/**
 * OpenAI's standard (short-context) prices, June 2026, as reported by several
 * price trackers quoting openai.com/api/pricing (morphllm.com, tokenmix.ai).
 * Cached input is billed at 0.1× input for these models; writes cost nothing
 * extra and are not reported.
 */
const OPENAI_TABLE: Record<string, Price> = {
  'gpt-5.5': { input: 5, output: 30 },
  'gpt-5.4': { input: 2.5, output: 15 },
  'gpt-5.4-mini': { input: 0.75, output: 4.5 },
  'gpt-5.4-nano': { input: 0.2, output: 1.25 },
};
/** For an OpenAI model missing from the table: the dearest listed price (the "pro" models), so --max-cost errs safe. */
const OPENAI_FALLBACK: Price = { input: 30, output: 180 };

export function openaiRates(model: string): Rates {
  const p = OPENAI_TABLE[model.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
  return { price: p ?? OPENAI_FALLBACK, known: Boolean(p), cacheWrite: 1, cacheRead: 0.1 };
}

/** `inputTokens` excludes cached tokens, as the API reports them. */
export function costWith(r: Rates, t: TokenCounts): number {
  const { price } = r;
  const usd =
    (t.inputTokens * price.input +
      (t.cacheWriteTokens ?? 0) * price.input * r.cacheWrite +
      (t.cacheReadTokens ?? 0) * price.input * r.cacheRead +
      t.outputTokens * price.output) /
    1e6;
  return Math.round(usd * 1e6) / 1e6;
}

/** Anthropic's cost for `model`. */
export function costUsd(model: string, t: TokenCounts): number {
  return costWith(anthropicRates(model), t);
}
