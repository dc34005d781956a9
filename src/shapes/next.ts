/**
 * `tracks next --format json` and the `work_next` tool: one shape for one
 * track (`track` is its slug: ready, blocked, held) and for all active tracks
 * (`track` is null: the first ready item of each). Pure.
 */
import { nextInTrack, nextPerActiveTrack, orderRule, type BlockedItem, type NextItem } from '../next/next.js';
import type { Repo } from '../model/types.js';

const item = (i: NextItem) => ({
  id: i.id,
  title: i.title ?? null,
  path: i.path,
  status: i.status ?? null,
  priority: i.priority ?? null,
  /** The priority word as written (high, medium, …), when the config has priority words. */
  priorityWord: i.priorityWord ?? null,
  tracks: i.tracks,
  estimateHours: i.estimateHours ?? null,
  unblocks: i.unblocks,
  missing: i.missing,
  reason: i.reason,
});

const blocked = (b: BlockedItem) => ({
  id: b.id,
  title: b.title ?? null,
  tracks: b.tracks,
  status: b.status ?? null,
  waitingOn: b.waitingOn.map((w) => ({ id: w.id, status: w.status ?? null, tracks: w.tracks, crossTrack: w.crossTrack })),
});

/** `limit` keeps the first n ready and blocked items and says how many were left out. */
export function nextShape(repo: Repo, track: string | undefined, opts: { limit?: number } = {}) {
  const cut = <T>(xs: T[]) => (opts.limit === undefined ? xs : xs.slice(0, opts.limit));
  if (track) {
    const r = nextInTrack(repo, track);
    const left = { ready: r.ready.length - cut(r.ready).length, blocked: r.blocked.length - cut(r.blocked).length };
    return {
      version: 1 as const,
      order: orderRule(repo.config),
      track: r.track ?? track,
      ready: cut(r.ready).map(item),
      blocked: cut(r.blocked).map(blocked),
      held: r.held,
      /** retired: open work orders left out, being only in cancelled or archived tracks here. */
      counts: { ready: r.ready.length, blocked: r.blocked.length, held: Object.values(r.held).reduce((n, l) => n + l.length, 0), retired: r.retired },
      truncated: left.ready || left.blocked ? { limit: opts.limit!, omitted: left } : null,
    };
  }
  const rows = nextPerActiveTrack(repo);
  return {
    version: 1 as const,
    order: orderRule(repo.config),
    track: null,
    tracks: rows.map((r) => ({ track: r.track.slug, name: r.track.name ?? null, parent: r.parent, next: r.next ? item(r.next) : null, open: r.open, blocked: r.blocked, held: r.held, retired: r.retired })),
  };
}

export type NextShape = ReturnType<typeof nextShape>;
