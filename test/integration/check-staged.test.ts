/**
 * `check --staged` (the pre-commit hook) judges the commit: errors in the files
 * it changes, or that it causes elsewhere, block it; problems that were already
 * in files it does not touch are summed up in one line and do not.
 */
import { describe, expect, it } from 'vitest';
import { cli, git, tempRepos, track, wo, write } from '../helpers/repo.js';

const { repo } = tempRepos();

function base() {
  return repo({
    'tracks/0001_FEAT_runner.md': track('Runner'),
    'tracks/0002_FEAT_ui.md': track('UI'),
    'work_orders/WO-1.md': wo('WO-1', { track: 'runner' }),
    'work_orders/WO-2.md': wo('WO-2', { track: 'ui' }),
    // An old problem nobody is touching: it must not block unrelated commits.
    'work_orders/WO-3.md': '---\nid: WO-3\ntitle: [broken\n---\n',
  });
}

describe('check --staged judges the commit', () => {
  it('an unrelated one-line edit passes although another file has an old error; one summary line says so', async () => {
    const d = base();
    write(d, 'tracks/0002_FEAT_ui.md', track('UI', { goal: 'A better goal' }));
    git(d, 'add', '-A');
    const r = await cli(d, ['check', '--staged']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('WO-3');
    expect(r.stderr).toContain('tracks: not blocking this commit: 1 error already in other files (`tracks check` shows them).');
    // The whole picture is one flag away.
    const v = await cli(d, ['--verbose', 'check', '--staged']);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('work_orders/WO-3.md');
  });

  it('an error in a staged file blocks it', async () => {
    const d = base();
    write(d, 'work_orders/WO-1.md', wo('WO-1', { track: 'runer' }));
    git(d, 'add', '-A');
    const r = await cli(d, ['check', '--staged']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/work_orders\/WO-1\.md:5:8 +error +track "runer" does not exist/);
    expect(r.stdout).not.toContain('WO-3');
  });

  it('an error the commit causes in a file it does not touch blocks it (a renamed slug leaves work orders pointing nowhere)', async () => {
    const d = base();
    git(d, 'mv', 'tracks/0001_FEAT_runner.md', 'tracks/0001_FEAT_runners.md');
    const r = await cli(d, ['check', '--staged']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('work_orders/WO-1.md');
    expect(r.stdout).toContain('track "runner" does not exist');
  });

  it("the tool's own commits pass the hook when an old error sits elsewhere", async () => {
    const d = base();
    const { BIN_HOOK } = { BIN_HOOK: `#!/bin/sh\nexec node ${JSON.stringify(process.cwd() + '/bin/tracks.js')} check --staged\n` };
    write(d, '.git/hooks/pre-commit', BIN_HOOK);
    (await import('node:fs')).chmodSync(`${d}/.git/hooks/pre-commit`, 0o755);
    const r = await cli(d, ['start', 'runner', '--reason', 'go']);
    expect(r.stderr).toContain('[TRANSITION_REFUSED]'); // already active: nothing to commit, nothing to judge
    const s = await cli(d, ['pause', 'runner', '--reason', 'wait']);
    expect(s.code, s.stderr).toBe(0);
    expect(git(d, 'log', '-1', '--format=%s')).toContain('pause runner');
  });
});
