import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../cli/ctx.js';
import { err } from '../cli/ctx.js';
import { openRepo } from '../cli/repo.js';
import { findTrack, findWorkOrder } from '../core/tracks.js';
import { setFrontMatterKey } from '../parse/edit.js';
import { RETIRED_STATUSES, type Repo, type WorkOrder } from '../model/types.js';
import { TracksError } from '../errors/index.js';
import { sanitize } from '../render/sanitize.js';
import { writeAndCommit } from './write.js';
import type { FileWrite } from '../fs/atomic.js';

/** Resolves every reference first, so one bad id refuses the whole command. */
function resolveAll(repo: Repo, refs: string[]): WorkOrder[] {
  const found: WorkOrder[] = [];
  const missing: string[] = [];
  for (const r of refs) {
    try {
      found.push(findWorkOrder(repo, r));
    } catch (e) {
      if (e instanceof TracksError) missing.push(r);
      else throw e;
    }
  }
  if (missing.length) {
    if (missing.length === 1) findWorkOrder(repo, missing[0]!); // throws with a did-you-mean
    throw new TracksError('UNKNOWN_WORK_ORDER', `no work orders ${missing.join(', ')}`, { hint: 'Use ids from the front matter or file paths.' });
  }
  return [...new Map(found.map((w) => [w.path, w])).values()];
}

function editTrack(root: string, w: WorkOrder, value: string | string[] | undefined): FileWrite | undefined {
  const text = readFileSync(join(root, w.path), 'utf8');
  const next = setFrontMatterKey(text, 'track', value, w.path);
  return next === text ? undefined : { path: w.path, content: next };
}

const idList = (ws: WorkOrder[]) => (ws.length <= 5 ? sanitize(ws.map((w) => w.id ?? w.path).join(', ')) : `${ws.length} work orders`);

export default function assign(ctx: Ctx): Command {
  return new Command('assign')
    .description('Put work orders into a track (edits only their `track` key), then commit those files.')
    .argument('<work-orders...>', 'work-order ids (WO-2026-001) or file paths')
    .requiredOption('-t, --track <slug>', 'the track to assign them to')
    .option('--add', 'add the track to the work order\'s list instead of replacing it (needs multiple_tracks_per_work_order)')
    .option('--no-commit', 'write the files but do not commit')
    .addHelpText(
      'after',
      `
Examples:
  $ tracks assign WO-2026-001 WO-2026-002 --track runner-reliability
  $ tracks assign work_orders/WO-2026-003-foo.md -t economy --no-commit`,
    )
    .action(async (refs: string[], opts: { track: string; add?: boolean; commit: boolean }) => {
      const root = ctx.root();
      const repo = await openRepo(ctx);
      const t = findTrack(repo, opts.track);
      if (RETIRED_STATUSES.includes(t.status as never)) {
        throw new TracksError('TRACK_RETIRED', `track "${t.slug}" is ${t.status}`, { hint: 'Assign to a live track, or revive this one first.' });
      }
      if (opts.add && !repo.config.multipleTracksPerWorkOrder) {
        throw new TracksError('MULTIPLE_TRACKS_OFF', '--add needs multiple_tracks_per_work_order: true in tracks.config.yaml', { exitCode: 2 });
      }
      const wos = resolveAll(repo, refs);
      const writes: FileWrite[] = [];
      for (const w of wos) {
        const value = opts.add ? [...new Set([...w.tracks, t.slug])] : t.slug;
        const change = editTrack(root, w, Array.isArray(value) && value.length === 1 ? value[0] : value);
        if (change) writes.push(change);
      }
      if (!writes.length) {
        err(ctx, `Nothing to do: ${idList(wos)} already in ${sanitize(t.slug)}.`);
        return;
      }
      const changed = wos.filter((w) => writes.some((x) => x.path === w.path));
      const r = await writeAndCommit(ctx, writes, { commit: opts.commit, message: `tracks: assign ${idList(changed)} to ${t.slug}\n\n${changed.map((w) => `- ${w.id}: ${w.tracks.join(', ') || '(none)'} → ${t.slug}`).join('\n')}\n` });
      err(ctx, `Assigned ${idList(changed)} to ${sanitize(t.slug)}${r.commit ? ` (commit ${r.commit.slice(0, 7)})` : ' (not committed)'}.`);
    });
}

export function unassign(ctx: Ctx): Command {
  return new Command('unassign')
    .description('Remove work orders from their track (deletes only the `track` key), then commit those files.')
    .argument('<work-orders...>', 'work-order ids or file paths')
    .option('-t, --track <slug>', 'remove only this track (when work orders may have several)')
    .option('--no-commit', 'write the files but do not commit')
    .addHelpText('after', '\nExamples:\n  $ tracks unassign WO-2026-001\n  $ tracks unassign WO-2026-001 --track economy')
    .action(async (refs: string[], opts: { track?: string; commit: boolean }) => {
      const root = ctx.root();
      const repo = await openRepo(ctx);
      if (opts.track) findTrack(repo, opts.track);
      const wos = resolveAll(repo, refs);
      const writes: FileWrite[] = [];
      for (const w of wos) {
        let value: string | string[] | undefined;
        if (opts.track) {
          const rest = w.tracks.filter((s) => s !== opts.track);
          if (rest.length === w.tracks.length) continue;
          value = rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : rest;
        }
        const change = editTrack(root, w, value);
        if (change) writes.push(change);
      }
      if (!writes.length) {
        err(ctx, `Nothing to do: ${idList(wos)} ${opts.track ? `not in ${sanitize(opts.track)}` : 'have no track'}.`);
        return;
      }
      const changed = wos.filter((w) => writes.some((x) => x.path === w.path));
      const r = await writeAndCommit(ctx, writes, { commit: opts.commit, message: `tracks: unassign ${idList(changed)}${opts.track ? ` from ${opts.track}` : ''}\n` });
      err(ctx, `Unassigned ${idList(changed)}${r.commit ? ` (commit ${r.commit.slice(0, 7)})` : ' (not committed)'}.`);
    });
}
