/**
 * Valid proposal + repository → Plan: every file's change, computed before
 * anything is written. Track files are rendered or edited one key at a time;
 * retiring and merging a track are lifecycle transitions with a history entry.
 * A work order's change is only "set the track key to X" (apply computes the
 * edit from the file): the plan holds no work-order text. Pure: file text,
 * the clock and the git user come in as arguments.
 */
import type { Repo, Track } from '../model/types.js';
import type { Mode, Proposal } from '../organize/types.js';
import { TracksError } from '../errors/index.js';
import { setFrontMatterKey } from '../parse/edit.js';
import { nextColor, nextNumbers, renderTrackFile, trackPath } from '../core/track-file.js';
import { diffProposal } from './diff.js';
import { commitMessage } from './render.js';
import { trackKey } from '../core/layout.js';
import { planTransition } from '../lifecycle/states.js';
import { applyEntry, oneLine } from '../lifecycle/history.js';
import { PLAN_VERSION, type FileChange, type Plan, type PlanItem, type Skipped } from './types.js';

export interface BuildInput {
  repo: Repo;
  proposal: Proposal;
  mode: Mode;
  /** Current text of a repository file (only files the plan edits are read). */
  readText: (path: string) => string;
  /** ISO timestamp for created_at/updated_at and the plan. */
  now: string;
  /** The git user, recorded in history entries. */
  who?: string;
  provider?: string;
}

export function buildPlan(input: BuildInput): Plan {
  const { repo, proposal, mode, readText, now } = input;
  const items = diffProposal(repo, proposal);
  const changes = new Map<string, FileChange>();
  const skipped: Skipped[] = [];
  const bySlug = new Map(repo.tracks.map((t) => [t.slug, t]));
  const texts = new Map<string, string>();
  const textOf = (path: string) => {
    if (!texts.has(path)) texts.set(path, readText(path));
    return texts.get(path)!;
  };

  const editTrack = (t: Track, edits: [string, string | null][], retire?: string) => {
    let text = textOf(t.path);
    try {
      for (const [k, v] of edits) text = setFrontMatterKey(text, k, v, t.path);
      if (retire !== undefined) {
        // A retirement is the lifecycle's archive, with its history entry (refused from active or paused).
        const { from, to } = planTransition(t.slug, t.status, 'archive', { file: t.path });
        text = applyEntry(text, t.path, { at: now, from, to, ...(input.who ? { by: input.who } : {}), ...(oneLine(retire) ? { reason: oneLine(retire) } : {}) });
      } else text = setFrontMatterKey(text, 'updated_at', now, t.path);
    } catch (e) {
      if (e instanceof TracksError && e.code === 'TRANSITION_REFUSED') throw e;
      throw new TracksError('PLAN_EDIT', `cannot edit ${t.path}: ${(e as Error).message.replace(`${t.path}: `, '')}`, {
        hint: 'Fix the file first (`tracks check` shows where), then organize again.',
        where: { file: t.path },
        cause: e,
      });
    }
    texts.set(t.path, text);
    changes.set(t.path, { path: t.path, action: 'update', baseHash: t.hash, content: text });
  };
  const contentOf = (path: string) => {
    const c = changes.get(path);
    return c && (c.action === 'update' || c.action === 'create') ? c.content : '';
  };

  const news = items.filter((i): i is Extract<PlanItem, { kind: 'new-track' }> => i.kind === 'new-track');
  const numbers = nextNumbers(repo.tracks, news.length);
  const colors: { color: string | undefined }[] = repo.tracks.map((t) => ({ color: t.color }));
  news.forEach((item, i) => {
    const color = nextColor(colors);
    colors.push({ color });
    const path = trackPath(repo.config.tracksDir, numbers[i]!, item.fields.type, item.slug);
    const content = renderTrackFile({ slug: item.slug, ...item.fields, color, now });
    changes.set(path, { path, action: 'create', baseHash: null, content });
  });

  for (const item of items) {
    if (item.kind === 'change-track') {
      const t = bySlug.get(item.slug)!;
      const edits: [string, string | null][] = [];
      if (item.before.name !== item.after.name) edits.push(['name', item.after.name]);
      if (item.before.goal !== item.after.goal) edits.push(['goal', item.after.goal]);
      if (item.before.type !== item.after.type) edits.push(['type', item.after.type]);
      if (item.before.parent !== item.after.parent) edits.push(['parent', item.after.parent]);
      editTrack(t, edits);
      if (item.before.type !== item.after.type && t.number !== undefined) {
        // The type is part of the file name: the edited file moves, keeping its number.
        const content = contentOf(t.path);
        const path = trackPath(repo.config.tracksDir, t.number, item.after.type, t.slug);
        changes.set(t.path, { path: t.path, action: 'delete', baseHash: t.hash });
        changes.set(path, { path, action: 'create', baseHash: null, content });
      }
    } else if (item.kind === 'merge') {
      for (const s of item.from) editTrack(bySlug.get(s)!, [], `merged into ${item.into}${item.reason ? `: ${item.reason}` : ''}`);
    } else if (item.kind === 'retire') {
      editTrack(bySlug.get(item.slug)!, [], item.reason || 'retired by organize');
    }
  }

  // The first file per id, as organize/scope's organizable() (what the proposal was made from) counts them.
  const byId = new Map<string, (typeof repo.workOrders)[number]>();
  for (const w of repo.workOrders) if (w.id && !byId.has(w.id)) byId.set(w.id, w);
  const key = trackKey(repo.config);
  const kept: PlanItem[] = [];
  for (const item of items) {
    if (item.kind !== 'moves' && item.kind !== 'merge') {
      kept.push(item);
      continue;
    }
    const ok = item.moves.filter((m) => {
      const w = byId.get(m.wo)!;
      // A work order whose front matter cannot be read cannot be edited either.
      if (!w.ok || w.problems.some((p) => p.severity === 'error' && p.code !== 'file/encoding')) {
        skipped.push({ path: w.path, reason: w.problems[0]?.message ?? 'front matter is not readable' });
        return false;
      }
      changes.set(w.path, { path: w.path, action: 'set-key', baseHash: w.hash, key, value: m.to.length === 0 ? null : m.to.length === 1 ? m.to[0]! : m.to });
      return true;
    });
    if (item.kind === 'merge' || ok.length) kept.push({ ...item, moves: ok });
  }

  const list = [...changes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const plan: Plan = {
    version: PLAN_VERSION,
    kind: 'organize',
    message: '',
    mode,
    ...(input.provider ? { provider: input.provider } : {}),
    createdAt: now,
    summary: {
      newTracks: news.length,
      changedTracks: kept.filter((i) => i.kind === 'change-track').length,
      merges: kept.filter((i) => i.kind === 'merge').length,
      retired: kept.filter((i) => i.kind === 'retire').length,
      moved: kept.reduce((n, i) => n + (i.kind === 'moves' || i.kind === 'merge' ? i.moves.length : 0), 0),
      files: list.length,
    },
    items: kept,
    changes: list,
    skipped,
    proposal,
  };
  plan.message = commitMessage(plan);
  return plan;
}
