/** `tracks show --format json` and the `track_show` tool. Pure. */
import { children, findTrack, isDone, progressOf, trackProgress, withDescendants, workOrdersIn } from '../core/tracks.js';
import { progressJson } from '../core/progress.js';
import type { Repo, WorkOrder } from '../model/types.js';

/** Open work first, finished work last. */
const STATUS_ORDER = ['active', 'building', 'in_progress', 'in-progress', 'you_review', 'review', 'ready', 'backlog', 'todo', 'draft', 'parked', 'blocked'];

export function groupByStatus(wos: WorkOrder[], repo: Repo): [string, WorkOrder[]][] {
  const groups = new Map<string, WorkOrder[]>();
  for (const w of wos) {
    const s = w.status ?? '(no status)';
    const g = groups.get(s);
    if (g) g.push(w);
    else groups.set(s, [w]);
  }
  const rank = (s: string) => {
    if (repo.config.doneStatuses.includes(s)) return 1000 + repo.config.doneStatuses.indexOf(s);
    const i = STATUS_ORDER.indexOf(s);
    return i === -1 ? 500 : i;
  };
  return [...groups].sort((a, b) => rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : 1));
}

export function showShape(repo: Repo, ref: string) {
  const t = findTrack(repo, ref);
  const own = workOrdersIn(repo, new Set([t.slug]));
  const all = workOrdersIn(repo, withDescendants(repo.tracks, t.slug));
  return {
    version: 1 as const,
    slug: t.slug,
    number: t.number ?? null,
    name: t.name ?? null,
    type: t.type ?? null,
    status: t.status ?? null,
    goal: t.goal ?? null,
    parent: t.parent ?? null,
    subTracks: children(repo.tracks, t.slug).map((c) => ({ slug: c.slug, name: c.name ?? null, status: c.status ?? null, progress: progressJson(trackProgress(repo, c.slug)) })),
    /** Including sub-tracks. */
    progress: progressJson(progressOf(all, repo.config)),
    /** The track's own work orders (not its sub-tracks'), grouped by status, open work first. */
    workOrders: groupByStatus(own, repo).map(([status, ws]) => ({
      status,
      count: ws.length,
      items: ws.map((w) => ({ id: w.id ?? null, title: w.title ?? null, path: w.path, done: isDone(w, repo.config) })),
    })),
    path: t.path,
  };
}

export type ShowShape = ReturnType<typeof showShape>;
