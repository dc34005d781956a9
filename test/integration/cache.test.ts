/**
 * The cache in .git/tracks must never answer for a file that changed, and
 * must never hang or be led elsewhere by what sits where its files should be.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { cli, PROJECT, tempRepos, track, wo, write } from '../helpers/repo.js';

const { repo } = tempRepos();
const env = { TRACKS_NO_CACHE: undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type P = { file: string; code: string; message: string };
const check = async (d: string, args: string[] = []) => {
  const r = await cli(d, ['check', '--format', 'json', ...args], { env });
  // work orders only: a track nobody names is a warning of its own (track/empty)
  return { code: r.code, problems: (JSON.parse(r.stdout).problems as P[]).filter((p) => p.file.startsWith('work_orders/')) };
};
/** Rewrites a file with the same size and puts its mtime back, as `cp -p`, `rsync -a` or `touch -r` would. */
const sameSizeSameMtime = (d: string, path: string, content: string) => {
  const abs = join(d, path);
  const before = statSync(abs);
  expect(Buffer.byteLength(content)).toBe(before.size);
  execFileSync('cp', ['-p', abs, `${abs}.ref`]);
  writeFileSync(abs, content);
  execFileSync('touch', ['-r', `${abs}.ref`, abs]);
  rmSync(`${abs}.ref`);
  expect(statSync(abs).mtimeMs).toBe(before.mtimeMs);
};

