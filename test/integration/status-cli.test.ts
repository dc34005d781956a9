import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeRepo, tempRepo, track, wo } from '../helpers/repo.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeRepo(dirs.pop()!);
});

describe('tracks status', () => {
  it('counts, top-level usage, and says when organize is due', async () => {
    const files: Record<string, string> = {
      'tracks/0001_FEAT_runner.md': track('Runner'),
      'tracks/0002_FEAT_old.md': track('Old', { status: 'archived' }),
      'work_orders/WO-1.md': wo('WO-1', { track: 'runner', status: 'done' }),
      'work_orders/WO-2.md': wo('WO-2', { track: 'runner' }),
      'work_orders/broken.md': '---\nid: [\n---\n',
    };
    for (let i = 3; i <= 12; i++) files[`work_orders/WO-${i}.md`] = wo(`WO-${i}`);
    const d = tempRepo(files);
    dirs.push(d);
    const r = await cli(d, ['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Work orders: 13 (1 unreadable); 2 with a track, 10 without.',
        'Tracks: 2 (1 archived or cancelled); top level 1 of 8.',
        '  runner  Runner  active, 1/2 done',
        'Organize is due: 10 work orders have no track (threshold 10). Run `tracks organize` (incremental mode).',
        '',
      ].join('\n'),
    );
    const j = JSON.parse((await cli(d, ['status', '--format', 'json'])).stdout);
    expect(j.organize).toEqual({ due: true, unassigned: 10, threshold: 10, mode: 'incremental' });
    expect(j.workOrders).toEqual({ total: 13, unreadable: 1, duplicateIds: 0, assigned: 2, unassigned: 10 });
  });

  it('is quiet about organize below the threshold', async () => {
    const d = tempRepo({ 'tracks/0001_FEAT_a.md': track('A'), 'work_orders/WO-1.md': wo('WO-1', { track: 'a' }), 'work_orders/WO-2.md': wo('WO-2') });
    dirs.push(d);
    const r = await cli(d, ['status']);
    expect(r.stdout).toContain('1 without a track (organize is due at 10).');
    expect(r.stdout).not.toContain('Organize is due');
  });
});
