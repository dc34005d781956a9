import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { out } from '../cli/ctx.js';
import { openRepo } from '../cli/repo.js';
import { findTrack, trackProgress, type Progress } from '../core/tracks.js';
import { groupByStatus, rolledUp, showShape } from '../shapes/show.js';
import { bar, pct, table } from '../render/text.js';
import { clean, sanitize, toJson } from '../render/sanitize.js';

function progressText(p: Progress): string {
  const parts = [`${p.done}/${p.total} done (${pct(p.ratio)})`];
  if (p.hoursRatio !== undefined) parts.push(`${fmtH(p.hoursDone)}/${fmtH(p.hoursTotal)} h (${pct(p.hoursRatio)}, ${p.estimated} estimated)`);
  return parts.join(' · ');
}
const fmtH = (h: number) => (Number.isInteger(h) ? String(h) : h.toFixed(1));

export default function show(ctx: Ctx): Command {
  return new Command('show')
    .description('Show one track: goal, status, parent and sub-tracks, its work orders by status, and progress.')
    .argument('<track>', 'track slug')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  $ tracks show runner-reliability\n  $ tracks show economy --format json')
    .action(async (slug: string, opts: { format: 'text' | 'json' }) => {
      const repo = await openRepo(ctx);
      const j = showShape(repo, slug);
      const t = findTrack(repo, j.slug);
      if (opts.format === 'json') {
        out(ctx, toJson(j));
        return;
      }
      const c = ctx.color;
      // Every value here comes from a file: sanitized before it is painted.
      const s_ = (v: string | undefined) => sanitize(v ?? '');
      out(ctx, `${c.bold(s_(t.name ?? t.slug))}  ${c.dim(s_(`${t.slug} · ${t.type ?? '?'} · ${t.status ?? '?'} · ${t.path}`))}`);
      if (t.goal) out(ctx, `${c.dim('Goal:')}     ${clean(t.goal, { multiline: true }).replace(/\n/g, '\n          ')}`);
      if (t.parent) out(ctx, `${c.dim('Parent:')}   ${s_(t.parent)}`);
      if (j.subTracks.length) {
        out(ctx, `${c.dim('Sub-tracks:')}`);
        for (const s of j.subTracks) out(ctx, `  ${s_(s.slug)}  ${c.dim(`${s_(s.status ?? '?')} · ${s.progress.done}/${s.progress.total} done`)}  ${s_(s.name ?? '')}`);
      }
      out(ctx, `${c.dim('Progress:')} ${c.green(bar(j.progress.ratio))} ${progressText(trackProgress(repo, t.slug))}${j.subTracks.length ? c.dim(' (with sub-tracks)') : ''}`);
      // A parent's sub-tracks' work is its work too: rolled up, each labelled with the sub-track it is in.
      const rolled = rolledUp(repo, t.slug);
      if (!rolled.length) {
        out(ctx, c.dim(`\nNo work orders in this track${j.subTracks.length ? ' or its sub-tracks' : ''} yet. Add some with \`tracks assign <id> --track ${s_(t.slug)}\`.`));
        return;
      }
      const where = new Map(rolled.map((r) => [r.w, r.track]));
      const subs = rolled.some((r) => r.track !== t.slug);
      for (const [status, ws] of groupByStatus(rolled.map((r) => r.w), repo)) {
        out(ctx, `\n${c.bold(s_(status))} ${c.dim(`(${ws.length})`)}`);
        const rows = ws.map((w) => [w.id ?? w.path, ...(subs ? [where.get(w) === t.slug ? '' : `↳ ${where.get(w)}`] : []), w.title ?? '']);
        for (const line of table(rows, ctx.io.columns - 2)) out(ctx, `  ${line}`);
      }
    });
}
