/** Which work orders and tracks an organize run is about. Pure. */
import type { Repo, WorkOrder } from '../model/types.js';
import type { Mode } from './types.js';

/** Work orders an organizer can see and the planner can edit: readable UTF-8 front matter with an id (first file per id). */
export function organizable(repo: Repo): WorkOrder[] {
  const seen = new Set<string>();
  const out: WorkOrder[] = [];
  for (const w of repo.workOrders) {
    if (!w.ok || !w.id || seen.has(w.id)) continue;
    // Bytes that are not UTF-8 would not survive an edit.
    if (w.problems.some((p) => p.code === 'file/encoding')) continue;
    seen.add(w.id);
    out.push(w);
  }
  return out;
}

export { isRetired } from '../core/status.js';

/**
 * A work order counts as assigned only when one of its tracks exists: a
 * dangling `track:` (a deleted track, another tool's value) needs a home too.
 */
export function isAssigned(w: WorkOrder, known: ReadonlySet<string>): boolean {
  return w.tracks.some((s) => known.has(s));
}

export function unassigned(repo: Repo): WorkOrder[] {
  const known = new Set(repo.tracks.map((t) => t.slug));
  return organizable(repo).filter((w) => !isAssigned(w, known));
}

/** The work orders a proposal must assign in this mode. */
export function inScope(repo: Repo, mode: Mode): WorkOrder[] {
  return mode === 'incremental' ? unassigned(repo) : organizable(repo);
}

export function defaultMode(repo: Repo): { mode: Mode; reason: string } {
  if (repo.tracks.length === 0) return { mode: 'initial', reason: 'no tracks yet' };
  const n = unassigned(repo).length;
  if (n > 0) return { mode: 'incremental', reason: `${n} work order${n === 1 ? '' : 's'} without a track` };
  return { mode: 'reorg', reason: 'every work order has a track' };
}
