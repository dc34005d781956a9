/**
 * The git side of a claim: which branch, whether it can be created (or moved
 * forward) at the claim's commit, and the work tree. Everything that can make
 * these steps fail is checked before the claim is committed; the steps
 * themselves run after the commit, still under the repository lock.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Config, Track } from '../model/types.js';
import { TracksError } from '../errors/index.js';
import { claimsConfig, fillTemplate } from '../config/claims.js';
import { slugify } from '../parse/entities.js';
import { addWorktree, branchCommit, createBranch, isAncestor, moveBranch, validBranchName } from '../git/branch.js';
import type { RepoLocation } from '../git/location.js';
import type { Across } from './across.js';

type G = RepoLocation & { root: string };

/** The claimant: --as, else the git user. */
export function claimantOf(as: string | undefined, who: string | undefined): string {
  const name = (as ?? who ?? '').replace(/\s+/g, ' ').trim();
  if (!name) throw new TracksError('NO_CLAIMANT', 'nobody to record as the claimant: no --as NAME and no git user.name or user.email');
  if (name.length > 200) throw new TracksError('BAD_OPTION', `--as is ${name.length} characters long; a claimant's name is at most 200`);
  return name;
}

const templateValues = (t: Track, who: string) => ({ slug: t.slug, type: t.fileType ?? t.type ?? 'TRACK', number: String(t.number ?? 0).padStart(4, '0'), name: slugify(who) || 'someone' });

/** The branch a claim of `t` works on: --branch, else claims.branch filled in. */
export async function branchFor(g: G, config: Config, t: Track, who: string, explicit: string | undefined): Promise<string> {
  const name = explicit ?? fillTemplate(claimsConfig(config).branch, templateValues(t, who));
  if (!(await validBranchName(g.top, name))) {
    throw new TracksError('BAD_OPTION', `"${name}" is not a valid git branch name${explicit ? '' : ' (from claims.branch in tracks.config.yaml)'}`, { hint: 'See `git check-ref-format --help`; e.g. tracks/<slug>.' });
  }
  return name;
}

export interface BranchSteps {
  branch: string;
  /** current: we are on it; create; fast-forward: it has nothing of its own yet; keep: it has its own commits (--branch); leave: checked out elsewhere. */
  action: 'current' | 'create' | 'fast-forward' | 'keep' | 'leave' | 'exists';
  existing?: string;
  /** Where the work tree goes, with --worktree. */
  worktreeDir?: string;
  /** What will be done, one line each (dry runs say these). */
  planned: string[];
  /** What was done. */
  done?: string[];
  failedStep?: string;
  /** The commands that finish the steps by hand. */
  manual(commit: string): string[];
}

export interface BranchRequest {
  branch: string;
  explicitBranch: boolean;
  worktree: string | boolean | undefined;
  template: Config;
  track: Track;
  who: string;
  head: string | undefined;
}

