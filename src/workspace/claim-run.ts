/**
 * Claiming a track, for the `claim` command and the MCP server alike: under
 * the repository lock, the claim is planned against every branch and work
 * tree, committed through the change pipeline, and the track's branch (and
 * work tree) made from that commit.
 */
import type { Ctx } from '../cli/ctx.js';
import { gitRepo, lifecycleInput, runChange, type Applied, type ChangeOpts } from '../cli/change.js';
import { TracksError } from '../errors/index.js';
import type { ClaimPlan } from '../parallel/plan-claim.js';

export type ClaimOpts = ChangeOpts & { as?: string; branch?: string; worktree?: string | boolean; reason?: string; steal?: boolean };

export interface ClaimRun {
  applied: Applied<ClaimPlan> | undefined;
  /** Set when the track was already claimed by the same person: what was done to its branch. */
  held?: { branchLine: string[] };
  steps?: { done?: string[]; planned: string[]; worktreeDir?: string };
}

export async function claimTrack(ctx: Ctx, ref: string, opts: ClaimOpts): Promise<ClaimRun> {
  const { readAcross, describeSource } = await import('./across.js');
  const { planClaim } = await import('../parallel/plan-claim.js');
  const { prepareBranch, finishBranch, claimantOf, branchFor } = await import('./claim-branch.js');
  const { findTrack } = await import('../core/tracks.js');
  const g = gitRepo(ctx);
  if (!g) throw new TracksError('NOT_A_GIT_REPO', `${ctx.root()} is not in a git repository: a claim lives on a branch`, { hint: 'Run `git init` first.' });
  let held: { branchLine: string[] } | undefined;
  let steps: Awaited<ReturnType<typeof prepareBranch>> | undefined;
  const applied = await runChange(
    ctx,
    opts,
    async (repo, s) => {
      const who = claimantOf(opts.as, s.who);
      const t = findTrack(repo, ref);
      const across = await readAcross(g, repo, { tracks: 'parsed' });
      const branch = await branchFor(g, repo.config, t, who, opts.branch);
      const elsewhere = across.tracks.filter((x) => x.source.kind !== 'here').map((x) => ({ track: x.track, where: describeSource(x.source, ctx.cwd()) }));
      const r = planClaim(lifecycleInput(ctx, repo, s), { ref: t.slug, as: who, branch, reason: opts.reason, steal: opts.steal, elsewhere });
      // A claim already held keeps its branch as it is, work and all.
      steps = await prepareBranch(g, across, { branch, explicitBranch: opts.branch !== undefined || r.kind === 'held', worktree: opts.worktree, template: repo.config, track: t, who, head: s.head });
      if (r.kind === 'held') {
        // Already ours: make sure the branch and work tree exist, and say so.
        const missing = steps.action === 'create' || steps.worktreeDir !== undefined;
        held = { branchLine: opts.dryRun || opts.planOut ? steps.planned.map((l) => `would ${l}`) : missing ? await finishBranch(g, { ...steps, action: steps.action === 'create' || steps.action === 'current' ? steps.action : 'exists' }, s.head) : [] };
        ctx.io.stderr(`${t.slug} is already claimed by ${who} on branch ${branch}. No files changed.\n`);
        return undefined;
      }
      return r.plan;
    },
    {
      after: async (a) => {
        if (a.outcome.kind !== 'committed' || !steps) return;
        try {
          steps.done = await finishBranch(g, steps, a.outcome.commit);
        } catch (e) {
          const c = a.outcome.commit.slice(0, 7);
          throw new TracksError('COMMITTED_INCOMPLETE', `committed the claim as ${c}, but ${steps.failedStep ?? 'creating the branch'} failed: ${(e as Error).message}`, {
            hint: `Run \`${steps.manual(a.outcome.commit).join(' && ')}\` to finish it.`,
            cause: e,
          });
        }
      },
    },
  );
  return { applied, held, steps };
}
