/** `tracks rename`: file, slug, every work order's key and sub-tracks' parent, in one commit; history records it. */
import { describe, expect, it } from 'vitest';
import { cli, git, ls, read, tempRepos, track, wo } from '../helpers/repo.js';

const { repo } = tempRepos();

describe('tracks rename', () => {
  it('renames file and slug, moves every reference by one line, records history, one commit; check stays clean', async () => {
    const d = repo({
      'tracks/0001_FEAT_cost-and-data.md': track('Cost and data'),
      'tracks/0002_FIX_cost-fixes.md': track('Cost fixes', { type: 'FIX', parent: 'cost-and-data' }),
      'tracks/0003_FEAT_ui.md': track('UI'),
      'tracks.config.yaml': 'multiple_tracks_per_work_order: true\n',
      'work_orders/WO-1.md': wo('WO-1', { track: 'cost-and-data' }),
      'work_orders/WO-2.md': '---\nid: WO-2\ntitle: Two   # keep\ntrack: [ui, cost-and-data]   # both\nstatus: ready\n---\nbody\n',
      'work_orders/WO-3.md': wo('WO-3', { track: 'cost-fixes' }),
      'work_orders/WO-4.md': wo('WO-4', { track: 'ui' }),
    });
    const before = count(d);
    const wo2 = read(d, 'work_orders/WO-2.md');
    // By its name, as people say it; the new slug is made from the new name.
    const r = await cli(d, ['rename', 'Cost and data', '--name', 'Data pipeline', '--reason', 'it is about data now']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('renamed cost-and-data → data-pipeline: tracks/0001_FEAT_cost-and-data.md → tracks/0001_FEAT_data-pipeline.md; 2 work orders, sub-tracks cost-fixes');
    expect(count(d)).toBe(before + 1);
    expect(ls(d, 'tracks')).toEqual(['0001_FEAT_data-pipeline.md', '0002_FIX_cost-fixes.md', '0003_FEAT_ui.md']);
    const renamed = read(d, 'tracks/0001_FEAT_data-pipeline.md');
    expect(renamed).toContain('name: Data pipeline');
    expect(renamed).toMatch(/history:\n {2}- at: \S+\n {4}from: active\n {4}to: active\n {4}by: Test User <test@example.com>\n {4}reason: it is about data now\n {4}event: rename\n {4}renamed_from: cost-and-data\n/);
    expect(read(d, 'work_orders/WO-1.md')).toContain('track: data-pipeline\n');
    // One line changes, the comment and the other slug stay.
    expect(read(d, 'work_orders/WO-2.md')).toBe(wo2.replace('track: [ui, cost-and-data]   # both', 'track: [ui, data-pipeline]   # both'));
    expect(read(d, 'tracks/0002_FIX_cost-fixes.md')).toContain('parent: data-pipeline');
    expect(git(d, 'show', '--stat', '--format=%s', 'HEAD')).toContain('tracks: rename cost-and-data → data-pipeline');
    expect(git(d, 'status', '--porcelain')).toBe('');
    const check = await cli(d, ['check']);
    expect(check.code, check.stdout).toBe(0);
  });

  it('refuses a slug that is taken or invalid, and a finished track; nothing changes', async () => {
    const d = repo({
      'tracks/0001_FEAT_runner.md': track('Runner'),
      'tracks/0002_FEAT_ui.md': track('UI'),
      'tracks/0003_FEAT_old.md': track('Old', { status: 'completed' }),
      'work_orders/WO-1.md': wo('WO-1', { track: 'runner' }),
      'work_orders/WO-2.md': wo('WO-2', { track: 'ui' }),
      'work_orders/WO-3.md': wo('WO-3', { track: 'old', status: 'done' }),
    });
    const taken = await cli(d, ['rename', 'runner', 'ui']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('[track/duplicate-slug] [RULES_BROKEN]');
    expect((await cli(d, ['rename', 'runner', 'Not A Slug'])).stderr).toContain('[BAD_SLUG]');
    expect((await cli(d, ['rename', 'old', 'older'])).stderr).toContain('[TRACK_RETIRED]');
    expect((await cli(d, ['rename', 'runr', 'x'])).stderr).toContain('Did you mean "runner"?');
    expect(git(d, 'status', '--porcelain')).toBe('');
    expect(ls(d, 'tracks')).toEqual(['0001_FEAT_runner.md', '0002_FEAT_ui.md', '0003_FEAT_old.md']);
  });
});

function count(d: string) {
  return Number(git(d, 'rev-list', '--count', 'HEAD').trim());
}
