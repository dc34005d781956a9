/**
 * Planning `tracks claim` and `tracks release`: the edit of one track file
 * (claim keys, a history entry, and the lifecycle transition a claim implies),
 * refused when someone else holds the track anywhere in the repository. Pure:
 * the other trees' versions of the track, the clock and the user are passed in.
 */
import type { Track } from '../model/types.js';
import { TracksError } from '../errors/index.js';
import { findTrack } from '../core/tracks.js';
import { isRetired } from '../core/status.js';
import { posOf } from '../parse/document.js';
import { setFrontMatterKey } from '../parse/edit.js';
import { applyEntry, oneLine, type HistoryEntry } from '../lifecycle/history.js';
import { planTransition, type Verb } from '../lifecycle/states.js';
import { assertNoOpenWork, type PlanInput } from '../lifecycle/transition.js';
import { PLAN_VERSION, type ChangePlan } from '../plan/types.js';
import { claimsConfig } from '../config/claims.js';
import { claimEntry, claimEvents, claimsOf, describeClaim, liveClaimsAcross, type Claim } from './claims.js';
import { namesHere } from './renamed.js';

/** A version of the track seen in another branch or work tree. */
export interface Elsewhere {
  track: Track;
  /** "branch tracks/auth", "work tree ../repo-auth". */
  where: string;
}

export interface ClaimRequest {
  ref: string;
  /** The claimant. */
  as: string;
  branch: string;
  reason?: string;
  steal?: boolean;
  /** Versions of every track in the repository's other trees (matched to this one by slug). */
  elsewhere: Elsewhere[];
}

export interface ClaimPlan extends ChangePlan {
  kind: 'claim';
  slug: string;
  claim: Claim;
  /** The lifecycle step the claim took (start or resume), if any. */
  verb?: Verb;
  entry: HistoryEntry;
  stolen?: Claim & { where: string[] };
}

/** A claim the repository already shows: the same claimant on the same branch. */
export type ClaimResult = { kind: 'plan'; plan: ClaimPlan } | { kind: 'held'; track: Track; claim: Claim };

/** Every live claim of the track over this tree and the others (under its old names too, see renamed.ts), with where each was seen. */
export function claimsAcross(t: Track, elsewhere: Elsewhere[]): (Claim & { where: string[] })[] {
  const names = namesHere([t]);
  const versions = [{ track: t, where: 'this work tree' }, ...elsewhere.filter((e) => names.track(e.track) === t.slug)];
  const live = liveClaimsAcross(versions.map((v) => claimEvents(v.track)));
  return live.map((c) => ({ ...c, where: versions.filter((v) => claimsOf(v.track).some((x) => x.by === c.by)).map((v) => v.where) }));
}

function claimVerb(t: Track): Verb | undefined {
  const where = { file: t.path, ...posOf(t, '/status') };
  switch (t.status) {
    case 'draft':
    case 'ready':
      return 'start';
    case 'paused':
      return 'resume';
    case 'active':
      return undefined;
    default:
      if (isRetired(t)) {
        throw new TracksError('TRACK_RETIRED', `track "${t.slug}" is ${t.status}: there is no work left to claim`, { hint: 'Create a new track for new work (`tracks create`).', where });
      }
      // completed, failed, or not a status at all: let the lifecycle say what is allowed.
      planTransition(t.slug, t.status, 'start', where);
      return 'start';
  }
}