describe('cache', () => {
  it('answers from the memo and the per-file cache only for files whose size, mtime, ctime and inode are unchanged', async () => {
    const d = repo({ 'tracks/0001_FEAT_a.md': track('A'), 'work_orders/WO-1.md': wo('WO-1', { track: 'a' }), 'work_orders/WO-2.md': wo('WO-2', { track: 'a' }) });
    const cache = join(d, '.git', 'tracks');
    // Files changed within 2 s of a save are never trusted by stat: let these age first.
    await sleep(2100);
    expect((await check(d)).code).toBe(0);
    // With the per-file cache gone, only the whole-run memo can answer (and then it is not rebuilt).
    rmSync(join(cache, 'cache.v8'));
    expect((await check(d)).code).toBe(0);
    expect(existsSync(join(cache, 'cache.v8'))).toBe(false);
    expect((await check(d, ['--no-cache'])).code).toBe(0);

    // Same size, same mtime, new content: the memo must not answer…
    sameSizeSameMtime(d, 'work_orders/WO-1.md', wo('WO-1', { track: 'b' }));
    const memoMiss = await check(d);
    expect(memoMiss.code).toBe(1);
    expect(memoMiss.problems.map((p) => `${p.file} ${p.code}`)).toEqual(['work_orders/WO-1.md wo/unknown-track']);
    // …and neither must the per-file stat shortcut, for a file untouched since the cache was saved.
    rmSync(join(cache, 'check-last-worktree.json'));
    sameSizeSameMtime(d, 'work_orders/WO-2.md', wo('WO-2', { track: 'c' }));
    const statMiss = await check(d);
    expect(statMiss.problems.map((p) => `${p.file} ${p.code}`).sort()).toEqual(['work_orders/WO-1.md wo/unknown-track', 'work_orders/WO-2.md wo/unknown-track']);
    // A file replaced by another one (new inode), same size and times: read again too.
    const wo2 = join(d, 'work_orders', 'WO-2.md');
    writeFileSync(`${wo2}.new`, wo('WO-2', { track: 'a' }));
    execFileSync('touch', ['-r', wo2, `${wo2}.new`]);
    renameSync(`${wo2}.new`, wo2);
    expect((await check(d)).problems.map((p) => p.file)).toEqual(['work_orders/WO-1.md']);
  }, 20_000);

  it('ignores a cache file that is a link, however plausible what it points to', async () => {
    const d = repo({ 'tracks/0001_FEAT_a.md': track('A'), 'work_orders/WO-1.md': wo('WO-1', { track: 'a' }) });
    const cache = join(d, '.git', 'tracks');
    await sleep(2100);
    expect((await check(d)).code).toBe(0);
    // Each file, edited to lie (a problem that does not exist), moved away and linked back.
    const elsewhere = join(d, 'elsewhere');
    mkdirSync(elsewhere);
    const lie = { line: 1, col: 1, severity: 'error', code: 'wo/schema', message: 'a lie' };
    const memo = JSON.parse(readFileSync(join(cache, 'check-last-worktree.json'), 'utf8'));
    memo.diagnostics.push({ file: 'work_orders/WO-1.md', ...lie });
    writeFileSync(join(elsewhere, 'memo.json'), JSON.stringify(memo));
    rmSync(join(cache, 'check-last-worktree.json'));
    symlinkSync(join(elsewhere, 'memo.json'), join(cache, 'check-last-worktree.json'));
    const perFile = deserialize(readFileSync(join(cache, 'cache.v8'))) as { rows: Map<string, [string, unknown[]]> };
    for (const [, [, rec]] of perFile.rows) (rec[4] as unknown[]).push([lie.line, lie.col, lie.severity, lie.code, lie.message]);
    writeFileSync(join(elsewhere, 'cache.v8'), serialize(perFile));
    rmSync(join(cache, 'cache.v8'));
    symlinkSync(join(elsewhere, 'cache.v8'), join(cache, 'cache.v8'));
    expect(await check(d)).toEqual({ code: 0, problems: [] });
    expect((await cli(d, ['list', '--format', 'json'], { env })).stdout).toContain('"id": "WO-1"');
    // The links were replaced by the tool's own files, and what they pointed to is untouched.
    expect(lstatSync(join(cache, 'cache.v8')).isFile()).toBe(true);
    expect(deserialize(readFileSync(join(elsewhere, 'cache.v8')))).toEqual(perFile);
  }, 20_000);

  it('a FIFO (or a directory) where a cache file belongs hangs nothing and is ignored', async () => {
    const d = repo({ 'tracks/0001_FEAT_a.md': track('A'), 'work_orders/WO-1.md': wo('WO-1', { track: 'nope' }) });
    const cache = join(d, '.git', 'tracks');
    mkdirSync(cache, { recursive: true });
    for (const f of ['cache.v8', 'check-last-worktree.json', 'config.json']) {
      const r = spawnSync('mkfifo', [join(cache, f)]);
      if (r.status !== 0) return void console.warn('skipping the FIFO test: mkfifo is not available');
    }
    mkdirSync(join(cache, 'check-last-staged.json'));
    // As its own process with a deadline: a blocking open would hang the test runner itself.
    const run = (args: string[]) => spawnSync(process.execPath, [join(PROJECT, 'bin', 'tracks.js'), ...args], { cwd: d, encoding: 'utf8', timeout: 15_000, env: { ...process.env, NO_COLOR: '1', TRACKS_NO_CACHE: '' } });
    for (const args of [['check', '--format', 'json'], ['check', '--staged', '--format', 'json'], ['list', '--format', 'json']]) {
      const r = run(args);
      expect(r.error, `${args.join(' ')} did not finish`).toBeUndefined();
      // the hook's check blocks only on what a commit brings, and nothing is staged here
      expect(r.status, r.stderr).toBe(args[0] === 'check' && !args.includes('--staged') ? 1 : 0);
    }
    expect(JSON.parse(run(['check', '--format', 'json']).stdout).problems.map((p: P) => p.code)).toContain('wo/unknown-track');
  }, 60_000);

  it('a changed work order (or a new entry that is not read) is never served from the cache to any command', async () => {
    const d = repo({ 'tracks/0001_FEAT_a.md': track('A'), 'tracks/0002_FEAT_b.md': track('B'), 'work_orders/WO-1.md': wo('WO-1', { track: 'a' }) });
    await sleep(2100);
    const list = async () => JSON.parse((await cli(d, ['list', '--format', 'json'], { env })).stdout).workOrders as { id: string; track: string }[];
    expect((await list())[0]!.track).toBe('a');
    sameSizeSameMtime(d, 'work_orders/WO-1.md', wo('WO-1', { track: 'b' }));
    expect((await list())[0]!.track).toBe('b');
    write(d, 'work_orders/WO-1.md', wo('WO-1', { track: 'a', status: 'done' }));
    expect(await list()).toEqual([expect.objectContaining({ id: 'WO-1', track: 'a', status: 'done' })]);
    // an entry that is not read is an input too: a replay must not hide the note about it
    await sleep(2100);
    const again = async () => (await cli(d, ['list'], { env })).stderr;
    expect(await again()).not.toContain('skipped');
    expect(await again()).not.toContain('skipped');
    symlinkSync('/etc/hostname', join(d, 'work_orders', 'WO-2.md'));
    expect(await again()).toContain('skipped a file');
  }, 30_000);
});
