import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { err, out } from '../cli/ctx.js';
import { openRepo } from '../cli/repo.js';
import { findWorkOrders, tracksShape, unknownStatusNote, workOrdersShape } from '../shapes/list.js';
import type { Repo } from '../model/types.js';
import { table } from '../render/text.js';
import { sanitize, toJson } from '../render/sanitize.js';
import { plural } from '../render/plural.js';
import { workOrderCounts } from '../core/counts.js';

export default function list(ctx: Ctx): Command {
  return new Command('list')
    .description('List work orders with their track.')
    .option('-t, --track <slug>', 'only this track and its sub-tracks')
    .option('-s, --status <status>', 'only these work-order statuses (comma-separated)')
    .option('-u, --unassigned', 'only work orders without a track')
    .option('--tracks', 'list the tracks instead of work orders')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      `
Examples:
  $ tracks list --track runner-reliability
  $ tracks list --unassigned --status ready,backlog
  $ tracks list --tracks
  $ tracks list --text retry --status ready
  $ tracks list --format json | jq '.workOrders[] | select(.track == null)'`,
    )
    .option('--text <words>', 'only work orders whose id, title, goal or tags contain all these words')
    .action(async (opts: { track?: string; status?: string; unassigned?: boolean; tracks?: boolean; text?: string; format: 'table' | 'json' }) => {
      const repo = await openRepo(ctx);
      const status = opts.status?.split(',');
      if (opts.tracks) return listTracks(ctx, repo, { ...opts, status });
      const wos = findWorkOrders(repo, { track: opts.track, status, unassigned: opts.unassigned, text: opts.text });
      const note = status && unknownStatusNote(repo, status);
      if (note) err(ctx, ctx.color.yellow(sanitize(note)));
      if (opts.format === 'json') {
        out(ctx, toJson(workOrdersShape(repo, wos)));
        return;
      }
      // Unreadable work orders have no track to speak of: --unassigned says how many it leaves out, as status counts them.
      const unreadable = opts.unassigned ? workOrderCounts(repo.workOrders, repo.tracks).unreadable : 0;
      const left = unreadable ? `; ${plural(unreadable, 'unreadable work order')} not listed (\`tracks check\` says why)` : '';
      if (!wos.length) {
        err(ctx, `No work orders match${left}.`);
        return;
      }
      const c = ctx.color;
      const rows = [['ID', 'STATUS', 'TRACK', 'TITLE'], ...wos.map((w) => [w.id ?? w.path, w.status ?? '', w.tracks.join(',') || '—', w.title ?? ''])];
      const lines = table(rows, ctx.io.columns);
      out(ctx, c.bold(lines[0]!));
      for (const l of lines.slice(1)) out(ctx, l);
      err(ctx, c.dim(`${plural(wos.length, 'work order')}${opts.unassigned ? ' without a track' : ''}${left}`));
    });
}

function listTracks(ctx: Ctx, repo: Repo, opts: { track?: string; status?: string[]; format: 'table' | 'json' }) {
  const shape = tracksShape(repo, opts);
  if (opts.format === 'json') {
    out(ctx, toJson(shape));
    return;
  }
  if (!shape.tracks.length) {
    err(ctx, repo.tracks.length ? 'No tracks match.' : 'No tracks yet. Create one with `tracks create` or run `tracks organize`.');
    return;
  }
  const table_ = [['TRACK', 'TYPE', 'STATUS', 'DONE', 'NAME'], ...shape.tracks.map((t) => [`${'  '.repeat(t.depth)}${t.slug}`, t.type ?? '?', t.status ?? '?', `${t.progress.done}/${t.progress.total}`, t.name ?? ''])];
  const lines = table(table_, ctx.io.columns);
  out(ctx, ctx.color.bold(lines[0]!));
  for (const l of lines.slice(1)) out(ctx, l);
}