export function planClaim(input: PlanInput, r: ClaimRequest): ClaimResult {
  const { repo, stamp } = input;
  const t = findTrack(repo, r.ref);
  const live = claimsAcross(t, r.elsewhere);
  const others = live.filter((c) => c.by !== r.as);
  const here = claimsOf(t).find((c) => c.by === r.as);
  if (!others.length && here && here.branch === r.branch) return { kind: 'held', track: t, claim: here };
  if (others.length && !r.steal) {
    const o = others[0]!;
    throw new TracksError('CLAIMED', `track "${t.slug}" is claimed by ${describeClaim(o)} (seen in ${o.where.join(', ')})${others.length > 1 ? `, and by ${others.slice(1).map(describeClaim).join('; ')}` : ''}`, {
      hint: `Pick another track (\`tracks next\`), or ask ${o.by} to release it. To take it over: \`tracks claim ${t.slug} --steal --reason "…"\` (recorded in the track's history).`,
      where: { file: t.path },
    });
  }
  const reason = oneLine(r.reason);
  if (r.steal && others.length && !reason) throw new TracksError('REASON_REQUIRED', `taking over ${describeClaim(others[0]!)}'s claim of "${t.slug}" records why, and no reason was given`, { hint: 'Pass --reason "…".' });
  const verb = claimVerb(t);
  const to = verb ? planTransition(t.slug, t.status, verb, { file: t.path, ...posOf(t, '/status') }).to : (t.status as HistoryEntry['to']);
  if (verb && repo.config.singleActiveTrack && !claimsConfig(repo.config).parallel) {
    const active = repo.tracks.filter((x) => x.slug !== t.slug && x.status === 'active');
    if (active.length) {
      throw new TracksError('SINGLE_ACTIVE', `cannot claim "${t.slug}": claiming starts it, "${active[0]!.slug}" is active, and the config allows one active track`, {
        exitCode: 1,
        hint: `Set claims.parallel: true in tracks.config.yaml to let claimed tracks run side by side, or pause "${active[0]!.slug}" first (\`tracks switch ${t.slug}\` pauses it and starts this one).`,
      });
    }
  }
  const claim: Claim = { by: r.as, at: stamp.now, branch: r.branch };
  const stolen = r.steal ? others[0] : undefined;
  const base: HistoryEntry = { at: stamp.now, from: (t.status ?? null) as string | null, to: to as string };
  if (stamp.who) base.by = stamp.who;
  if (reason) base.reason = reason;
  const entry = claimEntry(base, claim, stolen);
  let text = applyEntry(input.read(t.path), t.path, entry);
  text = setFrontMatterKey(text, 'claimed_by', claim.by, t.path);
  text = setFrontMatterKey(text, 'claimed_at', claim.at, t.path);
  text = setFrontMatterKey(text, 'branch', claim.branch, t.path);
  const head = `tracks: claim ${t.slug} for ${claim.by} on ${claim.branch}${verb ? ` (${t.status} → ${to})` : ''}`;
  const body = [stolen ? `Takes over the claim of ${describeClaim(stolen)}.` : '', reason ? `Reason: ${reason}` : ''].filter(Boolean).join('\n');
  return {
    kind: 'plan',
    plan: {
      version: PLAN_VERSION,
      kind: 'claim',
      createdAt: stamp.now,
      message: body ? `${head}\n\n${body}\n` : head,
      changes: [{ path: t.path, action: 'update', baseHash: t.hash, content: text }],
      slug: t.slug,
      claim,
      ...(verb ? { verb } : {}),
      entry,
      ...(stolen ? { stolen } : {}),
    },
  };
}

export interface ReleaseRequest {
  ref: string;
  /** Whose claim (default: the only one). */
  as?: string;
  reason?: string;
  complete?: boolean;
  force?: boolean;
}

export interface ReleasePlan extends ChangePlan {
  kind: 'release';
  slug: string;
  released: Claim;
  completed: boolean;
  entry: HistoryEntry;
}

export function planRelease(input: PlanInput, r: ReleaseRequest): ReleasePlan {
  const { repo, stamp } = input;
  const t = findTrack(repo, r.ref);
  const live = claimsOf(t);
  if (!live.length) {
    throw new TracksError('NOT_CLAIMED', `track "${t.slug}" is not claimed here`, {
      exitCode: 1,
      hint: `\`tracks claims\` lists the claims in every branch; release a claim on the branch that holds it.${r.complete ? ` To complete the track without a claim: \`tracks complete ${t.slug}\`.` : ''}`,
      where: { file: t.path },
    });
  }
  const claim = r.as ? live.find((c) => c.by === r.as) : live.length === 1 ? live[0] : undefined;
  if (!claim) {
    throw new TracksError('NOT_CLAIMED', r.as ? `track "${t.slug}" is not claimed by ${r.as}: it is claimed by ${live.map(describeClaim).join('; ')}` : `track "${t.slug}" is claimed ${live.length} times: ${live.map(describeClaim).join('; ')}`, {
      exitCode: 1,
      hint: `Say whose claim to end with --as (${live.map((c) => `"${c.by}"`).join(' or ')}).`,
      where: { file: t.path },
    });
  }
  let to = t.status as string;
  if (r.complete) {
    to = planTransition(t.slug, t.status, 'complete', { file: t.path, ...posOf(t, '/status') }).to;
    if (!r.force) assertNoOpenWork(repo, t, `complete "${t.slug}"`);
  }
  const reason = oneLine(r.reason);
  const entry: HistoryEntry = { at: stamp.now, from: (t.status ?? null) as string | null, to };
  if (stamp.who) entry.by = stamp.who;
  if (reason) entry.reason = reason;
  entry.event = 'release';
  entry.claimed_by = claim.by;
  if (claim.branch) entry.branch = claim.branch;
  let text = applyEntry(input.read(t.path), t.path, entry);
  // The keys name the claim that is left, if two were live; `branch` stays: the work is still there to merge.
  const rest = live.filter((c) => c !== claim);
  text = setFrontMatterKey(text, 'claimed_by', rest[0]?.by, t.path);
  text = setFrontMatterKey(text, 'claimed_at', rest[0]?.at || undefined, t.path);
  const head = `tracks: release ${t.slug} (claimed by ${claim.by}${claim.branch ? ` on ${claim.branch}` : ''})${r.complete ? `, complete (${t.status} → ${to})` : ''}`;
  return {
    version: PLAN_VERSION,
    kind: 'release',
    createdAt: stamp.now,
    message: reason ? `${head}\n\nReason: ${reason}\n` : head,
    changes: [{ path: t.path, action: 'update', baseHash: t.hash, content: text }],
    slug: t.slug,
    released: claim,
    completed: Boolean(r.complete),
    entry,
  };
}
