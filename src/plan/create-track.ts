/**
 * Planning `tracks create`: the new track file, with the next free number and
 * a palette colour. Whether the repository can take it (slug taken, parent
 * missing or retired, the top-level limit) is judged by check's rules when
 * the plan is applied, not here. Pure.
 */
import type { Repo } from '../model/types.js';
import { TRACK_STATUSES } from '../model/types.js';
import { TracksError } from '../errors/index.js';
import { slugify, SLUG } from '../parse/entities.js';
import { nextColor, nextNumbers, renderTrackFile, trackPath } from '../core/track-file.js';
import { findTrack } from '../core/tracks.js';
import { PLAN_VERSION, type ChangePlan } from './types.js';

export interface CreateInput {
  name: string;
  type: string;
  goal?: string;
  parent?: string;
  slug?: string;
  status: string;
  experiment?: string;
  hypothesis?: string;
  /** Numbers already taken elsewhere (other branches and work trees), besides this tree's tracks. */
  takenNumbers?: number[];
  now: string;
}

export interface CreatePlan extends ChangePlan {
  kind: 'create';
  slug: string;
  path: string;
}

export function planCreate(repo: Repo, o: CreateInput): CreatePlan {
  const { config } = repo;
  const type = o.type.toUpperCase();
  if (!config.trackTypes.includes(type)) {
    throw new TracksError('BAD_TYPE', `track type "${o.type}" is not one of: ${config.trackTypes.join(', ')}`, { hint: 'Use a configured type, or add it to track_types in tracks.config.yaml.' });
  }
  if (!TRACK_STATUSES.includes(o.status as never)) throw new TracksError('BAD_STATUS', `status "${o.status}" is not one of: ${TRACK_STATUSES.join(', ')}`);
  if (o.experiment && type !== 'EXP') throw new TracksError('BAD_TYPE', '--experiment needs --type EXP');
  const slug = o.slug ?? slugify(o.name);
  if (!slug || !SLUG.test(slug)) {
    throw new TracksError('BAD_SLUG', `"${o.slug ?? o.name}" does not make a valid slug`, { hint: 'Pass --slug with lowercase letters, digits and single hyphens.' });
  }
  // A parent given by name resolves to its slug; an unknown one is left to the rules (with a did-you-mean).
  let parent = o.parent;
  if (parent && !repo.tracks.some((t) => t.slug === parent)) {
    try {
      parent = findTrack(repo, parent).slug;
    } catch {
      // reported by track/unknown-parent when the plan is checked
    }
  }
  const [number] = nextNumbers([...repo.tracks, ...(o.takenNumbers ?? []).map((n) => ({ number: n }))], 1);
  const path = trackPath(config.tracksDir, number!, type, slug);
  const content = renderTrackFile({
    slug,
    name: o.name,
    type,
    goal: o.goal ?? '',
    status: o.status,
    parent: parent ?? null,
    color: nextColor(repo.tracks),
    experiment: o.experiment,
    hypothesis: o.hypothesis ?? (type === 'EXP' && o.experiment ? '' : undefined),
    now: o.now,
  });
  return {
    version: PLAN_VERSION,
    kind: 'create',
    createdAt: o.now,
    message: `tracks: create ${type} track ${slug}\n\n${o.name}${o.goal ? `: ${o.goal}` : ''}\n`,
    changes: [{ path, action: 'create', baseHash: null, content }],
    slug,
    path,
  };
}
