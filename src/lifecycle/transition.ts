/**
 * Transitions over a loaded repository: which files change and how. Pure: the
 * file texts, the clock, the git user and HEAD are all passed in; the command
 * writes the result and commits it.
 */
import { findTrack, trackProgress } from '../core/tracks.js';
import { TracksError } from '../errors/index.js';
import { posOf } from '../parse/document.js';
import type { Repo, Track } from '../model/types.js';
import { PLAN_VERSION, type ChangePlan, type FileChange } from '../plan/types.js';
import { applyEntry, checkpointOf, lastCheckpoint, oneLine, type HistoryEntry, type Stamp } from './history.js';
import { planTransition, type Verb } from './states.js';


export interface Step {
  slug: string;
  verb: Verb;
  entry: HistoryEntry;
}

export interface LifecyclePlan extends ChangePlan {
  kind: 'transition' | 'pick';
  steps: Step[];
  /** For resume: the pause being resumed. */
  checkpoint?: HistoryEntry;
}

/** The plan value for edited track files (their new text, against the blob each was read as). */
export function lifecyclePlan(kind: LifecyclePlan['kind'], input: PlanInput, steps: Step[], edits: { track: Track; after: string }[], message: string, checkpoint?: HistoryEntry): LifecyclePlan {
  const changes: FileChange[] = edits.map((e) => ({ path: e.track.path, action: 'update', baseHash: e.track.hash, content: e.after }));
  return { version: PLAN_VERSION, kind, createdAt: input.stamp.now, message, changes, steps, ...(checkpoint ? { checkpoint } : {}) };
}

export interface PlanInput {
  repo: Repo;
  stamp: Stamp;
  /** HEAD, recorded in pause checkpoints. */
  head?: string;
  /** Current text of a repo-relative file. */
  read: (path: string) => string;
}

function otherActive(repo: Repo, slug: string): Track[] {
  return repo.tracks.filter((t) => t.slug !== slug && t.status === 'active');
}

function step(input: PlanInput, t: Track, verb: Verb, reason: string | undefined): Step {
  const { from, to } = planTransition(t.slug, t.status, verb, { file: t.path, ...posOf(t, '/status') });
  const entry: HistoryEntry = { at: input.stamp.now, from, to };
  if (input.stamp.who) entry.by = input.stamp.who;
  const r = oneLine(reason);
  if (r) entry.reason = r;
  if (verb === 'pause') {
    if (input.head) entry.commit = input.head;
    entry.progress = checkpointOf(trackProgress(input.repo, t.slug));
  }
  return { slug: t.slug, verb, entry };
}

function editsFor(input: PlanInput, steps: Step[]): { track: Track; after: string }[] {
  return steps.map((s) => {
    const t = findTrack(input.repo, s.slug);
    return { track: t, after: applyEntry(input.read(t.path), t.path, s.entry) };
  });
}

/** Finishing a track (or picking it as a winner) with open work asks for --force, saying how much is open. */
export function assertNoOpenWork(repo: Repo, t: Track, what: string): void {
  const p = trackProgress(repo, t.slug);
  const open = p.total - p.done;
  if (open > 0) {
    throw new TracksError('NEEDS_FORCE', `cannot ${what}: ${open} of its ${p.total} work order${p.total === 1 ? '' : 's'} ${open === 1 ? 'is' : 'are'} not done`, {
      hint: `Finish or move them first (\`tracks next ${t.slug}\` shows them), or pass --force to go ahead anyway.`,
    });
  }
}

export function commitMessage(steps: Step[], reason?: string): string {
  const head = steps.map((s) => `${s.verb} ${s.slug} (${s.entry.from} → ${s.entry.to})`).join(', ');
  const r = oneLine(reason);
  return `tracks: ${head}${r ? `\n\nReason: ${r}` : ''}`;
}

export function planVerb(input: PlanInput, ref: string, verb: Verb, reason?: string, opts: { force?: boolean } = {}): LifecyclePlan {
  const t = findTrack(input.repo, ref);
  const slug = t.slug;
  const s = step(input, t, verb, reason);
  if (verb === 'complete' && !opts.force) assertNoOpenWork(input.repo, t, `complete "${slug}"`);
  if ((verb === 'start' || verb === 'resume') && input.repo.config.singleActiveTrack) {
    const others = otherActive(input.repo, slug);
    if (others.length) {
      throw new TracksError('SINGLE_ACTIVE', `cannot ${verb} "${slug}": "${others[0]!.slug}" is active and the config allows one active track`, {
        exitCode: 1,
        hint: `Use \`tracks switch ${slug}\` to pause ${others.map((o) => `"${o.slug}"`).join(', ')} and ${verb} this one in one step.`,
      });
    }
  }
  return lifecyclePlan('transition', input, [s], editsFor(input, [s]), commitMessage([s], reason), verb === 'resume' ? lastCheckpoint(t) : undefined);
}

/** Pause every other active track, then start or resume `slug`: one plan, one commit. */
export function planSwitch(input: PlanInput, ref: string, reason?: string): LifecyclePlan {
  const t = findTrack(input.repo, ref);
  const slug = t.slug;
  const others = otherActive(input.repo, slug);
  if (t.status === 'active') {
    if (others.length === 0) throw new TracksError('TRANSITION_REFUSED', `track "${slug}" is already the active track`, { exitCode: 1, hint: 'Nothing to switch.' });
  }
  const why = oneLine(reason);
  const steps: Step[] = others.map((o) => step(input, o, 'pause', `switched to ${slug}${why ? `: ${why}` : ''}`));
  let checkpoint: HistoryEntry | undefined;
  if (t.status !== 'active') {
    const verb: Verb = t.status === 'paused' ? 'resume' : 'start';
    steps.push(step(input, t, verb, reason));
    if (verb === 'resume') checkpoint = lastCheckpoint(t);
  }
  return lifecyclePlan('transition', input, steps, editsFor(input, steps), `tracks: switch to ${slug}\n\n${steps.map((s) => `- ${s.verb} ${s.slug} (${s.entry.from} → ${s.entry.to})`).join('\n')}${why ? `\n\nReason: ${why}` : ''}`, checkpoint);
}
