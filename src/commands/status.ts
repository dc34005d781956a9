import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';

export default function status(ctx: Ctx): Command {
  return new Command('status')
    .description('Counts of work orders and tracks, and whether `tracks organize` is due.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  $ tracks status\n  $ tracks status --format json | jq .organize.due')
    .action(async (opts: { format: 'text' | 'json' }) => {
      const { openRepo } = await import('../cli/repo.js');
      const { organizable, unassigned, defaultMode, isRetired } = await import('../organize/scope.js');
      const { countsAgainstLimit } = await import('../validate/rules.js');
      const { trackProgress, byNumber } = await import('../core/tracks.js');
      const repo = await openRepo(ctx);
      const { config } = repo;
      const readable = organizable(repo).length;
      const without = unassigned(repo).length;
      const top = repo.tracks.filter(countsAgainstLimit).sort(byNumber);
      const retired = repo.tracks.filter(isRetired).length;
      const due = without >= config.organizeThreshold && without > 0;
      const mode = defaultMode(repo).mode;
      if (opts.format === 'json') {
        const { toJson } = await import('../render/sanitize.js');
        ctx.io.stdout(
          toJson(
            {
              workOrders: { total: repo.workOrders.length, unreadable: repo.workOrders.length - readable, assigned: readable - without, unassigned: without },
              tracks: { total: repo.tracks.length, retired, topLevel: top.length, topLevelLimit: config.topLevelLimit },
              topLevel: top.map((t) => {
                const p = trackProgress(repo, t.slug);
                return { slug: t.slug, name: t.name ?? t.slug, status: t.status ?? null, done: p.done, total: p.total };
              }),
              organize: { due, threshold: config.organizeThreshold, mode },
            },
          ) + '\n',
        );
        return;
      }
      const c = ctx.color;
      const { sanitize } = await import('../render/sanitize.js');
      // Not organizable: unreadable (or without an id), or a second file with an id (Backlog.md's archive reuses ids).
      const seen = new Set<string>();
      const dup = repo.workOrders.filter((w) => w.ok && w.id && (seen.has(w.id) || !seen.add(w.id))).length;
      const left = [repo.workOrders.length - readable - dup > 0 ? `${repo.workOrders.length - readable - dup} unreadable` : '', dup > 0 ? `${dup} with an id an earlier work order has` : ''].filter(Boolean).join(', ');
      const lines = [
        `Work orders: ${repo.workOrders.length}${left ? ` (${left})` : ''}; ${readable - without} with a track, ${without} without.`,
        `Tracks: ${repo.tracks.length}${retired ? ` (${retired} archived or cancelled)` : ''}; top level ${top.length} of ${config.topLevelLimit}.`,
      ];
      for (const t of top) {
        const p = trackProgress(repo, t.slug);
        lines.push(`  ${c.bold(sanitize(t.slug))}  ${sanitize(t.name ?? '')}  ${c.dim(`${sanitize(t.status ?? '?')}, ${p.done}/${p.total} done`)}`);
      }
      if (due) lines.push(c.yellow(`Organize is due: ${without} work orders have no track (threshold ${config.organizeThreshold}). Run \`tracks organize\` (${mode} mode).`));
      else if (without) lines.push(c.dim(`${without} without a track (organize is due at ${config.organizeThreshold}).`));
      ctx.io.stdout(lines.join('\n') + '\n');
    });
}
