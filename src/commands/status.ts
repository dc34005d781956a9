import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';

export default function status(ctx: Ctx): Command {
  return new Command('status')
    .description('Counts of work orders and tracks, and whether `tracks organize` is due.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  $ tracks status\n  $ tracks status --format json | jq .organize.due')
    .action(async (opts: { format: 'text' | 'json' }) => {
      const { openRepo } = await import('../cli/repo.js');
      const { statusShape } = await import('../shapes/status.js');
      const { sanitize, toJson } = await import('../render/sanitize.js');
      const repo = await openRepo(ctx);
      const j = statusShape(repo);
      if (opts.format === 'json') {
        ctx.io.stdout(toJson(j) + '\n');
        return;
      }
      const c = ctx.color;
      const { workOrders: w, tracks, organize } = j;
      const { workOrdersLine } = await import('../render/counts.js');
      const { plural } = await import('../render/plural.js');
      const lines = [
        workOrdersLine(w),
        `Tracks: ${tracks.total}${tracks.retired ? ` (${tracks.retired} archived or cancelled)` : ''}; top level ${tracks.topLevel} of ${tracks.topLevelLimit}.`,
      ];
      for (const t of j.topLevel) lines.push(`  ${c.bold(sanitize(t.slug))}  ${sanitize(t.name)}  ${c.dim(`${sanitize(t.status ?? '?')}, ${t.done}/${t.total} done`)}`);
      if (organize.due) lines.push(c.yellow(`Organize is due: ${plural(organize.unassigned, 'work order')} ${organize.unassigned === 1 ? 'has' : 'have'} no track (threshold ${organize.threshold}). Run \`tracks organize\` (${organize.mode} mode).`));
      else if (organize.unassigned) lines.push(c.dim(`${organize.unassigned} without a track (organize is due at ${organize.threshold}).`));
      ctx.io.stdout(lines.join('\n') + '\n');
    });
}
