/**
 * Planning `tracks rename`: a track's slug is its file name and the value work
 * orders and sub-tracks refer to it by, so a rename moves the file (same
 * number and type), sets the `track` key of every work order in it (one line
 * each) and the `parent` of every sub-track, and records the rename in the
 * track's history. Optionally it changes the display name too. Pure.
 */
import type { Repo, Track } from '../model/types.js';
import { findTrack } from '../core/tracks.js';
import { trackKey } from '../core/layout.js';
import { trackPath } from '../core/track-file.js';
import { slugify, SLUG } from '../parse/entities.js';
import { setFrontMatterKey } from '../parse/edit.js';
import { appendListItem } from '../parse/edit-block.js';
import { entryLines, oneLine, type HistoryEntry, type Stamp } from '../lifecycle/history.js';
import { TracksError } from '../errors/index.js';
import { isFrozen } from '../organize/scope.js';
import { PLAN_VERSION, type ChangePlan, type FileChange, type KeyValue } from './types.js';

export interface RenamePlan extends ChangePlan {
  kind: 'rename';
  from: string;
  to: string;
  path: { from: string; to: string };
  workOrders: number;
  subTracks: string[];
}

export interface RenameInput {
  repo: Repo;
  stamp: Stamp;
  read: (path: string) => string;
}

export function planRename(input: RenameInput, ref: string, newSlug: string | undefined, opts: { name?: string; reason?: string }): RenamePlan {
  const { repo } = input;
  const t = findTrack(repo, ref);
  const slug = newSlug ?? (opts.name ? slugify(opts.name) : undefined);
  if (!slug || !SLUG.test(slug)) {
    throw new TracksError('BAD_SLUG', `"${newSlug ?? opts.name ?? ''}" is not a valid slug`, { hint: 'A slug is lowercase letters and digits joined by single hyphens, e.g. runner-reliability.' });
  }
  if (slug === t.slug && (opts.name === undefined || opts.name === t.name)) {
    throw new TracksError('TRANSITION_REFUSED', `track "${t.slug}" already has that slug${opts.name ? ' and name' : ''}`, { exitCode: 1, hint: 'Nothing to rename.' });
  }
  if (isFrozen(t, repo)) {
    throw new TracksError('TRACK_RETIRED', `track "${t.slug}" is ${t.status}${t.status === 'completed' || t.status === 'failed' ? ' (finished)' : ''}: its slug is history now`, {
      hint: 'Finished, retired and decided tracks keep their slugs; commit messages and other branches name them.',
    });
  }
  if (t.number === undefined || t.fileType === undefined) {
    throw new TracksError('EDIT_REFUSED', `${t.path}: the file name is not NNNN_TYPE_slug.md, so it cannot be renamed`, { where: { file: t.path }, hint: 'Fix the file name first (`tracks check` shows it).' });
  }
  const key = trackKey(repo.config);
  const changes: FileChange[] = [];
  // The track file: new name, the history entry; same number and type.
  const entry: HistoryEntry = { at: input.stamp.now, from: t.status ?? null, to: t.status ?? 'draft', event: 'rename', renamed_from: t.slug };
  if (input.stamp.who) entry.by = input.stamp.who;
  const reason = oneLine(opts.reason);
  if (reason) entry.reason = reason;
  let text = input.read(t.path);
  if (opts.name !== undefined && opts.name !== t.name) text = setFrontMatterKey(text, 'name', opts.name, t.path);
  text = setFrontMatterKey(text, 'updated_at', input.stamp.now, t.path);
  text = appendListItem(text, 'history', entryLines(entry), t.path);
  const to = trackPath(repo.config.tracksDir, t.number, t.fileType, slug);
  if (to === t.path) changes.push({ path: t.path, action: 'update', baseHash: t.hash, content: text });
  else changes.push({ path: t.path, action: 'delete', baseHash: t.hash }, { path: to, action: 'create', baseHash: null, content: text });
  // Sub-tracks name it as their parent.
  const subs: Track[] = repo.tracks.filter((x) => x.parent === t.slug && x.path !== t.path);
  for (const s of subs) changes.push({ path: s.path, action: 'update', baseHash: s.hash, content: setFrontMatterKey(setFrontMatterKey(input.read(s.path), 'parent', slug, s.path), 'updated_at', input.stamp.now, s.path) });
  // Work orders name it in their track key (a list keeps its order).
  let moved = 0;
  if (slug !== t.slug) {
    for (const w of repo.workOrders) {
      if (!w.tracks.includes(t.slug)) continue;
      const list = w.tracks.map((s) => (s === t.slug ? slug : s));
      const value: KeyValue = list.length === 1 ? list[0]! : list;
      changes.push({ path: w.path, action: 'set-key', baseHash: w.hash, key, value });
      moved++;
    }
  }
  const what = slug === t.slug ? `name "${t.name ?? ''}" → "${opts.name}"` : `${t.slug} → ${slug}`;
  return {
    version: PLAN_VERSION,
    kind: 'rename',
    createdAt: input.stamp.now,
    message: `tracks: rename ${what}\n\n${[
      slug !== t.slug ? `${t.path} → ${to}` : '',
      moved ? `${moved} work order${moved === 1 ? '' : 's'}: ${key} ${t.slug} → ${slug}` : '',
      subs.length ? `sub-tracks re-parented: ${subs.map((s) => s.slug).join(', ')}` : '',
      opts.name !== undefined && opts.name !== t.name && slug !== t.slug ? `name: "${t.name ?? ''}" → "${opts.name}"` : '',
      reason ? `Reason: ${reason}` : '',
    ]
      .filter(Boolean)
      .join('\n')}\n`,
    changes,
    from: t.slug,
    to: slug,
    path: { from: t.path, to },
    workOrders: moved,
    subTracks: subs.map((s) => s.slug),
  };
}
