/**
 * A track's history lives in its own front matter, as a block list under
 * `history:` (one mapping per transition). Front matter rather than a body
 * section because it is data: `tracks check` validates it against the schema,
 * `resume` and the context pack read it back without scraping markdown, and
 * appending an item is a pure addition of lines (a clean diff, no merge
 * conflict with edits elsewhere in the file). Pure.
 */
import type { Progress } from '../core/tracks.js';
import type { Track } from '../model/types.js';
import { setFrontMatterKey } from '../parse/edit.js';
import { appendListItem, mappingLines } from '../parse/edit-block.js';

export interface Checkpoint {
  done: number;
  total: number;
  hours_done?: number;
  hours_total?: number;
}

export interface HistoryEntry {
  at: string;
  from: string | null;
  to: string;
  by?: string;
  reason?: string;
  /** HEAD when the transition happened (recorded on pause). */
  commit?: string;
  /** Progress at that moment (recorded on pause). */
  progress?: Checkpoint;
  /** A claim taken or released (src/parallel/claims.ts), or a rename; the status may stay as it was. */
  event?: 'claim' | 'release' | 'rename';
  /** The slug the track had before a rename. */
  renamed_from?: string;
  /** Who holds (or held) the claim: the name given with --as, else the git user. */
  claimed_by?: string;
  /** The branch the claimed work happens on. */
  branch?: string;
  /** The claim this one took over (`claim --steal`). */
  stolen_from?: { claimed_by: string; branch?: string; claimed_at?: string };
}

/** Who and when, passed in: the core reads no clock and runs no git. */
export interface Stamp {
  now: string;
  who: string | undefined;
}

export { isoSeconds } from '../core/time.js';

export function checkpointOf(p: Progress): Checkpoint {
  const c: Checkpoint = { done: p.done, total: p.total };
  if (p.estimated > 0) {
    c.hours_done = round(p.hoursDone);
    c.hours_total = round(p.hoursTotal);
  }
  return c;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** One line of free text: history reasons are read in lists and tables. */
export function oneLine(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const t = s.replace(/\s+/g, ' ').trim();
  return t === '' ? undefined : t;
}

export function entryLines(e: HistoryEntry): string[] {
  return mappingLines({
    at: e.at,
    from: e.from,
    to: e.to,
    by: e.by,
    reason: e.reason,
    commit: e.commit,
    progress: e.progress ? { ...e.progress } : undefined,
    event: e.event,
    claimed_by: e.claimed_by,
    branch: e.branch,
    stolen_from: e.stolen_from ? { ...e.stolen_from } : undefined,
    renamed_from: e.renamed_from,
  });
}

/** The history recorded in a track file, oldest first; malformed items are skipped (`check` reports them). */
export function readHistory(track: Pick<Track, 'data'>): HistoryEntry[] {
  const raw = track.data.history;
  if (!Array.isArray(raw)) return [];
  const out: HistoryEntry[] = [];
  for (const item of raw) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    const r = item as Record<string, unknown>;
    if (typeof r.to !== 'string') continue;
    const e: HistoryEntry = { at: String(r.at ?? ''), from: typeof r.from === 'string' ? r.from : null, to: r.to };
    if (typeof r.by === 'string') e.by = r.by;
    if (typeof r.reason === 'string') e.reason = r.reason;
    if (typeof r.commit === 'string') e.commit = r.commit;
    const p = r.progress as Record<string, unknown> | undefined;
    if (p && typeof p === 'object' && typeof p.done === 'number' && typeof p.total === 'number') {
      e.progress = { done: p.done, total: p.total };
      if (typeof p.hours_done === 'number') e.progress.hours_done = p.hours_done;
      if (typeof p.hours_total === 'number') e.progress.hours_total = p.hours_total;
    }
    if (r.event === 'claim' || r.event === 'release' || r.event === 'rename') e.event = r.event;
    if (typeof r.renamed_from === 'string') e.renamed_from = r.renamed_from;
    if (typeof r.claimed_by === 'string') e.claimed_by = r.claimed_by;
    if (typeof r.branch === 'string') e.branch = r.branch;
    const st = r.stolen_from as Record<string, unknown> | undefined;
    if (st && typeof st === 'object' && typeof st.claimed_by === 'string') {
      e.stolen_from = { claimed_by: st.claimed_by };
      if (typeof st.branch === 'string') e.stolen_from.branch = st.branch;
      if (typeof st.claimed_at === 'string') e.stolen_from.claimed_at = st.claimed_at;
    }
    out.push(e);
  }
  return out;
}

/** The most recent pause, if the track is paused now. */
export function lastCheckpoint(track: Pick<Track, 'data' | 'status'>): HistoryEntry | undefined {
  const h = readHistory(track);
  for (let i = h.length - 1; i >= 0; i--) if (h[i]!.to === 'paused') return h[i];
  return undefined;
}

/**
 * The new text of a track file after a transition: `status` and `updated_at`
 * set, one history item appended. Three splices; nothing else moves.
 */
export function applyEntry(text: string, path: string, entry: HistoryEntry): string {
  let next = setFrontMatterKey(text, 'status', entry.to, path);
  next = setFrontMatterKey(next, 'updated_at', entry.at, path);
  return appendListItem(next, 'history', entryLines(entry), path);
}
