import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import type { Repo } from '../model/types.js';
import type { LifecyclePlan, PlanInput } from '../lifecycle/transition.js';
import { VERBS, VERB_NAMES, type Verb } from '../lifecycle/states.js';

export interface ChangeOpts {
  reason?: string;
  commit: boolean;
  format: 'text' | 'json';
}

/** The shell's half of a plan: who, when, HEAD and file texts. */
export async function planInput(ctx: Ctx, repo: Repo): Promise<PlanInput> {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { headCommit, isRepo, userName } = await import('../git/git.js');
  const { isoSeconds } = await import('../lifecycle/history.js');
  const root = ctx.root();
  const inGit = await isRepo(root);
  const [who, head] = inGit ? await Promise.all([userName(root), headCommit(root)]) : [undefined, undefined];
  return {
    repo,
    stamp: { now: isoSeconds(new Date()), who },
    head,
    read: (p) => readFileSync(join(root, p), 'utf8'),
  };
}

export async function applyPlan(ctx: Ctx, plan: Pick<LifecyclePlan, 'changes' | 'message'>, opts: { commit: boolean }) {
  const { writeAndCommit } = await import('./write.js');
  const writes = plan.changes.filter((c) => c.after !== c.before).map((c) => ({ path: c.path, content: c.after }));
  return writeAndCommit(ctx, writes, { commit: opts.commit, message: plan.message });
}

function formatOption() {
  return new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
}

async function runPlan(ctx: Ctx, make: (input: PlanInput, m: typeof import('../lifecycle/transition.js')) => LifecyclePlan, opts: ChangeOpts) {
  const { openRepo } = await import('../cli/repo.js');
  const { trackProgress } = await import('../core/tracks.js');
  const { describeCheckpoint, describeStep } = await import('../lifecycle/render.js');
  const repo = await openRepo(ctx);
  const input = await planInput(ctx, repo);
  const plan = make(input, await import('../lifecycle/transition.js'));
  const { commit } = await applyPlan(ctx, plan, opts);
  if (opts.format === 'json') {
    const { progressJson } = await import('../core/progress.js');
    const now = plan.steps.map((s) => ({ track: s.slug, progress: progressJson(trackProgress(repo, s.slug)) }));
    ctx.io.stdout(
      JSON.stringify(
        { version: 1, steps: plan.steps.map((s) => ({ track: s.slug, verb: s.verb, ...s.entry })), checkpoint: plan.checkpoint ?? null, progressNow: now, files: plan.changes.map((c) => c.path), commit: commit ?? null },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  const c = ctx.color;
  for (const s of plan.steps) ctx.io.stdout(describeStep(s, c) + '\n');
  if (plan.checkpoint) {
    const resumed = plan.steps.find((s) => s.verb === 'resume')!;
    ctx.io.stdout(describeCheckpoint(plan.checkpoint, trackProgress(repo, resumed.slug), c) + '\n');
  } else if (plan.steps.some((s) => s.verb === 'resume')) {
    ctx.io.stdout(c.dim('  no checkpoint recorded for the last pause') + '\n');
  }
  const { sanitize } = await import('../render/sanitize.js');
  const paths = sanitize(plan.changes.map((x) => x.path).join(', '));
  ctx.io.stderr(commit ? c.dim(`committed ${commit.slice(0, 7)} (${paths})\n`) : c.dim(`wrote ${paths} (not committed)\n`));
}

function verbCommand(ctx: Ctx, verb: Verb): Command {
  const rule = VERBS[verb];
  return new Command(verb)
    .description(`${rule.summary[0]!.toUpperCase()}${rule.summary.slice(1)}: ${rule.from.join('|')} → ${rule.to}.`)
    .argument('<track>', 'track slug')
    .option('-r, --reason <reason>', 'why (recorded in the track history and the commit message)')
    .option('--no-commit', 'write the track file but do not commit it')
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Appends a history entry (when, from, to, who, reason${verb === 'pause' ? ', progress and commit' : ''}) to the
track file, sets status and updated_at, and commits exactly that file.${verb === 'start' || verb === 'resume' ? `
With single_active_track: true this refuses while another track is active; use \`tracks switch\`.` : ''}

Example:
  $ tracks ${verb} runner-reliability --reason "${verb === 'pause' ? 'waiting for API quota' : 'planned in weekly sync'}"`,
    )
    .action(async (slug: string, opts: ChangeOpts) => {
      await runPlan(ctx, (input, m) => m.planVerb(input, slug, verb, opts.reason), opts);
    });
}

export function switchCommand(ctx: Ctx): Command {
  return new Command('switch')
    .description('Pause the active track(s) and start or resume this one, in one commit.')
    .argument('<track>', 'track slug')
    .option('-r, --reason <reason>', 'why (recorded in every changed track history)')
    .option('--no-commit', 'write the track files but do not commit them')
    .addOption(formatOption())
    .addHelpText('after', `\nExample:\n  $ tracks switch runner-reliability --reason "customer escalation"`)
    .action(async (slug: string, opts: ChangeOpts) => {
      await runPlan(ctx, (input, m) => m.planSwitch(input, slug, opts.reason), opts);
    });
}

export const lifecycleCommands = [...VERB_NAMES.map((v) => (ctx: Ctx) => verbCommand(ctx, v)), switchCommand];
