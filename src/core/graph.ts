/** The work-order dependency graph (depends_on), as used by next, report and context. Pure. */
import { isDone } from './tracks.js';
import type { Config, Repo, WorkOrder } from '../model/types.js';
import { dependencyResolver, type Resolve } from './deps.js';

export interface DepGraph {
  byId: Map<string, WorkOrder>;
  /** id → ids of work orders that depend on it (references resolved). */
  dependents: Map<string, string[]>;
  config: Config;
  /** The work order a dependency reference means (core/deps). */
  resolve: Resolve;
}

export function depGraph(repo: Pick<Repo, 'workOrders' | 'config'>): DepGraph {
  const resolve = dependencyResolver(repo.workOrders, repo.config);
  const byId = new Map<string, WorkOrder>();
  for (const w of repo.workOrders) if (w.id && !byId.has(w.id)) byId.set(w.id, resolve(w.id) ?? w);
  const dependents = new Map<string, string[]>();
  for (const w of byId.values()) {
    for (const d of depIds(resolve, w)) {
      const list = dependents.get(d);
      if (list) list.push(w.id!);
      else dependents.set(d, [w.id!]);
    }
  }
  return { byId, dependents, config: repo.config, resolve };
}

/** The ids `w` depends on, resolved, each once (unresolved references as written). */
function depIds(resolve: Resolve, w: WorkOrder): string[] {
  const out = new Set<string>();
  for (const d of w.dependsOn) out.add(resolve(d)?.id ?? d);
  return [...out];
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
  const seen = new Set<WorkOrder>();
  for (const d of new Set(w.dependsOn)) {
    const dep = g.resolve(d);
    if (!dep || seen.has(dep)) continue;
    seen.add(dep);
    if (dep !== w && !isDone(dep, g.config)) out.push({ id: dep.id!, wo: dep });
  }
  return out;
}

export function missingDeps(g: DepGraph, w: WorkOrder): string[] {
  return [...new Set(w.dependsOn)].filter((d) => !g.resolve(d));
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
