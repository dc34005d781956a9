import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { changeOptions, lifecycleInput, report, runChange, type ChangeOpts } from '../cli/change.js';
import { toJson } from '../render/sanitize.js';

export default function experiment(ctx: Ctx): Command {
  const cmd = new Command('experiment').description('Competing EXP tracks that share an `experiment:` key: list, compare, pick a winner.');
  cmd.addHelpText(
    'after',
    `
Examples:
  $ tracks experiment list
  $ tracks experiment compare cache-strategy
  $ tracks experiment pick cache-strategy cache-redis --reason "p95 latency 40% lower in the load test"`,
  );
  cmd
    .command('list')
    .description('Experiments and their competing tracks, with status and progress.')
    .addHelpText('after', '\nExamples:\n  $ tracks experiment list\n  $ tracks experiment list --format json')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { format: 'text' | 'json' }) => {
      const { openRepo } = await import('../cli/repo.js');
      const { trackProgress } = await import('../core/tracks.js');
      const { experiments, compareData } = await import('../lifecycle/experiment.js');
      const { renderExperiments } = await import('../lifecycle/render.js');
      const repo = await openRepo(ctx);
      const groups = experiments(repo);
      if (opts.format === 'json') {
        ctx.io.stdout(toJson({ version: 1, experiments: groups.map((g) => compareData(repo, g.name)) }) + '\n');
      } else ctx.io.stdout(renderExperiments(groups, (s) => trackProgress(repo, s), ctx.color));
    });
  cmd
    .command('compare')
    .description('Side by side: hypothesis, status, progress, work orders done, results recorded in the files.')
    .argument('<experiment>', 'the experiment name (the shared `experiment:` value)')
    .addHelpText('after', '\nExamples:\n  $ tracks experiment compare cache-strategy\n  $ tracks experiment compare cache-strategy --format md >> pr-description.md')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'md', 'json']).default('text'))
    .action(async (name: string, opts: { format: 'text' | 'md' | 'json' }) => {
      const { openRepo } = await import('../cli/repo.js');
      const { compareData } = await import('../lifecycle/experiment.js');
      const { renderCompare, compareMarkdown } = await import('../lifecycle/render.js');
      const d = compareData(await openRepo(ctx), name);
      ctx.io.stdout(opts.format === 'json' ? toJson(d) + '\n' : opts.format === 'md' ? compareMarkdown(d) : renderCompare(d, ctx.color, ctx.io.columns));
    });
  const pick = cmd
    .command('pick')
    .description('Complete the winner, cancel the other open competitors (kept in the repository), record the decision in every file; one commit.')
    .argument('<experiment>', 'the experiment name')
    .argument('<winner>', 'slug of the winning track')
    .addHelpText('after', '\nExamples:\n  $ tracks experiment pick cache-strategy cache-redis --reason "p95 latency 40% lower in the load test"')
    .requiredOption('-r, --reason <reason>', 'why this one won (recorded in every competing track)')
    .option('--force', "pick it even though some of the winner's work orders are not done");
  changeOptions(pick, 'the track files').action(async (name: string, winner: string, opts: ChangeOpts & { reason: string; force?: boolean }) => {
    const { confirmForce } = await import('../cli/change.js');
    const { planPick } = await import('../lifecycle/experiment.js');
    const { describeStep } = await import('../lifecycle/render.js');
    const applied = await confirmForce(ctx, opts, (force) => runChange(ctx, opts, (repo, s) => planPick(lifecycleInput(ctx, repo, s), name, winner, opts.reason, { force })));
    if (!applied) return;
    const { plan } = applied;
    if (opts.format === 'json') {
      report(ctx, applied, opts, { experiment: name, winner, reason: opts.reason, steps: plan.steps.map((s) => ({ track: s.slug, verb: s.verb, ...s.entry })) });
      return;
    }
    ctx.io.stdout(`Experiment ${ctx.color.bold(name)}: ${opts.dryRun || opts.planOut ? 'would pick' : 'picked'} ${ctx.color.bold(winner)}.\n`);
    for (const s of plan.steps) ctx.io.stdout(describeStep(s, ctx.color).split('\n')[0] + '\n');
    ctx.io.stdout(ctx.color.dim(`decision recorded in ${plan.changes.length} track file${plan.changes.length === 1 ? '' : 's'}`) + '\n');
    report(ctx, applied, opts);
  });
  return cmd;
}
