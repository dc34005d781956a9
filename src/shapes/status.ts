/** `tracks status --format json` and the `tracks_overview` tool. Pure. */
import { byNumber, trackProgress } from '../core/tracks.js';
import { countsAgainstLimit } from '../validate/rules.js';
import { defaultMode, isRetired } from '../organize/scope.js';
import { workOrderCounts } from '../core/counts.js';
import type { Repo } from '../model/types.js';

export function statusShape(repo: Repo) {
  const { config } = repo;
  const counts = workOrderCounts(repo.workOrders, repo.tracks);
  const without = counts.unassigned;
  const top = repo.tracks.filter(countsAgainstLimit).sort(byNumber);
  const retired = repo.tracks.filter(isRetired).length;
  const active = repo.tracks.filter((t) => t.status === 'active').sort(byNumber);
  const progress = (slug: string) => {
    const p = trackProgress(repo, slug);
    return { done: p.done, total: p.total };
  };
  return {
    version: 1 as const,
    /** As src/core/counts.ts counts them (as check, list --unassigned and report do); unreadable includes duplicateIds. */
    workOrders: { total: counts.total, unreadable: counts.unreadable, duplicateIds: counts.duplicateIds, assigned: counts.assigned, unassigned: counts.unassigned },
    tracks: { total: repo.tracks.length, retired, active: active.length, topLevel: top.length, topLevelLimit: config.topLevelLimit },
    /** Top-level tracks that count against the limit, with progress including their sub-tracks. */
    topLevel: top.map((t) => ({ slug: t.slug, name: t.name ?? t.slug, status: t.status ?? null, ...progress(t.slug) })),
    /** Active tracks at any level (where `tracks next` looks). */
    active: active.map((t) => ({ slug: t.slug, name: t.name ?? t.slug, parent: t.parent ?? null, ...progress(t.slug) })),
    organize: { due: without >= config.organizeThreshold && without > 0, unassigned: without, threshold: config.organizeThreshold, mode: defaultMode(repo).mode },
  };
}

export type StatusShape = ReturnType<typeof statusShape>;
