import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { sanitize, toJson } from '../render/sanitize.js';

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
  cmd
    .command('pick')
    .description('Complete the winner, cancel the other open competitors (kept in the repository), record the decision in every file; one commit.')
    .argument('<experiment>', 'the experiment name')
    .argument('<winner>', 'slug of the winning track')
    .addHelpText('after', '\nExamples:\n  $ tracks experiment pick cache-strategy cache-redis --reason "p95 latency 40% lower in the load test"')
    .requiredOption('-r, --reason <reason>', 'why this one won (recorded in every competing track)')
    .option('--no-commit', 'write the track files but do not commit them')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (name: string, winner: string, opts: { reason: string; commit: boolean; format: 'text' | 'json' }) => {
      const { openRepo } = await import('../cli/repo.js');
      const { planPick } = await import('../lifecycle/experiment.js');
      const { describeStep } = await import('../lifecycle/render.js');
      const { planInput, applyPlan } = await import('./lifecycle.js');
      const repo = await openRepo(ctx);
      const plan = planPick(await planInput(ctx, repo), name, winner, opts.reason);
      const { commit } = await applyPlan(ctx, plan, opts);
      if (opts.format === 'json') {
        ctx.io.stdout(toJson({ version: 1, experiment: name, winner, reason: opts.reason, steps: plan.steps.map((s) => ({ track: s.slug, verb: s.verb, ...s.entry })), files: plan.changes.map((c) => c.path), commit: commit ?? null }) + '\n');
        return;
      }
      ctx.io.stdout(`Experiment ${ctx.color.bold(sanitize(name))}: picked ${ctx.color.bold(sanitize(winner))}.\n`);
      for (const s of plan.steps) ctx.io.stdout(describeStep(s, ctx.color).split('\n')[0] + '\n');
      ctx.io.stdout(ctx.color.dim(`decision recorded in ${plan.changes.length} track file${plan.changes.length === 1 ? '' : 's'}`) + '\n');
      ctx.io.stderr(ctx.color.dim(commit ? `committed ${commit.slice(0, 7)}\n` : 'not committed\n'));
    });
  return cmd;
}
