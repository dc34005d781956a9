import { describe, expect, it } from 'vitest';
import { reportData, reportMarkdown } from '../../src/report/report.js';
import { repoOf } from './lifecycle-repo.js';

const wo = (id: string, f: Record<string, string> = {}) =>
  `---\nid: ${id}\ntitle: "T ${id} | pipe"\n${Object.entries({ status: 'ready', ...f })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n`;
const tr = (name: string, f: Record<string, string> = {}) =>
  `---\nname: ${name}\ntype: FEAT\n${Object.entries({ status: 'active', ...f })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n`;

describe('tracks report', () => {
  const repo = repoOf(
    {
      'tracks/0001_FEAT_run.md': tr('Runner'),
      'tracks/0002_FEAT_run-retry.md': tr('Retry', { parent: 'run' }),
      'tracks/0003_FEAT_ui.md': tr('UI'),
      'tracks/0004_FEAT_old.md': tr('Old', { status: 'archived' }),
      'work_orders/1.md': wo('WO-1', { track: 'run', status: 'done', estimate_hours: '2' }),
      'work_orders/2.md': wo('WO-2', { track: 'run-retry', estimate_hours: '2' }),
      'work_orders/3.md': wo('WO-3', { track: 'ui', depends_on: '[WO-2]' }),
      'work_orders/4.md': wo('WO-4', { track: 'run', depends_on: '[WO-2, WO-1, WO-99]' }),
      'work_orders/5.md': wo('WO-5'),
      'work_orders/6.md': wo('WO-6', { track: 'nope' }),
      'work_orders/7.md': wo('WO-7', { status: 'done', depends_on: '[WO-2]' }),
    },
    { topLevelLimit: 2 },
  );
  const r = reportData(repo);

  it('counts the distribution: shares, unassigned, unknown tracks', () => {
    // WO-6 names a track that does not exist: it is in no track, as status, check and list count it.
    expect(r.workOrders).toEqual({ total: 7, done: 2, assigned: 4, unassigned: 3, unknownTrack: 1, unreadable: 0, duplicateIds: 0 });
    const by = Object.fromEntries(r.tracks.map((t) => [t.slug, t]));
    expect(by.run!.count).toBe(2);
    expect(by.run!.share).toBeCloseTo(2 / 7, 3);
    expect(by['run-retry']!.depth).toBe(1);
    expect(r.tracks.map((t) => t.slug)).toEqual(['run', 'run-retry', 'ui', 'old']);
  });

  it('rolls progress up to parents', () => {
    const run = r.tracks.find((t) => t.slug === 'run')!;
    expect(run.own).toMatchObject({ done: 1, total: 2 });
    expect(run.progress).toMatchObject({ done: 1, total: 3, hoursDone: 2, hoursTotal: 4, hoursRatio: 0.5 });
  });

  it('lists blocked work, marking dependencies in other tracks; done work is never blocked', () => {
    expect(r.blocked.map((b) => [b.id, b.waitingOn.map((w) => `${w.id}${w.crossTrack ? '*' : ''}`)])).toEqual([
      ['WO-3', ['WO-2*']],
      ['WO-4', ['WO-2*']],
    ]);
    expect(r.missingDependencies).toEqual([{ id: 'WO-4', missing: ['WO-99'] }]);
  });

  it('reports top-level limit usage without counting archived or sub-tracks', () => {
    expect(r.topLevel).toEqual({ used: 2, limit: 2, tracks: ['run', 'ui'] });
  });

  it('renders markdown fit for a pull request', () => {
    const md = reportMarkdown(r);
    expect(md).toContain('**7 work orders**, 2 done (29%)');
    expect(md).toContain('3 unassigned (43%; 1 of them names a track that does not exist)');
    expect(md).toContain('top-level tracks 2/2');
    expect(md).toContain('| Runner `run` | FEAT | active | 2 | 29% | 1/3 (33%) | 2h/4h (50%) |');
    expect(md).toContain('| &nbsp;&nbsp;↳ Retry `run-retry` |');
    expect(md).toContain('- **WO-3** T WO-3 \\| pipe [`ui`] waits on WO-2 (ready, `run-retry`, **other track**)');
    expect(md).toContain('WO-4 → WO-99');
    // every table row has the same number of cells
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    expect(new Set(rows.map(cells)).size).toBe(1);
  });

  it('a dependency between two work orders without a track is "no track", never "other track"', () => {
    const repo2 = repoOf({
      'tracks/0001_FEAT_run.md': tr('Runner'),
      'work_orders/1.md': wo('WO-1'),
      'work_orders/2.md': wo('WO-2', { depends_on: '[WO-1]' }),
      'work_orders/3.md': wo('WO-3', { track: 'run', depends_on: '[WO-1]' }),
    });
    const d = reportData(repo2);
    expect(d.blocked.map((b) => [b.id, b.waitingOn[0]!.crossTrack])).toEqual([
      ['WO-2', false],
      ['WO-3', false],
    ]);
    const md = reportMarkdown(d);
    expect(md).toContain('- **WO-2** T WO-2 \\| pipe [_no track_] waits on WO-1 (ready, no track)');
    expect(md).toContain('- **WO-3** T WO-3 \\| pipe [`run`] waits on WO-1 (ready, no track)');
    expect(md).not.toContain('other track');
  });
});
