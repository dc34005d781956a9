/** Progress per track, as a tree: own work orders and rolled up from sub-tracks. Pure. */
import { byNumber, progressOf, trackProgress, workOrdersIn, type Progress } from './tracks.js';
import type { Repo, Track } from '../model/types.js';

export interface TrackRow {
  track: Track;
  /** 0 for top-level tracks. */
  depth: number;
  /** Work orders whose `track` names this track itself. */
  own: Progress;
  /** This track and all its sub-tracks, each work order counted once. */
  rolled: Progress;
}

/**
 * Tracks in tree order (parents before their sub-tracks, by number). Tracks in
 * a parent cycle or under a missing parent are listed as top-level so none is lost.
 */
export function trackTree(repo: Repo): TrackRow[] {
  const slugs = new Set(repo.tracks.map((t) => t.slug));
  const out: TrackRow[] = [];
  const placed = new Set<string>();
  const visit = (t: Track, depth: number) => {
    if (placed.has(t.slug)) return;
    placed.add(t.slug);
    out.push({ track: t, depth, own: progressOf(workOrdersIn(repo, new Set([t.slug])), repo.config), rolled: trackProgress(repo, t.slug) });
    for (const c of repo.tracks.filter((x) => x.parent === t.slug).sort(byNumber)) visit(c, depth + 1);
  };
  const roots = repo.tracks.filter((t) => !t.parent || !slugs.has(t.parent)).sort(byNumber);
  for (const r of roots) visit(r, 0);
  for (const t of [...repo.tracks].sort(byNumber)) visit(t, 0);
  return out;
}

/** Progress as plain JSON numbers (ratios rounded for reading). */
export function progressJson(p: Progress) {
  return {
    done: p.done,
    total: p.total,
    ratio: Math.round(p.ratio * 1000) / 1000,
    hoursDone: Math.round(p.hoursDone * 100) / 100,
    hoursTotal: Math.round(p.hoursTotal * 100) / 100,
    hoursRatio: p.hoursRatio === undefined ? null : Math.round(p.hoursRatio * 1000) / 1000,
    estimated: p.estimated,
  };
}
