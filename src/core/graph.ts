/** The work-order dependency graph (depends_on), as used by next, report and context. Pure. */
import { isDone } from './tracks.js';
import type { Config, Repo, WorkOrder } from '../model/types.js';

export interface DepGraph {
  byId: Map<string, WorkOrder>;
  /** id → ids of work orders that name it in depends_on. */
  dependents: Map<string, string[]>;
  config: Config;
}

export function depGraph(repo: Pick<Repo, 'workOrders' | 'config'>): DepGraph {
  const byId = new Map<string, WorkOrder>();
  for (const w of repo.workOrders) if (w.id && !byId.has(w.id)) byId.set(w.id, w);
  const dependents = new Map<string, string[]>();
  for (const w of byId.values()) {
    for (const d of new Set(w.dependsOn)) {
      const list = dependents.get(d);
      if (list) list.push(w.id!);
      else dependents.set(d, [w.id!]);
    }
  }
  return { byId, dependents, config: repo.config };
}

export interface Waiting {
  id: string;
  /** Undefined when the id is not a work order in this repository. */
  wo: WorkOrder | undefined;
}

/**
 * Dependencies of `w` that are not done. A dependency that is not in the
 * repository at all is not counted as blocking: real backlogs delete finished
 * work orders, and `tracks check` already warns about the dangling id.
 */
export function openDeps(g: DepGraph, w: WorkOrder): Waiting[] {
  const out: Waiting[] = [];
  for (const d of new Set(w.dependsOn)) {
    const dep = g.byId.get(d);
    if (dep && dep !== w && !isDone(dep, g.config)) out.push({ id: d, wo: dep });
  }
  return out;
}

export function missingDeps(g: DepGraph, w: WorkOrder): string[] {
  return [...new Set(w.dependsOn)].filter((d) => !g.byId.has(d));
}

/** Not-done work orders that wait on `id`, directly or through others (cycle-safe), sorted. */
export function unblocks(g: DepGraph, id: string): string[] {
  const seen = new Set<string>([id]);
  const queue = [id];
  const out: string[] = [];
  while (queue.length) {
    const cur = queue.pop()!;
    for (const d of g.dependents.get(cur) ?? []) {
      if (seen.has(d)) continue;
      seen.add(d);
      const w = g.byId.get(d)!;
      if (isDone(w, g.config)) continue;
      out.push(d);
      queue.push(d);
    }
  }
  return out.sort(byId);
}

/** WO-9 before WO-10. */
export const byId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
