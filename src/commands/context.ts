import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';

export default function pack(ctx: Ctx): Command {
  return new Command('context')
    .description('A context pack for whoever works on a track next: goal, status, history, decisions, work orders, cross-track dependencies.')
    .argument('<track>', 'track slug (its sub-tracks are included)')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .option('--max-bytes <n>', 'size bound; what does not fit is left out and counted in a note', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1024) throw new Error('--max-bytes needs a whole number of at least 1024');
      return n;
    }, 32 * 1024)
    .addHelpText(
      'after',
      `
Examples:
  $ tracks context runner-reliability > CONTEXT.md        hand it to a colleague or an agent
  $ tracks context runner-reliability --max-bytes 8000    a tighter budget
  $ tracks context runner-reliability --format json | jq '.openWorkOrders[0]'`,
    )
    .action(async (slug: string, opts: { format: 'md' | 'json'; maxBytes: number }) => {
      const { loadRepo } = await import('../fs/repo.js');
      const { packData, packJson, packMarkdown } = await import('../pack/pack.js');
      const data = packData(await loadRepo(ctx.root()), slug);
      ctx.io.stdout(opts.format === 'json' ? packJson(data, opts.maxBytes) : packMarkdown(data, opts.maxBytes));
    });
}
