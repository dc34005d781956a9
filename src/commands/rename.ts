import { Command } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { changeOptions, readText, report, runChange, type ChangeOpts } from '../cli/change.js';
import { planRename } from '../plan/rename.js';
import { claimKeys, type Claim } from '../parallel/claims.js';
import { sanitize } from '../render/sanitize.js';
import { currentBranch } from '../git/trees.js';
import { branchCommit, isAncestor } from '../git/branch.js';

export default function rename(ctx: Ctx): Command {
  return changeOptions(
    new Command('rename')
      .description("Rename a track: its slug and file name, every work order's `track` key and sub-tracks' `parent`, in one commit.")
      .argument('<track>', 'track slug or name')
      .argument('[new-slug]', 'the new slug (default: made from --name)')
      .option('-n, --name <name>', 'also set the display name')
      .option('-r, --reason <reason>', 'why (recorded in the track history and the commit message)'),
    'the files',
  )
    .addHelpText(
      'after',
      `
The file keeps its number and type (0004_FEAT_old.md → 0004_FEAT_new.md); each work order
changes by one line (its \`track\` key), each sub-track by its \`parent\`; the track's history
records the rename. Finished, retired and decided tracks keep their slugs.

Examples:
  $ tracks rename cost-and-data data-pipeline --name "Data pipeline"
  $ tracks rename "Cost and data" --name "Cost tracking"      slug made from the new name
  $ tracks rename ui frontend --dry-run`,
    )
    .action(async (ref: string, newSlug: string | undefined, opts: ChangeOpts & { name?: string; reason?: string }) => {
      let claim: Claim | undefined;
      const applied = await runChange(ctx, opts, (repo, s) => {
        const plan = planRename({ repo, stamp: { now: s.now, who: s.who }, read: readText(ctx) }, ref, newSlug, opts);
        const t = repo.tracks.find((x) => x.slug === plan.from);
        claim = t && claimKeys(t);
        return plan;
      });
      if (!applied) return;
      const p = applied.plan;
      if (opts.format !== 'json') {
        const preview = applied.outcome.kind === 'dry-run' || applied.outcome.kind === 'plan-saved';
        ctx.io.stdout(`${ctx.color.bold(preview ? 'would rename' : 'renamed')} ${p.from} → ${p.to}: ${p.path.from === p.path.to ? p.path.to : `${p.path.from} → ${p.path.to}`}; ${p.workOrders} work order${p.workOrders === 1 ? '' : 's'}${p.subTracks.length ? `, sub-tracks ${p.subTracks.join(', ')}` : ''}\n`);
      }
      // Work on the claim's branch goes on without the rename until that branch merges.
      const git = ctx.git();
      if (claim?.branch && git && claim.branch !== (await currentBranch(git.top))) {
        const tip = await branchCommit(git.top, claim.branch);
        if (tip && !(await isAncestor(git.top, tip, 'HEAD'))) {
          ctx.io.stderr(
            `${ctx.color.yellow('note:')} ${sanitize(p.from)} is claimed by ${sanitize(claim.by)} on ${sanitize(claim.branch)}, which does not have this rename until it merges; meanwhile claims, merge-plan and doctor count that branch's version as ${sanitize(p.to)}, and \`tracks merge-plan\` says whether it merges cleanly.\n`,
          );
        }
      }
      report(ctx, applied, opts, { track: { from: p.from, to: p.to }, path: p.path, workOrders: p.workOrders, subTracks: p.subTracks });
    });
}
