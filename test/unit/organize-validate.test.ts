import { describe, expect, it } from 'vitest';
import { validateProposal } from '../../src/organize/validate.js';
import { defaultMode, inScope, isFrozen } from '../../src/organize/scope.js';
import type { Proposal } from '../../src/organize/types.js';
import { repoFrom, smallRepo, trk, wo } from './organize-fixtures.js';

const T = (slug: string, parent: string | null = null, extra: Partial<Proposal['tracks'][number]> = {}) => ({ slug, name: slug, type: 'FEAT', goal: '', parent, ...extra });
const fresh = () =>
  repoFrom({
    'work_orders/WO-1.md': wo('WO-1'),
    'work_orders/WO-2.md': wo('WO-2'),
    'work_orders/WO-3.md': wo('WO-3'),
  });
const all = (track: string) => ['WO-1', 'WO-2', 'WO-3'].map((w) => ({ wo: w, track }));

describe('validateProposal: schema', () => {
  it('reports schema problems as sentences naming the field', () => {
    const v = validateProposal({ tracks: [] }, fresh(), 'initial');
    expect(v).toEqual(['the proposal is missing the required field "assignments".']);
  });

  it('says that a slug with a path in it cannot name a file', () => {
    const v = validateProposal({ tracks: [T('../evil')], assignments: [] }, fresh(), 'initial');
    expect(v.join('\n')).toContain('tracks[0].slug "../evil" is not a slug');
    expect(v.join('\n')).toContain('cannot contain "/"');
  });

  it('rejects a lower-case type and unknown fields', () => {
    const v = validateProposal({ tracks: [{ ...T('a'), type: 'feat', color: 'red' }], assignments: all('a') }, fresh(), 'initial');
    expect(v).toContain('tracks[0].type "feat" must be an upper-case track type such as FEAT.');
    expect(v).toContain('tracks[0] has an unknown field "color"; remove it.');
  });
});

describe('validateProposal: repository rules', () => {
  it('accepts a complete, valid proposal', () => {
    expect(validateProposal({ tracks: [T('a'), T('b', 'a')], assignments: [...all('a').slice(0, 2), { wo: 'WO-3', track: 'b' }] }, fresh(), 'initial')).toEqual([]);
  });

  it('names unknown and missing work orders', () => {
    const v = validateProposal({ tracks: [T('a')], assignments: [{ wo: 'WO-1', track: 'a' }, { wo: 'WO-99', track: 'a' }] }, fresh(), 'initial');
    expect(v).toContain('assignments name work orders that do not exist: WO-99; use only ids from the request.');
    expect(v).toContain('2 work orders are not assigned: WO-2, WO-3; assign each to exactly one track.');
  });

  it('catches a work order assigned twice and a track that does not exist', () => {
    const v = validateProposal({ tracks: [T('a')], assignments: [...all('a'), { wo: 'WO-1', track: 'zzz' }] }, fresh(), 'initial');
    expect(v).toContain('each work order goes to exactly one track, but these are assigned more than once: WO-1 (a, zzz).');
    expect(v.some((s) => s.startsWith('assignments use the track "zzz"'))).toBe(true);
  });

  it('enforces the top-level limit from the config', () => {
    const repo = repoFrom({ 'work_orders/WO-1.md': wo('WO-1') }, { topLevelLimit: 2 });
    const v = validateProposal({ tracks: [T('a'), T('b'), T('c')], assignments: [{ wo: 'WO-1', track: 'a' }] }, repo, 'initial');
    expect(v).toContain('3 top-level tracks (a, b, c) exceed the limit of 2; give 1 of them a parent (make them sub-tracks), or merge them.');
  });

  it('finds parent cycles and unknown parents', () => {
    const v = validateProposal({ tracks: [T('a', 'b'), T('b', 'a'), T('c', 'nope')], assignments: all('c') }, fresh(), 'initial');
    expect(v).toContain('parents form a cycle: a → b → a; make one of them top-level (parent null).');
    expect(v).toContain('track "c" has parent "nope", which is not a track; use the slug of an existing or proposed track, or null.');
  });

  it('refuses reserved and duplicate slugs and unconfigured types', () => {
    const v = validateProposal({ tracks: [T('con'), T('index'), T('a'), T('a'), { ...T('b'), type: 'EPIC' }], assignments: all('a') }, fresh(), 'initial');
    expect(v.filter((s) => s.includes('is reserved'))).toHaveLength(2);
    expect(v).toContain('tracks[3]: the slug "a" is proposed more than once; each track appears once.');
    expect(v).toContain('tracks[4] ("b"): type "EPIC" is not one of the configured types FEAT, EXP, FIX, REFACTOR, CHORE, RESEARCH.');
  });
});

