/**
 * Experiments: EXP tracks that compete share an `experiment:` key. Listing,
 * comparing, and picking a winner (winner completed, the others cancelled but
 * kept, the decision and its reason written into every competing file). Pure.
 */
import { byNumber, trackProgress } from '../core/tracks.js';
import { TracksError } from '../errors/index.js';
import { posOf } from '../parse/document.js';
import type { Repo, Track } from '../model/types.js';
import { hintFor } from '../validate/rules.js';
import { appendToSection, sectionText } from './body.js';
import { applyEntry, oneLine, type HistoryEntry } from './history.js';
import { progressJson } from '../core/progress.js';
import { planTransition, type Verb } from './states.js';
import { assertNoOpenWork, lifecyclePlan, type LifecyclePlan, type PlanInput, type Step } from './transition.js';
import { mappingLines, setBlockMapping } from '../parse/edit-block.js';
import { setFrontMatterKey } from '../parse/edit.js';

export interface Decision {
  experiment: string;
  winner: string;
  reason?: string;
  at?: string;
  by?: string;
}

export function decisionOf(t: Track): Decision | undefined {
  const d = t.data.decision;
  if (!d || typeof d !== 'object' || Array.isArray(d)) return undefined;
  const r = d as Record<string, unknown>;
  if (typeof r.experiment !== 'string' || typeof r.winner !== 'string') return undefined;
  return {
    experiment: r.experiment,
    winner: r.winner,
    ...(typeof r.reason === 'string' ? { reason: r.reason } : {}),
    ...(typeof r.at === 'string' ? { at: r.at } : {}),
    ...(typeof r.by === 'string' ? { by: r.by } : {}),
  };
}

export interface ExperimentGroup {
  name: string;
  tracks: Track[];
  decision: Decision | undefined;
}

export function experiments(repo: Repo): ExperimentGroup[] {
  const groups = new Map<string, Track[]>();
  for (const t of repo.tracks) if (t.experiment) groups.set(t.experiment, [...(groups.get(t.experiment) ?? []), t]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, tracks]) => ({ name, tracks: tracks.sort(byNumber), decision: tracks.map(decisionOf).find((d) => d?.experiment === name) }));
}

export function findExperiment(repo: Repo, name: string): ExperimentGroup {
  const all = experiments(repo);
  const g = all.find((x) => x.name === name);
  if (g) return g;
  throw new TracksError('UNKNOWN_EXPERIMENT', `no experiment "${name}"`, {
    hint: all.length
      ? (hintFor(name, all.map((x) => x.name)) ?? `Experiments: ${all.map((x) => x.name).join(', ')}.`)
      : 'No track has an `experiment:` key yet; competing EXP tracks share one (e.g. `experiment: cache-strategy`).',
  });
}

export function resultsOf(t: Track): { recorded?: unknown; notes?: string } | undefined {
  const notes = sectionText(t.body, 'Results');
  if (t.data.results === undefined && !notes) return undefined;
  return { ...(t.data.results !== undefined ? { recorded: t.data.results } : {}), ...(notes ? { notes } : {}) };
}

export function compareData(repo: Repo, name: string) {
  const g = findExperiment(repo, name);
  return {
    version: 1 as const,
    experiment: name,
    decision: g.decision ?? null,
    tracks: g.tracks.map((t) => {
      const p = trackProgress(repo, t.slug);
      return {
        slug: t.slug,
        name: t.name,
        type: t.type,
        status: t.status,
        hypothesis: t.hypothesis ?? null,
        branch: typeof t.data.branch === 'string' ? t.data.branch : null,
        scope: Array.isArray(t.data.scope) ? t.data.scope.map(String) : [],
        progress: progressJson(p),
        results: resultsOf(t) ?? null,
        path: t.path,
      };
    }),
  };
}

export type CompareData = ReturnType<typeof compareData>;

/**
 * Picks `winner`: it is completed (it must be active or paused, or already
 * completed), every other open competitor is cancelled, closed ones keep their
 * status, and all of them get the decision (front matter `decision:` for
 * scripts, a line under "## Decisions" for readers).
 */
export function planPick(input: PlanInput, name: string, winner: string, reason: string, opts: { force?: boolean } = {}): LifecyclePlan {
  const why = oneLine(reason);
  if (!why) throw new TracksError('REASON_REQUIRED', 'picking a winner needs a reason', { hint: 'Pass --reason "what the results showed"; it is recorded in every competing track.' });
  const g = findExperiment(input.repo, name);
  const win = g.tracks.find((t) => t.slug === winner);
  if (!win) {
    throw new TracksError('NOT_IN_EXPERIMENT', `"${winner}" is not a track of experiment "${name}"`, {
      hint: `${hintFor(winner, g.tracks.map((t) => t.slug)) ?? ''} Competing tracks: ${g.tracks.map((t) => t.slug).join(', ')}.`.trim(),
    });
  }
  if (g.decision) {
    throw new TracksError('ALREADY_DECIDED', `experiment "${name}" was already decided: "${g.decision.winner}" won${g.decision.at ? ` on ${g.decision.at}` : ''}`, {
      exitCode: 1,
      hint: 'A decision is history; to revisit it, edit the `decision:` keys by hand and say why in the Decisions section.',
    });
  }
  if (!opts.force) assertNoOpenWork(input.repo, win, `pick "${win.slug}" as the winner`);
  const { now, who } = input.stamp;
  const decision = mappingLines({ experiment: name, winner, reason: why, at: now, by: who });
  const steps: Step[] = [];
  const edits: { track: Track; after: string }[] = [];
  for (const t of g.tracks) {
    const isWinner = t.slug === winner;
    let verb: Verb | undefined;
    if (isWinner) verb = t.status === 'completed' ? undefined : 'complete';
    else verb = ['draft', 'ready', 'active', 'paused'].includes(t.status ?? '') ? 'cancel' : undefined;
    const before = input.read(t.path);
    let after = before;
    let outcome: string;
    if (verb) {
      const { from, to } = planTransition(t.slug, t.status, verb, { file: t.path, ...posOf(t, '/status') });
      const entry: HistoryEntry = { at: now, from, to, ...(who ? { by: who } : {}), reason: `experiment ${name}: ${isWinner ? 'picked as the winner' : `${winner} was picked`}: ${why}` };
      steps.push({ slug: t.slug, verb, entry });
      after = applyEntry(after, t.path, entry);
      outcome = isWinner ? 'this track won and was completed' : 'this track was cancelled (kept for the record)';
    } else {
      after = setFrontMatterKey(after, 'updated_at', now, t.path);
      outcome = isWinner ? 'this track won' : `this track stays ${t.status}`;
    }
    after = setBlockMapping(after, 'decision', decision, t.path);
    after = appendToSection(after, 'Decisions', `- ${now.slice(0, 10)}: experiment \`${name}\`: picked \`${winner}\`; ${outcome}. Reason: ${why}${who ? ` (${who})` : ''}`);
    edits.push({ track: t, after });
  }
  const lines = steps.map((s) => `- ${s.verb} ${s.slug} (${s.entry.from} → ${s.entry.to})`);
  return lifecyclePlan('pick', input, steps, edits, `tracks: experiment ${name}: pick ${winner}\n\n${lines.length ? lines.join('\n') + '\n\n' : ''}Reason: ${why}`);
}
