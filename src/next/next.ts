/**
 * "Which work order next?": the work orders that can start now, best first.
 * Pure.
 *
 * Order: priority (1 is the most urgent, as in the work-order format; none
 * comes last), then how many open work orders each one unblocks, directly or
 * transitively (finishing it moves more of the backlog), then the id (older
 * first), so the order is total and stable.
 */
import { findTrack, isDone, withDescendants, byNumber } from '../core/tracks.js';
import { isRetired } from '../core/status.js';
import type { Repo, Track, WorkOrder } from '../model/types.js';
import { byId, depGraph, missingDeps, openDeps, unblocks, type DepGraph } from '../core/graph.js';

export interface NextItem {
  id: string;
  title: string | undefined;
  path: string;
  status: string | undefined;
  /** Rank: 1 is the most urgent (a priority word ranks like its level's number). */
  priority: number | undefined;
  /** The priority word as written, when it is one. */
  priorityWord?: string;
  tracks: string[];
  estimateHours: number | undefined;
  /** Open work orders that wait on this one, directly or transitively. */
  unblocks: string[];
  /** depends_on ids not in the repository (treated as done). */
  missing: string[];
  reason: string;
}

export interface BlockedItem {
  id: string;
  title: string | undefined;
  tracks: string[];
  status: string | undefined;
  /** crossTrack: the dependency is in a track, and not in this one (one without a track is "no track", never "other track"). */
  waitingOn: { id: string; status: string | undefined; tracks: string[]; crossTrack: boolean }[];
}

export interface NextResult {
  track: string | undefined;
  ready: NextItem[];
  blocked: BlockedItem[];
  /** Not done, not blocked, but held (status → ids). */
  held: Record<string, string[]>;
  /** Open work orders left out because their tracks here are cancelled or archived (closed to work). */
  retired: number;
}

const prio = (w: { priority: number | undefined }) => w.priority ?? Number.POSITIVE_INFINITY;

/** Most urgent first, none last, then id: how lists of work are ordered (`report`'s blocked work). */
export const byPriority = (a: { id?: string; priority: number | undefined }, b: { id?: string; priority: number | undefined }) => prio(a) - prio(b) || byId(a.id ?? '', b.id ?? '');

function rank(a: NextItem, b: NextItem): number {
  return prio(a) - prio(b) || b.unblocks.length - a.unblocks.length || byId(a.id, b.id);
}

