import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { changeOptions, report, runChange, type Applied, type ChangeOpts } from '../cli/change.js';
import type { ClaimOpts } from '../workspace/claim-run.js';
type ReleaseOpts = ChangeOpts & { as?: string; reason?: string; complete?: boolean; force?: boolean };

export default function claim(ctx: Ctx): Command {
  return changeOptions(
    new Command('claim')
      .description("Claim a track: record who works on it and on which branch, start it, and create the track's branch (and work tree).")
      .argument('<track>', 'track slug or name')
      .option('--as <name>', 'who claims it (default: the git user); agents pass their own name')
      .option('-b, --branch <branch>', 'the branch the work happens on (default from claims.branch: tracks/<slug>)')
      .option('-w, --worktree [dir]', 'also add a git work tree checked out on the branch (default from claims.worktree: ../<repo>-<slug>)')
      .option('-r, --reason <reason>', 'why (recorded in the history and the commit message)')
      .option('--steal', 'take over a track someone else has claimed (needs --reason; recorded)'),
    'the track file',
  )
    .addHelpText(
      'after',
      `
Commits the claim on the current branch (claimed_by, claimed_at, branch and a history
entry; a draft or ready track is started, a paused one resumed), then creates the
track's branch from that commit, so the branch starts with the claim recorded.
Refused when someone else holds the track in any local branch or work tree.

Examples:
  $ tracks claim runner-reliability
  $ tracks claim runner-reliability --as agent-7 --worktree
  $ tracks claim auth --branch feature/auth-rework --worktree ../auth
  $ tracks claim auth --steal --reason "agent-3 stopped two days ago"`,
    )
    .action(async (ref: string, opts: ClaimOpts) => {
      await runClaim(ctx, ref, opts);
    });
}

async function runClaim(ctx: Ctx, ref: string, opts: ClaimOpts): Promise<void> {
  const { claimTrack } = await import('../workspace/claim-run.js');
  const { applied, held, steps } = await claimTrack(ctx, ref, opts);
  if (!applied) {
    if (held && opts.format !== 'json') for (const l of held.branchLine) ctx.io.stdout(`${l}\n`);
    const { toJson } = await import('../parallel/text.js');
    if (held && opts.format === 'json') ctx.io.stdout(toJson({ version: 1, kind: 'claim', outcome: 'nothing', commit: null, files: [], held: true, branchSteps: held.branchLine }) + '\n');
    return;
  }
  printClaim(ctx, applied, opts, steps);
}

function printClaim(ctx: Ctx, applied: Applied<import('../parallel/plan-claim.js').ClaimPlan>, opts: ClaimOpts, steps: { done?: string[]; planned: string[]; worktreeDir?: string } | undefined) {
  const { plan } = applied;
  const c = ctx.color;
  const lines = steps?.done ?? (applied.outcome.kind === 'committed' || applied.outcome.kind === 'written' ? [] : steps?.planned.map((l) => `would ${l}`) ?? []);
  if (opts.format === 'json') {
    report(ctx, applied, opts, {
      track: plan.slug,
      claim: { by: plan.claim.by, at: plan.claim.at, branch: plan.claim.branch },
      status: { from: plan.entry.from, to: plan.entry.to },
      stolenFrom: plan.stolen ? { by: plan.stolen.by, at: plan.stolen.at || null, branch: plan.stolen.branch ?? null } : null,
      worktree: steps?.worktreeDir ?? null,
      branchSteps: lines,
    });
    return;
  }
  const status = plan.verb ? ` ${c.dim(`(${plan.entry.from} → ${plan.entry.to})`)}` : '';
  const preview = applied.outcome.kind === 'dry-run' || applied.outcome.kind === 'plan-saved';
  ctx.io.stdout(`${c.bold(preview ? 'would claim' : 'claimed')} ${plan.slug} for ${plan.claim.by} on branch ${plan.claim.branch}${status}\n`);
  if (plan.stolen) ctx.io.stdout(`  ${preview ? 'would take' : 'took'} over from ${plan.stolen.by}${plan.stolen.branch ? ` (branch ${plan.stolen.branch})` : ''}\n`);
  if (applied.outcome.kind === 'written') ctx.io.stdout(`  the branch was not created: the claim is not committed (--no-commit). Commit it, then: git branch ${plan.claim.branch}\n`);
  for (const l of lines) ctx.io.stdout(`  ${l}\n`);
  report(ctx, applied, opts);
}

export function release(ctx: Ctx): Command {
  return changeOptions(
    new Command('release')
      .description('End a claim on a track (and, with --complete, complete the track).')
      .argument('<track>', 'track slug or name')
      .option('--as <name>', 'whose claim to end, when the track has two')
      .option('-r, --reason <reason>', 'why (recorded in the history and the commit message)')
      .option('--complete', 'also complete the track (asks for --force when work orders are open)')
      .option('--force', 'with --complete: complete it even though some of its work orders are not done'),
    'the track file',
  )
    .addHelpText(
      'after',
      `
Removes claimed_by and claimed_at (branch stays: the work is still there to merge), appends a
history entry, and commits the track file on the current branch; run it on the track's branch
so the release comes back with the work.

Examples:
  $ tracks release runner-reliability --reason "handing over to the night shift"
  $ tracks release runner-reliability --complete
  $ tracks release auth --as agent-3 --reason "two claims after a merge; agent-1 keeps it"`,
    )
    .action(async (ref: string, opts: ReleaseOpts) => {
      const { confirmForce, lifecycleInput } = await import('../cli/change.js');
      const { planRelease } = await import('../parallel/plan-claim.js');
      const applied = await confirmForce(ctx, opts, (force) => runChange(ctx, opts, (repo, s) => planRelease(lifecycleInput(ctx, repo, s), { ref, as: opts.as, reason: opts.reason, complete: opts.complete, force })));
      if (!applied) return;
      const { plan } = applied;
      if (opts.format === 'json') {
        report(ctx, applied, opts, { track: plan.slug, released: { by: plan.released.by, at: plan.released.at || null, branch: plan.released.branch ?? null }, completed: plan.completed, status: { from: plan.entry.from, to: plan.entry.to } });
        return;
      }
      ctx.io.stdout(`${ctx.color.bold('released')} ${plan.slug} (claimed by ${plan.released.by}${plan.released.branch ? ` on ${plan.released.branch}` : ''})${plan.completed ? ctx.color.dim(` (${plan.entry.from} → ${plan.entry.to})`) : ''}\n`);
      report(ctx, applied, opts);
    });
}

export function claims(ctx: Ctx): Command {
  return new Command('claims')
    .description('Live claims in every branch and work tree: who, since when, the branch, and how far it is ahead of and behind the base.')
    .option('--base <branch>', 'the branch to compare with (default: claims.base, else main, else master)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      `
JSON: { version: 1, base, claims: [{ track, status, claimed_by, claimed_at, branch, seen_in,
branch_exists, ahead, behind, merged }] } (ahead/behind/merged are null without the branch).

Examples:
  $ tracks claims
  $ tracks claims --base develop --format json`,
    )
    .action(async (opts: { base?: string; format: 'table' | 'json' }) => {
      const { listClaims, renderClaims } = await import('../workspace/claims-list.js');
      const { toJson } = await import('../parallel/text.js');
      const data = await listClaims(ctx, opts.base);
      ctx.io.stdout(opts.format === 'json' ? toJson(data) + '\n' : renderClaims(data, ctx.color));
    });
}
