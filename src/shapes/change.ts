/**
 * What the writing commands add to the outcome JSON (`--format json`), and
 * the MCP write tools answer the same. Pure.
 */
import type { AssignPlan } from '../plan/assign.js';
import type { LifecyclePlan } from '../lifecycle/transition.js';
import type { Repo } from '../model/types.js';
import { trackProgress } from '../core/tracks.js';
import { progressJson } from '../core/progress.js';

export function assignExtra(plan: AssignPlan) {
  return {
    workOrders: plan.moves.map((m) => ({ id: m.wo.id ?? null, path: m.wo.path, from: m.from, to: m.to })),
    unchanged: plan.unchanged.map((w) => w.id ?? w.path),
  };
}

export function lifecycleExtra(plan: LifecyclePlan, repo: Repo) {
  return {
    steps: plan.steps.map((s) => ({ track: s.slug, verb: s.verb, ...s.entry })),
    checkpoint: plan.checkpoint ?? null,
    progressNow: plan.steps.map((s) => ({ track: s.slug, progress: progressJson(trackProgress(repo, s.slug)) })),
  };
}
