import { Command } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { changeOptions, report, runChange, type ChangeOpts } from '../cli/change.js';
import { idList, planAssign, planUnassign, type AssignPlan } from '../plan/assign.js';
import { assignExtra } from '../shapes/change.js';

function say(ctx: Ctx, opts: ChangeOpts, plan: AssignPlan, verb: [string, string], to: string) {
  if (opts.format === 'json') return;
  const moved = plan.moves.map((m) => m.wo);
  if (moved.length) ctx.io.stderr(`${opts.dryRun || opts.planOut ? `Would ${verb[0]}` : verb[1]} ${idList(moved)}${to}.\n`);
  if (plan.unchanged.length) ctx.io.stderr(`Already so: ${idList(plan.unchanged)}.\n`);
}

export default function assign(ctx: Ctx): Command {
  return changeOptions(
    new Command('assign')
      .description('Put work orders into a track (edits only their `track` key), then commit those files.')
      .argument('<work-orders...>', 'work-order ids (WO-2026-001) or file paths')
      .requiredOption('-t, --track <track>', 'the track to assign them to (slug or name)')
      .option('--add', "add the track to the work order's list instead of replacing it (needs multiple_tracks_per_work_order)"),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ tracks assign WO-2026-001 WO-2026-002 --track runner-reliability
  $ tracks assign work_orders/WO-2026-003-foo.md -t economy --no-commit
  $ tracks assign WO-2026-004 -t economy --dry-run --format json`,
    )
    .action(async (refs: string[], opts: ChangeOpts & { track: string; add?: boolean }) => {
      const applied = await runChange(ctx, opts, (repo, s) => planAssign(repo, refs, opts.track, { add: opts.add, now: s.now }));
      if (!applied) return;
      const plan = applied.plan;
      say(ctx, opts, plan, ['assign', 'Assigned'], ` to ${plan.moves[0]?.to.join(', ') ?? opts.track}`);
      report(ctx, applied, opts, assignExtra(plan));
    });
}

export function unassign(ctx: Ctx): Command {
  return changeOptions(
    new Command('unassign')
      .description('Remove work orders from their track (deletes only the `track` key), then commit those files.')
      .argument('<work-orders...>', 'work-order ids or file paths')
      .option('-t, --track <track>', 'remove only this track (when work orders may have several)'),
  )
    .addHelpText('after', '\nExamples:\n  $ tracks unassign WO-2026-001\n  $ tracks unassign WO-2026-001 --track economy')
    .action(async (refs: string[], opts: ChangeOpts & { track?: string }) => {
      const applied = await runChange(ctx, opts, (repo, s) => planUnassign(repo, refs, opts.track, { now: s.now }));
      if (!applied) return;
      const plan = applied.plan;
      say(ctx, opts, plan, ['unassign', 'Unassigned'], opts.track ? ` from ${opts.track}` : '');
      report(ctx, applied, opts, assignExtra(plan));
    });
}
