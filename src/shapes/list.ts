/**
 * `tracks list --format json` and the `work_orders_find` tool: which work
 * orders match a filter, and the one row shape both print. Pure.
 */
import { findTrack, withDescendants } from '../core/tracks.js';
import { trackTree, progressJson } from '../core/progress.js';
import type { Repo, WorkOrder } from '../model/types.js';
import { unassignedWorkOrders } from '../core/counts.js';
import { closest } from '../core/did-you-mean.js';

export interface WorkOrderFilter {
  /** A track slug or name; its sub-tracks are included. */
  track?: string;
  /** Work-order statuses (any of them). */
  status?: string[];
  unassigned?: boolean;
  /** Case-insensitive words that must all appear in the id, title, goal or tags. */
  text?: string;
}

/** Readable work orders matching the filter, in file order. Throws UNKNOWN_TRACK for an unknown track. */
export function findWorkOrders(repo: Repo, f: WorkOrderFilter): WorkOrder[] {
  let wos = repo.workOrders.filter((w) => w.ok);
  if (f.track) {
    const slugs = withDescendants(repo.tracks, findTrack(repo, f.track).slug);
    wos = wos.filter((w) => w.tracks.some((s) => slugs.has(s)));
  }
  const status = (f.status ?? []).map((s) => s.trim()).filter(Boolean);
  if (status.length) {
    const want = new Set(status);
    wos = wos.filter((w) => w.status !== undefined && want.has(w.status));
  }
  if (f.unassigned) {
    // The unassigned work orders status, check and report count (src/core/counts.ts): usable, in no existing track.
    const without = new Set(unassignedWorkOrders(repo.workOrders, repo.tracks));
    wos = wos.filter((w) => without.has(w));
  }
  const words = (f.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length) {
    wos = wos.filter((w) => {
      const goal = typeof w.data.goal === 'string' ? w.data.goal : '';
      const hay = [w.id ?? '', w.title ?? '', goal, ...w.tags, w.path].join('\n').toLowerCase();
      return words.every((x) => hay.includes(x));
    });
  }
  return wos;
}

/**
 * Statuses asked for that no work order has, with the one each most likely
 * means: `list --status`, `tree --status` and `work_orders_find` say it the
 * same way. Undefined when every status asked for is in use.
 */
export function unknownStatusNote(repo: Repo, asked: readonly string[]): string | undefined {
  const known = [...new Set(repo.workOrders.map((w) => w.status).filter((s): s is string => Boolean(s)))].sort();
  const present = new Set(known);
  const missing = [...new Set(asked.map((s) => s.trim()).filter((s) => s && !present.has(s)))];
  if (!missing.length) return undefined;
  const guesses = missing.map((s) => closest(s, known)).filter((s): s is string => s !== undefined && !asked.includes(s));
  const mean = guesses.length ? ` Did you mean ${[...new Set(guesses)].map((g) => `"${g}"`).join(' or ')}?` : '';
  return `No work orders with status ${missing.map((s) => `"${s}"`).join(', ')}.${mean}${known.length ? ` Statuses in this repository: ${known.join(', ')}.` : ''}`;
}

export interface WorkOrderRow {
  id: string | null;
  title: string | null;
  status: string | null;
  /** The track's slug (a list when the config allows several tracks per work order), or null. */
  track: string | string[] | null;
  priority: number | null;
  path: string;
}

export function workOrderRow(repo: Repo, w: WorkOrder): WorkOrderRow {
  return {
    id: w.id ?? null,
    title: w.title ?? null,
    status: w.status ?? null,
    track: repo.config.multipleTracksPerWorkOrder ? w.tracks : (w.tracks[0] ?? null),
    priority: w.priority ?? null,
    path: w.path,
  };
}

/** `list --format json`: every matching row; `total` is how many matched (a page may hold fewer). */
export function workOrdersShape(repo: Repo, wos: WorkOrder[], page?: { offset: number; size: number }) {
  const rows = page ? wos.slice(page.offset, page.offset + page.size) : wos;
  return { version: 1 as const, total: wos.length, workOrders: rows.map((w) => workOrderRow(repo, w)) };
}

export type WorkOrdersShape = ReturnType<typeof workOrdersShape>;

/** `list --tracks --format json`: tracks in tree order (each parent before its sub-tracks) with progress. */
export function tracksShape(repo: Repo, opts: { track?: string; status?: string[] } = {}) {
  let rows = trackTree(repo);
  if (opts.track) {
    const slugs = withDescendants(repo.tracks, findTrack(repo, opts.track).slug);
    rows = rows.filter((r) => slugs.has(r.track.slug));
  }
  const status = (opts.status ?? []).map((s) => s.trim()).filter(Boolean);
  if (status.length) {
    const want = new Set(status);
    rows = rows.filter((r) => r.track.status !== undefined && want.has(r.track.status));
  }
  return {
    version: 1 as const,
    tracks: rows.map(({ track: t, depth, rolled }) => ({
      slug: t.slug,
      number: t.number ?? null,
      name: t.name ?? null,
      type: t.type ?? null,
      status: t.status ?? null,
      parent: t.parent ?? null,
      depth,
      progress: progressJson(rolled),
      path: t.path,
    })),
  };
}
