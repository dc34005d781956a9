import { afterAll, describe, expect, it } from 'vitest';
import { cli, git, removeRepo, tempRepo, track, wo } from '../helpers/repo.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeRepo));

function repo(threshold: number) {
  const files: Record<string, string> = {
    'tracks.config.yaml': `organize_threshold: ${threshold}\n`,
    'tracks/0001_FEAT_runner.md': track('Runner'),
    'work_orders/WO-1.md': wo('WO-1', { track: 'runner', tags: '[runner]' }),
  };
  for (let i = 2; i <= 4; i++) files[`work_orders/WO-${i}.md`] = wo(`WO-${i}`, { tags: '[runner]', title: `Runner retry ${i}` });
  const dir = tempRepo(files);
  dirs.push(dir);
  return dir;
}

const ARGS = ['organize', '--if-due', '--mode', 'incremental', '--yes', '--no-commit', '--provider', 'local'];

describe('organize --if-due', () => {
  it('below organize_threshold: one quiet line, exit 0, nothing written', async () => {
    const dir = repo(10);
    const r = await cli(dir, ARGS);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['Organize is not due: 3 work orders without a track, below organize_threshold (10). No files changed.']);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const j = await cli(dir, [...ARGS, '--format', 'json']);
    expect(JSON.parse(j.stdout)).toEqual({ version: 1, due: false, unassigned: 3, threshold: 10 });
  });

  it('at the threshold: runs as asked (here: writes without committing)', async () => {
    const dir = repo(3);
    const head = git(dir, 'rev-parse', 'HEAD');
    const r = await cli(dir, ARGS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Organize is due: 3 work orders without a track (organize_threshold: 3).');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'status', '--porcelain')).toMatch(/ M work_orders\/WO-2\.md/);
    expect((await cli(dir, ['check'])).code).toBe(0);
  });
});
