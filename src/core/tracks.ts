/** Queries over tracks and work orders shared by commands. Pure. */
import type { Config, Repo, Track, WorkOrder } from '../model/types.js';
import { TracksError } from '../errors/index.js';
import { hintFor } from '../validate/rules.js';
import { dependencyResolver } from './deps.js';

export function findTrack(repo: Repo, slug: string): Track {
  const t = repo.tracks.find((x) => x.slug === slug);
  if (t) return t;
  throw new TracksError('UNKNOWN_TRACK', `no track "${slug}"`, {
    hint:
      hintFor(slug, repo.tracks.map((x) => x.slug)) ??
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

export function isDone(w: WorkOrder, config: Config): boolean {
  return w.status !== undefined && config.doneStatuses.includes(w.status);
}

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
