/**
 * The offline organizer on three pieces of real work, each held to a floor a
 * little below what it reaches, so a change that drops one shows (the
 * hand-made pcc-head grouping itself is in local-quality.test.ts):
 * - incremental placement on pcc-head: tracks given (the hand-made reference's)
 *   for the older 70% of its work orders by id, the newest 30% placed;
 * - Backlog.md: a parent task and its sub-tasks belong in one track;
 * - churn: pcc-2026-01-15 organized, the work orders new in pcc-head added
 *   incrementally, then reorg twice: few moves, then none at all.
 * Proposals are applied as real file edits (the planner's own output, parsed
 * back), without git: the figures are the organizer's, not the disk's.
 *
 * Measured (default options): incremental 51 of 61 (0.836; 0.738 before; 9 of
 * the 10 others are the [Auto] chores, which fit no given track by their words
 * and get a track of their own, where the reference put them under "Testing,
 * CI, cloud split and maintenance"); Backlog.md 18 of 18 sub-tasks with their
 * parent (8 of 18 before, 0.44); churn 0 of 210 moved by the first reorg (1
 * before the two-level search, 119 before that), none by the second.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { organizeLocal } from '../../src/organize/local.js';
import { validateProposal } from '../../src/organize/validate.js';
import { organizable } from '../../src/organize/scope.js';
import { buildPlan } from '../../src/plan/build.js';
import { materialize } from '../../src/plan/verify.js';
import { blobIdOf } from '../../src/core/blob.js';
import { parseWorkOrderFile } from '../../src/parse/source-file.js';
import { blobId } from '../../src/fs/source.js';
import type { Mode, Proposal } from '../../src/organize/types.js';
import type { WorkOrder } from '../../src/model/types.js';
import { CORPORA, PROJECT } from '../helpers/repo.js';
import { repoFrom, trk } from './organize-fixtures.js';

type Files = Record<string, string>;

function corpus(which: string): Files {
  const dir = join(CORPORA, which, 'work_orders');
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [`work_orders/${f}`, readFileSync(join(dir, f), 'utf8')]));
}

/**
 * Applies a proposal the way `tracks organize --yes` would, to files in memory.
 * `status` overrides the status new track files start in.
 */
function apply(files: Files, p: Proposal, mode: Mode, status?: string): { files: Files; moved: number; trackChanges: number } {
  const repo = repoFrom(files);
  expect(validateProposal(p, repo, mode)).toEqual([]);
  const plan = buildPlan({ repo, proposal: p, mode, readText: repo.text, now: '2026-06-01T00:00:00Z' });
  const out = { ...files };
  const current = (path: string) => (files[path] === undefined ? null : { bytes: Buffer.from(files[path]!), hash: blobIdOf(Buffer.from(files[path]!)) });
  const created = new Set(plan.changes.filter((c) => c.action === 'create').map((c) => c.path));
  for (const w of materialize(plan, current, repo.config)) {
    if (w.after === null) delete out[w.path];
    else {
      const text = Buffer.from(w.after).toString('utf8');
      out[w.path] = status && created.has(w.path) && w.path.startsWith('tracks/') ? text.replace(/^status: .*$/m, `status: ${status}`) : text;
    }
  }
  const s = plan.summary;
  return { files: out, moved: s.moved, trackChanges: s.newTracks + s.changedTracks + s.merges + s.retired };
}

const reference = JSON.parse(readFileSync(join(PROJECT, 'test/fixtures/organize/pcc-head-reference.json'), 'utf8')) as { groups: Record<string, { name: string; ids: string[] }> };

const topOf = (p: Proposal) => {
  const parent = new Map(p.tracks.map((t) => [t.slug, t.parent]));
  return (s: string) => {
    while (parent.get(s)) s = parent.get(s)!;
    return s;
  };
};

/** The old snapshot organized, what pcc-head adds placed incrementally, then two reorgs. */
function churn(status?: string) {
  let files = corpus('pcc-2026-01-15');
  const oldIds = new Set(organizable(repoFrom(files)).map((w) => w.id));
  files = apply(files, organizeLocal(repoFrom(files), 'initial'), 'initial', status).files;
  const head = corpus('pcc-head');
  for (const w of repoFrom(head).workOrders) if (w.id && !oldIds.has(w.id) && !files[w.path]) files[w.path] = head[w.path]!;
  const before = repoFrom(files);
  const added = organizable(before).filter((w) => !w.tracks.length).length;
  const inc = organizeLocal(before, 'incremental');
  files = apply(files, inc, 'incremental', status).files;
  const total = organizable(repoFrom(files)).length;
  const first = apply(files, organizeLocal(repoFrom(files), 'reorg'), 'reorg');
  const second = apply(first.files, organizeLocal(repoFrom(first.files), 'reorg'), 'reorg');
  return { added, total, inc, first, second };
}

