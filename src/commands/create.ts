import { Command } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { out } from '../cli/ctx.js';
import { changeOptions, report, runChange, type ChangeOpts } from '../cli/change.js';
import { planCreate } from '../plan/create-track.js';
import type { Repo } from '../model/types.js';

/** Track numbers taken in every local branch and work tree, so two branches never add the same number. */
async function numbersElsewhere(ctx: Ctx, repo: Repo): Promise<number[]> {
  const { gitRepo } = await import('../cli/change.js');
  const g = gitRepo(ctx);
  if (!g) return [];
  const { readAcross, takenNumbers } = await import('../workspace/across.js');
  return takenNumbers(await readAcross(g, repo, { tracks: 'names' }));
}

export default function create(ctx: Ctx): Command {
  return changeOptions(
    new Command('create')
      .description('Create a track file tracks/NNNN_TYPE_slug.md with the next free number.')
      .requiredOption('-n, --name <name>', 'human name, e.g. "Runner reliability"')
      .requiredOption('-T, --type <type>', 'track type, e.g. FEAT, EXP, FIX, REFACTOR')
      .option('-g, --goal <goal>', 'what the track is for, in one sentence')
      .option('-p, --parent <track>', 'make it a sub-track of this track (slug or name)')
      .option('-s, --slug <slug>', 'slug (default: from the name)')
      .option('--status <status>', 'initial status', 'draft')
      .option('--experiment <name>', 'experiment this EXP track competes in')
      .option('--hypothesis <text>', 'what this experiment track is expected to show'),
    'the file',
  )
    .addHelpText(
      'after',
      `
Examples:
  $ tracks create --name "Runner reliability" --type FEAT --goal "Runs finish or fail loudly"
  $ tracks create -n "Retry budget" -T FIX --parent runner-reliability
  $ tracks create -n "Cache A" -T EXP --experiment cache --hypothesis "LRU halves p95"

The number is the next one free in every local branch and work tree of the repository
(read with git, nothing checked out), so tracks created on two branches do not collide.
Refused (nothing written) when the repository could not take the track: its slug is
taken, its parent is missing or retired, or a new top-level track would break the limit.`,
    )
    .action(async (opts: ChangeOpts & { name: string; type: string; goal?: string; parent?: string; slug?: string; status: string; experiment?: string; hypothesis?: string }) => {
      const applied = await runChange(ctx, opts, async (repo, s) => planCreate(repo, { ...opts, now: s.now, takenNumbers: await numbersElsewhere(ctx, repo) }));
      if (!applied) return;
      if (opts.format !== 'json') out(ctx, applied.plan.path);
      report(ctx, applied, opts, { track: applied.plan.slug, path: applied.plan.path });
    });
}
