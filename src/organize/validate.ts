/**
 * Proposal validation: the schema, then the repository's rules. Each violation
 * is one sentence that names the exact item, so a model can correct it and a
 * person can read it. Nothing here repairs a proposal. Pure.
 */
import type { Repo, Track } from '../model/types.js';
import { proposalBounds } from './bounds.js';
import { validators, type AjvError } from '../validate/schemas.js';

import type { Mode, Proposal, ProposedTrack } from './types.js';
import { decisionOf } from '../lifecycle/experiment.js';
import { isDone } from '../core/status.js';
import { FROZEN_STATUSES, frozenSlugs, inScope, isInProgress, isPinned, isRetired, organizable, topLevelTarget } from './scope.js';

export interface ValidateOptions {
  /**
   * Require every work order in scope to be assigned (true for what a provider
   * proposes; false for what is left after a person rejected some items).
   */
  complete?: boolean;
}

/** Names that break on some file systems, in URLs, or read as YAML keywords in `parent:`. */
export const RESERVED_SLUGS = new Set([
  'con', 'prn', 'aux', 'nul',
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
  'new', 'index', 'null', 'true', 'false',
]);

/** How many ids to name in one sentence before summarising the rest. */
const MAX_LISTED = 60;

function list(ids: string[]): string {
  if (ids.length <= MAX_LISTED) return ids.join(', ');
  return `${ids.slice(0, MAX_LISTED).join(', ')} and ${ids.length - MAX_LISTED} more`;
}

function q(s: unknown): string {
  return JSON.stringify(s);
}

function where(pointer: string): string {
  if (!pointer) return 'the proposal';
  return pointer
    .slice(1)
    .split('/')
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i ? `.${s}` : s))
    .join('');
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function schemaSentences(errors: AjvError[], candidate: unknown): string[] {
  const out = new Set<string>();
  for (const e of errors) {
    const at = where(e.instancePath);
    const value = valueAt(candidate, e.instancePath);
    const isSlugPath = /\/(slug|track|into|parent|from\/\d+)$/.test(e.instancePath);
    switch (e.keyword) {
      case 'required':
        out.add(`${at} is missing the required field "${String(e.params.missingProperty)}".`);
        break;
      case 'additionalProperties':
        out.add(`${at} has an unknown field "${String(e.params.additionalProperty)}"; remove it.`);
        break;
      case 'pattern':
      case 'maxLength':
        if (isSlugPath && typeof value === 'string') {
          out.add(
            value.includes('/') || value.includes('..') || value.includes('\\')
              ? `${at} ${q(value)} is not a slug: slugs name files inside the tracks directory and cannot contain "/", "\\" or "..".`
              : `${at} ${q(value)} is not a valid slug: use lowercase letters, digits and single hyphens, at most 64 characters (e.g. "runner-reliability").`,
          );
        } else if (/\/type$/.test(e.instancePath)) {
          out.add(`${at} ${q(value)} must be an upper-case track type such as FEAT.`);
        } else out.add(`${at} ${e.message ?? 'is invalid'}.`);
        break;
      case 'anyOf':
        if (/\/parent$/.test(e.instancePath)) out.add(`${at} must be the slug of a track or null, not ${q(value)}.`);
        else out.add(`${at} ${e.message ?? 'is invalid'}.`);
        break;
      case 'type':
      case 'minLength':
      case 'minItems':
      case 'minimum':
      case 'maximum':
        out.add(`${at} ${e.message ?? 'is invalid'}${value === undefined ? '' : ` (got ${q(value)})`}.`);
        break;
      default:
        // Branch errors under a reported anyOf add nothing a reader can use.
        if (errors.some((x) => x.keyword === 'anyOf' && e.instancePath.startsWith(x.instancePath))) break;
        out.add(`${at} ${e.message ?? 'is invalid'}.`);
    }
  }
  return [...out];
}

interface EffectiveTrack {
  slug: string;
  parent: string | null;
  existing?: Track;
  proposed?: ProposedTrack;
}

