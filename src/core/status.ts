/**
 * The facts every command shares, defined once: when a track is retired,
 * when a work order is done. Pure.
 */
import type { Config, Track, WorkOrder } from '../model/types.js';
import { RETIRED_STATUSES } from '../model/types.js';

/** Cancelled or archived: out of the tech tree's lanes and the top-level limit, closed to new work. */
export function isRetired(t: Pick<Track, 'status'>): boolean {
  return RETIRED_STATUSES.includes(t.status as never);
}

/** A work order whose status is one of the config's done statuses. */
export function isDone(w: Pick<WorkOrder, 'status'>, config: Pick<Config, 'doneStatuses'>): boolean {
  return w.status !== undefined && config.doneStatuses.includes(w.status);
}
