/**
 * Branches and work trees for parallel work: creating a track's branch and
 * work tree, how far a branch is ahead of and behind a base, and the
 * conflicts two branches would have, predicted by `git merge-tree
 * --write-tree` (nothing is checked out; the work tree and the index are not
 * touched, only objects are added to the object database).
 */
import { git, GitFailure } from './exec.js';

/** Whether `name` is a valid branch name (`git check-ref-format --branch`). */
export async function validBranchName(top: string, name: string): Promise<boolean> {
  try {
    await git(top, ['check-ref-format', '--branch', name]);
    return !name.startsWith('-');
  } catch (e) {
    if (e instanceof GitFailure) return false;
    throw e;
  }
}

/** The commit a local branch points at, or undefined when there is no such branch. */
export async function branchCommit(top: string, name: string): Promise<string | undefined> {
  try {
    return (await git(top, ['rev-parse', '--verify', '-q', `refs/heads/${name}^{commit}`])).trim() || undefined;
  } catch (e) {
    if (e instanceof GitFailure && e.status === 1) return undefined;
    throw e;
  }
}

/** The commit any revision (branch, tag, remote branch, id) names, or undefined. */
export async function resolveCommit(top: string, rev: string): Promise<string | undefined> {
  if (rev.startsWith('-')) return undefined;
  try {
    return (await git(top, ['rev-parse', '--verify', '-q', `${rev}^{commit}`])).trim() || undefined;
  } catch (e) {
    if (e instanceof GitFailure && e.status === 1) return undefined;
    throw e;
  }
}

/** Whether `a` is an ancestor of (or equal to) `b`. */
export async function isAncestor(top: string, a: string, b: string): Promise<boolean> {
  try {
    await git(top, ['merge-base', '--is-ancestor', a, b]);
    return true;
  } catch (e) {
    if (e instanceof GitFailure && e.status === 1) return false;
    throw e;
  }
}

/** Creates branch `name` at `commit`; fails if it exists. */
export async function createBranch(top: string, name: string, commit: string): Promise<void> {
  await git(top, ['branch', '--no-track', name, commit]);
}

/** Moves branch `name` from `from` to `to`, only if it still points at `from` (a fast-forward the caller checked). */
export async function moveBranch(top: string, name: string, from: string, to: string, why: string): Promise<void> {
  await git(top, ['update-ref', '-m', why, `refs/heads/${name}`, to, from]);
}

/** `git worktree add <dir> <branch>`: a new work tree checked out on an existing branch. */
export async function addWorktree(top: string, dir: string, branch: string): Promise<void> {
  await git(top, ['worktree', 'add', '--quiet', dir, branch]);
}

export interface AheadBehind {
  /** Commits on the branch that the base does not have. */
  ahead: number;
  /** Commits on the base that the branch does not have. */
  behind: number;
}

/** How far `branch` is ahead of and behind `base`. */
export async function aheadBehind(top: string, base: string, branch: string): Promise<AheadBehind> {
  const [behind, ahead] = (await git(top, ['rev-list', '--left-right', '--count', `${base}...${branch}`])).trim().split(/\s+/).map(Number);
  return { ahead: ahead ?? 0, behind: behind ?? 0 };
}

export type MergePrediction = { clean: true } | { clean: false; paths: string[] };

/**
 * What merging `a` and `b` would do, from `git merge-tree --write-tree`
 * (git ≥ 2.38): clean, or the paths that would conflict.
 */
export async function predictMerge(top: string, a: string, b: string): Promise<MergePrediction> {
  try {
    await git(top, ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', a, b]);
    return { clean: true };
  } catch (e) {
    // Exit 1 means conflicts: the first record is the tree, then the conflicted paths.
    if (e instanceof GitFailure && e.status === 1 && e.stdout) {
      const [, ...paths] = e.stdout.split('\0').filter(Boolean);
      return { clean: false, paths: [...new Set(paths)] };
    }
    throw e;
  }
}

/** Paths changed in the index relative to HEAD (what `git commit` would commit), from the work tree's top. */
export async function stagedPathsFromTop(top: string): Promise<string[]> {
  const out = await git(top, ['diff', '--cached', '--name-only', '-z', '--no-renames', '--diff-filter=ACDMRT']);
  return out.split('\0').filter(Boolean);
}
