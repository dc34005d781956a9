/** The base branch track branches come back to: --base, claims.base, main, master, or the current branch. */
import type { Config } from '../model/types.js';
import { TracksError } from '../errors/index.js';
import { claimsConfig } from '../config/claims.js';
import { branchCommit, resolveCommit } from '../git/branch.js';

export interface Base {
  /** As the person named it (a branch, a remote branch, a commit). */
  name: string;
  commit: string;
}

export async function baseBranch(top: string, config: Config, explicit: string | undefined, current: string | undefined): Promise<Base> {
  const named = explicit ?? claimsConfig(config).base;
  if (named) {
    const commit = await resolveCommit(top, named);
    if (!commit) {
      throw new TracksError('UNKNOWN_BRANCH', `no branch or revision "${named}"${explicit ? '' : ' (claims.base in tracks.config.yaml)'}`, { hint: 'Name a local branch (`git branch` lists them), a remote branch such as origin/main, or a commit.' });
    }
    return { name: named, commit };
  }
  for (const name of ['main', 'master', current]) {
    if (!name) continue;
    const commit = await branchCommit(top, name);
    if (commit) return { name, commit };
  }
  const commit = await resolveCommit(top, 'HEAD');
  if (!commit) throw new TracksError('UNKNOWN_BRANCH', 'the repository has no commits yet, so there is no base branch', { hint: 'Commit something first.' });
  return { name: 'HEAD', commit };
}
