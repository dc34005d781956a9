import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { PROJECT, cli, git, ls, read, tempRepos, track, wo, write } from '../helpers/repo.js';

const { repo } = tempRepos();
const base = () =>
  repo({
    'tracks/0001_FEAT_runner.md': track('Runner'),
    'tracks/0002_FIX_retries.md': track('Retries', { type: 'FIX', parent: 'runner' }),
    'work_orders/WO-1.md': '---\n# keep this comment\nid: WO-1\ntitle:   "Quoted  title"   # and this\nstatus: done\nestimate_hours: 3\ntags: [a,   b]\n---\nbody\n',
    'work_orders/WO-2.md': wo('WO-2', { estimate_hours: '5' }),
    'work_orders/WO-3.md': wo('WO-3', { track: 'runner' }),
  });

describe('assign / unassign', () => {
  it('adds exactly one line and commits exactly that file, leaving other staged work alone', async () => {
    const d = base();
    write(d, 'unrelated.txt', 'staged by the user\n');
    git(d, 'add', 'unrelated.txt');
    const before = read(d, 'work_orders/WO-1.md');
    const r = await cli(d, ['assign', 'WO-1', '--track', 'retries']);
    expect(r.stderr).toContain('Assigned WO-1 to retries');
    expect(r.code).toBe(0);
    const after = read(d, 'work_orders/WO-1.md');
    expect(after).toBe(before.replace('tags: [a,   b]\n', 'tags: [a,   b]\ntrack: retries\n'));
    expect(git(d, 'show', '--name-only', '--format=%s', 'HEAD').trim().split('\n')).toEqual(['tracks: assign WO-1 to retries', '', 'work_orders/WO-1.md']);
    expect(git(d, 'diff', '--cached', '--name-only').trim()).toBe('unrelated.txt');
  });

  it('changes the value in place and unassign restores the original bytes', async () => {
    const d = base();
    const original = read(d, 'work_orders/WO-1.md');
    await cli(d, ['assign', 'WO-1', '-t', 'runner', '--no-commit']);
    await cli(d, ['assign', 'WO-1', '-t', 'retries', '--no-commit']);
    expect(read(d, 'work_orders/WO-1.md')).toContain('track: retries\n');
    const r = await cli(d, ['unassign', 'WO-1', '--no-commit']);
    expect(r.code).toBe(0);
    expect(read(d, 'work_orders/WO-1.md')).toBe(original);
  });

  it('refuses an unknown track or work order and writes nothing', async () => {
    const d = base();
    const r1 = await cli(d, ['assign', 'WO-1', '--track', 'runer']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('no track "runer"');
    expect(r1.stderr).toContain('Did you mean "runner"?');
    const r2 = await cli(d, ['assign', 'WO-1', 'WO-404', '--track', 'runner']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('WO-404');
    expect(r2.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(git(d, 'status', '--porcelain')).toBe('');
  });

  it('refuses to commit over uncommitted edits in the same file', async () => {
    const d = base();
    write(d, 'work_orders/WO-2.md', read(d, 'work_orders/WO-2.md') + 'my edit\n');
    const r = await cli(d, ['assign', 'WO-2', '--track', 'runner']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('uncommitted changes in work_orders/WO-2.md');
    expect(read(d, 'work_orders/WO-2.md')).not.toContain('track:');
  });

  it('refuses during a merge', async () => {
    const d = base();
    writeFileSync(join(d, '.git', 'MERGE_HEAD'), git(d, 'rev-parse', 'HEAD'));
    const r = await cli(d, ['assign', 'WO-2', '--track', 'runner']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a merge is in progress');
  });
});

describe('several tracks per work order', () => {
  it('assign --add builds a list when the config allows it; unassign --track removes one', async () => {
    const d = base();
    expect((await cli(d, ['assign', 'WO-2', '-t', 'runner', '--add', '--no-commit'])).stderr).toContain('multiple_tracks_per_work_order');
    write(d, 'tracks.config.yaml', 'multiple_tracks_per_work_order: true\n');
    git(d, 'add', '-A');
    git(d, 'commit', '-qm', 'multi');
    expect((await cli(d, ['assign', 'WO-3', '-t', 'retries', '--add'])).code).toBe(0);
    expect(read(d, 'work_orders/WO-3.md')).toContain('track: [runner, retries]\n');
    expect((await cli(d, ['check'])).code).toBe(0);
    const listed = JSON.parse((await cli(d, ['list', '--track', 'retries', '--format', 'json'])).stdout);
    expect(listed.workOrders).toEqual([expect.objectContaining({ id: 'WO-3', track: ['runner', 'retries'] })]);
    expect((await cli(d, ['unassign', 'WO-3', '--track', 'runner'])).code).toBe(0);
    expect(read(d, 'work_orders/WO-3.md')).toContain('track: retries\n');
    write(d, 'tracks.config.yaml', 'multiple_tracks_per_work_order: false\n');
    write(d, 'work_orders/WO-2.md', wo('WO-2', { track: '[runner, retries]' }));
    const r = await cli(d, ['check', '--format', 'json']);
    const errors = JSON.parse(r.stdout).problems.filter((p: { severity: string }) => p.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ file: 'work_orders/WO-2.md', code: 'wo/multiple-tracks', line: 5, col: 8 })]);
  });
});

describe('create', () => {
  it('takes the next free number, renders a valid track, commits it', async () => {
    const d = base();
    const r = await cli(d, ['create', '--name', 'Economy & pricing', '--type', 'feat', '--goal', 'Make: money']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('tracks/0003_FEAT_economy-pricing.md');
    const text = read(d, 'tracks/0003_FEAT_economy-pricing.md');
    expect(text).toMatch(/^---\nname: Economy & pricing\ntype: FEAT\nstatus: draft\ngoal: "Make: money"\nparent: null\ncolor: "#/);
    expect((await cli(d, ['check'])).code).toBe(0);
    expect(git(d, 'log', '-1', '--format=%s')).toContain('create FEAT track economy-pricing');
  });

  it('refuses to break the top-level limit, a duplicate slug and an unknown parent', async () => {
    const d = base();
    write(d, 'tracks.config.yaml', 'top_level_limit: 1\n');
    git(d, 'add', '-A');
    git(d, 'commit', '-qm', 'limit');
    // The same rules as `check`, with its messages and hints: nothing written on a refusal.
    const r = await cli(d, ['create', '-n', 'Other', '-T', 'FEAT']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('2 top-level tracks exceed the limit of 1 [track/top-level-limit] [RULES_BROKEN]');
    expect(r.stderr).toContain('Give this track a parent');
    expect(r.stderr).toContain('No files changed.');
    expect((await cli(d, ['create', '-n', 'Sub', '-T', 'FEAT', '--parent', 'runner'])).code).toBe(0);
    expect((await cli(d, ['create', '-n', 'Runner', '-T', 'FEAT', '--parent', 'runner'])).stderr).toContain('track slug "runner" is also used by tracks/0001_FEAT_runner.md [track/duplicate-slug]');
    expect((await cli(d, ['create', '-n', 'X', '-T', 'FEAT', '--parent', 'nope'])).stderr).toContain('parent "nope" is not a track [track/unknown-parent]');
    // A retired parent is refused by the same rule set (it used to be accepted here and refused by organize).
    write(d, 'tracks/0009_FEAT_old.md', track('Old', { status: 'archived' }));
    git(d, 'add', '-A');
    git(d, 'commit', '-qm', 'old');
    expect((await cli(d, ['create', '-n', 'Y', '-T', 'FEAT', '--parent', 'old'])).stderr).toContain('[track/retired-parent]');
    git(d, 'rm', '-q', 'tracks/0009_FEAT_old.md');
    git(d, 'commit', '-qm', 'rm old');
    expect(ls(d, 'tracks')).toEqual(['0001_FEAT_runner.md', '0002_FIX_retries.md', '0003_FEAT_sub.md']);
  });
});

describe('list and show', () => {
  it('list --track includes sub-tracks; --unassigned; json', async () => {
    const d = base();
    await cli(d, ['assign', 'WO-1', '-t', 'retries']);
    const r = await cli(d, ['list', '--track', 'runner', '--format', 'json']);
    expect(JSON.parse(r.stdout).workOrders.map((x: { id: string }) => x.id)).toEqual(['WO-1', 'WO-3']);
    const u = await cli(d, ['list', '--unassigned']);
    expect(u.stdout).toContain('WO-2');
    expect(u.stdout).not.toContain('WO-1');
  });

  it('show gives progress by count and by estimate_hours, rolled up', async () => {
    const d = base();
    await cli(d, ['assign', 'WO-1', '-t', 'retries']);
    await cli(d, ['assign', 'WO-2', '-t', 'runner']);
    const j = JSON.parse((await cli(d, ['show', 'runner', '--format', 'json'])).stdout);
    expect(j.progress).toMatchObject({ done: 1, total: 3, hoursDone: 3, hoursTotal: 8, estimated: 2 });
    expect(j.subTracks.map((s: { slug: string }) => s.slug)).toEqual(['retries']);
    const text = (await cli(d, ['show', 'runner'])).stdout;
    expect(text).toContain('1/3 done (33%)');
    expect(text).toContain('3/8 h (38%');
  });

  it("show of a parent lists its sub-tracks' work too, each labelled with its sub-track", async () => {
    const d = base();
    await cli(d, ['assign', 'WO-1', '-t', 'retries']);
    await cli(d, ['assign', 'WO-2', '-t', 'retries']);
    const j = JSON.parse((await cli(d, ['show', 'runner', '--format', 'json'])).stdout);
    expect(j.workOrders.map((g: { status: string; items: { id: string; track: string }[] }) => [g.status, g.items.map((i) => `${i.id}@${i.track}`)])).toEqual([
      ['ready', ['WO-3@runner', 'WO-2@retries']],
      ['done', ['WO-1@retries']],
    ]);
    const text = (await cli(d, ['show', 'runner'])).stdout;
    expect(text).toContain(`ready (2)\n  WO-3${' '.repeat(13)}Work WO-3\n  WO-2  ↳ retries  Work WO-2\n`);
    expect(text).toMatch(/done \(1\)\n {2}WO-1  ↳ retries  "?Quoted {2}title/);
    // A sub-track shows only its own work; a track without sub-tracks has no label column.
    const sub = (await cli(d, ['show', 'retries'])).stdout;
    expect(sub).not.toContain('↳');
    expect(sub).toContain('  WO-2  Work WO-2');
  });
});

describe('init and hook', () => {
  it('init writes a config that validates, and refuses to overwrite it', async () => {
    const d = repo({ 'README.md': 'x\n' });
    const r = await cli(d, ['init']);
    expect(r.code).toBe(0);
    expect(existsSync(join(d, 'tracks.config.yaml'))).toBe(true);
    expect((await cli(d, ['check'])).code).toBe(0);
    expect((await cli(d, ['init'])).code).toBe(2);
  });

  it('a broken config is a usage error with file and line; an unknown key is a warning and the rest applies', async () => {
    const d = repo({ 'tracks.config.yaml': 'top_level_limit: 8\ntrack_types: [FEAT]\nsingle_active: yes\n' });
    const r = await cli(d, ['check', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).problems[0]).toMatchObject({
      file: 'tracks.config.yaml', line: 3, col: 1, severity: 'warning', code: 'config/unknown-key',
      message: 'unknown key "single_active" is ignored', hint: 'Did you mean "single_active_track"?',
    });
    // Every other command says so too, and the keys that are right still apply.
    const created = await cli(d, ['create', '--name', 'Feature', '--type', 'REFACTOR', '--no-commit']);
    expect(created.code).toBe(2);
    expect(created.stderr).toMatch(/warning tracks\.config\.yaml:3:1: unknown key "single_active" is ignored \[config\/unknown-key\]\n  hint: Did you mean "single_active_track"\?/);
    expect(created.stderr).toMatch(/track type "REFACTOR" is not one of: FEAT/);

    const bad = repo({ 'tracks.config.yaml': 'top_level_limit: many\n' });
    const shown = await cli(bad, ['list']);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toMatch(/error tracks\.config\.yaml:1:18: top_level_limit must be an integer \[CONFIG_INVALID\]/);
    const checked = await cli(bad, ['check', '--format', 'json']);
    expect(checked.code).toBe(2);
  });

  it('hook install respects core.hooksPath, never replaces a foreign hook, and blocks a bad commit', async () => {
    const d = base();
    git(d, 'config', 'core.hooksPath', '.githooks');
    mkdirSync(join(d, '.githooks'));
    writeFileSync(join(d, '.githooks', 'pre-commit'), '#!/bin/sh\necho mine\n');
    const refused = await cli(d, ['hook', 'install']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not written by tracks');
    expect(read(d, '.githooks/pre-commit')).toBe('#!/bin/sh\necho mine\n');
    git(d, 'config', '--unset', 'core.hooksPath');
    expect((await cli(d, ['hook', 'install'])).code).toBe(0);
    expect(existsSync(join(d, '.git', 'hooks', 'pre-commit'))).toBe(true);

    // put a `tracks` on PATH that runs this checkout's built CLI
    const bin = join(d, '.bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'tracks'), `#!/bin/sh\nexec node ${JSON.stringify(join(PROJECT, 'bin', 'tracks.js'))} "$@"\n`);
    chmodSync(join(bin, 'tracks'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' };
    write(d, 'work_orders/WO-4.md', wo('WO-4', { track: 'no-such-track' }));
    if (!existsSync(join(PROJECT, 'dist', 'main.js'))) throw new Error('run `npm run build` first');
    git(d, 'add', 'work_orders/WO-4.md');
    const bad2 = spawnSync('git', ['commit', '-q', '-m', 'bad'], { cwd: d, env, encoding: 'utf8' });
    expect(bad2.status).not.toBe(0);
    expect(bad2.stdout + bad2.stderr).toContain('work_orders/WO-4.md:5:8');
    // `git commit -a` uses a temporary index (GIT_INDEX_FILE): the hook must see it
    write(d, 'work_orders/WO-4.md', wo('WO-4', { track: 'runner' }));
    const good = spawnSync('git', ['commit', '-q', '-a', '-m', 'good'], { cwd: d, env, encoding: 'utf8' });
    expect(good.stdout + good.stderr).toContain(': 0 errors,');
    expect(good.status).toBe(0);
    expect(execFileSync('git', ['log', '-1', '--format=%s'], { cwd: d, encoding: 'utf8' }).trim()).toBe('good');
  });
});