function listIds(ids: string[], max = 3): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} +${ids.length - max}`;
}

function reasonFor(item: NextItem): string {
  const parts = [item.priority === undefined ? 'no priority' : `priority ${item.priorityWord ?? item.priority}`];
  parts.push(item.unblocks.length ? `unblocks ${item.unblocks.length} (${listIds(item.unblocks)})` : 'unblocks nothing');
  if (item.missing.length) parts.push(`depends on ${listIds(item.missing)}, not in this repository (treated as done)`);
  return parts.join('; ');
}

export function blockedItem(g: DepGraph, w: WorkOrder, within: Set<string> | undefined): BlockedItem | undefined {
  const waiting = openDeps(g, w);
  if (!waiting.length) return undefined;
  const mine = within ?? new Set(w.tracks);
  return {
    id: w.id!,
    title: w.title,
    tracks: w.tracks,
    status: w.status,
    waitingOn: waiting.map((x) => {
      const theirs = x.wo?.tracks ?? [];
      // Two work orders without a track are not in different tracks: neither is in one.
      return { id: x.id, status: x.wo?.status, tracks: theirs, crossTrack: theirs.length > 0 && !theirs.some((s) => mine.has(s)) };
    }),
  };
}

/** Startable, blocked and held work orders among `candidates`. */
export function nextAmong(repo: Repo, candidates: WorkOrder[], track?: string, g: DepGraph = depGraph(repo)): NextResult {
  const within = track ? withDescendants(repo.tracks, track) : undefined;
  const ready: NextItem[] = [];
  const blocked: BlockedItem[] = [];
  const held: Record<string, string[]> = {};
  // Not done, but not free to pick up either (set aside, or waiting for review): counted, not offered.
  const heldStatuses = new Set(repo.config.heldStatuses);
  for (const w of candidates) {
    if (!w.id || isDone(w, repo.config)) continue;
    const b = blockedItem(g, w, within);
    if (b) {
      blocked.push(b);
      continue;
    }
    if (w.status && heldStatuses.has(w.status)) {
      (held[w.status] ??= []).push(w.id);
      continue;
    }
    const item: NextItem = {
      id: w.id,
      title: w.title,
      path: w.path,
      status: w.status,
      priority: w.priority,
      ...(w.priorityWord !== undefined ? { priorityWord: w.priorityWord } : {}),
      tracks: w.tracks,
      estimateHours: w.estimateHours,
      unblocks: unblocks(g, w.id),
      missing: missingDeps(g, w),
      reason: '',
    };
    item.reason = reasonFor(item);
    ready.push(item);
  }
  ready.sort(rank);
  blocked.sort((a, b) => byId(a.id, b.id));
  for (const k in held) held[k]!.sort(byId);
  return { track, ready, blocked, held, retired: 0 };
}

/**
 * The work orders of a track and its sub-tracks, split into those that can be
 * offered and the open ones left out: a cancelled or archived track is closed
 * to work, so what is only in retired tracks here is never offered.
 */
export function workOf(repo: Repo, slug: string): { live: WorkOrder[]; retired: WorkOrder[] } {
  const slugs = withDescendants(repo.tracks, slug);
  const closed = new Set(repo.tracks.filter((t) => slugs.has(t.slug) && isRetired(t)).map((t) => t.slug));
  const live: WorkOrder[] = [];
  const retired: WorkOrder[] = [];
  for (const w of repo.workOrders) {
    const mine = w.tracks.filter((s) => slugs.has(s));
    if (!mine.length) continue;
    if (mine.some((s) => !closed.has(s))) live.push(w);
    else if (!isDone(w, repo.config)) retired.push(w);
  }
  return { live, retired };
}

/** Next work in one track, sub-tracks included. */
export function nextInTrack(repo: Repo, slug: string): NextResult {
  findTrack(repo, slug);
  const { live, retired } = workOf(repo, slug);
  return { ...nextAmong(repo, live, slug), retired: retired.length };
}

/** One row of `tracks next` without a track: an active track and the first work order it can start. */
export interface ActiveNext {
  track: Track;
  /** The nearest active track above this one (its row comes first and leaves this one's work out), or null. */
  parent: string | null;
  /** How many active tracks are above it. */
  depth: number;
  /** Active tracks below it, with rows of their own. */
  activeBelow: number;
  next: NextItem | undefined;
  /** Not-done work orders this row covers (retired sub-tracks and active sub-tracks' rows left out). */
  open: number;
  blocked: number;
  held: number;
  /** Open work orders of its cancelled or archived sub-tracks, left out. */
  retired: number;
}

/**
 * The first startable work order of each active track. Each work order is
 * offered once, by the nearest active track it is in or under: a track's row
 * leaves out the work of its active sub-tracks, which have rows of their own
 * (so a parent and its sub-track never both offer the same work order). Rows
 * come in tree order, each sub-track after its parent.
 */
export function nextPerActiveTrack(repo: Repo): ActiveNext[] {
  const g = depGraph(repo);
  const active = repo.tracks.filter((t) => t.status === 'active').sort(byNumber);
  const isActive = new Set(active.map((t) => t.slug));
  const parentOf = new Map(repo.tracks.map((t) => [t.slug, t.parent ?? undefined]));
  /** The nearest active track above `slug` (cycle-safe). */
  const above = (slug: string): string | undefined => {
    const seen = new Set([slug]);
    for (let p = parentOf.get(slug); p !== undefined && !seen.has(p); p = parentOf.get(p)) {
      if (isActive.has(p)) return p;
      seen.add(p);
    }
    return undefined;
  };
  const rows = new Map<string, ActiveNext>();
  const subtree = new Map(active.map((t) => [t.slug, withDescendants(repo.tracks, t.slug)]));
  for (const t of active) {
    const all = subtree.get(t.slug)!;
    const below = active.filter((d) => d !== t && all.has(d.slug));
    const theirs = new Set(below.flatMap((d) => [...subtree.get(d.slug)!]));
    const mine = new Set([...all].filter((x) => !theirs.has(x)));
    const inRow = (w: WorkOrder) => w.tracks.some((x) => mine.has(x));
    const work = workOf(repo, t.slug);
    const live = work.live.filter(inRow);
    const retired = work.retired.filter(inRow).length;
    const r = nextAmong(repo, live, t.slug, g);
    const open = live.filter((w) => !isDone(w, repo.config)).length;
    const parent = above(t.slug) ?? null;
    rows.set(t.slug, {
      track: t,
      parent,
      depth: 0,
      activeBelow: below.filter((d) => above(d.slug) === t.slug).length,
      next: r.ready[0],
      open,
      blocked: r.blocked.length,
      held: Object.values(r.held).reduce((n, l) => n + l.length, 0),
      retired,
    });
  }
  // Tree order: each row, then the rows whose nearest active parent it is (tracks in a parent cycle, which check reports, at the end).
  const out: ActiveNext[] = [];
  const done = new Set<string>();
  const visit = (row: ActiveNext, depth: number) => {
    if (done.has(row.track.slug)) return;
    done.add(row.track.slug);
    row.depth = depth;
    out.push(row);
    for (const child of active) if (rows.get(child.slug)!.parent === row.track.slug) visit(rows.get(child.slug)!, depth + 1);
  };
  for (const t of active) if (rows.get(t.slug)!.parent === null) visit(rows.get(t.slug)!, 0);
  for (const t of active) visit(rows.get(t.slug)!, 0);
  return out;
}

export const ORDER_RULE = 'priority (1 = most urgent, none last), then how many open work orders each unblocks, then id';

/** The order rule in the words of this config: its priority words, when it has them. */
export function orderRule(config: Pick<Repo['config'], 'priorities'>): string {
  if (!config.priorities.length) return ORDER_RULE;
  return `priority (${config.priorities.map((l) => l[0]).join(' > ')}, or 1 = most urgent; none last), then how many open work orders each unblocks, then id`;
}
