import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { wholeNumber } from '../cli/options.js';
import { toJson } from '../render/sanitize.js';

export default function report(ctx: Ctx): Command {
  return new Command('report')
    .description('Distribution of work orders over tracks, progress, blocked work and top-level limit usage.')
    .addOption(new Option('--format <format>', 'output format (md is fit to paste into a pull request)').choices(['md', 'json']).default('md'))
    .option('--max-blocked <n>', 'list at most n blocked work orders in markdown', wholeNumber(0), 50)
    .addHelpText(
      'after',
      `
Examples:
  $ tracks report                          markdown for a pull request or a wiki page
  $ tracks report --format json | jq '.workOrders.unassigned'
  $ tracks report >> "$GITHUB_STEP_SUMMARY"   in CI`,
    )
    .action(async (opts: { format: 'md' | 'json'; maxBlocked: number }) => {
      const { openRepo } = await import('../cli/repo.js');
      const { reportData, reportMarkdown } = await import('../report/report.js');
      const data = reportData(await openRepo(ctx));
      ctx.io.stdout(opts.format === 'json' ? toJson(data) + '\n' : reportMarkdown(data, { maxBlocked: opts.maxBlocked }));
    });
}
