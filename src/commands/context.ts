import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { wholeNumber } from '../cli/options.js';

export default function pack(ctx: Ctx): Command {
  return new Command('context')
    .description('A context pack for whoever works on a track next: goal, status, history, decisions, work orders, cross-track dependencies.')
    .argument('<track>', 'track slug (its sub-tracks are included)')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .option('--max-bytes <n>', 'size bound (at least 1024); what does not fit is left out and counted in a note', wholeNumber(1024), 32 * 1024)
    .addHelpText(
      'after',
      `
Examples:
  $ tracks context runner-reliability > CONTEXT.md        hand it to a colleague or an agent
  $ tracks context runner-reliability --max-bytes 8000    a tighter budget
  $ tracks context runner-reliability --format json | jq '.openWorkOrders[0]'`,
    )
    .action(async (slug: string, opts: { format: 'md' | 'json'; maxBytes: number }) => {
      const { openRepo } = await import('../cli/repo.js');
      const { packData, packJson, packMarkdown } = await import('../pack/pack.js');
      const data = packData(await openRepo(ctx), slug);
      ctx.io.stdout(opts.format === 'json' ? packJson(data, opts.maxBytes) : packMarkdown(data, opts.maxBytes));
    });
}
