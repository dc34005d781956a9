/**
 * Request size and cost before calling anything (`--dry-run`, `--max-cost`).
 * No network, no SDK: it runs the same context builder the provider uses.
 */
import { buildContext, planEstimate, type BuildOptions } from '../llm-request/build.js';
import { SAFETY } from '../llm-request/tokens.js';
import type { Repo } from '../model/types.js';
import type { Mode } from '../organize/types.js';
import { anthropicRates, costWith, type Rates } from './pricing.js';

export interface RequestEstimate {
  requests: number;
  /** Estimated tokens (heuristic, see src/llm-request/tokens.ts). */
  inputTokens: number;
  outputTokens: number;
  /** Cost of those tokens plus a safety margin, at full input price (no cache discount); null when unknown. */
  costUsd: number | null;
  /** Why the cost is unknown ("cost unknown for a local model"). */
  costNote?: string;
  strategy: 'single' | 'two-phase';
  /** Work orders the model would be asked to place. */
  workOrders: number;
  /** False when the model is missing from the price table (the dearest known price was used). */
  priceKnown: boolean;
}

/** `rates`: the provider's prices for the model (Anthropic's by default), or why the cost is unknown. */
export function estimateRequest(repo: Repo, mode: Mode, model: string, opts: Partial<BuildOptions> = {}, rates: Rates | { unknown: string } = anthropicRates(model)): RequestEstimate {
  const ctx = buildContext(repo, mode, { maxOutputTokens: repo.config.llm.maxTokens, ...opts });
  const priced = (usd: () => number) => ('unknown' in rates ? { costUsd: null, costNote: rates.unknown, priceKnown: false } : { costUsd: usd(), priceKnown: rates.known });
  if (!ctx.targets.length) return { requests: 0, inputTokens: 0, outputTokens: 0, strategy: 'single', workOrders: 0, ...priced(() => 0) };
  const e = planEstimate(ctx);
  return {
    ...e,
    strategy: ctx.strategy,
    workOrders: ctx.targets.length,
    ...priced(() => costWith(rates as Rates, { inputTokens: Math.ceil(e.inputTokens * SAFETY), outputTokens: Math.ceil(e.outputTokens * SAFETY) })),
  };
}
