/**
 * Claims: who works on a track, since when, on which branch.
 *
 * A claim is recorded twice in the track file: the keys `claimed_by`,
 * `claimed_at` and `branch` say who holds it now, and an entry appended to
 * `history` (`event: claim` or `event: release`) keeps the record. The keys
 * are for people and tools; the history is what survives branches. Two
 * branches that each claim a track both change the same lines (status,
 * updated_at, the keys, the end of the history list), so git stops the merge
 * with a conflict in the track file rather than merging silently; whoever
 * resolves it by keeping both sides' history entries (the natural resolution
 * of an append-only list) leaves two live claims, which `check` reports
 * (`track/claim-conflict`). Whoever keeps only one side loses the other claim
 * from this branch, but not from the other branch: claims are judged over
 * every version of the track file in every local branch and work tree
 * (`liveClaims` over the union of their history), so `claim`, `claims` and
 * `doctor` still see it. Pure.
 */
import type { Track } from '../model/types.js';
import { readHistory, type HistoryEntry } from '../lifecycle/history.js';

export interface Claim {
  by: string;
  /** When it was taken ('' when the file does not say). */
  at: string;
  branch: string | undefined;
}

export interface ClaimEvent {
  kind: 'claim' | 'release';
  at: string;
  by: string;
  branch: string | undefined;
  /** The claim a stolen claim ended. */
  ends?: { by: string; branch?: string };
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);

/** The claim the keys of a track file state, if any. */
export function claimKeys(t: Pick<Track, 'data'>): Claim | undefined {
  const by = str(t.data.claimed_by);
  if (!by) return undefined;
  return { by, at: str(t.data.claimed_at) ?? '', branch: str(t.data.branch) };
}

/** A track file's claim events, oldest first: its history, plus its keys when no history entry records them. */
export function claimEvents(t: Pick<Track, 'data'>): ClaimEvent[] {
  const out: ClaimEvent[] = [];
  for (const e of readHistory(t)) {
    if ((e.event !== 'claim' && e.event !== 'release') || !e.claimed_by) continue;
    out.push({
      kind: e.event,
      at: e.at,
      by: e.claimed_by,
      branch: e.branch,
      ...(e.event === 'claim' && e.stolen_from ? { ends: { by: e.stolen_from.claimed_by, ...(e.stolen_from.branch ? { branch: e.stolen_from.branch } : {}) } } : {}),
    });
  }
  const keys = claimKeys(t);
  if (keys && !out.some((e) => e.kind === 'claim' && e.by === keys.by)) out.push({ kind: 'claim', at: keys.at, by: keys.by, branch: keys.branch });
  return out;
}

const eventKey = (e: ClaimEvent) => `${e.kind}\0${e.at}\0${e.by}\0${e.branch ?? ''}`;
/** Within one second: plain claims, then claims that end another, then releases. */
const rank = (e: ClaimEvent) => (e.kind === 'release' ? 2 : e.ends ? 1 : 0);

/**
 * The claims still held after the events of every version of a track file
 * (this tree's, other branches'), replayed in time order: a claim holds until
 * its claimant releases it or someone steals it. Versions share their older
 * events; each event counts once. Events of the same second keep the order of
 * a file that has both, else claims come before what ends them.
 */
export function liveClaimsAcross(versions: ClaimEvent[][]): Claim[] {
  const unique = new Map<string, { e: ClaimEvent; at: Map<number, number>; first: number }>();
  let n = 0;
  versions.forEach((list, v) => {
    list.forEach((e, i) => {
      const k = eventKey(e);
      const u = unique.get(k) ?? { e, at: new Map<number, number>(), first: n++ };
      u.at.set(v, i);
      unique.set(k, u);
    });
  });
  const ordered = [...unique.values()].sort((x, y) => {
    if (x.e.at !== y.e.at) return x.e.at < y.e.at ? -1 : 1;
    for (const [v, i] of x.at) {
      const j = y.at.get(v);
      if (j !== undefined) return i - j;
    }
    return rank(x.e) - rank(y.e) || x.first - y.first;
  });
  const live = new Map<string, Claim>();
  for (const { e } of ordered) {
    if (e.kind === 'release') {
      live.delete(e.by);
      continue;
    }
    if (e.ends) live.delete(e.ends.by);
    live.set(e.by, { by: e.by, at: e.at, branch: e.branch });
  }
  return [...live.values()];
}

/** The live claims after one file's events. */
export function liveClaims(events: ClaimEvent[]): Claim[] {
  return liveClaimsAcross([events]);
}

/** The live claims recorded in one track file. */
export function claimsOf(t: Pick<Track, 'data'>): Claim[] {
  return liveClaims(claimEvents(t));
}

export function isClaimed(t: Pick<Track, 'data'>): boolean {
  return claimsOf(t).length > 0;
}

/** "agent-1 since 2026-11-21T10:00:00Z on branch tracks/auth" */
export function describeClaim(c: Claim): string {
  return `${c.by}${c.at ? ` since ${c.at}` : ''}${c.branch ? ` on branch ${c.branch}` : ''}`;
}

/** The history entry of a claim (the status change, if any, is the lifecycle's). */
export function claimEntry(base: Pick<HistoryEntry, 'at' | 'from' | 'to' | 'by' | 'reason'>, claim: Claim, stolen?: Claim): HistoryEntry {
  return {
    ...base,
    event: 'claim',
    claimed_by: claim.by,
    ...(claim.branch ? { branch: claim.branch } : {}),
    ...(stolen ? { stolen_from: { claimed_by: stolen.by, ...(stolen.branch ? { branch: stolen.branch } : {}), ...(stolen.at ? { claimed_at: stolen.at } : {}) } } : {}),
  };
}
