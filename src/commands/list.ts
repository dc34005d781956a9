import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { err, out } from '../cli/ctx.js';
import { openRepo } from '../cli/repo.js';
import { byNumber, findTrack, trackProgress, withDescendants } from '../core/tracks.js';
import type { Repo, Track } from '../model/types.js';
import { table } from '../render/text.js';
import { toJson } from '../render/sanitize.js';

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
  $ tracks list --format json | jq '.[] | select(.track == null)'`,
    )
    .action(async (opts: { track?: string; status?: string; unassigned?: boolean; tracks?: boolean; format: 'table' | 'json' }) => {
      const repo = await openRepo(ctx);
      if (opts.tracks) return listTracks(ctx, repo, opts);
      let wos = repo.workOrders.filter((w) => w.ok);
      if (opts.track) {
        const slugs = withDescendants(repo.tracks, findTrack(repo, opts.track).slug);
        wos = wos.filter((w) => w.tracks.some((s) => slugs.has(s)));
      }
      if (opts.status) {
        const want = new Set(opts.status.split(',').map((s) => s.trim()).filter(Boolean));
        wos = wos.filter((w) => w.status !== undefined && want.has(w.status));
      }
      if (opts.unassigned) wos = wos.filter((w) => w.tracks.length === 0);
      if (opts.format === 'json') {
        const rows = wos.map((w) => ({
          id: w.id ?? null,
          title: w.title ?? null,
          status: w.status ?? null,
          track: repo.config.multipleTracksPerWorkOrder ? w.tracks : (w.tracks[0] ?? null),
          priority: w.priority ?? null,
          path: w.path,
        }));
        out(ctx, toJson(rows));
        return;
      }
      if (!wos.length) {
        err(ctx, 'No work orders match.');
        return;
      }
      const c = ctx.color;
      const rows = [['ID', 'STATUS', 'TRACK', 'TITLE'], ...wos.map((w) => [w.id ?? w.path, w.status ?? '', w.tracks.join(',') || '—', w.title ?? ''])];
      const lines = table(rows, ctx.io.columns);
      out(ctx, c.bold(lines[0]!));
      for (const l of lines.slice(1)) out(ctx, l);
      err(ctx, c.dim(`${wos.length} work order${wos.length === 1 ? '' : 's'}`));
    });
}

/** Tracks in tree order: each top-level track followed by its sub-tracks. */
export function treeOrder(tracks: Track[]): { track: Track; depth: number }[] {
  const out: { track: Track; depth: number }[] = [];
  const seen = new Set<string>();
  const slugs = new Set(tracks.map((t) => t.slug));
  const visit = (t: Track, depth: number) => {
    if (seen.has(t.path)) return;
    seen.add(t.path);
    out.push({ track: t, depth });
    for (const c of tracks.filter((x) => x.parent === t.slug).sort(byNumber)) visit(c, depth + 1);
  };
  for (const t of tracks.filter((x) => !x.parent || !slugs.has(x.parent)).sort(byNumber)) visit(t, 0);
  for (const t of [...tracks].sort(byNumber)) visit(t, 0); // parent cycles: still list them
  return out;
}

function listTracks(ctx: Ctx, repo: Repo, opts: { track?: string; status?: string; format: 'table' | 'json' }) {
  let rows = treeOrder(repo.tracks);
  if (opts.track) {
    const slugs = withDescendants(repo.tracks, findTrack(repo, opts.track).slug);
    rows = rows.filter((r) => slugs.has(r.track.slug));
  }
  if (opts.status) {
    const want = new Set(opts.status.split(',').map((s) => s.trim()));
    rows = rows.filter((r) => r.track.status !== undefined && want.has(r.track.status));
  }
  if (opts.format === 'json') {
    out(ctx, toJson(rows.map(({ track: t }) => ({ slug: t.slug, number: t.number ?? null, name: t.name ?? null, type: t.type ?? null, status: t.status ?? null, parent: t.parent ?? null, progress: trackProgress(repo, t.slug), path: t.path }))));
    return;
  }
  if (!rows.length) {
    err(ctx, 'No tracks yet. Create one with `tracks create` or run `tracks organize`.');
    return;
  }
  const table_ = [['TRACK', 'TYPE', 'STATUS', 'DONE', 'NAME'], ...rows.map(({ track: t, depth }) => {
    const p = trackProgress(repo, t.slug);
    return [`${'  '.repeat(depth)}${t.slug}`, t.type ?? '?', t.status ?? '?', `${p.done}/${p.total}`, t.name ?? ''];
  })];
  const lines = table(table_, ctx.io.columns);
  out(ctx, ctx.color.bold(lines[0]!));
  for (const l of lines.slice(1)) out(ctx, l);
}
