/**
 * Transitions over a loaded repository: which files change and how. Pure: the
 * file texts, the clock, the git user and HEAD are all passed in; the command
 * writes the result and commits it.
 */
import { findTrack, trackProgress } from '../core/tracks.js';
import { TracksError } from '../errors/index.js';
import { posOf } from '../parse/document.js';
import type { Repo, Track } from '../model/types.js';
import { applyEntry, checkpointOf, lastCheckpoint, oneLine, type HistoryEntry, type Stamp } from './history.js';
import { planTransition, type Verb } from './states.js';

export interface FileChange {
  path: string;
  before: string;
  after: string;
}

export interface Step {
  slug: string;
  verb: Verb;
  entry: HistoryEntry;
}

export interface LifecyclePlan {
  steps: Step[];
  changes: FileChange[];
  /** For resume: the pause being resumed. */
  checkpoint?: HistoryEntry;
  message: string;
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

function changesFor(input: PlanInput, steps: Step[]): FileChange[] {
  return steps.map((s) => {
    const t = findTrack(input.repo, s.slug);
    const before = input.read(t.path);
    return { path: t.path, before, after: applyEntry(before, t.path, s.entry) };
  });
}

export function commitMessage(steps: Step[], reason?: string): string {
  const head = steps.map((s) => `${s.verb} ${s.slug} (${s.entry.from} → ${s.entry.to})`).join(', ');
  const r = oneLine(reason);
  return `tracks: ${head}${r ? `\n\nReason: ${r}` : ''}`;
}

export function planVerb(input: PlanInput, slug: string, verb: Verb, reason?: string): LifecyclePlan {
  const t = findTrack(input.repo, slug);
  const s = step(input, t, verb, reason);
  if ((verb === 'start' || verb === 'resume') && input.repo.config.singleActiveTrack) {
    const others = otherActive(input.repo, slug);
    if (others.length) {
      throw new TracksError('SINGLE_ACTIVE', `cannot ${verb} "${slug}": "${others[0]!.slug}" is active and the config allows one active track`, {
        exitCode: 1,
        hint: `Use \`tracks switch ${slug}\` to pause ${others.map((o) => `"${o.slug}"`).join(', ')} and ${verb} this one in one step.`,
      });
    }
  }
  const plan: LifecyclePlan = { steps: [s], changes: changesFor(input, [s]), message: commitMessage([s], reason) };
  if (verb === 'resume') plan.checkpoint = lastCheckpoint(t);
  return plan;
}

/** Pause every other active track, then start or resume `slug`: one plan, one commit. */
export function planSwitch(input: PlanInput, slug: string, reason?: string): LifecyclePlan {
  const t = findTrack(input.repo, slug);
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
  return { steps, changes: changesFor(input, steps), checkpoint, message: `tracks: switch to ${slug}\n\n${steps.map((s) => `- ${s.verb} ${s.slug} (${s.entry.from} → ${s.entry.to})`).join('\n')}${why ? `\n\nReason: ${why}` : ''}` };
}
