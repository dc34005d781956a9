/**
 * The narrow, typed git layer for writing: who the user is, what HEAD is,
 * whether an operation is in progress, which paths are dirty, and a commit of
 * exactly the tool's own blobs. Never sweeps the user's staged work into a
 * tool commit. A failed git call is a typed error (GitFailure), never `false`.
 *
 * Paths given to this module are relative to the repository root (the
 * directory of tracks.config.yaml); git's index speaks in paths relative to
 * the work tree's top, so `Repo.prefix` joins them.
 *
 * Not simple-git: version 4 strips or refuses GIT_* variables (GIT_INDEX_FILE
 * among them), which breaks both hooks and the temporary-index commit below.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { git, GitFailure } from './exec.js';
import type { RepoLocation } from './location.js';
import { toPosix } from '../core/paths.js';

export { GitFailure } from './exec.js';

/** A git work tree seen from the tracks root inside it. */
export interface GitRepo extends RepoLocation {
  /** The tracks root (may be a subdirectory of `top`). */
  root: string;
}

const topPath = (g: GitRepo, p: string) => {
  const prefix = toPosix(relative(g.top, g.root));
  return prefix ? `${prefix}/${p}` : p;
};

export async function userName(g: GitRepo): Promise<string | undefined> {
  const get = async (key: string) => {
    try {
      return (await git(g.top, ['config', '--get', key])).trim() || undefined;
    } catch (e) {
      // exit code 1: the key is not set, which is an answer, not a failure
      if (e instanceof GitFailure && e.status === 1) return undefined;
      throw e;
    }
  };
  const [name, email] = await Promise.all([get('user.name'), get('user.email')]);
  return name ? (email ? `${name} <${email}>` : name) : email;
}

export type Head = { kind: 'commit'; id: string } | { kind: 'unborn' };

