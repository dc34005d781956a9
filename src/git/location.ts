/**
 * Where the repository is, from git itself: the work tree's top, this work
 * tree's git directory (where per-work-tree state such as the check cache
 * lives) and the common directory that all work trees of the repository share
 * (where the repository lock lives). Correct in linked work trees and
 * submodules, where `<top>/.git` is a file, not a directory.
 */
import { gitSync } from './exec.js';

export interface RepoLocation {
  top: string;
  gitDir: string;
  commonDir: string;
  /** core.hooksPath or <commonDir>/hooks, expanded as git expands it, absolute. */
  hooksDir: string;
}

export type Located = { kind: 'work-tree'; location: RepoLocation } | { kind: 'bare'; gitDir: string } | { kind: 'git-dir'; gitDir: string } | { kind: 'none' };

export function locate(cwd: string): Located {
  const r = gitSync(cwd, ['rev-parse', '--is-bare-repository', '--absolute-git-dir', '--path-format=absolute', '--git-common-dir', '--git-path', 'hooks', '--show-toplevel']);
  if (!r.ok) {
    // A bare repository (or the inside of .git) has no work tree to show.
    const b = gitSync(cwd, ['rev-parse', '--is-bare-repository', '--is-inside-git-dir', '--absolute-git-dir']);
    if (!b.ok) return { kind: 'none' };
    const [isBare, insideGitDir, gitDir] = b.stdout.split('\n');
    if (isBare === 'true') return { kind: 'bare', gitDir: gitDir! };
    if (insideGitDir === 'true') return { kind: 'git-dir', gitDir: gitDir! };
    return { kind: 'none' };
  }
  const [bare, gitDir, commonDir, hooks, top] = r.stdout.split('\n');
  if (bare === 'true') return { kind: 'bare', gitDir: gitDir! };
  if (!top) return { kind: 'git-dir', gitDir: gitDir! }; // inside .git itself
  return { kind: 'work-tree', location: { top, gitDir: gitDir!, commonDir: commonDir!, hooksDir: hooks! } };
}
