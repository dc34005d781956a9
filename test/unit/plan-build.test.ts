import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build.js';
import { renderSummary, renderDiff, commitMessage, headline } from '../../src/plan/render.js';
import { planToJson, parsePlan } from '../../src/plan/serialize.js';
import { materialize } from '../../src/plan/verify.js';
import { blobIdOf } from '../../src/core/blob.js';
import type { ChangePlan } from '../../src/plan/types.js';
import type { Proposal } from '../../src/organize/types.js';
import { repoFrom, smallRepo, wo } from './organize-fixtures.js';

const NOW = '2026-11-21T10:00:00Z';
const plan = (repo: ReturnType<typeof smallRepo>, proposal: Proposal, mode: 'initial' | 'incremental' | 'reorg' = 'reorg') =>
  buildPlan({ repo, proposal, mode, readText: repo.text, now: NOW, provider: 'local' });

/** What applying the plan would write, path → text (null: deleted), through the same check apply uses. */
function written(repo: ReturnType<typeof smallRepo>, p: ChangePlan): Map<string, string | null> {
  const current = (path: string) => {
    try {
      const bytes = Buffer.from(repo.text(path));
      return { bytes, hash: blobIdOf(bytes) };
    } catch {
      return null;
    }
  };
  return new Map(materialize(p, current, repo.config).map((w) => [w.path, w.after === null ? null : Buffer.from(w.after).toString('utf8')]));
}

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
      ['work_orders/WO-4.md', 'set-key', false],
      ['work_orders/WO-5.md', 'set-key', false],
    ]);
    expect(p.changes[1]).toMatchObject({ key: 'track', value: 'canvas' });
    const out = written(repo, p);
    const created = out.get('tracks/0004_FEAT_canvas.md')!;
    expect(created).toContain('name: Canvas\n');
    expect(created).toContain('parent: ui\n');
    expect(created).toContain(`created_at: ${NOW}`);
    const w4 = p.changes[1]!;
    expect(w4.baseHash).toBe(repo.workOrders.find((w) => w.id === 'WO-4')!.hash);
    expect(lineDiff(repo.text('work_orders/WO-4.md'), out.get('work_orders/WO-4.md')!)).toEqual({ added: ['track: canvas'], removed: [] });
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
    const d = lineDiff(repo.text('tracks/0002_FIX_runner-retries.md'), written(repo, p).get('tracks/0002_REFACTOR_runner-retries.md')!);
    expect(d.removed.sort()).toEqual(['name: Runner retries', 'parent: runner', 'type: FIX']);
    expect(d.added.sort()).toEqual(['name: Retries', 'parent: null', 'type: REFACTOR', `updated_at: ${NOW}`]);
    expect(p.items[0]).toMatchObject({ kind: 'change-track', before: { name: 'Runner retries', parent: 'runner', type: 'FIX' }, after: { name: 'Retries', parent: null, type: 'REFACTOR' } });
  });

  it('a merge moves the source work orders and archives the source; a retirement archives; both as lifecycle transitions', () => {
    const repo = smallRepo();
    for (const t of repo.tracks) t.status = t.slug === 'ui' ? 'completed' : 'ready';
    const p = plan(repo, { tracks: [], assignments: [], merges: [{ from: ['runner-retries'], into: 'runner', reason: 'too small' }], retire: [{ slug: 'ui', reason: 'done' }] });
    const out = written(repo, p);
    expect(lineDiff(repo.text('work_orders/WO-2.md'), out.get('work_orders/WO-2.md')!)).toEqual({ added: ['track: runner'], removed: ['track: runner-retries'] });
    expect(lineDiff(repo.text('tracks/0002_FIX_runner-retries.md'), out.get('tracks/0002_FIX_runner-retries.md')!)).toEqual({
      added: ['status: archived', `updated_at: ${NOW}`, 'history:', `  - at: ${NOW}`, '    from: ready', '    to: archived', '    reason: "merged into runner: too small"'],
      removed: ['status: active'],
    });
    expect(out.get('tracks/0003_FEAT_ui.md')).toMatch(/status: archived[\s\S]*    from: completed\n    to: archived\n    reason: done/);
    // An active track is never archived by organize: the lifecycle refuses it.
    const live = smallRepo();
    expect(() => plan(live, { tracks: [], assignments: [], retire: [{ slug: 'ui', reason: 'done' }] })).toThrow(/cannot archive track "ui": it is active/);
    expect(out.has('work_orders/WO-3.md')).toBe(false); // a retirement alone moves nothing
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
    expect(renderDiff('work_orders/WO-4.md', repo.text('work_orders/WO-4.md'), written(repo, p).get('work_orders/WO-4.md')!)).toBe(
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
    expect(parsePlan(planToJson(p), 'plan.json')).toEqual(p);
  });

  it('refuse malformed entries when read', () => {
    const bad = (mutate: (x: ReturnType<typeof structuredClone<typeof p>>) => void) => {
      const x = structuredClone(p);
      mutate(x);
      return () => parsePlan(JSON.stringify(x), 'plan.json');
    };
    expect(bad((x) => (x.changes[0]!.baseHash = 'abc'))).toThrow(/a set-key change needs baseHash and key/);
    expect(bad((x) => ((x as { version: number }).version = 1))).toThrow(/version 1 is not 2/);
    expect(bad((x) => ((x as { kind: string }).kind = 'magic'))).toThrow(/unknown kind "magic"/);
    expect(() => parsePlan('{', 'plan.json')).toThrow(/plan.json is not a usable plan: it is not JSON/);
  });

  it('refuse, when applied, any change the kind does not allow: another key, other content, new files, paths outside', () => {
    const tamper = (mutate: (x: ChangePlan) => void) => {
      const x = structuredClone(p) as ChangePlan;
      mutate(x);
      return () => written(repo, x);
    };
    const wo4 = repo.workOrders.find((w) => w.id === 'WO-4')!;
    expect(tamper((x) => Object.assign(x.changes[0]!, { key: 'title', value: 'pwned' }))).toThrow(/tracks writes only "track"/);
    expect(tamper((x) => (x.changes[0] = { path: wo4.path, action: 'update', baseHash: wo4.hash, content: '---\nid: WO-4\ntitle: rewritten\n---\n' }))).toThrow(/an organize plan may not write this file/);
    expect(tamper((x) => (x.changes[0] = { path: wo4.path, action: 'delete', baseHash: wo4.hash }))).toThrow(/may not delete this file/);
    expect(tamper((x) => x.changes.push({ path: 'work_orders/planted.md', action: 'create', baseHash: null, content: '---\nid: X\n---\n' }))).toThrow(/may not write this file/);
    expect(tamper((x) => x.changes.push({ path: 'src/evil.md', action: 'create', baseHash: null, content: 'x' }))).toThrow(/may not write this file/);
    expect(tamper((x) => x.changes.push({ path: '../outside.md', action: 'create', baseHash: null, content: 'x' }))).toThrow(/may not write this file/);
    expect(tamper((x) => x.changes.push({ path: 'tracks/0009_FEAT_huge.md', action: 'create', baseHash: null, content: `---\nname: H\n---\n${'x'.repeat(300_000)}` }))).toThrow(/over the 65536-byte bound/);
    expect(tamper((x) => ((x as { kind: string }).kind = 'transition'))).toThrow(/a transition plan may not change this file/);
    expect(tamper((x) => (x.changes[0]!.baseHash = '0'.repeat(40)))).toThrow(/1 file changed since the plan was made: work_orders\/WO-4.md \(changed\)/);
  });
});

