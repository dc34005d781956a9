/**
 * The track lifecycle as data: which verb moves a track from which states to
 * which state. Pure. Commands, errors and help text all read this one table,
 * so a transition is allowed or refused in exactly one place.
 */
import { TRACK_STATUSES, type TrackStatus } from '../model/types.js';
import { TracksError, type Where } from '../errors/index.js';

export type Verb = 'ready' | 'start' | 'pause' | 'resume' | 'complete' | 'fail' | 'cancel' | 'archive';

export interface VerbRule {
  to: TrackStatus;
  from: readonly TrackStatus[];
  /** One line for `--help`. */
  summary: string;
}

// Why these edges: a cancelled or failed track is a recorded outcome, so it can
// only be archived (start a new track to try again); archived is the end; an
// active track must be paused, completed, failed or cancelled before it can be
// archived, so nobody loses an active track by a slip of the keyboard.
export const VERBS: Record<Verb, VerbRule> = {
  ready: { to: 'ready', from: ['draft'], summary: 'mark a draft track as ready to start' },
  start: { to: 'active', from: ['draft', 'ready'], summary: 'start working on a track' },
  pause: { to: 'paused', from: ['active'], summary: 'pause an active track, recording a checkpoint (progress and commit)' },
  resume: { to: 'active', from: ['paused'], summary: 'resume a paused track and show its checkpoint' },
  complete: { to: 'completed', from: ['active', 'paused'], summary: 'mark a track as completed' },
  fail: { to: 'failed', from: ['active', 'paused'], summary: 'mark a track as failed (its goal was not reached)' },
  cancel: { to: 'cancelled', from: ['draft', 'ready', 'active', 'paused'], summary: 'cancel a track (it stays in the repository)' },
  archive: { to: 'archived', from: ['draft', 'ready', 'completed', 'failed', 'cancelled'], summary: 'archive a finished track (terminal)' },
};

export const VERB_NAMES = Object.keys(VERBS) as Verb[];

/** Every status a track may move to from `from`, with the verb that does it. */
export function nextStates(from: string | undefined): { to: TrackStatus; verb: Verb }[] {
  const out: { to: TrackStatus; verb: Verb }[] = [];
  for (const verb of VERB_NAMES) {
    const r = VERBS[verb];
    if (from !== undefined && r.from.includes(from as TrackStatus)) out.push({ to: r.to, verb });
  }
  return out;
}

export function isTrackStatus(s: unknown): s is TrackStatus {
  return typeof s === 'string' && (TRACK_STATUSES as readonly string[]).includes(s);
}

export function describeNext(from: string | undefined): string {
  const next = nextStates(from);
  if (next.length === 0) return from === 'archived' ? 'archived is terminal: nothing follows it' : `nothing follows ${from ?? 'an unknown status'}`;
  return next.map((n) => `${n.to} (tracks ${n.verb})`).join(', ');
}

/** The status after `verb`, or a refusal that names what is allowed instead. */
export function planTransition(slug: string, from: string | undefined, verb: Verb, where?: Where): { from: TrackStatus; to: TrackStatus } {
  const rule = VERBS[verb];
  if (!isTrackStatus(from)) {
    throw new TracksError('TRACK_BAD_STATUS', `track "${slug}" has status ${JSON.stringify(from ?? null)}, which is not a track status`, {
      hint: `Set status to one of: ${TRACK_STATUSES.join(', ')} (see \`tracks check\`).`,
      where,
    });
  }
  if (from === rule.to) {
    throw new TracksError('TRANSITION_REFUSED', `track "${slug}" is already ${from}`, { exitCode: 1, hint: `From ${from} it can go to: ${describeNext(from)}.`, where });
  }
  if (!rule.from.includes(from)) {
    const alt = nextStates(from).find((n) => n.to === rule.to);
    throw new TracksError('TRANSITION_REFUSED', `cannot ${verb} track "${slug}": it is ${from}, and ${verb} needs ${rule.from.join(' or ')}`, {
      exitCode: 1,
      hint: `${alt ? `Use \`tracks ${alt.verb} ${slug}\`. ` : ''}From ${from} it can go to: ${describeNext(from)}.`,
      where,
    });
  }
  return { from, to: rule.to };
}
