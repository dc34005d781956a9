import { describe, expect, it } from 'vitest';
import { cli, tempRepos, track, wo } from '../helpers/repo.js';

const { repo, corpus } = tempRepos();

describe('tracks check', () => {
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
