/** `tracks show --format json` and the `track_show` tool. Pure. */
import { children, findTrack, isDone, progressOf, trackProgress, withDescendants, workOrdersIn } from '../core/tracks.js';
import { progressJson, trackTree } from '../core/progress.js';
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

/**
 * Where each work order of a track's subtree is, for the label: the track
 * itself, or the sub-track (at any depth) it is in. Own work first, then each
 * sub-track's in tree order.
 */
export function rolledUp(repo: Repo, slug: string): { w: WorkOrder; track: string }[] {
  const below = withDescendants(repo.tracks, slug);
  const order = new Map(trackTree(repo).map((r, i) => [r.track.slug, i]));
  const rank = (s: string) => (s === slug ? -1 : (order.get(s) ?? 1e9));
  return workOrdersIn(repo, below)
    .map((w, i) => {
      const track = w.tracks.includes(slug) ? slug : w.tracks.filter((s) => below.has(s)).sort((a, b) => rank(a) - rank(b))[0]!;
      return { w, track, i };
    })
    .sort((a, b) => rank(a.track) - rank(b.track) || a.i - b.i)
    .map(({ w, track }) => ({ w, track }));
}

export function showShape(repo: Repo, ref: string) {
  const t = findTrack(repo, ref);
  const rolled = rolledUp(repo, t.slug);
  const where = new Map(rolled.map((r) => [r.w, r.track]));
  const all = rolled.map((r) => r.w);
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
    /** The track's work orders and its sub-tracks', grouped by status, open work first; `track` says which (sub-)track each is in. */
    workOrders: groupByStatus(all, repo).map(([status, ws]) => ({
      status,
      count: ws.length,
      items: ws.map((w) => ({ id: w.id ?? null, title: w.title ?? null, path: w.path, done: isDone(w, repo.config), track: where.get(w)! })),
    })),
    path: t.path,
  };
}

export type ShowShape = ReturnType<typeof showShape>;
