/** Queries over tracks and work orders shared by commands. Pure. */
import type { Config, Repo, Track, WorkOrder } from '../model/types.js';
import { TracksError } from '../errors/index.js';
import { hintFor } from '../validate/rules.js';
import { closest } from './did-you-mean.js';
import { dependencyResolver } from './deps.js';

/**
 * A track by its slug, or by its name when exactly one track has that name
 * (case-insensitive). An unknown reference is answered with the slug it most
 * likely means.
 */
export function findTrack(repo: Repo, ref: string): Track {
  const t = repo.tracks.find((x) => x.slug === ref);
  if (t) return t;
  const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
  const named = repo.tracks.filter((x) => x.name !== undefined && norm(x.name) === norm(ref));
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new TracksError('AMBIGUOUS_TRACK', `${named.length} tracks are named "${ref}": ${named.map((x) => x.slug).join(', ')}`, { hint: 'Name the track by its slug.' });
  }
  const bySlug = hintFor(ref, repo.tracks.map((x) => x.slug));
  const byName = closest(ref, repo.tracks.flatMap((x) => (x.name ? [x.name] : [])));
  const nameHit = byName === undefined ? undefined : repo.tracks.find((x) => x.name === byName);
  throw new TracksError('UNKNOWN_TRACK', `no track "${ref}"`, {
    hint:
      bySlug ??
      (nameHit ? `Did you mean "${nameHit.slug}" (${nameHit.name})?` : undefined) ??
      `Known tracks: ${repo.tracks.map((x) => x.slug).sort().slice(0, 12).join(', ')}${repo.tracks.length > 12 ? ', …' : ''} (see \`tracks list --tracks\`).`,
  });
}

/** The track and all its sub-tracks, at any depth (cycle-safe). */
export function withDescendants(tracks: Track[], slug: string): Set<string> {
  const out = new Set<string>([slug]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of tracks) {
      if (t.parent && out.has(t.parent) && !out.has(t.slug)) {
        out.add(t.slug);
        grew = true;
      }
    }
  }
  return out;
}

export function children(tracks: Track[], slug: string): Track[] {
  return tracks.filter((t) => t.parent === slug).sort(byNumber);
}

export const byNumber = (a: Track, b: Track) => (a.number ?? 0) - (b.number ?? 0) || (a.slug < b.slug ? -1 : 1);

export function workOrdersIn(repo: Repo, slugs: Set<string>): WorkOrder[] {
  return repo.workOrders.filter((w) => w.tracks.some((s) => slugs.has(s)));
}

export { isDone } from './status.js';
import { isDone } from './status.js';

export interface Progress {
  done: number;
  total: number;
  /** Sum of estimate_hours of done / all work orders that have one. */
  hoursDone: number;
  hoursTotal: number;
  /** Work orders with an estimate. */
  estimated: number;
  /** done/total in [0,1], 0 when empty. */
  ratio: number;
  /** hours-weighted ratio, or undefined when no estimates. */
  hoursRatio: number | undefined;
}

export function progressOf(workOrders: WorkOrder[], config: Config): Progress {
  let done = 0;
  let hoursDone = 0;
  let hoursTotal = 0;
  let estimated = 0;
  for (const w of workOrders) {
    const d = isDone(w, config);
    if (d) done++;
    if (w.estimateHours !== undefined) {
      estimated++;
      hoursTotal += w.estimateHours;
      if (d) hoursDone += w.estimateHours;
    }
  }
  const total = workOrders.length;
  return {
    done,
    total,
    hoursDone,
    hoursTotal,
    estimated,
    ratio: total ? done / total : 0,
    hoursRatio: hoursTotal > 0 ? hoursDone / hoursTotal : undefined,
  };
}

/** Progress of a track including its sub-tracks (each work order counted once). */
export function trackProgress(repo: Repo, slug: string): Progress {
  return progressOf(workOrdersIn(repo, withDescendants(repo.tracks, slug)), repo.config);
}

export function findWorkOrder(repo: Repo, ref: string): WorkOrder {
  const byId = repo.workOrders.find((w) => w.id === ref);
  if (byId) return byId;
  // `task-208` or `back-208` for BACK-208, as dependencies may write it (id_matching)
  const matched = dependencyResolver(repo.workOrders, repo.config)(ref);
  if (matched) return matched;
  const norm = ref.replace(/\\/g, '/').replace(/^\.\//, '');
  const byPath = repo.workOrders.find((w) => w.path === norm || w.path.endsWith('/' + norm) || w.path.slice(w.path.lastIndexOf('/') + 1) === norm);
  if (byPath) return byPath;
  const lower = ref.toLowerCase();
  const close = repo.workOrders.filter((w) => w.id?.toLowerCase().includes(lower)).slice(0, 3);
  throw new TracksError('UNKNOWN_WORK_ORDER', `no work order "${ref}"`, {
    hint: close.length ? `Did you mean ${close.map((w) => w.id).join(', ')}?` : 'Use the id from the front matter (e.g. WO-2026-001) or the file path.',
  });
}