/** HEAD's commit, or an unborn branch (a new repository). Anything else that fails is an error. */
export async function head(g: GitRepo): Promise<Head> {
  try {
    return { kind: 'commit', id: (await git(g.top, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'])).trim() };
  } catch (e) {
    if (!(e instanceof GitFailure) || e.status !== 1 || e.stderr.trim()) throw e;
    // `rev-parse --verify -q` says nothing for a missing ref: make sure HEAD names a branch that simply has no commit yet.
    const ref = (await git(g.top, ['symbolic-ref', '-q', 'HEAD'])).trim();
    const exists = await git(g.top, ['show-ref', '--verify', '-q', ref]).then(
      () => true,
      (x: unknown) => {
        if (x instanceof GitFailure && x.status === 1) return false;
        throw x;
      },
    );
    if (exists) throw e;
    return { kind: 'unborn' };
  }
}

const OPERATIONS: [string, string][] = [
  ['MERGE_HEAD', 'a merge'],
  ['rebase-merge', 'a rebase'],
  ['rebase-apply', 'a rebase'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ['REVERT_HEAD', 'a revert'],
  ['BISECT_LOG', 'a bisect'],
];

/** A merge, rebase, cherry-pick, revert or bisect in progress in this work tree, if any. */
export function operationInProgress(g: Pick<GitRepo, 'gitDir'>): string | undefined {
  return OPERATIONS.find(([m]) => existsSync(join(g.gitDir, m)))?.[1];
}

/**
 * Paths (of those given) that differ from HEAD in the index or the work tree.
 * Asks git about their directories and filters here: thousands of pathspecs
 * make git's matching quadratic (seconds for 10,000 files).
 */
export async function dirtyPaths(g: GitRepo, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const wanted = new Map(paths.map((p) => [topPath(g, p), p]));
  const dirs = [...new Set([...wanted.keys()].map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.')))];
  const spec = dirs.length <= 64 ? dirs.map((d) => `:(top,literal)${d === '.' ? '' : d}`) : [':(top)'];
  const out = await git(g.top, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', ...spec]);
  const dirty: string[] = [];
  for (const r of out.split('\0')) {
    if (r.length < 4) continue;
    const p = wanted.get(r.slice(3));
    if (p !== undefined) dirty.push(p);
  }
  return dirty;
}

export interface TreeEntry {
  mode: string;
  blob: string;
}

/** Mode and blob id of the given paths in a commit (absent paths are left out). */
export async function treeEntries(g: GitRepo, commit: string, paths: string[]): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  if (!paths.length) return out;
  const wanted = new Map(paths.map((p) => [topPath(g, p), p]));
  const dirs = [...new Set([...wanted.keys()].map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '')))];
  // Listing whole directories beats thousands of pathspecs (see dirtyPaths).
  const spec = dirs.length <= 64 && !dirs.includes('') ? dirs.map((d) => `${d}/`) : [];
  const text = await git(g.top, ['ls-tree', '-r', '-z', '--full-tree', commit, ...(spec.length ? ['--', ...spec] : [])]);
  for (const rec of text.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const p = wanted.get(rec.slice(tab + 1));
    if (p === undefined) continue;
    const [mode, , blob] = rec.slice(0, tab).split(' ');
    out.set(p, { mode: mode!, blob: blob! });
  }
  return out;
}

/** Writes the files' current contents into git's object database (`hash-object -w`); returns their blob ids in order. */
export async function storeBlobs(g: GitRepo, paths: string[]): Promise<string[]> {
  if (!paths.length) return [];
  const out = await git(g.root, ['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: paths.join('\n') + '\n' });
  return out.trim().split('\n');
}

/** An entry of the tool's commit: a path with its new mode and blob, or removed. */
export type IndexEntry = { path: string; mode: string; blob: string } | { path: string; remove: true };

function indexInfo(g: GitRepo, entries: IndexEntry[]): string {
  return entries.map((e) => ('remove' in e ? `0 ${'0'.repeat(40)}\t${topPath(g, e.path)}` : `${e.mode} ${e.blob}\t${topPath(g, e.path)}`)).join('\n') + '\n';
}

export type CommitResult =
  | { kind: 'committed'; id: string }
  /** A pre-commit or commit-msg hook refused: nothing was committed. */
  | { kind: 'hook-refused'; output: string }
  | { kind: 'failed'; failure: GitFailure };

/** Whether git would run a hook of this name (it exists and is executable). */
export function hookExists(g: Pick<GitRepo, 'hooksDir'>, name: string): boolean {
  try {
    const st = statSync(join(g.hooksDir, name));
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Commits exactly `entries` on top of `base`. Anything else the user had
 * staged stays staged and out of this commit.
 *
 * Built on a temporary index (base + our entries, by blob id) rather than
 * `git commit --only <paths>`: the commit holds exactly the bytes the tool
 * computed, whatever the work tree holds at that moment, and 10,000 pathspecs
 * would make git spend seconds matching them. `git commit` still runs, so the
 * user's hooks see exactly what is committed (GIT_INDEX_FILE points at it).
 */
export async function commitEntries(g: GitRepo, base: Head, entries: IndexEntry[], message: string, tmpIndex: string): Promise<CommitResult> {
  const env = { GIT_INDEX_FILE: tmpIndex };
  try {
    if (base.kind === 'commit') await git(g.top, ['read-tree', base.id], { env });
    await git(g.top, ['update-index', '--index-info'], { env, input: indexInfo(g, entries) });
    try {
      await git(g.top, ['commit', '--quiet', '--no-status', '-F', '-'], { env, input: message });
    } catch (e) {
      if (!(e instanceof GitFailure)) throw e;
      const now = await head(g);
      const moved = now.kind === 'commit' && (base.kind === 'unborn' || now.id !== base.id);
      if (moved) return { kind: 'committed', id: now.id };
      const gitItself = /Author identity unknown|Please tell me who you are|unable to auto-detect email/.test(e.stderr);
      if (!gitItself && (hookExists(g, 'pre-commit') || hookExists(g, 'commit-msg'))) return { kind: 'hook-refused', output: e.output };
      return { kind: 'failed', failure: e };
    }
    const now = await head(g);
    if (now.kind !== 'commit') throw new GitFailure(['commit'], 0, '', 'HEAD does not name a commit after committing');
    return { kind: 'committed', id: now.id };
  } catch (e) {
    if (e instanceof GitFailure) return { kind: 'failed', failure: e };
    throw e;
  } finally {
    rmSync(tmpIndex, { force: true });
    rmSync(`${tmpIndex}.lock`, { force: true });
  }
}

/** The first parent of a commit (to tell whether an interrupted change was committed on top of its base). */
export async function commitParent(g: GitRepo, commit: string): Promise<string | undefined> {
  const line = (await git(g.top, ['rev-list', '--parents', '-n', '1', commit])).trim().split(' ');
  return line[1];
}

/**
 * Makes git's real index agree with the tool's commit for its paths (and
 * leaves every other entry alone). Retries briefly while another git process
 * holds index.lock.
 */
export async function syncIndex(g: GitRepo, entries: IndexEntry[]): Promise<void> {
  const delays = [50, 100, 250, 500, 1000];
  for (let i = 0; ; i++) {
    try {
      await git(g.top, ['update-index', '--index-info'], { input: indexInfo(g, entries) });
      return;
    } catch (e) {
      if (i < delays.length && e instanceof GitFailure && e.stderr.includes('index.lock')) {
        await new Promise((r) => setTimeout(r, delays[i]));
        continue;
      }
      throw e;
    }
  }
}

/** Reads blobs by id (for putting files back from the object database). */
export { readBlobs } from './staged.js';
