/**
 * Request size and cost before calling anything (`--dry-run`, `--max-cost`).
 * No network, no SDK: it runs the same context builder the provider uses.
 */
import { buildContext, planEstimate, type BuildOptions } from '../llm-request/build.js';
import { SAFETY } from '../llm-request/tokens.js';
import type { Repo } from '../model/types.js';
import type { Mode } from '../organize/types.js';
import { costUsd, priceOf } from './pricing.js';

export interface RequestEstimate {
  requests: number;
  /** Estimated tokens (heuristic, see src/context/tokens.ts). */
  inputTokens: number;
  outputTokens: number;
  /** Cost of those tokens plus a safety margin, at full input price (no cache discount). */
  costUsd: number;
  strategy: 'single' | 'two-phase';
  /** Work orders the model would be asked to place. */
  workOrders: number;
  /** False when the model is missing from the price table (the dearest known price was used). */
  priceKnown: boolean;
}

export function estimateRequest(repo: Repo, mode: Mode, model: string, opts: Partial<BuildOptions> = {}): RequestEstimate {
  const ctx = buildContext(repo, mode, { maxOutputTokens: repo.config.llm.maxTokens, ...opts });
  if (!ctx.targets.length) return { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, strategy: 'single', workOrders: 0, priceKnown: priceOf(model).known };
  const e = planEstimate(ctx);
  return {
    ...e,
    costUsd: costUsd(model, { inputTokens: Math.ceil(e.inputTokens * SAFETY), outputTokens: Math.ceil(e.outputTokens * SAFETY) }),
    strategy: ctx.strategy,
    workOrders: ctx.targets.length,
    priceKnown: priceOf(model).known,
  };
}
