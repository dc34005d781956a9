/**
 * Issue 14, point 7: `tracks hook install` puts the hook where git runs it.
 * Each case proves it the only way that counts: a commit the hook must block
 * is blocked, and one it must let through goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, removeRepo, tempRepo, track, wo } from '../helpers/repo.js';
import { BIN, ensureBuilt, snapshot, tracksBin } from '../helpers/hostile.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeRepo));
const keep = (d: string) => (dirs.push(d), d);

let env: Record<string, string | undefined>;
let home: string;
beforeAll(() => {
  ensureBuilt();
  // A `tracks` on PATH that runs this checkout's built CLI, and a home of our own for `~`.
  const shim = keep(mkdtempSync(join(tmpdir(), 'tracks-shim-')));
  writeFileSync(join(shim, 'tracks'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  chmodSync(join(shim, 'tracks'), 0o755);
  home = keep(mkdtempSync(join(tmpdir(), 'tracks-home-')));
  env = { PATH: `${shim}:${process.env.PATH}`, HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
});

const base = () =>
  keep(
    tempRepo({
      'tracks/0001_FEAT_runner.md': track('Runner'),
      'work_orders/WO-1.md': wo('WO-1', { track: 'runner' }),
    }),
  );

/** Stages a work order naming a track that does not exist and tries to commit it from `cwd`. */
function commitBad(top: string, cwd = top, rel = 'work_orders/WO-9.md') {
  writeFileSync(join(top, rel), wo('WO-9', { track: 'no-such-track' }));
  git(top, 'add', rel);
  return spawnSync('git', ['commit', '-q', '-m', 'bad'], { cwd, env: { ...process.env, ...env, NO_COLOR: '1' }, encoding: 'utf8' });
}

function commitFixed(top: string, cwd = top, rel = 'work_orders/WO-9.md') {
  writeFileSync(join(top, rel), wo('WO-9', { track: 'runner' }));
  git(top, 'add', rel);
  return spawnSync('git', ['commit', '-q', '-m', 'good'], { cwd, env: { ...process.env, ...env, NO_COLOR: '1' }, encoding: 'utf8' });
}

const absent = (p: string) => {
  try {
    lstatSync(p);
    return false;
  } catch {
    return true;
  }
};

describe('hook install', () => {
  it('in a linked work tree: into the common git directory, where git runs it for every work tree', () => {
    const main = base();
    const wt = join(keep(mkdtempSync(join(tmpdir(), 'tracks-wt-'))), 'feature');
    git(main, 'worktree', 'add', '-q', wt, '-b', 'feature');
    const r = tracksBin(wt, ['hook', 'install'], env);
    expect(r.code).toBe(0);
    const hook = join(main, '.git', 'hooks', 'pre-commit');
    expect(r.stderr).toBe(`Installed pre-commit hook at ${hook}: it runs \`tracks check --staged\`.\n`);
    expect(readFileSync(hook, 'utf8')).toContain('# installed by `tracks hook install`');
    const blocked = commitBad(wt);
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('work_orders/WO-9.md:5:8');
    expect(git(wt, 'log', '--oneline').trim().split('\n')).toHaveLength(1);
    expect(commitFixed(wt).status).toBe(0);
    // The main work tree is guarded by the same hook.
    expect(commitBad(main).status).not.toBe(0);
  });

  it('with core.hooksPath=~/.hooks-x: expands ~ as git does and never makes a directory named ~', () => {
    const d = base();
    mkdirSync(join(d, 'sub'));
    git(d, 'config', 'core.hooksPath', '~/.hooks-x');
    const r = tracksBin(join(d, 'sub'), ['hook', 'install'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Installed pre-commit hook at ${join(home, '.hooks-x', 'pre-commit')} (core.hooksPath)`);
    expect(existsSync(join(home, '.hooks-x', 'pre-commit'))).toBe(true);
    for (const where of [d, join(d, 'sub'), process.cwd()]) expect(absent(join(where, '~'))).toBe(true);
    const blocked = commitBad(d);
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('work_orders/WO-9.md:5:8');
    expect(commitFixed(d).status).toBe(0);
  });

  it('with a relative core.hooksPath, run from a subdirectory: relative to the top, where git runs hooks', () => {
    const d = base();
    mkdirSync(join(d, 'sub', 'deeper'), { recursive: true });
    git(d, 'config', 'core.hooksPath', '.githooks');
    const r = tracksBin(join(d, 'sub', 'deeper'), ['hook', 'install'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Installed pre-commit hook at .githooks/pre-commit (core.hooksPath)');
    expect(existsSync(join(d, '.githooks', 'pre-commit'))).toBe(true);
    expect(absent(join(d, 'sub', '.githooks'))).toBe(true);
    expect(absent(join(d, 'sub', 'deeper', '.githooks'))).toBe(true);
    const blocked = commitBad(d, join(d, 'sub', 'deeper'));
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('work_orders/WO-9.md:5:8');
  });

  it('for a repository whose tracks.config.yaml is in a subdirectory: the hook checks that directory', () => {
    const d = keep(
      tempRepo({
        'pkg/tracks.config.yaml': 'top_level_limit: 8\n',
        'pkg/tracks/0001_FEAT_runner.md': track('Runner'),
        'pkg/work_orders/WO-1.md': wo('WO-1', { track: 'runner' }),
      }),
    );
    const r = tracksBin(join(d, 'pkg'), ['hook', 'install'], env);
    expect(r.code).toBe(0);
    expect(readFileSync(join(d, '.git', 'hooks', 'pre-commit'), 'utf8')).toContain(`tracks -C "$root"/'pkg' check --staged`);
    const blocked = commitBad(d, d, 'pkg/work_orders/WO-9.md');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('work_orders/WO-9.md:5:8');
    expect(commitFixed(d, d, 'pkg/work_orders/WO-9.md').status).toBe(0);
  });

  it('never writes through a pre-commit hook that is a link, and leaves what it points to alone', () => {
    const d = base();
    const elsewhere = keep(mkdtempSync(join(tmpdir(), 'tracks-elsewhere-')));
    writeFileSync(join(elsewhere, 'their-hook'), '#!/bin/sh\nexit 0\n');
    mkdirSync(join(d, '.git', 'hooks'), { recursive: true });
    symlinkSync(join(elsewhere, 'their-hook'), join(d, '.git', 'hooks', 'pre-commit'));
    const before = snapshot(elsewhere);
    const r = tracksBin(d, ['hook', 'install'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error .git/hooks/pre-commit is a symbolic link, not a hook tracks wrote; leaving it alone [FOREIGN_HOOK]');
    const un = tracksBin(d, ['hook', 'uninstall'], env);
    expect(un.code).toBe(2);
    expect(snapshot(elsewhere)).toEqual(before);
    expect(lstatSync(join(d, '.git', 'hooks', 'pre-commit')).isSymbolicLink()).toBe(true);
  });
});
