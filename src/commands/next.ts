import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { wholeNumber } from '../cli/options.js';
import { toJson } from '../render/sanitize.js';

export default function next(ctx: Ctx): Command {
  return new Command('next')
    .description('Work orders that can start now (every depends_on done), best first, with the reason for the order.')
    .argument('[track]', 'a track slug (sub-tracks included); without it: the next item of each active track')
    .option('-n, --limit <n>', 'show at most n items per list', wholeNumber(1), 10)
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
    .action(async (slug: string | undefined, opts: { limit: number; format: 'text' | 'json' }) => {
      const { openRepo } = await import('../cli/repo.js');
      const n = await import('../next/next.js');
      const { renderNext, renderNextActive } = await import('../next/render.js');
      const repo = await openRepo(ctx);
      if (slug) {
        const r = n.nextInTrack(repo, slug);
        if (opts.format === 'json') ctx.io.stdout(toJson({ version: 1, order: n.orderRule(repo.config), ...r }) + '\n');
        else ctx.io.stdout(renderNext(r, ctx.color, opts.limit, n.orderRule(repo.config)));
        return;
      }
      const rows = n.nextPerActiveTrack(repo);
      if (opts.format === 'json') {
        ctx.io.stdout(toJson({ version: 1, order: n.orderRule(repo.config), tracks: rows.map((r) => ({ track: r.track.slug, next: r.next ?? null, open: r.open, blocked: r.blocked, held: r.held })) }) + '\n');
      } else ctx.io.stdout(renderNextActive(rows, ctx.color, n.orderRule(repo.config)));
    });
}
