/** Which work orders and tracks an organize run is about. Pure. */
import type { Config, Repo, Track, WorkOrder } from '../model/types.js';
import type { TrackStatus } from '../model/types.js';
import { decisionOf } from '../lifecycle/experiment.js';
import type { Mode } from './types.js';
import { isAssigned, unassignedWorkOrders, usableWorkOrders } from '../core/counts.js';

/** Work orders an organizer can see and the planner can edit: the usable ones (core/counts), readable UTF-8 front matter with an id (first file per id). */
export function organizable(repo: Pick<Repo, 'workOrders'>): WorkOrder[] {
  return usableWorkOrders(repo.workOrders);
}

export { isRetired } from '../core/status.js';

/** Finished work: what these tracks hold is history, not a plan to reshape. */
export const FROZEN_STATUSES: readonly TrackStatus[] = ['completed', 'failed', 'cancelled', 'archived'];

/** Statuses of work under way: such a track may change, but organize never merges or retires it. */
export const IN_PROGRESS_STATUSES: readonly TrackStatus[] = ['active', 'paused'];

const decidedCache = new WeakMap<readonly Track[], Set<string>>();

function decidedExperiments(tracks: readonly Track[]): Set<string> {
  let s = decidedCache.get(tracks);
  if (!s) {
    s = new Set<string>();
    for (const t of tracks) {
      const d = decisionOf(t);
      if (d) s.add(d.experiment);
    }
    decidedCache.set(tracks, s);
  }
  return s;
}

/**
 * A frozen track is one organize never touches: finished (completed, failed,
 * cancelled, archived), or one of the tracks of a decided experiment (a
 * `decision:` recorded in it, or in any track of the same experiment). Its work
 * orders never move in or out; it is never renamed, changed, merged, retired or
 * given new sub-tracks.
 */
export function isFrozen(t: Track, repo: Pick<Repo, 'tracks'>): boolean {
  if (FROZEN_STATUSES.includes(t.status as never)) return true;
  if (decisionOf(t)) return true;
  return t.experiment !== undefined && decidedExperiments(repo.tracks).has(t.experiment);
}

/** Active or paused: organize may move its work orders and rename it, but never merges it away or retires it. */
export function isInProgress(t: Pick<Track, 'status'>): boolean {
  return IN_PROGRESS_STATUSES.includes(t.status as never);
}

/** Slugs of the frozen tracks. */
export function frozenSlugs(repo: Pick<Repo, 'tracks'>): Set<string> {
  return new Set(repo.tracks.filter((t) => isFrozen(t, repo)).map((t) => t.slug));
}

/** A work order in a frozen track stays where it is: organize never moves it, and does not ask for it. */
export function isPinned(w: WorkOrder, frozen: ReadonlySet<string>): boolean {
  return frozen.size > 0 && w.tracks.some((s) => frozen.has(s));
}

export { isAssigned };

export function unassigned(repo: Pick<Repo, 'workOrders' | 'tracks'>): WorkOrder[] {
  return unassignedWorkOrders(repo.workOrders, repo.tracks);
}

/** The work orders a proposal must assign in this mode (never those in frozen tracks). */
export function inScope(repo: Repo, mode: Mode): WorkOrder[] {
  if (mode === 'incremental') return unassigned(repo);
  const frozen = frozenSlugs(repo);
  return organizable(repo).filter((w) => !isPinned(w, frozen));
}

export function defaultMode(repo: Repo): { mode: Mode; reason: string } {
  if (repo.tracks.length === 0) return { mode: 'initial', reason: 'no tracks yet' };
  const n = unassigned(repo).length;
  if (n > 0) return { mode: 'incremental', reason: `${n} work order${n === 1 ? '' : 's'} without a track` };
  return { mode: 'reorg', reason: 'every work order has a track' };
}

/**
 * How many top-level tracks organize fills up to: `organize_top_level_target`,
 * by default one below the limit, so `tracks create` can still add a lane.
 */
export function topLevelTarget(config: Pick<Config, 'topLevelLimit' | 'organizeTopLevelTarget'>): number {
  return Math.max(1, Math.min(config.topLevelLimit, config.organizeTopLevelTarget ?? config.topLevelLimit - 1));
}
