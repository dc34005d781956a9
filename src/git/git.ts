/**
 * The narrow git layer. Commits only the paths the tool wrote (`git commit
 * --only` semantics), never sweeps the user's staged work into a tool commit,
 * refuses during a merge or rebase, and a failed git call is an error.
 */
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { TracksError } from '../errors/index.js';

/** Variables git sets for hooks and worktrees; simple-git 4 strips them unless allowed. */
const GIT_ENV = ['GIT_INDEX_FILE', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_COMMITTER_DATE', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0', 'HOME', 'EDITOR'];

export function run(root: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: root, maxBuffer: 1 << 28 }, (err, stdout, stderr) => {
      if (err) {
        const msg = String(stderr).trim().split('\n')[0] || err.message;
        reject(new TracksError('GIT_FAILED', `git ${args[0]} failed: ${msg}`, { cause: err }));
      } else resolve(String(stdout));
    });
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
        hint: `Finish or abort ${what} first. No files changed.`,
        unchanged: true,
      });
    }
  }
}

/** Paths (of those given) that differ from HEAD in the index or the work tree. */
export async function dirtyPaths(root: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const out = await run(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths]);
  const dirty: string[] = [];
  const recs = out.split('\0');
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i]!;
    if (r.length < 4) continue;
    const code = r.slice(0, 2);
    dirty.push(r.slice(3));
    if (code[0] === 'R' || code[0] === 'C') i++; // rename source follows
  }
  return dirty;
}

/**
 * Stages and commits exactly `paths` (new or changed). Anything else the user
 * had staged stays staged and out of this commit.
 */
export async function commitPaths(root: string, paths: string[], message: string): Promise<string> {
  if (paths.length === 0) throw new TracksError('GIT_NOTHING', 'nothing to commit');
  const { simpleGit } = await import('simple-git');
  const git = simpleGit({ baseDir: root, allowEnvironment: GIT_ENV });
  try {
    await withLockRetry(() => git.raw(['add', '--all', '--', ...paths]));
    await withLockRetry(() => git.raw(['commit', '--quiet', '-m', message, '--only', '--', ...paths]));
    return (await run(root, ['rev-parse', 'HEAD'])).trim();
  } catch (e) {
    if (e instanceof TracksError) throw e;
    const msg = (e as Error).message.trim().split('\n').find((l) => l.trim()) ?? String(e);
    throw new TracksError('GIT_COMMIT_FAILED', `git commit failed: ${msg}`, {
      hint: 'The files were written but not committed; review them with `git status`.',
      cause: e,
    });
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
