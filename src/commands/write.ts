/** The shared edge for commands that change files: refuse, write atomically, commit. */
import type { Ctx } from '../cli/ctx.js';
import { writeFilesAtomic, type FileWrite } from '../fs/atomic.js';
import { assertNoOperationInProgress, commitPaths, dirtyPaths, isRepo } from '../git/git.js';
import { TracksError } from '../errors/index.js';

export interface WriteOptions {
  commit: boolean;
  message: string;
}

/**
 * Refuses before writing anything when a target file has uncommitted changes
 * (they would end up in the tool's commit) or git is mid-merge/rebase.
 */
export async function writeAndCommit(ctx: Ctx, writes: FileWrite[], opts: WriteOptions): Promise<{ paths: string[]; commit?: string }> {
  const root = ctx.root();
  if (writes.length === 0) return { paths: [] };
  const inGit = await isRepo(root);
  if (opts.commit && !inGit) {
    throw new TracksError('NOT_A_GIT_REPO', `${root} is not a git repository, so the change cannot be committed`, {
      hint: 'Run `git init` first, or pass --no-commit.',
    });
  }
  if (inGit) {
    await assertNoOperationInProgress(root);
    if (opts.commit) {
      const dirty = await dirtyPaths(root, writes.map((w) => w.path));
      const existingDirty = dirty.filter((p) => writes.some((w) => w.path === p));
      if (existingDirty.length) {
        throw new TracksError('DIRTY_FILES', `uncommitted changes in ${existingDirty.join(', ')}`, {
          hint: 'Commit or stash them first (they would end up in the tool\'s commit), or pass --no-commit.',
        });
      }
    }
  }
  const paths = writeFilesAtomic(root, writes);
  if (!opts.commit) return { paths };
  const commit = await commitPaths(root, paths, opts.message);
  return { paths, commit };
}
