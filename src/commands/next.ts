import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { wholeNumber } from '../cli/options.js';
import { toJson } from '../render/sanitize.js';

export default function next(ctx: Ctx): Command {
  return new Command('next')
    .description('Work orders that can start now (every depends_on done), best first, with the reason for the order.')
    .argument('[track]', 'a track slug (sub-tracks included); without it: the next item of each active track')
    .option('-n, --limit <n>', 'show at most n items per list (JSON lists every item unless this is given)', wholeNumber(1), 10)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Order: priority (1 = most urgent; none last), then how many open work orders each one
unblocks (directly or transitively), then id. Work orders in a held status (parked,
you_review, ...) are counted, not offered. A dependency that is not in the repository
is treated as done (check warns about it).

Examples:
  $ tracks next                       the next work order of each active track
  $ tracks next runner-reliability    what "prioritise the runner track" means, in order
  $ tracks next runner-reliability --format json | jq -r '.ready[0].id'`,
    )
    .action(async (slug: string | undefined, opts: { limit: number; format: 'text' | 'json' }, cmd: Command) => {
      const { openRepo } = await import('../cli/repo.js');
      const n = await import('../next/next.js');
      const { nextShape } = await import('../shapes/next.js');
      const { renderNext, renderNextActive } = await import('../next/render.js');
      const repo = await openRepo(ctx);
      if (opts.format === 'json') {
        ctx.io.stdout(toJson(nextShape(repo, slug, { limit: cmd.getOptionValueSource('limit') === 'cli' ? opts.limit : undefined })) + '\n');
        return;
      }
      if (slug) ctx.io.stdout(renderNext(n.nextInTrack(repo, slug), ctx.color, opts.limit, n.orderRule(repo.config)));
      else ctx.io.stdout(renderNextActive(n.nextPerActiveTrack(repo), ctx.color, n.orderRule(repo.config)));
    });
}