describe('judging a plan by check\'s rules', () => {
  it('a set-key write is judged without re-reading the file: an unknown track, several tracks where one is allowed', async () => {
    const { introducedErrors } = await import('../../src/plan/project.js');
    const repo = smallRepo();
    const wo4 = repo.workOrders.find((w) => w.id === 'WO-4')!;
    const after = Buffer.from('irrelevant: the rules must not read these bytes\n');
    const codes = (value: string | string[] | null) => introducedErrors(repo, [{ path: wo4.path, after, setKey: { key: 'track', value } }]).map((d) => `${d.file} ${d.code}`);
    expect(codes('ui')).toEqual([]);
    expect(codes('nope')).toEqual(['work_orders/WO-4.md wo/unknown-track']);
    expect(codes(['ui', 'runner'])).toEqual(['work_orders/WO-4.md wo/multiple-tracks']);
    // Moving the only open work order out of nothing changes nothing; moving WO-3 out of ui leaves ui empty (a warning, not an error).
    const wo3 = repo.workOrders.find((w) => w.id === 'WO-3')!;
    expect(introducedErrors(repo, [{ path: wo3.path, after, setKey: { key: 'track', value: null } }])).toEqual([]);
  });
});

describe('a work order edit as bytes', () => {
  it('keeps the bytes of lines it does not change in a file that is not UTF-8', async () => {
    const { setKeyBytes } = await import('../../src/plan/verify.js');
    const bytes = Buffer.concat([Buffer.from('---\nid: WO-1\ntitle: x\n---\n\nbody '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    const out = Buffer.from(setKeyBytes(bytes, 'track', 'economy', 'x.md')!);
    const head = '---\nid: WO-1\ntitle: x\ntrack: economy\n---\n\nbody ';
    expect(out.subarray(0, head.length).toString('utf8')).toBe(head);
    expect(out.subarray(out.length - 3)).toEqual(Buffer.from([0xff, 0xfe, 0x0a]));
  });
});
