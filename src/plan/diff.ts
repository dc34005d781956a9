/**
 * Proposal + repository → the reviewable items: new tracks, changed tracks,
 * merges, retirements, and work-order moves grouped by target track. Pure.
 */
import type { Repo, Track, WorkOrder } from '../model/types.js';
import type { Proposal, ProposedTrack } from '../organize/types.js';
import { organizable } from '../organize/scope.js';
import type { Move, PlanItem, TrackFields } from './types.js';

export function fieldsOf(t: Track): TrackFields {
  return { name: t.name ?? t.slug, goal: t.goal ?? '', type: t.type ?? t.fileType ?? '', parent: t.parent ?? null };
}

export function fieldsOfProposed(t: ProposedTrack): TrackFields {
  return { name: t.name, goal: t.goal, type: t.type, parent: t.parent, ...(t.status ? { status: t.status } : {}) };
}

export function sameFields(a: TrackFields, b: TrackFields): boolean {
  return a.name === b.name && a.goal === b.goal && a.type === b.type && a.parent === b.parent;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Where each work order ends up: its assignments when the proposal has any,
 * else its current tracks with merged-away tracks replaced by their target.
 */
export function targets(repo: Repo, p: Proposal): Map<WorkOrder, string[]> {
  const byWo = new Map<string, string[]>();
  for (const a of p.assignments) {
    const list = byWo.get(a.wo) ?? [];
    if (!list.includes(a.track)) list.push(a.track);
    byWo.set(a.wo, list);
  }
  const mergedInto = new Map<string, string>();
  for (const m of p.merges ?? []) for (const s of m.from) mergedInto.set(s, m.into);
  const out = new Map<WorkOrder, string[]>();
  for (const w of organizable(repo)) {
    const assigned = byWo.get(w.id!);
    if (assigned) out.set(w, assigned);
    else if (w.tracks.some((s) => mergedInto.has(s))) out.set(w, [...new Set(w.tracks.map((s) => mergedInto.get(s) ?? s))]);
    else out.set(w, w.tracks);
  }
  return out;
}

export function diffProposal(repo: Repo, p: Proposal): PlanItem[] {
  const existing = new Map(repo.tracks.map((t) => [t.slug, t]));
  const items: PlanItem[] = [];
  const newTracks: PlanItem[] = [];
  const changed: PlanItem[] = [];
  const to = targets(repo, p);
  const count = new Map<string, number>();
  for (const list of to.values()) for (const s of list) count.set(s, (count.get(s) ?? 0) + 1);

  // Parents before children so a reader meets a track before its sub-tracks.
  const depth = (t: ProposedTrack) => {
    let d = 0;
    let cur = t.parent;
    const seen = new Set<string>();
    while (cur && !seen.has(cur) && d < 50) {
      seen.add(cur);
      d++;
      cur = p.tracks.find((x) => x.slug === cur)?.parent ?? existing.get(cur)?.parent ?? null;
    }
    return d;
  };
  const ordered = p.tracks.map((t, i) => ({ t, i, d: depth(t) })).sort((a, b) => a.d - b.d || a.i - b.i);
  // A new track's size includes its sub-tracks: that is what a reader means by "in this track".
  const parentOf = (s: string) => p.tracks.find((x) => x.slug === s)?.parent ?? existing.get(s)?.parent ?? null;
  const subtreeCount = (slug: string) => {
    let n = 0;
    for (const [s, k] of count) {
      let cur: string | null = s;
      for (let d = 0; cur && d < 50; d++, cur = parentOf(cur)) {
        if (cur === slug) {
          n += k;
          break;
        }
      }
    }
    return n;
  };
  for (const { t } of ordered) {
    const old = existing.get(t.slug);
    if (!old) {
      newTracks.push({ kind: 'new-track', id: `track:${t.slug}`, slug: t.slug, fields: fieldsOfProposed(t), workOrders: subtreeCount(t.slug) });
      continue;
    }
    const before = fieldsOf(old);
    const after = fieldsOfProposed(t);
    if (!sameFields(before, after)) changed.push({ kind: 'change-track', id: `track:${t.slug}`, slug: t.slug, before, after });
  }
  items.push(...newTracks, ...changed);

  const moves: Move[] = [];
  for (const [w, list] of to) {
    if (sameList(w.tracks, list)) continue;
    moves.push({ wo: w.id!, title: w.title ?? '', path: w.path, from: w.tracks, to: list });
  }
  const claimed = new Set<Move>();
  for (const m of p.merges ?? []) {
    const from = new Set(m.from);
    const mine = moves.filter((x) => !claimed.has(x) && x.from.some((s) => from.has(s)) && x.to.includes(m.into));
    mine.forEach((x) => claimed.add(x));
    items.push({ kind: 'merge', id: `merge:${m.into}:${m.from.join('+')}`, from: m.from, into: m.into, reason: m.reason, moves: mine });
  }
  for (const r of p.retire ?? []) items.push({ kind: 'retire', id: `retire:${r.slug}`, slug: r.slug, reason: r.reason });

  const order = new Map<string, number>();
  p.tracks.forEach((t, i) => order.set(t.slug, i));
  repo.tracks.forEach((t, i) => (order.has(t.slug) ? undefined : order.set(t.slug, p.tracks.length + i)));
  const groups = new Map<string, Move[]>();
  for (const m of moves) {
    if (claimed.has(m)) continue;
    const key = m.to[0] ?? '';
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const keys = [...groups.keys()].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || (a < b ? -1 : 1));
  for (const k of keys) items.push({ kind: 'moves', id: `moves:${k}`, track: k, moves: groups.get(k)! });
  return items;
}
