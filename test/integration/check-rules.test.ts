import { describe, expect, it } from 'vitest';
import { cli, git, tempRepos, track, wo, write } from '../helpers/repo.js';

const { repo } = tempRepos();
type P = { file: string; line: number; col: number; code: string; severity: string; message: string };
const problems = async (d: string, args: string[] = []) => {
  const r = await cli(d, ['check', '--format', 'json', ...args]);
  // "a live track with no work orders" is beside the point of most fixtures here; its own test keeps it.
  return { code: r.code, list: (JSON.parse(r.stdout).problems as P[]).filter((p) => p.code !== 'track/empty') };
};
const codes = (ps: P[]) => ps.map((p) => `${p.file}:${p.line}:${p.col} ${p.code}`).sort();

describe('check rules', () => {
  it('retired tracks hold no open work and no live sub-tracks; a live track without work is a warning', async () => {
    const d = repo({
      'tracks/0001_FEAT_gone.md': track('Gone', { status: 'cancelled' }),
      'tracks/0002_FEAT_child.md': track('Child', { parent: 'gone' }),
      'tracks/0003_FEAT_old.md': track('Old', { status: 'archived' }),
      'tracks/0004_FEAT_idle.md': track('Idle'),
      'tracks/0005_EXP_lost.md': track('Lost', { type: 'EXP', status: 'cancelled', experiment: 'x', hypothesis: 'h', decision: '{experiment: x, winner: other}' }),
      'work_orders/WO-1.md': wo('WO-1', { track: 'gone' }),
      'work_orders/WO-2.md': wo('WO-2', { track: 'old', status: 'done' }),
      'work_orders/WO-3.md': wo('WO-3', { track: 'lost' }),
      'work_orders/WO-4.md': wo('WO-4', { track: 'child' }),
    });
    const r = await cli(d, ['check', '--format', 'json']);
    expect(r.code).toBe(1);
    const list = JSON.parse(r.stdout).problems as P[];
    expect(codes(list)).toEqual([
      'tracks/0001_FEAT_gone.md:5:9 track/retired-with-open-work',
      'tracks/0002_FEAT_child.md:6:9 track/retired-parent',
      'tracks/0004_FEAT_idle.md:1:1 track/empty',
    ]);
    expect(list.find((p) => p.code === 'track/retired-with-open-work')!.message).toBe('track is cancelled but still holds 1 open work order');
    expect(list.find((p) => p.code === 'track/empty')!.severity).toBe('warning');
  });


  it('parent: unknown, self and cycles', async () => {
    const d = repo({
      'tracks/0001_FEAT_a.md': track('A', { parent: 'b' }),
      'tracks/0002_FEAT_b.md': track('B', { parent: 'a' }),
      'tracks/0003_FEAT_c.md': track('C', { parent: 'nope' }),
      'tracks/0004_FEAT_d.md': track('D', { parent: 'd' }),
    });
    const { code, list } = await problems(d);
    expect(code).toBe(1);
    expect(codes(list)).toEqual([
      'tracks/0001_FEAT_a.md:6:9 track/parent-cycle',
      'tracks/0003_FEAT_c.md:6:9 track/unknown-parent',
      'tracks/0004_FEAT_d.md:6:9 track/parent-cycle',
    ]);
    expect(list.find((p) => p.file.endsWith('a.md'))!.message).toBe('parent chain loops: a → b → a');
  });

  it('duplicate numbers and slugs, and file names that disagree with the front matter', async () => {
    const d = repo({
      'tracks/0001_FEAT_a.md': track('A'),
      'tracks/0001_FEAT_b.md': track('B'),
      'tracks/0002_FIX_a.md': track('A again', { type: 'FIX' }),
      'tracks/0003_FIX_c.md': track('C', { type: 'FEAT' }),
      'tracks/notes.md': track('Not a track name'),
      'work_orders/WO-1.md': wo('WO-1', { track: 'a' }),
    });
    const { list } = await problems(d);
    expect(codes(list)).toEqual([
      'tracks/0001_FEAT_b.md:1:1 track/duplicate-number',
      'tracks/0002_FIX_a.md:1:1 track/duplicate-slug',
      'tracks/0003_FIX_c.md:4:7 track/name-mismatch',
      'tracks/notes.md:1:1 track/file-name',
    ]);
    expect(list[0]!.message).toContain('also used by tracks/0001_FEAT_a.md');
  });

  it('top-level limit counts tracks that are not cancelled or archived', async () => {
    const files: Record<string, string> = { 'tracks.config.yaml': 'top_level_limit: 2\n' };
    ['a', 'b', 'c'].forEach((s, i) => (files[`tracks/000${i + 1}_FEAT_${s}.md`] = track(s.toUpperCase())));
    files['tracks/0004_FEAT_old.md'] = track('Old', { status: 'archived' });
    files['tracks/0005_FEAT_sub.md'] = track('Sub', { parent: 'a' });
    const d = repo(files);
    const { list } = await problems(d);
    expect(codes(list)).toEqual(['tracks/0003_FEAT_c.md:1:1 track/top-level-limit']);
    expect(list[0]!.message).toBe('3 top-level tracks exceed the limit of 2');
  });

  it('work orders: duplicate ids, unknown deps (warning), dependency cycles (warning), multiple active tracks', async () => {
    const d = repo({
      'tracks.config.yaml': 'single_active_track: true\n',
      'tracks/0001_FEAT_a.md': track('A'),
      'tracks/0002_FEAT_b.md': track('B'),
      'work_orders/WO-1.md': wo('WO-1', { track: 'a', depends_on: '[WO-2]' }),
      'work_orders/WO-2.md': wo('WO-2', { track: 'a', depends_on: '[WO-3, WO-404]' }),
      'work_orders/WO-3.md': wo('WO-3', { track: 'a', depends_on: '[WO-1]' }),
      'work_orders/WO-3b.md': wo('WO-3', { track: 'a' }),
    });
    const { code, list } = await problems(d);
    expect(code).toBe(1);
    expect(codes(list)).toEqual([
      'tracks/0002_FEAT_b.md:5:9 track/multiple-active',
      'work_orders/WO-1.md:6:14 wo/dependency-cycle',
      'work_orders/WO-2.md:6:20 wo/unknown-dependency',
      'work_orders/WO-3b.md:2:5 wo/duplicate-id',
    ]);
    expect(list.find((p) => p.code === 'wo/dependency-cycle')).toMatchObject({ severity: 'warning', message: 'depends_on forms a cycle: WO-1 → WO-2 → WO-3 → WO-1' });
  });

  it('unassigned is a warning, an error with --require-track or require_track', async () => {
    const d = repo({ 'work_orders/WO-1.md': wo('WO-1') });
    expect((await problems(d)).code).toBe(0);
    const strict = await problems(d, ['--require-track']);
    expect(strict.code).toBe(1);
    expect(strict.list[0]).toMatchObject({ code: 'wo/unassigned', severity: 'error', line: 1, col: 1 });
  });

  it('schema errors point at the value; unknown track keys are warnings', async () => {
    const d = repo({
      'tracks/0001_FEAT_a.md': '---\nname: A\ntype: FEAT\nstatus: running\ncolour: red\n---\n',
      'work_orders/WO-1.md': '---\nid: WO-1\ntitle: T\npriority: high\ntrack: Not A Slug\n---\n',
    });
    const { list } = await problems(d);
    expect(list.map((p) => `${p.file}:${p.line}:${p.col} ${p.severity} ${p.message}`).sort()).toEqual([
      'tracks/0001_FEAT_a.md:4:9 error status must be one of: draft, ready, active, paused, completed, failed, cancelled, archived',
      'tracks/0001_FEAT_a.md:5:1 warning unknown key "colour"',
      'work_orders/WO-1.md:4:11 error priority must be an integer or empty',
      'work_orders/WO-1.md:5:8 error track "Not A Slug" does not exist',
      'work_orders/WO-1.md:5:8 error track has the wrong shape',
    ]);
  });

  it('--staged checks the index, not the work tree', async () => {
    const d = repo({ 'tracks/0001_FEAT_a.md': track('A'), 'work_orders/WO-1.md': wo('WO-1', { track: 'a' }) });
    write(d, 'work_orders/WO-1.md', wo('WO-1', { track: 'missing' }));
    expect((await problems(d, ['--staged'])).code).toBe(0);
    git(d, 'add', 'work_orders/WO-1.md');
    const staged = await problems(d, ['--staged']);
    expect(codes(staged.list)).toEqual(['work_orders/WO-1.md:5:8 wo/unknown-track']);
    write(d, 'work_orders/WO-1.md', wo('WO-1', { track: 'a' }));
    expect((await problems(d)).code).toBe(0);
    expect((await problems(d, ['--staged'])).code).toBe(1);
  });

  it('the cache gives the same answer as a cold run, and sees changes', async () => {
    const d = repo({ 'tracks/0001_FEAT_a.md': track('A'), 'work_orders/WO-1.md': wo('WO-1', { track: 'a', depends_on: '[WO-9]' }), 'work_orders/WO-2.md': '---\nid: WO-2\ntitle: x\nsteps:\n  - Parse: it\n---\n' });
    const env = { TRACKS_NO_CACHE: undefined };
    const cold = await cli(d, ['check', '--format', 'json', '--no-cache']);
    const first = await cli(d, ['check', '--format', 'json'], { env });
    const cached = await cli(d, ['check', '--format', 'json'], { env });
    expect(first.stdout).toBe(cold.stdout);
    expect(cached.stdout).toBe(cold.stdout);
    write(d, 'work_orders/WO-1.md', wo('WO-1', { track: 'b' }));
    const after = await cli(d, ['check', '--format', 'json'], { env });
    expect(codes(JSON.parse(after.stdout).problems)).toContain('work_orders/WO-1.md:5:8 wo/unknown-track');
  });
});

