/**
 * Size bounds on a proposal. Whoever proposes (a model, the offline organizer,
 * a person editing in review) gets these back as violations like any other
 * rule: an answer with 500 sub-tracks or a megabyte of goal is not a plan a
 * person can review, and it is never written. Pure.
 */
import type { Repo } from '../model/types.js';
import { isRetired } from './scope.js';
import type { Proposal } from './types.js';

export const BOUNDS = {
  /** Tracks added or changed by one proposal. */
  tracks: 100,
  /** Live sub-tracks under one parent once the proposal is applied. */
  subTracksPerParent: 20,
  /** Characters of a goal, a reason or a note (names are bounded by the schema: 80). */
  text: 500,
  notes: 20,
  merges: 50,
  retire: 50,
  /** Assignments, per work order that can be organized (several tracks each at most). */
  assignmentsPerWorkOrder: 4,
} as const;

const q = (s: unknown) => JSON.stringify(s);
const long = (what: string, s: string) => `${what} is ${s.length.toLocaleString('en-US')} characters long; keep it under ${BOUNDS.text} (one sentence).`;

/** Violations of the size bounds, one sentence each; empty when the proposal is within them. Expects a schema-valid proposal. */
export function proposalBounds(p: Proposal, repo: Repo): string[] {
  const out: string[] = [];
  const existing = new Map(repo.tracks.map((t) => [t.slug, t]));
  if (p.tracks.length > BOUNDS.tracks) out.push(`the proposal lists ${p.tracks.length} tracks; at most ${BOUNDS.tracks} can be added or changed at once: merge related ones, or list only the tracks you add or change.`);
  p.tracks.forEach((t, i) => {
    // Restating an existing track's own goal is not the proposer's doing, however long it is.
    if (t.goal.length > BOUNDS.text && t.goal !== existing.get(t.slug)?.goal) out.push(long(`tracks[${i}] (${q(t.slug)}): the goal`, t.goal));
  });
  (p.merges ?? []).forEach((m, i) => {
    if (m.reason.length > BOUNDS.text) out.push(long(`merges[${i}]: the reason`, m.reason));
  });
  (p.retire ?? []).forEach((r, i) => {
    if (r.reason.length > BOUNDS.text) out.push(long(`retire[${i}]: the reason`, r.reason));
  });
  p.assignments.forEach((a, i) => {
    if ((a.reason?.length ?? 0) > BOUNDS.text) out.push(long(`assignments[${i}] (${a.wo}): the reason`, a.reason!));
  });
  if ((p.merges?.length ?? 0) > BOUNDS.merges) out.push(`the proposal has ${p.merges!.length} merges; at most ${BOUNDS.merges}.`);
  if ((p.retire?.length ?? 0) > BOUNDS.retire) out.push(`the proposal retires ${p.retire!.length} tracks; at most ${BOUNDS.retire}.`);
  const notes = p.notes ?? [];
  if (notes.length > BOUNDS.notes) out.push(`the proposal has ${notes.length} notes; at most ${BOUNDS.notes}, each a short remark.`);
  notes.slice(0, BOUNDS.notes).forEach((n, i) => {
    if (n.length > BOUNDS.text) out.push(long(`notes[${i}]`, n));
  });
  const maxAssignments = Math.max(100, BOUNDS.assignmentsPerWorkOrder * repo.workOrders.length);
  if (p.assignments.length > maxAssignments) out.push(`the proposal has ${p.assignments.length} assignments for ${repo.workOrders.length} work orders; assign each work order once.`);

  // Sub-tracks per parent, after the proposal: only parents the proposal adds a sub-track to are its doing.
  const parentOf = new Map<string, string | null>();
  for (const t of repo.tracks) if (!isRetired(t)) parentOf.set(t.slug, t.parent ?? null);
  const gone = new Set([...(p.retire ?? []).map((r) => r.slug), ...(p.merges ?? []).flatMap((m) => m.from)]);
  const grown = new Set<string>();
  for (const t of p.tracks) {
    if (t.parent && t.parent !== (existing.get(t.slug)?.parent ?? null)) grown.add(t.parent);
    parentOf.set(t.slug, t.parent);
  }
  const children = new Map<string, number>();
  for (const [slug, parent] of parentOf) if (parent && !gone.has(slug)) children.set(parent, (children.get(parent) ?? 0) + 1);
  for (const parent of grown) {
    const n = children.get(parent) ?? 0;
    if (n > BOUNDS.subTracksPerParent)
      out.push(`track ${q(parent)} would have ${n} sub-tracks; at most ${BOUNDS.subTracksPerParent} per parent: merge related ones, or put some under another parent.`);
  }
  return out;
}