function emptyOrMissing(dir: string): boolean {
  if (!existsSync(dir)) return true;
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

const shown = (from: string, p: string) => {
  const r = relative(from, p);
  return r === '' ? '.' : r.length < p.length ? r : p;
};

/** Decides the branch and work-tree steps and refuses, before anything is written, what could not be done. */
export async function prepareBranch(g: G, across: Across, r: BranchRequest): Promise<BranchSteps> {
  const here = resolve(g.top);
  const existing = await branchCommit(g.top, r.branch);
  const checkedOut = across.worktrees.find((w) => w.branch === r.branch && resolve(w.path) !== here && !w.prunable);
  let action: BranchSteps['action'];
  if (across.branch === r.branch) action = 'current';
  else if (!existing) action = 'create';
  else if (checkedOut) action = 'leave';
  else if (r.head && (await isAncestor(g.top, existing, r.head))) action = 'fast-forward';
  else if (r.explicitBranch) action = 'keep';
  else {
    throw new TracksError('BRANCH_EXISTS', `branch ${r.branch} already exists and has commits that ${across.branch ?? 'HEAD'} does not have`, {
      hint: `Pass --branch ${r.branch} to claim the track on that branch as it is (merge ${across.branch ?? 'this branch'} into it to bring the claim in), or --branch <new-name> for a new branch.`,
    });
  }
  let worktreeDir: string | undefined;
  if (r.worktree !== undefined && r.worktree !== false) {
    const main = across.worktrees.find((w) => !w.bare)?.path ?? g.top;
    const values = { repo: basename(main), slug: r.track.slug, type: r.track.fileType ?? '', number: String(r.track.number ?? 0).padStart(4, '0'), name: slugify(r.who) };
    worktreeDir = typeof r.worktree === 'string' ? resolve(g.top, r.worktree) : resolve(main, fillTemplate(claimsConfig(r.template).worktree, values));
    if (action === 'current') throw new TracksError('WORKTREE_UNAVAILABLE', `branch ${r.branch} is checked out here, so no other work tree can be checked out on it`, { hint: 'Work here, or claim it from another branch.' });
    if (checkedOut) throw new TracksError('WORKTREE_UNAVAILABLE', `branch ${r.branch} is already checked out in ${checkedOut.path}`, { hint: `Work there (cd ${shown(g.top, checkedOut.path)}), or drop --worktree.` });
    if (!emptyOrMissing(worktreeDir)) throw new TracksError('WORKTREE_UNAVAILABLE', `${worktreeDir} already exists and is not empty`, { hint: 'Pass --worktree <dir> with a new directory.' });
    if (!existsSync(dirname(worktreeDir))) throw new TracksError('WORKTREE_UNAVAILABLE', `the directory ${dirname(worktreeDir)} for the work tree does not exist`, { hint: 'Create it first, or pass --worktree <dir>.' });
  }
  const planned: string[] = [];
  if (action === 'create') planned.push(`create branch ${r.branch} at the claim commit`);
  if (action === 'fast-forward') planned.push(`move branch ${r.branch} forward to the claim commit (it has no commits of its own)`);
  if (action === 'keep') planned.push(`keep branch ${r.branch} as it is (it has its own commits): \`git merge ${across.branch ?? '<this branch>'}\` there brings the claim in`);
  if (action === 'leave') planned.push(`leave branch ${r.branch} (checked out in ${shown(g.top, checkedOut!.path)}): \`git merge ${across.branch ?? '<this branch>'}\` there brings the claim in`);
  if (worktreeDir) planned.push(`add work tree ${shown(g.top, worktreeDir)} on ${r.branch}`);
  return {
    branch: r.branch,
    action,
    ...(existing ? { existing } : {}),
    ...(worktreeDir ? { worktreeDir } : {}),
    planned,
    manual: (commit) => [
      ...(action === 'create' ? [`git branch ${r.branch} ${commit.slice(0, 12)}`] : action === 'fast-forward' ? [`git branch -f ${r.branch} ${commit.slice(0, 12)}`] : []),
      ...(worktreeDir ? [`git worktree add ${worktreeDir} ${r.branch}`] : []),
    ],
  };
}

/** Runs the steps with the claim's commit (or HEAD, for a claim that was already held); returns what was done. */
export async function finishBranch(g: G, s: BranchSteps, commit: string | undefined): Promise<string[]> {
  const done: string[] = [];
  if (s.action === 'current') done.push(`branch ${s.branch} is the current branch: the claim is on it`);
  else if (s.action === 'exists') done.push(`branch ${s.branch} exists`);
  else if (!commit) done.push(`branch ${s.branch} not created: there is no commit yet`);
  else if (s.action === 'create') {
    s.failedStep = `creating branch ${s.branch}`;
    if (!(await branchCommit(g.top, s.branch))) {
      await createBranch(g.top, s.branch, commit);
      done.push(`created branch ${s.branch} at ${commit.slice(0, 7)}`);
    } else done.push(`branch ${s.branch} exists`);
  } else if (s.action === 'fast-forward') {
    s.failedStep = `moving branch ${s.branch} forward`;
    if (s.existing !== commit) {
      await moveBranch(g.top, s.branch, s.existing!, commit, `tracks claim: fast-forward to the claim commit`);
      done.push(`moved branch ${s.branch} forward to ${commit.slice(0, 7)}`);
    } else done.push(`branch ${s.branch} is at ${commit.slice(0, 7)}`);
  } else done.push(...s.planned.filter((l) => !l.startsWith('add work tree')));
  if (s.worktreeDir) {
    if (existsSync(s.worktreeDir) && !emptyOrMissing(s.worktreeDir)) done.push(`work tree ${shown(g.top, s.worktreeDir)} exists`);
    else {
      s.failedStep = `adding the work tree ${s.worktreeDir}`;
      await addWorktree(g.top, s.worktreeDir, s.branch);
      done.push(`added work tree ${s.worktreeDir} on ${s.branch}`);
    }
  }
  s.failedStep = undefined;
  return done;
}
