/** `tracks status --format json` and the `tracks_overview` tool. Pure. */
import { byNumber, trackProgress } from '../core/tracks.js';
import { countsAgainstLimit } from '../validate/rules.js';
import { defaultMode, isRetired, organizable, unassigned } from '../organize/scope.js';
import type { Repo } from '../model/types.js';

export function statusShape(repo: Repo) {
  const { config } = repo;
  const readable = organizable(repo).length;
  const without = unassigned(repo).length;
  const top = repo.tracks.filter(countsAgainstLimit).sort(byNumber);
  const retired = repo.tracks.filter(isRetired).length;
  const seen = new Set<string>();
  const duplicateIds = repo.workOrders.filter((w) => w.ok && w.id && (seen.has(w.id) || !seen.add(w.id))).length;
  const active = repo.tracks.filter((t) => t.status === 'active').sort(byNumber);
  const progress = (slug: string) => {
    const p = trackProgress(repo, slug);
    return { done: p.done, total: p.total };
  };
  return {
    version: 1 as const,
    /** unreadable: not organizable (no readable front matter or id, or an id an earlier work order has: duplicateIds of them). */
    workOrders: { total: repo.workOrders.length, unreadable: repo.workOrders.length - readable, duplicateIds, assigned: readable - without, unassigned: without },
    tracks: { total: repo.tracks.length, retired, active: active.length, topLevel: top.length, topLevelLimit: config.topLevelLimit },
    /** Top-level tracks that count against the limit, with progress including their sub-tracks. */
    topLevel: top.map((t) => ({ slug: t.slug, name: t.name ?? t.slug, status: t.status ?? null, ...progress(t.slug) })),
    /** Active tracks at any level (where `tracks next` looks). */
    active: active.map((t) => ({ slug: t.slug, name: t.name ?? t.slug, parent: t.parent ?? null, ...progress(t.slug) })),
    organize: { due: without >= config.organizeThreshold && without > 0, unassigned: without, threshold: config.organizeThreshold, mode: defaultMode(repo).mode },
  };
}

export type StatusShape = ReturnType<typeof statusShape>;