describe('validateProposal: modes', () => {
  it('incremental mode scopes to unassigned work orders and forbids touching existing tracks', () => {
    const repo = smallRepo();
    expect(inScope(repo, 'incremental').map((w) => w.id)).toEqual(['WO-4', 'WO-5']);
    const ok: Proposal = { tracks: [T('canvas', 'ui')], assignments: [{ wo: 'WO-4', track: 'canvas' }, { wo: 'WO-5', track: 'runner' }] };
    expect(validateProposal(ok, repo, 'incremental')).toEqual([]);
    const bad: Proposal = {
      tracks: [{ slug: 'runner', name: 'Runner reliability', type: 'FEAT', goal: 'Goal of Runner', parent: null }],
      assignments: [{ wo: 'WO-1', track: 'ui' }, { wo: 'WO-4', track: 'ui' }, { wo: 'WO-5', track: 'runner' }],
      merges: [{ from: ['runner-retries'], into: 'runner', reason: 'x' }],
    };
    const v = validateProposal(bad, repo, 'incremental');
    expect(v).toContain('tracks[0]: incremental mode cannot change the existing track "runner" (name "Runner" → "Runner reliability"); leave it exactly as it is, or propose a new track with a new slug.');
    expect(v.some((s) => s.startsWith('incremental mode only assigns work orders that have no track') && s.includes('WO-1'))).toBe(true);
    expect(v.some((s) => s.startsWith('incremental mode cannot merge tracks'))).toBe(true);
  });

  it('restating an existing track unchanged is fine in incremental mode', () => {
    const repo = smallRepo();
    const p: Proposal = { tracks: [{ slug: 'runner', name: 'Runner', type: 'FEAT', goal: 'Goal of Runner', parent: null }], assignments: [{ wo: 'WO-4', track: 'ui' }, { wo: 'WO-5', track: 'runner' }] };
    expect(validateProposal(p, repo, 'incremental')).toEqual([]);
  });

  it('reorg: nothing may stay in or go to a merged or retired track, and their sub-tracks need a new parent', () => {
    // Ready, not active: work under way is never merged or retired.
    const repo = smallRepo({}, 'ready');
    const everyone = ['WO-1', 'WO-2', 'WO-3', 'WO-4', 'WO-5'];
    const p: Proposal = {
      tracks: [],
      assignments: everyone.map((w) => ({ wo: w, track: w === 'WO-2' ? 'ui' : 'runner' })),
      merges: [{ from: ['ui'], into: 'runner', reason: 'small' }],
      retire: [{ slug: 'runner', reason: 'done' }],
    };
    const v = validateProposal(p, repo, 'reorg');
    expect(v).toContain('merges[0]: the target "runner" is retired itself; merge into a track that stays.');
    expect(v.some((s) => s.includes('existing track "runner-retries" has parent "runner", which is retired'))).toBe(true);
    expect(v.some((s) => s.startsWith('assignments put WO-2 into "ui", which is merged into "runner"'))).toBe(true);
  });

  it('chooses the default mode from the repository', () => {
    expect(defaultMode(fresh()).mode).toBe('initial');
    expect(defaultMode(smallRepo())).toEqual({ mode: 'incremental', reason: '2 work orders without a track' });
    const done = repoFrom({ 'tracks/0001_FEAT_a.md': trk('A'), 'work_orders/WO-1.md': wo('WO-1', { track: 'a' }) });
    expect(defaultMode(done).mode).toBe('reorg');
  });

  it('counts a work order whose track does not exist as unassigned', () => {
    const repo = repoFrom({ 'tracks/0001_FEAT_a.md': trk('A'), 'work_orders/WO-1.md': wo('WO-1', { track: 'live-demo' }) });
    expect(inScope(repo, 'incremental').map((w) => w.id)).toEqual(['WO-1']);
  });
});

