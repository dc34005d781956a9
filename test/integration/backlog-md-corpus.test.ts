/**
 * The real Backlog.md corpus (673 tasks in four directories) with
 * `preset: backlog-md`, copied into a temp git repository: check, organize
 * (offline), the edits it makes, tree and next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { cli, git, removeRepo, tempRepo, writable, write } from '../helpers/repo.js';
import { BACKLOG_MD } from '../fixtures/parse/corpus.js';
import { loadRepo } from '../../src/repo/load.js';
import { organizable } from '../../src/organize/scope.js';
import { countsAgainstLimit } from '../../src/validate/rules.js';
import { dependencyResolver } from '../../src/core/deps.js';
import { nextInTrack } from '../../src/next/next.js';

let dir: string;
beforeAll(() => {
  dir = tempRepo();
  cpSync(join(BACKLOG_MD, 'backlog'), join(dir, 'backlog'), { recursive: true });
  writable(join(dir, 'backlog'));
  write(dir, 'tracks.config.yaml', 'preset: backlog-md\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'Backlog.md corpus');
});
afterAll(() => removeRepo(dir));

type Problem = { file: string; line: number; col: number; severity: string; code: string; message: string };
const byCode = (ps: Problem[]) => {
  const out: Record<string, number> = {};
  for (const p of ps) out[`${p.severity} ${p.code}`] = (out[`${p.severity} ${p.code}`] ?? 0) + 1;
  return out;
};

describe('the Backlog.md corpus with preset: backlog-md', () => {
  it('check: no errors; every warning is one of the few true things to say', async () => {
    const r = await cli(dir, ['check', '--format', 'json']);
    expect(r.code).toBe(0);
    const problems = JSON.parse(r.stdout).problems as Problem[];
    expect(byCode(problems)).toEqual({
      'warning wo/unassigned': 673,
      // `assignee: @MrLesk` in 21 early tasks: invalid YAML to strict readers, read as text
      'warning yaml/reserved-indicator': 32,
      // Backlog.md gave these archived tasks' ids out again
      'warning wo/duplicate-id': 10,
      // task-0 and task-8 (four drafts) name tasks that are not in the repository
      'warning wo/unknown-dependency': 5,
      // BACK-13.1's parent task-13 is not in the repository either
      'warning wo/unknown-parent': 1,
    });
    const deps = problems.filter((p) => p.code === 'wo/unknown-dependency' || p.code === 'wo/unknown-parent').map((p) => p.message.replace(/^.* names (\S+),.*$/, '$1'));
    expect(deps.sort()).toEqual(['task-0', 'task-13', 'task-8', 'task-8', 'task-8', 'task-8']);
    expect(problems.filter((p) => p.code === 'wo/duplicate-id').every((p) => p.file.startsWith('backlog/archive/tasks/'))).toBe(true);
  });

  it('reads every task: its directory\'s status, labels, priority words, and dependencies written task-N', async () => {
    const repo = await loadRepo(dir);
    expect(repo.workOrders).toHaveLength(673);
    expect(repo.workOrders.every((w) => w.ok && w.id)).toBe(true);
    const done = repo.workOrders.filter((w) => repo.config.doneStatuses.includes(w.status ?? ''));
    // 455 in completed/, 121 in tasks/ marked Done, 45 archived (whatever their files say)
    expect(done).toHaveLength(455 + 121 + 45);
    expect(repo.workOrders.filter((w) => w.tags.length).length).toBeGreaterThan(350);
    expect(new Set(repo.workOrders.map((w) => w.priorityWord?.toLowerCase()).filter(Boolean))).toEqual(new Set(['high', 'medium', 'low']));
    const resolve = dependencyResolver(repo.workOrders, repo.config);
    const refs = repo.workOrders.flatMap((w) => w.dependsOn);
    expect(refs.length).toBeGreaterThan(90);
    expect(refs.filter((r) => r.startsWith('task-')).length).toBeGreaterThan(70);
    expect(refs.filter((r) => !resolve(r))).toEqual(['task-0', 'task-8', 'task-8', 'task-8', 'task-8']);
    const parents = repo.workOrders.filter((w) => w.parent);
    expect(parents.length).toBeGreaterThan(120);
    expect(parents.filter((w) => !resolve(w.parent!)).map((w) => w.parent)).toEqual(['task-13']);
  });

  it('organize --yes (offline) assigns every task it can address, within the top-level limit, one added line per file', async () => {
    const r = await cli(dir, ['organize', '--yes']);
    expect(r.code).toBe(0);
    const repo = await loadRepo(dir);
    const known = new Set(repo.tracks.map((t) => t.slug));
    const ok = organizable(repo);
    // all but the ten archived tasks whose ids live tasks have taken again
    expect(ok).toHaveLength(663);
    expect(ok.filter((w) => !w.tracks.some((s) => known.has(s)))).toEqual([]);
    expect(repo.tracks.filter(countsAgainstLimit).length).toBeLessThanOrEqual(8);
    const numstat = git(dir, 'diff', '--numstat', 'HEAD~1', 'HEAD', '--', 'backlog').trim().split('\n');
    expect(numstat).toHaveLength(663);
    expect(numstat.every((l) => l.startsWith('1\t0\t'))).toBe(true);
    const added = git(dir, 'diff', '-U0', 'HEAD~1', 'HEAD', '--', 'backlog').split('\n').filter((l) => /^[+-](?![+-])/.test(l));
    expect(added.every((l) => /^\+track: [a-z0-9-]+$/.test(l))).toBe(true);
    // Sub-tasks mostly land with their parent (the grouping the people who wrote them made).
    const byId = new Map(repo.workOrders.map((w) => [w.id, w]));
    const resolve = dependencyResolver(repo.workOrders, repo.config);
    const pairs = repo.workOrders.filter((w) => w.parent && resolve(w.parent) && byId.get(w.id) === w);
    const together = pairs.filter((w) => resolve(w.parent!)!.tracks[0] === w.tracks[0]).length;
    expect(together / pairs.length).toBeGreaterThan(0.5);

    const after = JSON.parse((await cli(dir, ['check', '--format', 'json'])).stdout);
    expect(after.ok).toBe(true);
    expect(byCode(after.problems)).toMatchObject({ 'warning wo/unassigned': 10 });
    expect(after.problems.filter((p: Problem) => p.severity === 'error')).toEqual([]);
  });

  it('tree draws the dependencies, task-N references included; next orders by the priority words', async () => {
    const repo = await loadRepo(dir);
    const tree = (await cli(dir, ['tree', '--format', 'mermaid'])).stdout;
    const edges = tree.split('\n').filter((l) => /-->|-\.->/.test(l));
    expect(edges.length).toBeGreaterThan(60);
    // BACK-200 depends on task-208; BACK-355.02 on task-355.01 (written so in their files)
    expect(repo.workOrders.find((w) => w.id === 'BACK-200')!.dependsOn).toContain('task-208');
    expect(repo.workOrders.find((w) => w.id === 'BACK-355.02')!.dependsOn).toEqual(['task-355.01']);
    const drawn = edges.map((l) => l.trim());
    expect(drawn).toContain('BACK_208 --> BACK_200');
    expect(drawn).toContain('BACK_355_01 --> BACK_355_02');

    // the top-level track with the most work that can start now
    const ready = (slug: string) => nextInTrack(repo, slug).ready.length;
    const top = repo.tracks.filter((t) => !t.parent).sort((a, b) => ready(b.slug) - ready(a.slug))[0]!;
    const next = JSON.parse((await cli(dir, ['next', top.slug, '--format', 'json'])).stdout);
    const ranks = next.ready.map((i: { priority?: number }) => i.priority ?? 99);
    expect(next.ready.length).toBeGreaterThan(3);
    expect(ranks).toEqual([...ranks].sort((a: number, b: number) => a - b));
    expect(next.ready.filter((i: { priorityWord?: string }) => i.priorityWord).length).toBeGreaterThan(0);
  });
});