describe('check output formats', () => {
  it('github annotations escape data and properties', async () => {
    const d = repo({ 'work_orders/a,b.md': '---\nid: WO-1\ntitle: x\ntrack: "nope"\n---\n' });
    const r = await cli(d, ['check', '--format', 'github']);
    expect(r.stdout).toContain('::error file=work_orders/a%2Cb.md,line=4,col=8,title=tracks wo/unknown-track::track "nope" does not exist (There are no tracks yet; create one with `tracks create` or run `tracks organize`.)');
  });

  it('defaults to github under GitHub Actions', async () => {
    const d = repo({ 'work_orders/WO-1.md': wo('WO-1') });
    const r = await cli(d, ['check'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(r.stdout).toMatch(/^::warning file=work_orders\/WO-1.md,line=1,col=1/);
  });

  it('limits the report to given paths', async () => {
    const d = repo({ 'work_orders/WO-1.md': wo('WO-1', { track: 'x' }), 'work_orders/WO-2.md': wo('WO-2', { track: 'y' }) });
    const r = await cli(d, ['check', 'work_orders/WO-2.md', '--format', 'json']);
    expect(JSON.parse(r.stdout).problems.map((p: P) => p.file)).toEqual(['work_orders/WO-2.md']);
  });
});

describe('check: whole-run memo', () => {
  it('answers an unchanged repository from the memo, and notices size, mtime and file-list changes', async () => {
    const { utimesSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const d = repo({ 'tracks/0001_FEAT_a.md': track('A'), 'work_orders/WO-1.md': wo('WO-1', { track: 'a' }), 'work_orders/WO-2.md': wo('WO-2', { track: 'a' }) });
    const env = { TRACKS_NO_CACHE: undefined };
    const past = new Date(Date.now() - 60_000);
    const age = (p: string) => utimesSync(join(d, p), past, past);
    ['tracks/0001_FEAT_a.md', 'work_orders/WO-1.md', 'work_orders/WO-2.md'].forEach(age);
    expect((await cli(d, ['check', '--format', 'json'], { env })).code).toBe(0);
    // Same size and mtime, different bytes, and no per-file cache left: only the
    // whole-run memo can answer (and, like git's index, it trusts size+mtime).
    const { rmSync } = await import('node:fs');
    rmSync(join(d, '.git', 'tracks', 'check-cache.json'));
    write(d, 'work_orders/WO-1.md', wo('WO-1', { track: 'b' }));
    age('work_orders/WO-1.md');
    expect(statSync(join(d, 'work_orders/WO-1.md')).size).toBe(statSync(join(d, 'work_orders/WO-2.md')).size);
    expect((await cli(d, ['check', '--format', 'json'], { env })).code).toBe(0);
    // A new mtime is seen at once; so is a new file.
    write(d, 'work_orders/WO-1.md', wo('WO-1', { track: 'c' }));
    expect((await cli(d, ['check', '--format', 'json'], { env })).code).toBe(1);
    write(d, 'work_orders/WO-1.md', wo('WO-1', { track: 'a' }));
    age('work_orders/WO-1.md');
    write(d, 'work_orders/WO-3.md', wo('WO-3', { track: 'nope' }));
    age('work_orders/WO-3.md');
    expect((await cli(d, ['check', '--format', 'json'], { env })).code).toBe(1);
    expect((await cli(d, ['check', '--format', 'json', '--no-cache'])).code).toBe(1);
  });
});

describe('check: stylish folds mass "no track" warnings', () => {
  it('shows three and a count past ten; json lists them all', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 12; i++) files[`work_orders/WO-${i}.md`] = wo(`WO-${i}`);
    const d = repo(files);
    const r = await cli(d, ['check']);
    expect(r.stdout.match(/wo\/unassigned/g)).toHaveLength(3);
    expect(r.stdout).toContain('… and 9 more work orders without a track');
    expect(r.stdout).toContain('12 files checked: 0 errors, 12 warnings');
    expect(r.stderr).toContain('Organize is due: 12 work orders have no track (organize_threshold: 10).');
    const j = JSON.parse((await cli(d, ['check', '--format', 'json'])).stdout);
    expect(j.problems).toHaveLength(12);
  });
});
