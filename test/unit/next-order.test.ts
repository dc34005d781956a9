import { describe, expect, it } from 'vitest';
import { nextInTrack, nextPerActiveTrack } from '../../src/next/next.js';
import { trackTree } from '../../src/core/progress.js';
import { repoOf } from './lifecycle-repo.js';

const wo = (id: string, f: Record<string, string> = {}) =>
  `---\nid: ${id}\ntitle: T ${id}\n${Object.entries({ status: 'ready', ...f })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n`;
const tr = (f: Record<string, string> = {}) =>
  `---\nname: N\ntype: FEAT\n${Object.entries({ status: 'active', ...f })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n`;

describe('tracks next ordering', () => {
  const repo = repoOf({
    'tracks/0001_FEAT_run.md': tr(),
    'tracks/0002_FEAT_ui.md': tr(),
    'tracks/0003_FEAT_idle.md': tr({ status: 'paused' }),
    // a: p2, unblocks b, c (and d through c) → 3
    'work_orders/a.md': wo('WO-1', { track: 'run', priority: '2' }),
    'work_orders/b.md': wo('WO-2', { track: 'run', priority: '1', depends_on: '[WO-1]' }),
    'work_orders/c.md': wo('WO-3', { track: 'ui', priority: '3', depends_on: '[WO-1]' }),
    'work_orders/d.md': wo('WO-4', { track: 'ui', depends_on: '[WO-3]' }),
    // e: p2, unblocks nothing; f: p1 unblocks nothing; g: no priority
    'work_orders/e.md': wo('WO-5', { track: 'run', priority: '2' }),
    'work_orders/f.md': wo('WO-6', { track: 'run', priority: '1' }),
    'work_orders/g.md': wo('WO-7', { track: 'run' }),
    'work_orders/h.md': wo('WO-8', { track: 'run', priority: '1', status: 'done' }),
    'work_orders/i.md': wo('WO-9', { track: 'run', priority: '1', status: 'parked' }),
    'work_orders/j.md': wo('WO-10', { track: 'run', priority: '2', depends_on: '[WO-8, WO-404]' }),
    // a cycle must not hang anything
    'work_orders/k.md': wo('WO-11', { track: 'ui', depends_on: '[WO-12]' }),
    'work_orders/l.md': wo('WO-12', { track: 'ui', depends_on: '[WO-11]' }),
  });

  it('orders by priority, then by how much work each unblocks, then id', () => {
    const r = nextInTrack(repo, 'run');
    expect(r.ready.map((i) => i.id)).toEqual(['WO-6', 'WO-1', 'WO-5', 'WO-10', 'WO-7']);
    const a = r.ready.find((i) => i.id === 'WO-1')!;
    expect(a.unblocks).toEqual(['WO-2', 'WO-3', 'WO-4']);
    expect(a.reason).toBe('priority 2; unblocks 3 (WO-2, WO-3, WO-4)');
    expect(r.ready.find((i) => i.id === 'WO-7')!.reason).toMatch(/^no priority/);
  });

  it('a dependency missing from the repository does not block, but is named', () => {
    const j = nextInTrack(repo, 'run').ready.find((i) => i.id === 'WO-10')!;
    expect(j.missing).toEqual(['WO-404']);
    expect(j.reason).toContain('WO-404, not in this repository');
  });

  it('lists blocked work with cross-track dependencies, and counts held work', () => {
    const r = nextInTrack(repo, 'run');
    expect(r.blocked).toEqual([{ id: 'WO-2', title: 'T WO-2', tracks: ['run'], status: 'ready', waitingOn: [{ id: 'WO-1', status: 'ready', tracks: ['run'], crossTrack: false }] }]);
    expect(r.held).toEqual({ parked: ['WO-9'] });
    const ui = nextInTrack(repo, 'ui');
    expect(ui.ready).toEqual([]);
    expect(ui.blocked.find((b) => b.id === 'WO-3')!.waitingOn[0]).toMatchObject({ id: 'WO-1', crossTrack: true });
    expect(ui.blocked.map((b) => b.id)).toEqual(['WO-3', 'WO-4', 'WO-11', 'WO-12']);
  });

  it('without a track: the first item of each active track', () => {
    const rows = nextPerActiveTrack(repo);
    expect(rows.map((r) => [r.track.slug, r.next?.id ?? null, r.open])).toEqual([
      ['run', 'WO-6', 7],
      ['ui', null, 4],
    ]);
  });

  it('unknown track: did-you-mean', () => {
    expect(() => nextInTrack(repo, 'rum')).toThrow(/no track "rum"/);
    try {
      nextInTrack(repo, 'rum');
    } catch (e) {
      expect((e as { hint: string }).hint).toContain('Did you mean "run"?');
    }
  });
});