describe('frozen tracks', () => {
  /** One track in every lifecycle state that matters, plus an experiment decided in favour of exp-a. */
  const lifecycleRepo = () =>
    repoFrom({
      'tracks/0001_FEAT_live.md': trk('Live', { status: 'draft' }),
      'tracks/0002_FEAT_busy.md': trk('Busy', { status: 'active' }),
      'tracks/0003_FEAT_resting.md': trk('Resting', { status: 'paused' }),
      'tracks/0004_FEAT_shipped.md': trk('Shipped', { status: 'completed' }),
      'tracks/0005_FEAT_failed.md': trk('Failed', { status: 'failed' }),
      'tracks/0006_FEAT_gone.md': trk('Gone', { status: 'archived' }),
      'tracks/0007_EXP_exp-a.md': trk('Exp A', { type: 'EXP', status: 'completed', experiment: 'cache', hypothesis: 'x', decision: '{experiment: cache, winner: exp-a, reason: faster}' }),
      // The losing side was reopened by hand, but the experiment is decided.
      'tracks/0008_EXP_exp-b.md': trk('Exp B', { type: 'EXP', status: 'ready', experiment: 'cache', hypothesis: 'y' }),
      'tracks/0009_EXP_exp-open.md': trk('Exp open', { type: 'EXP', status: 'active', experiment: 'other', hypothesis: 'z' }),
      'work_orders/WO-1.md': wo('WO-1', { track: 'live' }),
      'work_orders/WO-2.md': wo('WO-2', { track: 'busy' }),
      'work_orders/WO-3.md': wo('WO-3', { track: 'shipped' }),
      'work_orders/WO-4.md': wo('WO-4', { track: 'exp-b' }),
      'work_orders/WO-5.md': wo('WO-5', { track: 'gone' }),
      'work_orders/WO-6.md': wo('WO-6'),
    });
  const slugsOf = (repo: ReturnType<typeof lifecycleRepo>, pred: (t: (typeof repo.tracks)[number]) => boolean) => repo.tracks.filter(pred).map((t) => t.slug);

  it('isFrozen: finished tracks and every track of a decided experiment', () => {
    const repo = lifecycleRepo();
    expect(slugsOf(repo, (t) => isFrozen(t, repo))).toEqual(['shipped', 'failed', 'gone', 'exp-a', 'exp-b']);
    expect(slugsOf(repo, (t) => !isFrozen(t, repo))).toEqual(['live', 'busy', 'resting', 'exp-open']);
  });

  it('work orders of frozen tracks are out of scope in every mode', () => {
    const repo = lifecycleRepo();
    expect(inScope(repo, 'reorg').map((w) => w.id)).toEqual(['WO-1', 'WO-2', 'WO-6']);
    expect(inScope(repo, 'incremental').map((w) => w.id)).toEqual(['WO-6']);
  });

  it('reorg: a valid proposal leaves frozen tracks alone', () => {
    const repo = lifecycleRepo();
    const p: Proposal = { tracks: [{ slug: 'busy', name: 'Busy bees', type: 'FEAT', goal: 'Goal of Busy', parent: null }], assignments: [{ wo: 'WO-1', track: 'busy' }, { wo: 'WO-2', track: 'live' }, { wo: 'WO-6', track: 'live' }, { wo: 'WO-3', track: 'shipped' }], retire: [{ slug: 'live', reason: 'x' }] };
    // Active tracks may be renamed; restating where a frozen work order already is changes nothing.
    expect(validateProposal({ ...p, retire: [] }, repo, 'reorg')).toEqual([]);
  });

  it('reorg: each way of touching a frozen track is a sentence the model can act on', () => {
    const repo = lifecycleRepo();
    const p: Proposal = {
      tracks: [
        { slug: 'shipped', name: 'Shipped again', type: 'FEAT', goal: 'Goal of Shipped', parent: null },
        { slug: 'exp-b', name: 'Exp B', type: 'EXP', goal: 'Goal of Exp B', parent: 'live' },
        { slug: 'more', name: 'More', type: 'FEAT', goal: '', parent: 'failed' },
      ],
      assignments: [{ wo: 'WO-1', track: 'shipped' }, { wo: 'WO-2', track: 'busy' }, { wo: 'WO-6', track: 'more' }, { wo: 'WO-3', track: 'busy' }, { wo: 'WO-4', track: 'live' }],
      merges: [{ from: ['failed', 'resting'], into: 'exp-a', reason: 'x' }],
      retire: [{ slug: 'busy', reason: 'x' }, { slug: 'exp-b', reason: 'x' }],
    };
    const v = validateProposal(p, repo, 'reorg');
    expect(v).toEqual(
      expect.arrayContaining([
        'tracks[0]: track "shipped" is completed, so organize never changes it (name "Shipped" → "Shipped again"); leave it out of "tracks".',
        'tracks[1]: track "exp-b" is part of the decided experiment "cache", so organize never changes it (parent null → "live"); leave it out of "tracks".',
        'tracks[2]: "more" cannot go under "failed", which is failed: organize adds nothing to a frozen track; choose a live parent or null.',
        'merges[0]: the target "exp-a" is completed, and organize never adds work orders to a frozen track; merge into a live track.',
        'merges[0]: "failed" is failed, so organize never merges it; remove it from "from".',
        'merges[0]: "resting" is paused: work is under way in it, so organize never merges it away; remove it from "from" (move single work orders instead).',
        'retire[0]: "busy" is active: work is under way in it, so organize never retires it; remove it from "retire".',
        'retire[1]: "exp-b" is part of the decided experiment "cache", so organize never retires it; remove it from "retire".',
        'work orders of frozen tracks stay where they are, but the proposal moves WO-3 (shipped), WO-4 (exp-b); remove those assignments.',
        'assignments put WO-1 into "shipped", which is completed; organize never adds work orders to a frozen track, so assign them to a live track.',
      ]),
    );
  });

  it('status is for new tracks; with single_active_track only one track may be active', () => {
    const repo = lifecycleRepo();
    const p: Proposal = {
      tracks: [
        { slug: 'busy', name: 'Busy', type: 'FEAT', goal: 'Goal of Busy', parent: null, status: 'completed' },
        { slug: 'fresh', name: 'Fresh', type: 'FEAT', goal: '', parent: 'live', status: 'active' },
      ],
      assignments: [{ wo: 'WO-1', track: 'fresh' }, { wo: 'WO-2', track: 'busy' }, { wo: 'WO-6', track: 'fresh' }],
    };
    expect(validateProposal(p, repo, 'reorg')).toEqual([
      'tracks[0] ("busy"): "status" is for new tracks only; an existing track changes status through the lifecycle commands (start, pause, complete, …), so leave it out.',
    ]);
    const single = repoFrom({ 'tracks/0001_FEAT_busy.md': trk('Busy', { status: 'active' }), 'work_orders/WO-1.md': wo('WO-1') }, { singleActiveTrack: true });
    const v = validateProposal({ tracks: [{ slug: 'fresh', name: 'Fresh', type: 'FEAT', goal: '', parent: null, status: 'active' }], assignments: [{ wo: 'WO-1', track: 'fresh' }] }, single, 'incremental');
    expect(v).toEqual(['single_active_track allows one active track, but busy, fresh would be active; start the new tracks as "ready".']);
  });

  it('a frozen sub-track keeps its parent, so the parent cannot be retired', () => {
    const repo = repoFrom({
      'tracks/0001_FEAT_top.md': trk('Top', { status: 'draft' }),
      'tracks/0002_FEAT_done.md': trk('Done', { status: 'completed', parent: 'top' }),
      'work_orders/WO-1.md': wo('WO-1', { track: 'top' }),
    });
    const v = validateProposal({ tracks: [], assignments: [{ wo: 'WO-1', track: 'top' }], retire: [{ slug: 'top', reason: 'x' }] }, repo, 'reorg');
    expect(v).toContain('"top" cannot be retired: its sub-track "done" is completed and organize cannot give it another parent; keep "top".');
  });
});

