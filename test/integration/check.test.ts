import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli, git, tempRepos, track, wo } from '../helpers/repo.js';

const { repo, corpus } = tempRepos();

describe('tracks check', () => {
  it('keeps its cache in the git directory git names, in a linked work tree too', async () => {
    const d = repo({ 'tracks/0001_FEAT_runner.md': track('Runner'), 'work_orders/WO-1.md': wo('WO-1', { track: 'runner' }) });
    const wt = `${d}-wt`;
    git(d, 'worktree', 'add', '-q', wt);
    try {
      // The helper turns the cache off; this test is about where it goes.
      const on = { env: { TRACKS_NO_CACHE: '' } };
      expect((await cli(wt, ['check'], on)).code).toBe(0);
      const gitDir = join(d, '.git', 'worktrees', readdirSync(join(d, '.git', 'worktrees'))[0]!);
      expect(readdirSync(join(gitDir, 'tracks')).some((f) => f.startsWith('check-'))).toBe(true);
      expect(existsSync(join(wt, '.git', 'tracks'))).toBe(false); // .git is a file there
      expect((await cli(wt, ['check'], on)).code).toBe(0);
    } finally {
      rmSync(wt, { recursive: true, force: true });
    }
  });

  it('passes a clean repository', async () => {
    const d = repo({
      'tracks/0001_FEAT_runner.md': track('Runner'),
      'work_orders/WO-1.md': wo('WO-1', { track: 'runner' }),
    });
    const r = await cli(d, ['check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 files checked: 0 errors, 0 warnings');
  });

  it('reports an unknown track with path:line:col and a did-you-mean hint', async () => {
    const d = repo({
      'tracks/0001_FEAT_runner.md': track('Runner'),
      'work_orders/WO-1.md': wo('WO-1', { track: 'runer' }),
    });
    const r = await cli(d, ['check', '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([
      expect.objectContaining({ file: 'work_orders/WO-1.md', line: 5, col: 8, code: 'wo/unknown-track', severity: 'error', hint: 'Did you mean "runner"?' }),
    ]);
  });

  it('reads the real corpus: one YAML error, one unknown track, warnings for the rest', async () => {
    const d = corpus('head');
    const r = await cli(d, ['check', '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    const codes = j.problems.filter((p: { severity: string }) => p.severity === 'error').map((p: { code: string }) => p.code);
    expect(codes.sort()).toEqual(['wo/unknown-track', 'yaml/syntax']);
    expect(j.summary.files).toBe(205);
  });
});
