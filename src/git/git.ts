/**
 * The narrow git layer: plain `git` processes. Commits only the paths the tool
 * wrote, never sweeps the user's staged work into a tool commit, refuses during
 * a merge or rebase, and a failed git call is an error.
 *
 * Not simple-git: version 4 strips or refuses GIT_* variables (GIT_INDEX_FILE
 * among them), which breaks both hooks and the temporary-index commit below.
 */
import { existsSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { TracksError } from '../errors/index.js';

export function run(root: string, args: string[], env: Record<string, string> = {}, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd: root, maxBuffer: 1 << 28, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      if (err) {
        const msg = String(stderr).trim().split('\n')[0] || err.message;
        const output = `${String(stdout)}${String(stderr)}`.trim();
        reject(Object.assign(new TracksError('GIT_FAILED', `git ${args[0]} failed: ${msg}`, { cause: err }), { output }));
      } else resolve(String(stdout));
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

export async function isRepo(root: string): Promise<boolean> {
  try {
    return (await run(root, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

export async function gitDir(root: string): Promise<string> {
  const d = (await run(root, ['rev-parse', '--absolute-git-dir'])).trim();
  return d;
}

export async function userName(root: string): Promise<string | undefined> {
  try {
    const name = (await run(root, ['config', 'user.name'])).trim();
    const email = (await run(root, ['config', 'user.email']).catch(() => '')).trim();
    return email ? `${name} <${email}>` : name || undefined;
  } catch {
    return undefined;
  }
}

export async function headCommit(root: string): Promise<string | undefined> {
  try {
    return (await run(root, ['rev-parse', '--verify', '-q', 'HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Refuses while a merge, rebase, cherry-pick or revert is in progress. */
export async function assertNoOperationInProgress(root: string): Promise<void> {
  const dir = await gitDir(root);
  const markers: [string, string][] = [
    ['MERGE_HEAD', 'a merge'],
    ['rebase-merge', 'a rebase'],
    ['rebase-apply', 'a rebase'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick'],
    ['REVERT_HEAD', 'a revert'],
  ];
  for (const [m, what] of markers) {
    if (existsSync(join(dir, m))) {
      throw new TracksError('GIT_BUSY', `${what} is in progress`, {
        hint: `Finish or abort ${what} first.`,
      });
    }
  }
}

/**
 * Paths (of those given) that differ from HEAD in the index or the work tree.
 * Asks git about their directories and filters here: thousands of pathspecs
 * make git's matching quadratic (seconds for 10,000 files).
 */
export async function dirtyPaths(root: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const wanted = new Set(paths);
  const dirs = [...new Set(paths.map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.')))];
  const spec = dirs.length <= 64 ? dirs : ['.'];
  const out = await run(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...spec]);
  const dirty: string[] = [];
  const recs = out.split('\0');
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i]!;
    if (r.length < 4) continue;
    const code = r.slice(0, 2);
    const path = r.slice(3);
    if (wanted.has(path)) dirty.push(path);
    if (code[0] === 'R' || code[0] === 'C') {
      i++; // the rename source follows
      if (wanted.has(recs[i]!)) dirty.push(recs[i]!);
    }
  }
  return dirty;
}

/**
 * Commits exactly `paths` (new, changed or deleted) on top of HEAD. Anything
 * else the user had staged stays staged and out of this commit.
 *
 * Built on a temporary index (HEAD + our paths) rather than `git commit --only
 * <paths>`: with 10,000 paths, pathspec matching made git spend ~13 s of CPU.
 * `git commit` still runs, so the user's hooks see exactly what is committed.
 */
export async function commitPaths(root: string, paths: string[], message: string): Promise<string> {
  if (paths.length === 0) throw new TracksError('INTERNAL', 'nothing to commit');
  const dir = await gitDir(root);
  const tmpIndex = join(dir, `tracks-index-${process.pid}-${Date.now()}`);
  const list = paths.join('\0') + '\0';
  const head = await headCommit(root);
  try {
    if (head) await run(root, ['read-tree', head], { GIT_INDEX_FILE: tmpIndex });
    await run(root, ['update-index', '--add', '--remove', '-z', '--stdin'], { GIT_INDEX_FILE: tmpIndex }, list);
    await run(root, ['commit', '--quiet', '-m', message], { GIT_INDEX_FILE: tmpIndex });
    const commit = (await run(root, ['rev-parse', 'HEAD'])).trim();
    // The real index now agrees with the new HEAD for our paths (and is untouched elsewhere).
    await withLockRetry(() => run(root, ['update-index', '--add', '--remove', '-z', '--stdin'], {}, list));
    return commit;
  } catch (e) {
    if (e instanceof TracksError && e.code !== 'GIT_FAILED') throw e;
    // A failing pre-commit hook explains itself on stdout or stderr: show its last lines.
    const output = ((e as { output?: string }).output ?? (e as Error).message).split('\n').filter((l) => l.trim());
    const shown = output.length > 12 ? ['…', ...output.slice(-12)] : output;
    throw new TracksError('COMMIT_FAILED', `git commit failed:\n  ${shown.join('\n  ')}`, {
      hint: 'The files were written but not committed; review them with `git status`.',
      cause: e,
    });
  } finally {
    rmSync(tmpIndex, { force: true });
    rmSync(`${tmpIndex}.lock`, { force: true });
  }
}

async function withLockRetry<T>(fn: () => Promise<T>): Promise<T> {
  const delays = [100, 250, 500, 1000, 2000];
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      const msg = String((e as Error).message);
      if (i < delays.length && msg.includes('index.lock')) {
        await new Promise((r) => setTimeout(r, delays[i]));
        continue;
      }
      if (msg.includes('index.lock')) {
        throw new TracksError('GIT_LOCKED', 'the git index is locked by another git process', {
          hint: 'Wait for it to finish; if none is running, remove .git/index.lock yourself.',
        });
      }
      throw e;
    }
  }
}
