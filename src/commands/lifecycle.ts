import { Command } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { changeOptions, lifecycleInput, report, runChange, type ChangeOpts } from '../cli/change.js';
import type { LifecyclePlan, PlanInput } from '../lifecycle/transition.js';
import { VERBS, VERB_NAMES, type Verb } from '../lifecycle/states.js';

type Opts = ChangeOpts & { reason?: string; force?: boolean };

async function runPlan(ctx: Ctx, make: (input: PlanInput, m: typeof import('../lifecycle/transition.js'), force: boolean) => LifecyclePlan, opts: Opts) {
  const m = await import('../lifecycle/transition.js');
  const { confirmForce } = await import('../cli/change.js');
  const { trackProgress } = await import('../core/tracks.js');
  const { describeCheckpoint, describeStep } = await import('../lifecycle/render.js');
  const applied = await confirmForce(ctx, opts, (force) => runChange(ctx, opts, (repo, s) => make(lifecycleInput(ctx, repo, s), m, force)));
  if (!applied) return;
  const { plan, repo } = applied;
  if (opts.format === 'json') {
    const { lifecycleExtra } = await import('../shapes/change.js');
    report(ctx, applied, opts, lifecycleExtra(plan, repo));
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
  report(ctx, applied, opts);
}

function verbCommand(ctx: Ctx, verb: Verb): Command {
  const rule = VERBS[verb];
  return changeOptions(
    new Command(verb)
      .description(`${rule.summary[0]!.toUpperCase()}${rule.summary.slice(1)}: ${rule.from.join('|')} → ${rule.to}.`)
      .argument('<track>', 'track slug or name')
      .option('-r, --reason <reason>', 'why (recorded in the track history and the commit message)')
      .option('--force', verb === 'complete' ? 'complete it even though some of its work orders are not done' : 'no effect (for scripts that pass it to every verb)'),
    'the track file',
  )
    .addHelpText(
      'after',
      `
Appends a history entry (when, from, to, who, reason${verb === 'pause' ? ', progress and commit' : ''}) to the
track file, sets status and updated_at, and commits exactly that file.${verb === 'start' || verb === 'resume' ? `
With single_active_track: true this refuses while another track is active; use \`tracks switch\`.` : ''}

Example:
  $ tracks ${verb} runner-reliability --reason "${verb === 'pause' ? 'waiting for API quota' : 'planned in weekly sync'}"`,
    )
    .action(async (slug: string, opts: Opts) => {
      await runPlan(ctx, (input, m, force) => m.planVerb(input, slug, verb, opts.reason, { force }), opts);
    });
}

export function switchCommand(ctx: Ctx): Command {
  return changeOptions(
    new Command('switch')
      .description('Pause the active track(s) and start or resume this one, in one commit.')
      .argument('<track>', 'track slug or name')
      .option('-r, --reason <reason>', 'why (recorded in every changed track history)'),
    'the track files',
  )
    .addHelpText('after', `\nExample:\n  $ tracks switch runner-reliability --reason "customer escalation"`)
    .action(async (slug: string, opts: Opts) => {
      await runPlan(ctx, (input, m) => m.planSwitch(input, slug, opts.reason), opts);
    });
}

export const lifecycleCommands = [...VERB_NAMES.map((v) => (ctx: Ctx) => verbCommand(ctx, v)), switchCommand];
