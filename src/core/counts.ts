/**
 * Which work orders count as unreadable, assigned and unassigned: defined
 * once, here, and counted the same way by `status` (and the MCP overview),
 * `check`, `list --unassigned` and `report`. Pure.
 */
import type { WorkOrder } from '../model/types.js';

/**
 * A work order tracks can use — show, organize, edit: readable UTF-8 front
 * matter with an id, and the first file with that id (a later file with the
 * same id is what references to it do not mean).
 */
export function usableWorkOrders(workOrders: readonly WorkOrder[]): WorkOrder[] {
  const seen = new Set<string>();
  const out: WorkOrder[] = [];
  for (const w of workOrders) {
    if (!w.ok || !w.id || seen.has(w.id)) continue;
    // Bytes that are not UTF-8 would not survive an edit.
    if (w.problems.some((p) => p.code === 'file/encoding')) continue;
    seen.add(w.id);
    out.push(w);
  }
  return out;
}

/**
 * A work order counts as assigned only when one of its tracks exists: a
 * dangling `track:` (a deleted track, another tool's value) needs a home too.
 */
export function isAssigned(w: Pick<WorkOrder, 'tracks'>, known: ReadonlySet<string>): boolean {
  return w.tracks.some((s) => known.has(s));
}

/** Usable work orders in no existing track. */
export function unassignedWorkOrders(workOrders: readonly WorkOrder[], tracks: readonly { slug: string }[]): WorkOrder[] {
  const known = new Set(tracks.map((t) => t.slug));
  return usableWorkOrders(workOrders).filter((w) => !isAssigned(w, known));
}

export interface WorkOrderCounts {
  /** Work-order files read (files tracks does not read at all — links, FIFOs, too large — are not among them). */
  total: number;
  /** Not usable: front matter tracks cannot read, no id, bytes that are not UTF-8, or an id an earlier file has. */
  unreadable: number;
  /** Of the unreadable: readable, but an earlier work order has the same id. */
  duplicateIds: number;
  /** Usable and in an existing track. */
  assigned: number;
  /** Usable and in no existing track. */
  unassigned: number;
  /** Of the unassigned: naming a track that does not exist. */
  unknownTrack: number;
}

export function workOrderCounts(workOrders: readonly WorkOrder[], tracks: readonly { slug: string }[]): WorkOrderCounts {
  const known = new Set(tracks.map((t) => t.slug));
  const usable = usableWorkOrders(workOrders);
  const ids = new Set(usable.map((w) => w.id!));
  let assigned = 0;
  let unknownTrack = 0;
  for (const w of usable) {
    if (isAssigned(w, known)) assigned++;
    else if (w.tracks.length) unknownTrack++;
  }
  const unreadable = workOrders.length - usable.length;
  // Readable with an id that a usable work order has, but not that work order: a later file with the id.
  const usableSet = new Set(usable);
  const duplicateIds = workOrders.filter((w) => !usableSet.has(w) && w.ok && w.id && ids.has(w.id) && !w.problems.some((p) => p.code === 'file/encoding')).length;
  return { total: workOrders.length, unreadable, duplicateIds, assigned, unassigned: usable.length - assigned, unknownTrack };
}
