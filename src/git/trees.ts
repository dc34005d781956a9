/**
 * Reading the other trees of the repository without checking anything out:
 * every local branch (`git for-each-ref`), every work tree (`git worktree
 * list`), and the files of one directory in any number of commits (trees and
 * blobs through one `git cat-file --batch` each, however many branches there
 * are). Read-only.
 */
import { catFileOrdered, git, GitFailure } from './exec.js';

export interface Branch {
  /** Short name, e.g. `tracks/auth`. */
  name: string;
  commit: string;
  /** Subject of the tip commit. */
  subject: string;
}

/** Every local branch with its tip. */
export async function listBranches(top: string): Promise<Branch[]> {
  const out = await git(top, ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(contents:subject)', 'refs/heads/']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [ref, commit, subject] = l.split('\0');
      return { name: ref!.replace(/^refs\/heads\//, ''), commit: commit!, subject: subject ?? '' };
    });
}

export interface Worktree {
  path: string;
  /** HEAD commit; undefined for a work tree on an unborn branch. */
  head: string | undefined;
  /** Short branch name; undefined when HEAD is detached. */
  branch: string | undefined;
  bare: boolean;
  /** Its directory is gone (`git worktree prune` would remove it). */
  prunable: boolean;
}

/** Every work tree of the repository, the main one first. */
export async function listWorktrees(top: string): Promise<Worktree[]> {
  const out = await git(top, ['worktree', 'list', '--porcelain', '-z']);
  const trees: Worktree[] = [];
  let cur: Worktree | undefined;
  for (const field of out.split('\0')) {
    if (field === '') {
      if (cur) trees.push(cur);
      cur = undefined;
      continue;
    }
    const sp = field.indexOf(' ');
    const key = sp === -1 ? field : field.slice(0, sp);
    const value = sp === -1 ? '' : field.slice(sp + 1);
    if (key === 'worktree') cur = { path: value, head: undefined, branch: undefined, bare: false, prunable: false };
    else if (!cur) continue;
    else if (key === 'HEAD') cur.head = /^0+$/.test(value) ? undefined : value;
    else if (key === 'branch') cur.branch = value.replace(/^refs\/heads\//, '');
    else if (key === 'bare') cur.bare = true;
    else if (key === 'prunable') cur.prunable = true;
  }
  if (cur) trees.push(cur);
  return trees;
}

/** The current branch's short name, or undefined on a detached HEAD. */
export async function currentBranch(top: string): Promise<string | undefined> {
  try {
    return (await git(top, ['symbolic-ref', '--short', '-q', 'HEAD'])).trim() || undefined;
  } catch (e) {
    if (e instanceof GitFailure && e.status === 1) return undefined;
    throw e;
  }
}

export interface TreeFile {
  /** File name inside the directory. */
  name: string;
  blob: string;
}

/** Parses a raw tree object: `<mode> <name>\0<20-byte id>` records; regular files only. */
function treeRecords(bytes: Buffer): TreeFile[] {
  const out: TreeFile[] = [];
  let off = 0;
  while (off < bytes.length) {
    const sp = bytes.indexOf(32, off);
    const nul = bytes.indexOf(0, sp);
    if (sp === -1 || nul === -1) break;
    const mode = bytes.subarray(off, sp).toString('ascii');
    const name = bytes.subarray(sp + 1, nul).toString('utf8');
    const id = bytes.subarray(nul + 1, nul + 21).toString('hex');
    off = nul + 21;
    if (mode === '100644' || mode === '100755') out.push({ name, blob: id });
  }
  return out;
}

/**
 * The regular files directly inside `dir` (a path from the work tree's top,
 * '' for the top itself) in each commit, in the order given; an empty list
 * where the commit has no such directory.
 */
export async function filesInDir(top: string, commits: string[], dir: string): Promise<TreeFile[][]> {
  const d = dir.replace(/^\.?\/+|\/+$/g, '');
  const objects = await catFileOrdered(top, commits.map((c) => (d ? `${c}:${d}` : `${c}^{tree}`)));
  return objects.map((o) => (o && o.type === 'tree' ? treeRecords(o.bytes) : []));
}

/** Blob contents by id (one process for all of them). */
export async function readBlobsById(top: string, ids: string[]): Promise<Map<string, Uint8Array>> {
  const unique = [...new Set(ids)];
  const objects = await catFileOrdered(top, unique);
  const out = new Map<string, Uint8Array>();
  unique.forEach((id, i) => {
    const o = objects[i];
    if (o && o.type === 'blob') out.set(id, o.bytes);
  });
  return out;
}

/** Local branches whose tip is already in `rev` (`git for-each-ref --merged`). */
export async function branchesMergedInto(top: string, rev: string): Promise<Set<string>> {
  const out = await git(top, ['for-each-ref', `--merged=${rev}`, '--format=%(refname)', 'refs/heads/']);
  return new Set(out.split('\n').filter(Boolean).map((r) => r.replace(/^refs\/heads\//, '')));
}
