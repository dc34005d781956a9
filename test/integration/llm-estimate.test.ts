/** Request size and cost on the real corpora, without any network (what --dry-run shows). */
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../src/llm-request/build.js';
import { baselineLine, workOrderLines } from '../../src/llm-request/format.js';
import { estimateTokens } from '../../src/llm-request/tokens.js';
import { loadRepo } from '../../src/repo/load.js';
import { estimateRequest } from '../../src/llm/estimate.js';
import { costUsd, priceOf } from '../../src/llm/pricing.js';
import { CORPORA } from '../helpers/repo.js';
import { join } from 'node:path';

describe.each(['pcc-head', 'pcc-2026-01-15'])('%s', (name) => {
  it('carries the goal at fewer tokens per work order than the one-line baseline', async () => {
    const repo = await loadRepo(join(CORPORA, name));
    const ctx = buildContext(repo, 'initial', { maxOutputTokens: 16_000 });
    const n = ctx.targets.length;
    const baseline = estimateTokens(ctx.targets.map(baselineLine).join('\n')) / n;
    const compact = estimateTokens(workOrderLines(ctx.targets, ctx.codec, ctx.line, ctx.lineOf).join('\n')) / n;
    expect(baseline).toBeGreaterThan(43);
    expect(compact).toBeLessThan(baseline);
    const withGoal = ctx.targets.filter((w) => typeof w.data.goal === 'string' && w.data.goal.trim());
    expect(withGoal.every((w) => (ctx.lineOf(w).split('|')[2] ?? '').split(' ').length >= 6)).toBe(true);
  });

  it('fits one request and prices it with the model', async () => {
    const repo = await loadRepo(join(CORPORA, name));
    const e = estimateRequest(repo, 'initial', 'claude-sonnet-5-5');
    expect(e).toMatchObject({ requests: 1, strategy: 'single', priceKnown: true });
    expect(e.workOrders).toBeGreaterThan(100);
    expect(e.costUsd).toBeGreaterThan(0);
    expect(e.costUsd).toBeLessThan(0.5);
    const haiku = estimateRequest(repo, 'initial', 'claude-haiku-5-5');
    expect(haiku.costUsd).toBeCloseTo(e.costUsd / 20, 4);
  });
});

describe('pricing', () => {
  it('prices cache writes at 1.25× and reads at 0.1× input, and errs high for unknown models', () => {
    expect(costUsd('claude-opus-5-5', { inputTokens: 1e6, outputTokens: 1e6, cacheWriteTokens: 1e6, cacheReadTokens: 1e6 })).toBe(4 + 20 + 5 + 0.4);
    expect(priceOf('claude-haiku-4-5-20251001')).toEqual({ price: { input: 1, output: 5 }, known: true });
    expect(priceOf('claude-future-9')).toEqual({ price: { input: 10, output: 50 }, known: false });
  });
});
