/**
 * Issue 14, point 6: where the repository is, and what a path argument means.
 * Every refusal names what is wrong, exits 2 and changes nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, git, removeRepo, tempRepo, track, wo } from '../helpers/repo.js';
import { snapshot } from '../helpers/hostile.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeRepo));
const keep = (d: string) => (dirs.push(d), d);
const repo = (files: Record<string, string>) => keep(tempRepo(files));
const plain = () => keep(mkdtempSync(join(tmpdir(), 'tracks-plain-')));

const small = () =>
  repo({
    'README.md': 'readme\n',
    'tracks/0001_FEAT_runner.md': track('Runner'),
    'work_orders/WO-1.md': wo('WO-1', { track: 'nope' }),
    'work_orders/WO-2.md': wo('WO-2', { track: 'runner' }),
  });

describe('the root comes from git', () => {
  it('a tracks.config.yaml planted in a parent directory outside the work tree is ignored', async () => {
    const parent = plain();
    writeFileSync(join(parent, 'tracks.config.yaml'), 'work_orders_dir: nowhere\ntop_level_limit: 0\n');
    const d = join(parent, 'repo');
    mkdirSync(d);
    git(d, 'init', '-q');
    mkdirSync(join(d, 'work_orders'));
    writeFileSync(join(d, 'work_orders', 'WO-1.md'), wo('WO-1', { track: 'nope' }));
    mkdirSync(join(d, 'sub'));
    for (const cwd of [d, join(d, 'sub')]) {
      const r = await cli(cwd, ['check', '--format', 'json']);
      expect(r.code).toBe(1);
      const problems = JSON.parse(r.stdout).problems as { file: string; code: string }[];
      expect(problems.map((p) => `${p.file} ${p.code}`)).toEqual(['work_orders/WO-1.md wo/unknown-track']);
    }
  });

  it('a bare repository is an error, not an empty repository', async () => {
    const bare = plain();
    git(bare, 'init', '-q', '--bare');
    for (const args of [['check'], ['list'], ['hook', 'install']]) {
      const r = await cli(bare, args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error ${bare} is a bare repository: it has no work tree with work orders to read [NOT_A_GIT_REPO]`);
    }
  });

  it('-C to a directory outside any repository, to one that does not exist, or into .git says what is wrong', async () => {
    const d = small();
    const outside = plain();
    const none = await cli(d, ['-C', outside, 'check']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`error ${outside} is not in a git repository, and there is no tracks.config.yaml in it or above it [NOT_A_GIT_REPO]`);
    expect(none.stdout).toBe('');
    const missing = await cli(d, ['-C', '/nonexistent/dir', 'check']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error -C /nonexistent/dir: no such directory [BAD_OPTION]');
    const gitDir = await cli(d, ['-C', '.git/refs', 'list']);
    expect(gitDir.code).toBe(2);
    expect(gitDir.stderr).toContain(`is inside git's own directory (${join(d, '.git')}), not in the work tree [NOT_A_GIT_REPO]`);
  });

  it('outside git, a tracks.config.yaml still makes a repository, and init still starts one', async () => {
    const d = plain();
    const init = await cli(d, ['init']);
    expect(init.code).toBe(0);
    const r = await cli(d, ['check']);
    expect(r.code).toBe(0);
  });
});

describe('config directories inside .git are config errors', () => {
  it.each(['tracks_dir: .git', 'tracks_dir: .git/hooks', 'tracks_dir: .git/refs/heads', 'work_orders_dir: ./.GIT/x', 'tracks_dir: ../elsewhere'])(
    '%s: check exits 2 and a writing command refuses, changing nothing',
    async (line) => {
      const d = repo({ 'tracks.config.yaml': `${line}\n`, 'work_orders/WO-1.md': wo('WO-1') });
      const before = snapshot(d);
      const hooks = snapshot(join(d, '.git'), { skip: ['index', 'tracks', 'logs'] });
      const r = await cli(d, ['check', '--format', 'json']);
      expect(r.code).toBe(2);
      const [p] = JSON.parse(r.stdout).problems as { code: string; message: string; line: number }[];
      expect(p).toMatchObject({ code: 'config/schema', line: 1 });
      expect(p!.message).toMatch(/must not be inside \.git|must be a path inside the repository/);
      const created = await cli(d, ['create', '--name', 'Hooked', '--type', 'FEAT']);
      expect(created.code).toBe(2);
      expect(created.stderr).toMatch(/\[CONFIG_INVALID\]\n(.*\n)?  No files changed\.\n/);
      expect(snapshot(d)).toEqual(before);
      expect(snapshot(join(d, '.git'), { skip: ['index', 'tracks', 'logs'] })).toEqual(hooks);
    },
  );
});

describe('check with paths', () => {
  it('a path that matches nothing is a usage error (exit 2), not a silent pass', async () => {
    const d = small();
    const missing = await cli(d, ['check', 'nonexistent.md']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error nonexistent.md: no such file or directory [UNKNOWN_PATH]');
    expect(missing.stdout).toBe('');
    const notChecked = await cli(d, ['check', 'README.md']);
    expect(notChecked.code).toBe(2);
    expect(notChecked.stderr).toContain('error README.md is not a work order, a track or tracks.config.yaml, and holds none [UNKNOWN_PATH]');
    const outside = await cli(d, ['check', '../']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('is outside the repository');
  });

  it('a directory checks the files in it; a file from a subdirectory is found relative to it', async () => {
    const d = small();
    const dir = await cli(d, ['check', 'work_orders/']);
    expect(dir.code).toBe(1);
    expect(dir.stdout).toContain('work_orders/WO-1.md:5:8');
    expect(dir.stdout).toContain('2 files checked: 1 error, 0 warnings');
    const tracksOnly = await cli(d, ['check', 'tracks']);
    expect(tracksOnly.code).toBe(0);
    expect(tracksOnly.stdout).toContain('1 file checked: 0 errors, 0 warnings');
    const fromSub = await cli(join(d, 'work_orders'), ['check', 'WO-1.md']);
    expect(fromSub.code).toBe(1);
    expect(fromSub.stdout).toContain('1 file checked: 1 error');
    const whole = await cli(d, ['check', '.']);
    expect(whole.stdout).toContain('3 files checked');
  });

  it('--require-track with nothing to check says so and fails; without it, an empty repository is fine', async () => {
    const d = repo({ 'README.md': 'x\n' });
    const r = await cli(d, ['check', '--require-track']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error nothing to check: no work orders in work_orders/ and no tracks in tracks/ under ${d}, and --require-track expects work orders [NOTHING_TO_CHECK]`);
    const byConfig = repo({ 'tracks.config.yaml': 'require_track: true\n' });
    expect((await cli(byConfig, ['check'])).code).toBe(2);
    const fine = await cli(d, ['check']);
    expect(fine.code).toBe(0);
    expect(fine.stderr).toContain('note: no work orders in work_orders/');
    expect(fine.stderr).toContain('run tracks where they are (or pass -C <dir>), or `tracks init` to start');
    // a read command says the same, and so does a command answered from its run memo
    for (let run = 0; run < 2; run++) {
      const status = await cli(d, ['status']);
      expect(status.code).toBe(0);
      expect(status.stderr).toContain(`no work orders in work_orders/ and no tracks in tracks/ under ${d}: run tracks where they are`);
    }
  });

  it('in a Backlog.md repository without a config, every command that finds nothing points at `tracks init`', async () => {
    const d = repo({ 'backlog/config.yml': 'project_name: "x"\n', 'backlog/tasks/task-1 - One.md': '---\nid: task-1\ntitle: One\nstatus: To Do\n---\n' });
    const says = 'This is a Backlog.md repository (backlog/config.yml): `tracks init` writes a tracks.config.yaml that reads its tasks.';
    for (const args of [['status'], ['list'], ['check']]) {
      const r = await cli(d, args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stderr, args.join(' ')).toContain(says);
    }
    const required = await cli(d, ['check', '--require-track']);
    expect(required.code).toBe(2);
    expect(required.stderr).toContain(`hint: ${says}`);
    // once there is a config, the tasks are read and nothing is said
    expect((await cli(d, ['init'])).code).toBe(0);
    const after = await cli(d, ['status']);
    expect(after.stdout).toContain('Work orders: 1;');
    expect(after.stderr).not.toContain('Backlog.md repository');
  });
});
