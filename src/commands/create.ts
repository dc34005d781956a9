import { Command } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { err, out } from '../cli/ctx.js';
import { openRepo } from '../cli/repo.js';
import { TracksError } from '../errors/index.js';
import { slugify, SLUG } from '../parse/entities.js';
import { nextColor, nextNumbers, renderTrackFile, trackPath } from '../core/track-file.js';
import { countsAgainstLimit, hintFor } from '../validate/rules.js';
import { TRACK_STATUSES } from '../model/types.js';
import { writeAndCommit } from './write.js';
import { isoSeconds } from '../core/time.js';


export default function create(ctx: Ctx): Command {
  return new Command('create')
    .description('Create a track file tracks/NNNN_TYPE_slug.md with the next free number.')
    .requiredOption('-n, --name <name>', 'human name, e.g. "Runner reliability"')
    .requiredOption('-T, --type <type>', 'track type, e.g. FEAT, EXP, FIX, REFACTOR')
    .option('-g, --goal <goal>', 'what the track is for, in one sentence')
    .option('-p, --parent <slug>', 'make it a sub-track of this track')
    .option('-s, --slug <slug>', 'slug (default: from the name)')
    .option('--status <status>', 'initial status', 'draft')
    .option('--experiment <name>', 'experiment this EXP track competes in')
    .option('--hypothesis <text>', 'what this experiment track is expected to show')
    .option('--no-commit', 'write the file but do not commit')
    .addHelpText(
      'after',
      `
Examples:
  $ tracks create --name "Runner reliability" --type FEAT --goal "Runs finish or fail loudly"
  $ tracks create -n "Retry budget" -T FIX --parent runner-reliability
  $ tracks create -n "Cache A" -T EXP --experiment cache --hypothesis "LRU halves p95"`,
    )
    .action(async (opts: { name: string; type: string; goal?: string; parent?: string; slug?: string; status: string; experiment?: string; hypothesis?: string; commit: boolean }) => {
      const root = ctx.root();
      const repo = await openRepo(ctx);
      const { config } = repo;
      const type = opts.type.toUpperCase();
      if (!config.trackTypes.includes(type)) {
        throw new TracksError('BAD_TYPE', `track type "${opts.type}" is not one of: ${config.trackTypes.join(', ')}`, { hint: 'Use a configured type, or add it to track_types in tracks.config.yaml.' });
      }
      if (!TRACK_STATUSES.includes(opts.status as never)) {
        throw new TracksError('BAD_STATUS', `status "${opts.status}" is not one of: ${TRACK_STATUSES.join(', ')}`);
      }
      const slug = opts.slug ?? slugify(opts.name);
      if (!slug || !SLUG.test(slug)) {
        throw new TracksError('BAD_SLUG', `"${opts.slug ?? opts.name}" does not make a valid slug`, { hint: 'Pass --slug with lowercase letters, digits and single hyphens.' });
      }
      if (repo.tracks.some((t) => t.slug === slug)) {
        throw new TracksError('TRACK_EXISTS', `a track "${slug}" already exists`, { hint: 'Choose another --slug or --name.' });
      }
      if (opts.parent && !repo.tracks.some((t) => t.slug === opts.parent)) {
        throw new TracksError('UNKNOWN_TRACK', `parent track "${opts.parent}" does not exist`, { hint: hintFor(opts.parent, repo.tracks.map((t) => t.slug)) });
      }
      const retired = opts.status === 'cancelled' || opts.status === 'archived';
      const top = repo.tracks.filter(countsAgainstLimit);
      if (!opts.parent && !retired && top.length >= config.topLevelLimit) {
        throw new TracksError('TOP_LEVEL_LIMIT', `there are already ${top.length} top-level tracks (limit ${config.topLevelLimit})`, {
          hint: `Make it a sub-track with --parent <slug> (one of: ${top.map((t) => t.slug).join(', ')}), or archive a track first.`,
        });
      }
      if (opts.experiment && type !== 'EXP') {
        throw new TracksError('BAD_TYPE', '--experiment needs --type EXP');
      }
      const [number] = nextNumbers(repo.tracks, 1);
      const path = trackPath(config.tracksDir, number!, type, slug);
      const content = renderTrackFile({
        slug,
        name: opts.name,
        type,
        goal: opts.goal ?? '',
        status: opts.status,
        parent: opts.parent ?? null,
        color: nextColor(repo.tracks),
        experiment: opts.experiment,
        hypothesis: opts.hypothesis ?? (type === 'EXP' && opts.experiment ? '' : undefined),
        now: isoSeconds(new Date()),
      });
      const r = await writeAndCommit(ctx, [{ path, content }], { commit: opts.commit, message: `tracks: create ${type} track ${slug}\n\n${opts.name}${opts.goal ? `: ${opts.goal}` : ''}\n` });
      out(ctx, path);
      err(ctx, `Created track ${slug}${r.commit ? ` (commit ${r.commit.slice(0, 7)})` : ' (not committed)'}.`);
    });
}
