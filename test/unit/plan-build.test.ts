import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build.js';
import { renderSummary, renderDiff, commitMessage, headline } from '../../src/plan/render.js';
import { planToJson, parsePlan } from '../../src/plan/serialize.js';
import { DEFAULT_CONFIG } from '../../src/config/config.js';
import type { Proposal } from '../../src/organize/types.js';
import { repoFrom, smallRepo, wo } from './organize-fixtures.js';

const NOW = '2026-11-21T10:00:00Z';
const plan = (repo: ReturnType<typeof smallRepo>, proposal: Proposal, mode: 'initial' | 'incremental' | 'reorg' = 'reorg') =>
  buildPlan({ repo, proposal, mode, readText: repo.text, now: NOW, provider: 'local' });

/** Lines of `after` that are not in `before`, and the other way round. */
function lineDiff(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

describe('buildPlan', () => {
  it('creates new track files with the next free numbers and edits only `track` in work orders', () => {
    const repo = smallRepo();
    const p = plan(repo, { tracks: [{ slug: 'canvas', name: 'Canvas', type: 'FEAT', goal: 'Draw things', parent: 'ui' }], assignments: [{ wo: 'WO-4', track: 'canvas' }, { wo: 'WO-5', track: 'runner' }] }, 'incremental');
    expect(p.changes.map((c) => [c.path, c.action, c.baseHash === null])).toEqual([
      ['tracks/0004_FEAT_canvas.md', 'create', true],
      ['work_orders/WO-4.md', 'update', false],
      ['work_orders/WO-5.md', 'update', false],
    ]);
    const created = p.changes[0]!.content!;
    expect(created).toContain('name: Canvas\n');
    expect(created).toContain('parent: ui\n');
    expect(created).toContain(`created_at: ${NOW}`);
    const w4 = p.changes[1]!;
    expect(w4.baseHash).toBe(repo.workOrders.find((w) => w.id === 'WO-4')!.hash);
    expect(lineDiff(repo.text('work_orders/WO-4.md'), w4.content!)).toEqual({ added: ['track: canvas'], removed: [] });
    expect(p.summary).toEqual({ newTracks: 1, changedTracks: 0, merges: 0, retired: 0, moved: 2, files: 3 });
    expect(p.items.map((i) => i.id)).toEqual(['track:canvas', 'moves:canvas', 'moves:runner']);
  });

  it('renames, re-parents and re-types a track losslessly; a new type renames the file, keeping its number', () => {
    const repo = smallRepo();
    const p = plan(repo, { tracks: [{ slug: 'runner-retries', name: 'Retries', type: 'REFACTOR', goal: 'Goal of Runner retries', parent: null }], assignments: [] });
    expect(p.changes.map((c) => [c.path, c.action])).toEqual([
      ['tracks/0002_FIX_runner-retries.md', 'delete'],
      ['tracks/0002_REFACTOR_runner-retries.md', 'create'],
    ]);
    const d = lineDiff(repo.text('tracks/0002_FIX_runner-retries.md'), p.changes[1]!.content!);
    expect(d.removed.sort()).toEqual(['name: Runner retries', 'parent: runner', 'type: FIX']);
    expect(d.added.sort()).toEqual(['name: Retries', 'parent: null', 'type: REFACTOR', `updated_at: ${NOW}`]);
    expect(p.items[0]).toMatchObject({ kind: 'change-track', before: { name: 'Runner retries', parent: 'runner', type: 'FIX' }, after: { name: 'Retries', parent: null, type: 'REFACTOR' } });
  });

  it('a merge moves the source work orders and archives the source; a retirement archives', () => {
    const repo = smallRepo();
    const p = plan(repo, { tracks: [], assignments: [], merges: [{ from: ['runner-retries'], into: 'runner', reason: 'too small' }], retire: [{ slug: 'ui', reason: 'done' }] });
    const byPath = new Map(p.changes.map((c) => [c.path, c]));
    expect(lineDiff(repo.text('work_orders/WO-2.md'), byPath.get('work_orders/WO-2.md')!.content!)).toEqual({ added: ['track: runner'], removed: ['track: runner-retries'] });
    expect(lineDiff(repo.text('tracks/0002_FIX_runner-retries.md'), byPath.get('tracks/0002_FIX_runner-retries.md')!.content!)).toEqual({ added: ['status: archived', `updated_at: ${NOW}`], removed: ['status: active'] });
    expect(byPath.get('tracks/0003_FEAT_ui.md')!.content).toContain('status: archived');
    expect(byPath.has('work_orders/WO-3.md')).toBe(false); // a retirement alone moves nothing
    const merge = p.items.find((i) => i.kind === 'merge')!;
    expect(merge).toMatchObject({ from: ['runner-retries'], into: 'runner', moves: [{ wo: 'WO-2', from: ['runner-retries'], to: ['runner'] }] });
    expect(p.summary).toMatchObject({ merges: 1, retired: 1, moved: 1 });
  });

  it('skips a work order that cannot be edited and says why', () => {
    const repo = repoFrom({
      'work_orders/WO-1.md': wo('WO-1'),
      // valid to the reader, but `yaml` rejects it, so no lossless edit is possible
      'work_orders/WO-2.md': '---\nid: WO-2\ntitle: Two\nacceptance_criteria:\n  - "quoted" then more\n---\n',
    });
    const ok = repo.workOrders.find((w) => w.id === 'WO-2')?.ok;
    const p = plan(repo, { tracks: [{ slug: 'a', name: 'A', type: 'FEAT', goal: '', parent: null }], assignments: [{ wo: 'WO-1', track: 'a' }, ...(ok ? [{ wo: 'WO-2', track: 'a' }] : [])] }, 'initial');
    expect(p.changes.map((c) => c.path)).toEqual(['tracks/0001_FEAT_a.md', 'work_orders/WO-1.md']);
    if (ok) expect(p.skipped).toEqual([{ path: 'work_orders/WO-2.md', reason: expect.stringContaining('not valid YAML') }]);
  });
});

describe('rendering', () => {
  const repo = smallRepo();
  const p = plan(repo, { tracks: [{ slug: 'canvas', name: 'Canvas', type: 'FEAT', goal: 'Draw things', parent: 'ui' }], assignments: [{ wo: 'WO-4', track: 'canvas' }, { wo: 'WO-5', track: 'runner' }] }, 'incremental');

  it('summarises new tracks and moves grouped by track, before → after', () => {
    expect(renderSummary(p)).toBe(
      [
        'Organize (incremental): 1 new track, 0 changed tracks, 0 merges, 0 retired tracks; 2 work orders move; 3 files to write.',
        '',
        'New tracks',
        '  + canvas  FEAT  "Canvas"  under ui  1 work order',
        '      goal: Draw things',
        '',
        'Work orders, by new track (before → after)',
        '  → canvas  1 work order',
        '      WO-4  Work WO-4  (none) → canvas',
        '  → runner  1 work order',
        '      WO-5  Work WO-5  (none) → runner',
        '',
      ].join('\n'),
    );
  });

  it('diffs one file around the changed line', () => {
    const c = p.changes.find((x) => x.path === 'work_orders/WO-4.md')!;
    expect(renderDiff(c, repo.text(c.path))).toBe(
      ['--- a/work_orders/WO-4.md', '+++ b/work_orders/WO-4.md', '@@ -4,4 +4,5 @@', ' status: ready', ' tags: [ui, canvas]', '+track: canvas', ' ---', ' ', ''].join('\n'),
    );
  });

  it('writes a commit message with a short subject and the changes in the body', () => {
    const m = commitMessage(p);
    const [subject, blank, ...body] = m.split('\n');
    expect(subject).toBe('tracks organize (incremental): 1 new track, 2 work orders assigned');
    expect(subject!.length).toBeLessThanOrEqual(72);
    expect(blank).toBe('');
    expect(body.join('\n')).toContain('New tracks: canvas (under ui).');
    expect(body.join('\n')).toContain('Work orders: canvas +1, runner +1.');
    expect(headline(p)).toContain('3 files to write');
  });
});

describe('plan files', () => {
  const repo = smallRepo();
  const p = plan(repo, { tracks: [], assignments: [{ wo: 'WO-4', track: 'ui' }] }, 'incremental');

  it('round-trip through JSON', () => {
    expect(parsePlan(planToJson(p), 'plan.json', DEFAULT_CONFIG)).toEqual(p);
  });

  it('refuse paths outside the work-order and track directories, and malformed entries', () => {
    const bad = (mutate: (x: ReturnType<typeof structuredClone<typeof p>>) => void) => {
      const x = structuredClone(p);
      mutate(x);
      return () => parsePlan(JSON.stringify(x), 'plan.json', DEFAULT_CONFIG);
    };
    expect(bad((x) => (x.changes[0]!.path = '../outside.md'))).toThrow(/not a relative path to a \.md file inside the repository/);
    expect(bad((x) => (x.changes[0]!.path = 'src/evil.md'))).toThrow(/outside work_orders\/ and tracks\//);
    expect(bad((x) => (x.changes[0]!.baseHash = 'abc'))).toThrow(/baseHash must be the git blob id/);
    expect(bad((x) => ((x as { version: number }).version = 2))).toThrow(/version 2 is not 1/);
    expect(() => parsePlan('{', 'plan.json', DEFAULT_CONFIG)).toThrow(/plan.json is not a usable plan: it is not JSON/);
  });
});

