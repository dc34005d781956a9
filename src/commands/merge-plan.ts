import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';

export default function mergePlan(ctx: Ctx): Command {
  return new Command('merge-plan')
    .description('Propose the order in which track branches merge back, with the conflicts each would have (predicted by git merge-tree; nothing checked out).')
    .option('--base <branch>', 'the branch they merge into (default: claims.base, else main, else master)')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .addHelpText(
      'after',
      `
Track branches are the branches of live claims and the \`branch:\` of track files. The order:
branches whose tracks' work is done first; a branch after the branches whose work orders its
own depend on; branches that merge cleanly before those that conflict; pairs that conflict
with each other are listed to be resolved together.

JSON: { version: 1, base: { name, commit }, order: [branch], branches: [{ position, branch,
commit, tracks: [{ slug, status, done, total }], done, ahead, behind, conflicts_with_base:
[path], conflicts_with: [{ branch, paths }], depends_on: [branch], reasons: [text] }],
resolve_together: [{ branches: [a, b], paths }], missing: [{ branch, tracks }],
dependency_loops: [[branch]] }

Examples:
  $ tracks merge-plan
  $ tracks merge-plan --base develop --format json
  $ tracks merge-plan >> pr-description.md`,
    )
    .action(async (opts: { base?: string; format: 'md' | 'json' }) => {
      const { gatherMergePlan } = await import('../workspace/merge-plan.js');
      const { planMerges, mergePlanJson, mergePlanMarkdown } = await import('../parallel/merge-plan.js');
      const plan = planMerges(await gatherMergePlan(ctx, opts.base));
      ctx.io.stdout(opts.format === 'json' ? mergePlanJson(plan) : mergePlanMarkdown(plan));
    });
}