describe('next never offers the work of a retired track', () => {
  const repo = repoOf({
    'tracks/0001_FEAT_run.md': tr(),
    'tracks/0002_FEAT_old.md': tr({ parent: 'run', status: 'archived' }),
    'tracks/0003_FEAT_gone.md': tr({ status: 'cancelled' }),
    'work_orders/a.md': wo('WO-1', { track: 'run' }),
    'work_orders/b.md': wo('WO-2', { track: 'old' }),
    'work_orders/c.md': wo('WO-3', { track: 'old', status: 'done' }),
    'work_orders/d.md': wo('WO-4', { track: 'gone', priority: '1' }),
    'work_orders/e.md': wo('WO-5', { track: 'gone', depends_on: '[WO-1]' }),
  });

  it('in a track: the open work of its archived sub-track is left out, and counted', () => {
    const r = nextInTrack(repo, 'run');
    expect(r.ready.map((i) => i.id)).toEqual(['WO-1']);
    expect(r.retired).toBe(1);
  });

  it('a cancelled track offers nothing, and says why', async () => {
    const r = nextInTrack(repo, 'gone');
    expect([r.ready, r.blocked, r.retired]).toEqual([[], [], 2]);
    const { renderNext } = await import('../../src/next/render.js');
    const { Chalk } = await import('chalk');
    const text = renderNext(r, new Chalk({ level: 0 }), 10);
    expect(text).toContain('Nothing to start in gone: its open work is in cancelled or archived tracks.');
    expect(text).toContain('Left out: 2 open work orders in cancelled or archived tracks, which are closed to work (move them to a live track with `tracks assign`).');
  });

  it('each active track: its retired sub-tracks are neither offered nor counted as open', () => {
    expect(nextPerActiveTrack(repo).map((r) => [r.track.slug, r.next?.id ?? null, r.open, r.retired])).toEqual([['run', 'WO-1', 1, 1]]);
  });
});

describe('next of each active track: each work order in one row', () => {
  const repo = repoOf({
    'tracks/0001_FEAT_run.md': tr(),
    'tracks/0002_FEAT_core.md': tr({ parent: 'run' }),
    'tracks/0003_FEAT_later.md': tr({ parent: 'run', status: 'ready' }),
    'tracks/0004_FEAT_ui.md': tr(),
    'tracks/0005_FEAT_widgets.md': tr({ parent: 'ui' }),
    'tracks/0006_FEAT_forms.md': tr({ parent: 'ui' }),
    // run: its own work, and its sub-track "later" (not active) rolled in; core has its own row
    'work_orders/a.md': wo('WO-1', { track: 'core', priority: '1' }),
    'work_orders/b.md': wo('WO-2', { track: 'run', priority: '2' }),
    'work_orders/c.md': wo('WO-3', { track: 'later', priority: '1' }),
    // ui: nothing of its own
    'work_orders/d.md': wo('WO-4', { track: 'widgets' }),
    'work_orders/e.md': wo('WO-5', { track: 'forms', status: 'done' }),
  });

  it('a parent leaves out what its active sub-tracks offer, rows in tree order', () => {
    const rows = nextPerActiveTrack(repo);
    expect(rows.map((r) => [r.track.slug, r.parent, r.depth, r.next?.id ?? null, r.open, r.activeBelow])).toEqual([
      ['run', null, 0, 'WO-3', 2, 1],
      ['core', 'run', 1, 'WO-1', 1, 0],
      ['ui', null, 0, null, 0, 2],
      ['widgets', 'ui', 1, 'WO-4', 1, 0],
      ['forms', 'ui', 1, null, 0, 0],
    ]);
    // nothing offered twice
    const offered = rows.flatMap((r) => (r.next ? [r.next.id] : []));
    expect(new Set(offered).size).toBe(offered.length);
  });

  it('shows sub-tracks under their parent, and a parent whose work is all in them says so', async () => {
    const { renderNextActive } = await import('../../src/next/render.js');
    const { Chalk } = await import('chalk');
    const text = renderNextActive(nextPerActiveTrack(repo), new Chalk({ level: 0 }));
    expect(text).toContain('  ui         its work is in its sub-tracks below\n    widgets  WO-4  T WO-4\n');
    expect(text).toContain('    forms    no open work orders: complete it with `tracks complete forms`, or add work');
    expect(text).toContain('  run        WO-3  T WO-3\n');
    expect(text).toContain('    core     WO-1  T WO-1\n');
  });
});

describe('progress roll-up', () => {
  it('rolls sub-tracks into parents, counting each work order once, with hours', () => {
    const repo = repoOf({
      'tracks/0001_FEAT_top.md': tr(),
      'tracks/0002_FEAT_mid.md': tr({ parent: 'top' }),
      'tracks/0003_FEAT_leaf.md': tr({ parent: 'mid' }),
      'tracks/0004_FEAT_other.md': tr(),
      'work_orders/1.md': wo('WO-1', { track: 'top', status: 'done', estimate_hours: '2' }),
      'work_orders/2.md': wo('WO-2', { track: 'mid', estimate_hours: '6' }),
      'work_orders/3.md': wo('WO-3', { track: 'leaf', status: 'done', estimate_hours: '4' }),
      'work_orders/4.md': wo('WO-4', { track: 'leaf' }),
      'work_orders/5.md': wo('WO-5', { track: 'other', status: 'done' }),
    });
    const rows = trackTree(repo);
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.track.slug} own ${r.own.done}/${r.own.total} all ${r.rolled.done}/${r.rolled.total} ${r.rolled.hoursDone}/${r.rolled.hoursTotal}h`)).toEqual([
      'top own 1/1 all 2/4 6/12h',
      '  mid own 0/1 all 1/3 4/10h',
      '    leaf own 1/2 all 1/2 4/4h',
      'other own 1/1 all 1/1 0/0h',
    ]);
    expect(rows[0]!.rolled.hoursRatio).toBe(0.5);
    expect(rows[3]!.rolled.hoursRatio).toBeUndefined();
  });
});

describe('next: wording', () => {
  it('says when a track is finished, not that nothing can start', async () => {
    const { renderNext } = await import('../../src/next/render.js');
    const { Chalk } = await import('chalk');
    const c = new Chalk({ level: 0 });
    expect(renderNext({ track: 'a', ready: [], blocked: [], held: {}, retired: 0 }, c, 10)).toBe('Nothing left to start in a: every work order is done.\n');
    expect(renderNext({ track: 'a', ready: [], blocked: [], held: { parked: ['WO-1'] }, retired: 0 }, c, 10)).toContain('Nothing can start in a now.');
  });
});