describe('offline organizer on real work', () => {
  it('churn: after initial and incremental, a reorg moves few work orders and a second reorg proposes nothing', () => {
    const r = churn();
    expect(r.added).toBeGreaterThan(90);
    expect(r.total).toBe(210);
    // New themes get tracks of their own (meeting integration came after the snapshot); the rest joins existing tracks.
    const at = new Map(r.inc.assignments.map((a) => [a.wo, a.track]));
    const meeting = ['244', '245', '246', '247', '248', '249', '250', '251', '253', '254', '255', '256'].map((n) => at.get(`WO-2026-${n}`));
    expect(new Set(meeting).size).toBe(1);
    expect(r.inc.tracks.map((t) => t.slug)).toContain(meeting[0]);
    expect(r.inc.tracks.length).toBeLessThanOrEqual(10);
    // Target: at most 1 of 210 (WO-2026-051); measured 0.
    expect(r.first.moved).toBeLessThanOrEqual(1);
    expect(r.first.trackChanges).toBe(0);
    expect(r.second.moved).toBe(0);
    expect(r.second.trackChanges).toBe(0);
  });

  it('churn: stability does not come from freezing finished tracks (every new track left "ready")', () => {
    const r = churn('ready');
    // Measured 0 of 210.
    expect(r.first.moved).toBeLessThanOrEqual(1);
    expect(r.second.moved).toBe(0);
    expect(r.second.trackChanges).toBe(0);
  });

  it('incremental placement: the newest 30% of the reference land in the reference track', () => {
    const head = corpus('pcc-head');
    const refOf = new Map<string, string>();
    for (const [g, v] of Object.entries(reference.groups)) for (const id of v.ids) refOf.set(id, g);
    const ids = [...refOf.keys()].sort();
    const cut = Math.round(ids.length * 0.7);
    const older = new Set(ids.slice(0, cut));
    const files: Files = {};
    Object.entries(reference.groups).forEach(([g, v], i) => (files[`tracks/${String(i + 1).padStart(4, '0')}_FEAT_${g}.md`] = trk(JSON.stringify(v.name), { goal: '""' })));
    for (const w of repoFrom(head).workOrders) {
      if (!w.id || !refOf.has(w.id)) continue;
      files[w.path] = older.has(w.id) ? head[w.path]!.replace(/\n---\n/, `\ntrack: ${refOf.get(w.id)}\n---\n`) : head[w.path]!;
    }
    const repo = repoFrom(files);
    const p = organizeLocal(repo, 'incremental');
    expect(validateProposal(p, repo, 'incremental')).toEqual([]);
    const top = topOf(p);
    const newer = ids.slice(cut);
    expect(newer).toHaveLength(61);
    const right = newer.filter((id) => top(p.assignments.find((a) => a.wo === id)!.track) === refOf.get(id));
    // Measured 51 of 61 (0.836); 45 of 61 (0.738) before.
    expect(right.length / newer.length).toBeGreaterThanOrEqual(0.8);
    // Work placed in a given track is nearly always in the right one (46 of 47; the rest went to new tracks).
    const given = newer.filter((id) => !p.tracks.some((t) => t.slug === p.assignments.find((a) => a.wo === id)!.track));
    expect(given.filter((id) => right.includes(id)).length / given.length).toBeGreaterThanOrEqual(0.95);
  });

  it('Backlog.md: sub-tasks are placed with their parent task', () => {
    const dir = join(CORPORA, 'backlog-md-2026-08-20', 'backlog', 'tasks');
    const wos = readdirSync(dir)
      .filter((f) => f.endsWith('.md') && f !== 'readme.md')
      .sort()
      .map((f) => backlogTask(`work_orders/${f}`, readFileSync(join(dir, f), 'utf8')));
    const repo = { ...repoFrom({}), workOrders: wos };
    const p = organizeLocal(repo, 'initial');
    expect(validateProposal(p, repo, 'initial')).toEqual([]);
    const at = new Map(p.assignments.map((a) => [a.wo, a.track]));
    // Sub-tasks whose parent is an open task too (one parent, BACK-24, is completed).
    const subs = wos.filter((w) => w.parent && at.has(w.parent));
    expect(subs).toHaveLength(18);
    const withParent = subs.filter((w) => at.get(w.id!) === at.get(w.parent!));
    // Measured 18 of 18; 8 of 18 (0.44) before, when nothing knew about parents.
    expect(withParent.length / subs.length).toBeGreaterThanOrEqual(0.95);
  });
});

/**
 * A Backlog.md task as a work order: labels → tags, dependencies → depends_on,
 * parent_task_id → parent (ids upper-cased, the old `task-` prefix read as
 * `BACK-`, as Backlog.md itself matches them). Until the config maps keys.
 */
function backlogTask(path: string, text: string): WorkOrder {
  const bytes = new TextEncoder().encode(text);
  const w = parseWorkOrderFile({ path, hash: blobId(bytes), bytes });
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
  const id = (s: string) => s.toUpperCase().replace(/^TASK-/, 'BACK-');
  return {
    ...w,
    id: w.id ? id(w.id) : undefined,
    tags: list(w.data.labels),
    dependsOn: list(w.data.dependencies).map(id),
    ...(typeof w.data.parent_task_id === 'string' ? { parent: id(w.data.parent_task_id) } : {}),
  };
}