describe('frozen tracks and several tracks per work order', () => {
  it('a work order in a frozen and a live track cannot lose the frozen one', () => {
    const repo = repoFrom(
      {
        'tracks/0001_FEAT_done.md': trk('Done', { status: 'completed' }),
        'tracks/0002_FEAT_live.md': trk('Live', { status: 'ready' }),
        'work_orders/WO-1.md': wo('WO-1', { track: '[done, live]' }),
        'work_orders/WO-2.md': wo('WO-2', { track: 'live' }),
      },
      { multipleTracksPerWorkOrder: true },
    );
    expect(inScope(repo, 'reorg').map((w) => w.id)).toEqual(['WO-2']);
    const keep: Proposal = { tracks: [], assignments: [{ wo: 'WO-1', track: 'done' }, { wo: 'WO-1', track: 'live' }, { wo: 'WO-2', track: 'live' }] };
    expect(validateProposal(keep, repo, 'reorg')).toEqual([]);
    const drop: Proposal = { tracks: [], assignments: [{ wo: 'WO-1', track: 'live' }, { wo: 'WO-2', track: 'live' }] };
    expect(validateProposal(drop, repo, 'reorg')).toEqual(['work orders of frozen tracks stay where they are, but the proposal moves WO-1 (done); remove those assignments.']);
  });
});
