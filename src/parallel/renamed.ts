/**
 * Tracks renamed here and still under their old name elsewhere. `tracks
 * rename` records `event: rename, renamed_from: <old slug>` in the track's
 * history; a branch made before the rename still has the track file under its
 * old name, and its work orders still say the old slug. That is the same
 * track: merging the branch brings the rename to it. So the views across
 * branches (claims, merge-plan, doctor) count such a version, and such work
 * orders, under the name the track has here, instead of as a second track
 * that happens to share its number. Pure.
 */
import type { Track } from '../model/types.js';
import { readHistory } from '../lifecycle/history.js';

export interface NamesHere {
  /** The slug a version of a track (from any branch) has here. */
  track(t: Pick<Track, 'slug' | 'data'>): string;
  /** The slug a work order's `track` value means here. */
  slug(s: string): string;
}

const createdAt = (t: Pick<Track, 'data'>) => (typeof t.data.created_at === 'string' ? t.data.created_at : '');

/**
 * From this work tree's tracks. A version counts as the renamed track only
 * when it was created at the same time (same `created_at`): a new track that
 * took the freed slug is another track. A work order's old slug means the
 * renamed track only while no track here has that slug.
 */
export function namesHere(here: Pick<Track, 'slug' | 'data'>[]): NamesHere {
  const current = new Set(here.map((t) => t.slug));
  const renamed = new Map<string, Pick<Track, 'slug' | 'data'>>();
  for (const t of here) {
    for (const e of readHistory(t)) if (e.event === 'rename' && e.renamed_from && e.renamed_from !== t.slug) renamed.set(e.renamed_from, t);
  }
  return {
    track: (t) => {
      const now = renamed.get(t.slug);
      return now && createdAt(now) === createdAt(t) ? now.slug : t.slug;
    },
    slug: (s) => (current.has(s) ? s : (renamed.get(s)?.slug ?? s)),
  };
}