export function validateProposal(candidate: unknown, repo: Repo, mode: Mode, opts: ValidateOptions = {}): string[] {
  const v = validators().validateProposal;
  if (!v(candidate)) return schemaSentences(v.errors ?? [], candidate);
  const p = candidate as Proposal;
  const out: string[] = proposalBounds(p, repo);
  const { config } = repo;
  const complete = opts.complete ?? true;

  const existing = new Map<string, Track>();
  for (const t of repo.tracks) if (!existing.has(t.slug)) existing.set(t.slug, t);
  const frozen = frozenSlugs(repo);
  /** Why a frozen track cannot change, as a phrase after "is". */
  const frozenAs = (t: Track) =>
    FROZEN_STATUSES.includes(t.status as never) ? String(t.status) : `part of the decided experiment ${q(decisionOf(t)?.experiment ?? t.experiment)}`;
  const frozenTrack = (slug: string | null | undefined) => (slug && frozen.has(slug) ? existing.get(slug) : undefined);

  // Proposed tracks: slugs, duplicates, types, and what incremental mode may not touch.
  const proposed = new Map<string, ProposedTrack>();
  p.tracks.forEach((t, i) => {
    if (proposed.has(t.slug)) {
      out.push(`tracks[${i}]: the slug ${q(t.slug)} is proposed more than once; each track appears once.`);
      return;
    }
    proposed.set(t.slug, t);
    const old = existing.get(t.slug);
    if (!old && RESERVED_SLUGS.has(t.slug)) {
      out.push(`tracks[${i}]: the slug ${q(t.slug)} is reserved (a device name on Windows, a word the CLI uses, or a YAML keyword); choose another, e.g. ${q(`${t.slug}-work`)}.`);
    }
    if (!config.trackTypes.includes(t.type)) {
      out.push(`tracks[${i}] (${q(t.slug)}): type ${q(t.type)} is not one of the configured types ${config.trackTypes.join(', ')}.`);
    }
    if (t.parent === t.slug) out.push(`tracks[${i}] (${q(t.slug)}) names itself as its parent.`);
    if (old) {
      const changes = changedFields(old, t);
      if (changes.length && frozen.has(t.slug)) {
        out.push(`tracks[${i}]: track ${q(t.slug)} is ${frozenAs(old)}, so organize never changes it (${changes.join('; ')}); leave it out of "tracks".`);
      } else if (changes.length && mode === 'incremental') {
        out.push(`tracks[${i}]: incremental mode cannot change the existing track ${q(t.slug)} (${changes.join('; ')}); leave it exactly as it is, or propose a new track with a new slug.`);
      }
    }
    if (old && t.status !== undefined && t.status !== old.status) {
      out.push(`tracks[${i}] (${q(t.slug)}): "status" is for new tracks only; an existing track changes status through the lifecycle commands (start, pause, complete, …), so leave it out.`);
    }
    const under = frozenTrack(t.parent);
    if (under && t.parent !== t.slug && (!old || (old.parent ?? null) !== t.parent) && !frozen.has(t.slug)) {
      out.push(`tracks[${i}]: ${q(t.slug)} cannot go under ${q(t.parent)}, which is ${frozenAs(under)}: organize adds nothing to a frozen track; choose a live parent or null.`);
    }
  });

  // Merges and retirements.
  const leaving = new Map<string, string>(); // slug → why it goes away
  if (mode === 'incremental' && (p.merges?.length ?? 0) > 0) {
    out.push(`incremental mode cannot merge tracks (${p.merges!.map((m) => `${m.from.join(', ')} → ${m.into}`).join('; ')}); remove "merges".`);
  }
  if (mode === 'incremental' && (p.retire?.length ?? 0) > 0) {
    out.push(`incremental mode cannot retire tracks (${p.retire!.map((r) => r.slug).join(', ')}); remove "retire".`);
  }
  (p.merges ?? []).forEach((m, i) => {
    if (!existing.has(m.into) && !proposed.has(m.into)) out.push(`merges[${i}]: the target ${q(m.into)} is not a track.`);
    else if (frozenTrack(m.into)) out.push(`merges[${i}]: the target ${q(m.into)} is ${frozenAs(frozenTrack(m.into)!)}, and organize never adds work orders to a frozen track; merge into a live track.`);
    for (const s of m.from) {
      const t = existing.get(s);
      if (s === m.into) out.push(`merges[${i}]: ${q(s)} cannot be merged into itself.`);
      else if (!t) out.push(`merges[${i}]: ${q(s)} is not an existing track; only existing tracks can be merged.`);
      else if (isRetired(t)) out.push(`merges[${i}]: ${q(s)} is already ${t.status}.`);
      else if (frozen.has(s)) out.push(`merges[${i}]: ${q(s)} is ${frozenAs(t)}, so organize never merges it; remove it from "from".`);
      else if (isInProgress(t)) out.push(`merges[${i}]: ${q(s)} is ${t.status}: work is under way in it, so organize never merges it away; remove it from "from" (move single work orders instead).`);
      else if (leaving.has(s)) out.push(`merges[${i}]: ${q(s)} is ${leaving.get(s)} already; each track can be merged or retired once.`);
      else leaving.set(s, `merged into ${q(m.into)}`);
    }
  });
  (p.retire ?? []).forEach((r, i) => {
    const t = existing.get(r.slug);
    if (!t) out.push(`retire[${i}]: ${q(r.slug)} is not an existing track.`);
    else if (isRetired(t)) out.push(`retire[${i}]: ${q(r.slug)} is already ${t.status}.`);
    else if (frozen.has(r.slug)) out.push(`retire[${i}]: ${q(r.slug)} is ${frozenAs(t)}, so organize never retires it; remove it from "retire".`);
    else if (isInProgress(t)) out.push(`retire[${i}]: ${q(r.slug)} is ${t.status}: work is under way in it, so organize never retires it; remove it from "retire".`);
    else if (leaving.has(r.slug)) out.push(`retire[${i}]: ${q(r.slug)} is ${leaving.get(r.slug)} already; each track can be merged or retired once.`);
    else leaving.set(r.slug, 'retired');
  });
  // A frozen sub-track keeps its parent, so that parent cannot go away.
  for (const t of repo.tracks) {
    if (!frozen.has(t.slug) || isRetired(t) || !t.parent || !leaving.has(t.parent)) continue;
    out.push(`${q(t.parent)} cannot be ${leaving.get(t.parent)}: its sub-track ${q(t.slug)} is ${frozenAs(t)} and organize cannot give it another parent; keep ${q(t.parent)}.`);
  }
  (p.merges ?? []).forEach((m, i) => {
    if (leaving.has(m.into)) out.push(`merges[${i}]: the target ${q(m.into)} is ${leaving.get(m.into)} itself; merge into a track that stays.`);
  });
  for (const [slug, why] of leaving) {
    if (proposed.has(slug) && existing.has(slug) && changedFields(existing.get(slug)!, proposed.get(slug)!).length) {
      out.push(`track ${q(slug)} is ${why} and also changed in "tracks"; do one or the other.`);
    }
  }

  // The track tree after the proposal: parents known, live, acyclic; top-level limit.
  const live = new Map<string, EffectiveTrack>();
  for (const [slug, t] of existing) {
    if (isRetired(t) || leaving.has(slug)) continue;
    live.set(slug, { slug, parent: t.parent ?? null, existing: t });
  }
  for (const [slug, t] of proposed) {
    if (leaving.has(slug) || (existing.has(slug) && isRetired(existing.get(slug)!))) continue;
    live.set(slug, { slug, parent: t.parent, existing: existing.get(slug), proposed: t });
  }
  for (const t of live.values()) {
    if (!t.parent || t.parent === t.slug) continue;
    if (live.has(t.parent)) continue;
    const ex = existing.get(t.parent);
    const who = t.proposed ? `track ${q(t.slug)}` : `existing track ${q(t.slug)}`;
    if (leaving.has(t.parent)) out.push(`${who} has parent ${q(t.parent)}, which is ${leaving.get(t.parent)}; give ${q(t.slug)} another parent (or null) in "tracks".`);
    else if (ex && isRetired(ex)) out.push(`${who} has parent ${q(t.parent)}, which is ${ex.status}; choose a live parent or null.`);
    else out.push(`${who} has parent ${q(t.parent)}, which is not a track; use the slug of an existing or proposed track, or null.`);
  }
  const reported = new Set<string>();
  for (const t of live.values()) {
    const chain: string[] = [t.slug];
    let cur = t.parent ? live.get(t.parent) : undefined;
    while (cur && !chain.includes(cur.slug)) {
      chain.push(cur.slug);
      cur = cur.parent ? live.get(cur.parent) : undefined;
    }
    if (cur && cur.slug === t.slug && t.parent !== t.slug && !reported.has(t.slug)) {
      chain.forEach((s) => reported.add(s));
      out.push(`parents form a cycle: ${chain.join(' → ')} → ${t.slug}; make one of them top-level (parent null).`);
    }
  }
  if (config.singleActiveTrack) {
    const active = [...live.values()].filter((t) => (t.existing ? t.existing.status : t.proposed?.status) === 'active').map((t) => t.slug);
    if (active.length > 1) out.push(`single_active_track allows one active track, but ${active.join(', ')} would be active; start the new tracks as "ready".`);
  }
  const top = [...live.values()].filter((t) => !t.parent).map((t) => t.slug);
  const target = topLevelTarget(config);
  // New at the top level: a new track, or an existing sub-track made top-level.
  const added = top.filter((s) => {
    const t = live.get(s)!;
    return !t.existing || (t.existing.parent ?? null) !== null;
  });
  if (top.length > config.topLevelLimit) {
    out.push(
      `${top.length} top-level tracks (${top.join(', ')}) exceed the limit of ${config.topLevelLimit}; give ${top.length - config.topLevelLimit} of them a parent (make them sub-tracks), or merge them.`,
    );
  } else if (added.length && top.length > target) {
    const n = Math.min(added.length, top.length - target);
    out.push(
      `the proposal makes ${top.length} top-level tracks, but organize fills at most ${target} of the ${config.topLevelLimit} (organize_top_level_target) so that a person can still add one; give ${n} of the new top-level tracks (${added.join(', ')}) a parent.`,
    );
  }

  // Assignments.
  const scope = inScope(repo, mode);
  const scopeIds = new Set(scope.map((w) => w.id!));
  const allIds = new Map(organizable(repo).map((w) => [w.id!, w]));
  const unknownIds: string[] = [];
  const notInScope: string[] = [];
  const pinned = new Map<string, string[]>();
  const intoFrozen = new Map<string, string[]>();
  const unknownTracks = new Map<string, string[]>();
  const gone = new Map<string, string[]>();
  const byWo = new Map<string, string[]>();
  p.assignments.forEach((a) => {
    if (!allIds.has(a.wo)) {
      unknownIds.push(a.wo);
      return;
    }
    const w = allIds.get(a.wo)!;
    if (!scopeIds.has(a.wo)) {
      if (mode === 'incremental') notInScope.push(a.wo);
      else if (isPinned(w, frozen)) pinned.set(a.wo, [...(pinned.get(a.wo) ?? []), a.track]);
      return;
    }
    const target = existing.get(a.track);
    if (target && frozen.has(a.track) && !isRetired(target) && !w.tracks.includes(a.track)) {
      intoFrozen.set(a.track, [...(intoFrozen.get(a.track) ?? []), a.wo]);
    }
    if (!live.has(a.track)) {
      if (leaving.has(a.track)) gone.set(a.track, [...(gone.get(a.track) ?? []), a.wo]);
      else if (target && isRetired(target)) gone.set(a.track, [...(gone.get(a.track) ?? []), a.wo]);
      else unknownTracks.set(a.track, [...(unknownTracks.get(a.track) ?? []), a.wo]);
    }
    byWo.set(a.wo, [...(byWo.get(a.wo) ?? []), a.track]);
  });
  if (unknownIds.length) {
    out.push(`assignments name work orders that do not exist: ${list([...new Set(unknownIds)])}; use only ids from the request.`);
  }
  if (notInScope.length) {
    out.push(
      `incremental mode only assigns work orders that have no track, but the proposal assigns ${list([...new Set(notInScope)])}, which already have one; remove those assignments.`,
    );
  }
  // Restating exactly where a work order of a frozen track is changes nothing; anything else moves it.
  const pinnedMoves = [...pinned]
    .filter(([wo, tracks]) => {
      const now = allIds.get(wo)!.tracks;
      return tracks.length !== new Set(tracks).size || !now.every((s) => tracks.includes(s)) || !tracks.every((s) => now.includes(s));
    })
    .map(([wo]) => `${wo} (${allIds.get(wo)!.tracks.filter((s) => frozen.has(s)).join(', ')})`);
  if (pinnedMoves.length) {
    out.push(`work orders of frozen tracks stay where they are, but the proposal moves ${list(pinnedMoves)}; remove those assignments.`);
  }
  for (const [slug, ids] of intoFrozen) {
    out.push(`assignments put ${list(ids)} into ${q(slug)}, which is ${frozenAs(existing.get(slug)!)}; organize never adds work orders to a frozen track, so assign them to a live track.`);
  }
  for (const [slug, ids] of unknownTracks) {
    out.push(`assignments use the track ${q(slug)}, which is neither an existing track nor in "tracks" (work orders ${list(ids)}); add the track or use an existing slug.`);
  }
  for (const [slug, ids] of gone) {
    const why = leaving.get(slug) ?? existing.get(slug)?.status ?? 'retired';
    out.push(`assignments put ${list(ids)} into ${q(slug)}, which is ${why}; assign them to a live track.`);
  }
  // A retired track is closed: open work left in it (not assigned elsewhere) breaks check's track/retired-with-open-work.
  const retiring = new Set([...leaving].filter(([, why]) => why === 'retired').map(([slug]) => slug));
  if (retiring.size) {
    const assigned = new Set(p.assignments.map((a) => a.wo));
    const stranded = new Map<string, string[]>();
    for (const w of allIds.values()) {
      if (assigned.has(w.id!) || isDone(w, config)) continue;
      for (const s of new Set(w.tracks)) if (retiring.has(s)) stranded.set(s, [...(stranded.get(s) ?? []), w.id!]);
    }
    for (const [slug, ids] of stranded) {
      out.push(`${q(slug)} is retired but would still hold ${ids.length} open work order${ids.length === 1 ? '' : 's'} (${list(ids)}); assign ${ids.length === 1 ? 'it' : 'them'} to a live track, or do not retire ${q(slug)}.`);
    }
  }
  const twice: string[] = [];
  for (const [wo, tracks] of byWo) {
    const distinct = new Set(tracks);
    if (distinct.size < tracks.length || (!config.multipleTracksPerWorkOrder && tracks.length > 1)) twice.push(`${wo} (${tracks.join(', ')})`);
  }
  if (twice.length) {
    out.push(
      config.multipleTracksPerWorkOrder
        ? `work orders assigned to the same track more than once: ${list(twice)}.`
        : `each work order goes to exactly one track, but these are assigned more than once: ${list(twice)}.`,
    );
  }
  if (complete) {
    const missing = scope.map((w) => w.id!).filter((id) => !byWo.has(id));
    if (missing.length) {
      out.push(`${missing.length} work order${missing.length === 1 ? ' is' : 's are'} not assigned: ${list(missing)}; assign each to exactly one track.`);
    }
  }
  return out;
}

/** Differences between an existing track and its restatement in a proposal, as "name "a" → "b"". */
export function changedFields(old: Track, t: ProposedTrack): string[] {
  const out: string[] = [];
  const cmp: [string, unknown, unknown][] = [
    ['name', old.name ?? '', t.name],
    ['goal', old.goal ?? '', t.goal],
    ['type', old.type ?? old.fileType ?? '', t.type],
    ['parent', old.parent ?? null, t.parent],
  ];
  for (const [k, a, b] of cmp) if (a !== b) out.push(`${k} ${q(a)} → ${q(b)}`);
  return out;
}

