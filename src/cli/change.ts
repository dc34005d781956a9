/**
 * The shell of every command that writes: the repository lock, loading the
 * repository under it, the command's pure planner, the one apply path, and
 * the flags every such command has (`--dry-run`, `--plan-out FILE`,
 * `--format json`, `--no-commit`). One place also prints the outcome, so the
 * message always states the repository's real state.
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Ctx } from './ctx.js';
import type { Diagnostic, Repo } from '../model/types.js';
import type { ChangePlan } from '../plan/types.js';
import type { PlanInput } from '../lifecycle/transition.js';
import { openRepo } from './repo.js';
import { loadRepo } from '../repo/load.js';
import { acquireLock, DEFAULT_WAIT_MS } from '../apply/lock.js';
import { applyChange, checkOnly, rulesBroken, type Outcome } from '../apply/apply.js';
import { changeInProgress, hasJournal } from '../apply/journal.js';
import { recoverInterrupted, recoveryFailed } from '../apply/recover.js';
import { head, userName, type GitRepo } from '../git/git.js';
import { isoSeconds } from '../core/time.js';
import { NO_CHANGES, TracksError } from '../errors/index.js';
import { planToJson } from '../plan/serialize.js';
import { writeOutputFile } from '../fs/output.js';
import { readTarget } from '../apply/files.js';
import { decode } from '../parse/document.js';

export interface ChangeOpts {
  commit: boolean;
  dryRun?: boolean;
  planOut?: string;
  format: 'text' | 'json';
}

/** What a planner may know of the world besides the repository: the clock, the git user, HEAD. */
export interface Stamp {
  now: string;
  who: string | undefined;
  head: string | undefined;
}

/** `--dry-run`, `--plan-out`, `--no-commit` and `--format`, the same on every command that writes. */
export function changeOptions(cmd: Command, what = 'the files'): Command {
  return cmd
    .option('--dry-run', `show what would change and write nothing`)
    .option('--plan-out <file>', 'save the change as a plan file instead of writing; apply it later with `tracks apply <file>`')
    .option('--no-commit', `write ${what} but do not commit`)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
}

export function gitRepo(ctx: Ctx): GitRepo | undefined {
  const g = ctx.git();
  return g ? { ...g, root: ctx.root() } : undefined;
}

function lockDir(ctx: Ctx): string {
  const g = ctx.git();
  return g ? join(g.commonDir, 'tracks') : join(tmpdir(), 'tracks-locks', createHash('sha1').update(ctx.root()).digest('hex').slice(0, 16));
}

const commandLine = (ctx: Ctx) => `tracks ${ctx.argv.join(' ')}`.slice(0, 200);

function lockWait(ctx: Ctx): number {
  const v = Number(ctx.io.env.TRACKS_LOCK_WAIT_MS);
  return Number.isFinite(v) && v >= 0 && ctx.io.env.TRACKS_LOCK_WAIT_MS !== undefined ? v : DEFAULT_WAIT_MS;
}

/** Runs `fn` holding the repository lock. */
export async function withLock<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  const release = await acquireLock({ dir: lockDir(ctx), command: commandLine(ctx), waitMs: lockWait(ctx), say: (l) => ctx.io.stderr(`${l}\n`) });
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** Before any command: finish or undo a change a killed tracks process left half applied, and say which. */
export async function recoverIfInterrupted(ctx: Ctx): Promise<void> {
  const g = gitRepo(ctx);
  if (!g || !hasJournal(g.gitDir)) return;
  // A change still being applied (by a live process, e.g. the one whose commit runs this hook) is not ours to touch.
  if (changeInProgress(g.gitDir)) return;
  await withLock(ctx, async () => {
    let lines: string[];
    try {
      lines = await recoverInterrupted(ctx.root(), g);
    } catch (e) {
      throw recoveryFailed(e, g.gitDir);
    }
    for (const l of lines) ctx.io.stderr(`${l}\n`);
  });
}

/** A planner's view of a file's current text (links and special files refused, as apply refuses them). */
export function readText(ctx: Ctx): (path: string) => string {
  return (path) => {
    const t = readTarget(ctx.root(), path);
    if (!t) throw new TracksError('PLAN_STALE', `${path} disappeared while the change was being planned`, { hint: 'Run the command again.' });
    return decode(t.bytes, path, []);
  };
}

/** What the lifecycle planners read besides the repository. */
export function lifecycleInput(ctx: Ctx, repo: Repo, s: Stamp): PlanInput {
  return { repo, stamp: { now: s.now, who: s.who }, head: s.head, read: readText(ctx) };
}

export async function stamp(ctx: Ctx): Promise<Stamp> {
  const g = gitRepo(ctx);
  const [who, h] = g ? await Promise.all([userName(g), head(g)]) : [undefined, undefined];
  return { now: isoSeconds(new Date()), who, head: h?.kind === 'commit' ? h.id : undefined };
}

export interface Applied<P extends ChangePlan> {
  plan: P;
  repo: Repo;
  outcome: Outcome | { kind: 'dry-run' } | { kind: 'plan-saved'; file: string };
}

/**
 * Plans and applies one change: under the lock for a real run (so the plan,
 * the rules and the write all see the same repository), without it for a dry
 * run or a saved plan. `make` returns undefined when there is nothing to do;
 * it may read more of the repository (other branches) under the lock first.
 */
export async function runChange<P extends ChangePlan>(
  ctx: Ctx,
  opts: ChangeOpts,
  make: (repo: Repo, stamp: Stamp) => P | undefined | Promise<P | undefined>,
  how: { setup?: boolean; after?: (applied: Applied<P>) => Promise<void> } = {},
): Promise<Applied<P> | undefined> {
  // `init` may replace a config that does not load; everything else needs one that does.
  const open = () => (how.setup ? loadRepo(ctx.root()) : openRepo(ctx));
  if (opts.dryRun || opts.planOut) {
    const repo = await open();
    const plan = await make(repo, await stamp(ctx));
    if (!plan) return undefined;
    return { plan, repo, outcome: await preview(ctx, plan, repo, opts) };
  }
  return withLock(ctx, async () => {
    const repo = await open();
    const plan = await make(repo, await stamp(ctx));
    if (!plan) return undefined;
    const applied: Applied<P> = { plan, repo, outcome: await apply(ctx, plan, repo, opts.commit) };
    // Steps that must follow the change before another writer runs (a claim's branch and work tree).
    await how.after?.(applied);
    return applied;
  });
}

/**
 * Runs a change that may need --force (completing a track with open work):
 * in a terminal the refusal becomes a question; elsewhere it stands.
 */
export async function confirmForce<T>(ctx: Ctx, opts: ChangeOpts & { force?: boolean }, run: (force: boolean) => Promise<T>): Promise<T> {
  try {
    return await run(Boolean(opts.force));
  } catch (e) {
    if (!(e instanceof TracksError) || e.code !== 'NEEDS_FORCE' || !ctx.io.interactive || opts.format === 'json') throw e;
    const { inquirerPrompter } = await import('../term/prompter.js');
    const ok = await (await inquirerPrompter()).confirm({ message: `${e.message[0]!.toUpperCase()}${e.message.slice(1)}. Go ahead anyway?`, default: false });
    if (!ok) throw e;
    return run(true);
  }
}

/** Applies a plan made earlier (organize after review, `tracks apply`): takes the lock, reloads, applies. */
export async function applyLater<P extends ChangePlan>(ctx: Ctx, plan: P, commit: boolean): Promise<Outcome> {
  return withLock(ctx, async () => apply(ctx, plan, await openRepo(ctx), commit));
}

function apply(ctx: Ctx, plan: ChangePlan, repo: Repo, commit: boolean): Promise<Outcome> {
  return applyChange(
    { root: ctx.root(), git: gitRepo(ctx), command: commandLine(ctx), say: (l) => ctx.io.stderr(`${l}\n`), crashAt: ctx.io.env.TRACKS_TEST_CRASH_AT, failWrite: ctx.io.env.TRACKS_TEST_FAIL_WRITE },
    { plan, repo, commit },
  );
}

/** The errors `tracks check` would report that the plan introduces (it throws for a plan apply would refuse for another reason). */
export function planBreaks(ctx: Ctx, plan: ChangePlan, repo: Repo): Diagnostic[] {
  return checkOnly(ctx.root(), plan, repo).introduced;
}

/** Checks a plan as applying would (kind, base files, the rules), writing nothing. */
export function checkPlan(ctx: Ctx, plan: ChangePlan, repo: Repo): void {
  const introduced = planBreaks(ctx, plan, repo);
  if (introduced.length) throw rulesBroken(introduced);
}

/** A dry run or a saved plan: checked exactly as applying would check it, nothing written. */
async function preview(ctx: Ctx, plan: ChangePlan, repo: Repo, opts: ChangeOpts): Promise<Applied<ChangePlan>['outcome']> {
  checkPlan(ctx, plan, repo);
  if (opts.planOut) {
    const file = resolve(ctx.cwd(), opts.planOut);
    writeOutputFile(file, planToJson(plan));
    return { kind: 'plan-saved', file: opts.planOut };
  }
  return { kind: 'dry-run' };
}

/** What a plan would do to each file, one line each. */
export function describeChanges(plan: ChangePlan): string {
  const lines = plan.changes.map((c) => {
    switch (c.action) {
      case 'set-key':
        return `M ${c.path}  ${c.key}: ${c.value === null ? '(removed)' : Array.isArray(c.value) ? `[${c.value.join(', ')}]` : c.value}`;
      case 'create':
        return `A ${c.path}`;
      case 'update':
        return `M ${c.path}`;
      case 'delete':
        return `D ${c.path}`;
    }
  });
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** The one line (stderr) that says what happened to the repository. */
export function outcomeLine(o: Applied<ChangePlan>['outcome'], plan: ChangePlan): string {
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  switch (o.kind) {
    case 'nothing':
      return `Nothing to change. ${NO_CHANGES}`;
    case 'dry-run':
      return `Dry run: ${files(plan.changes.length)} would change. ${NO_CHANGES}`;
    case 'plan-saved':
      return `Plan saved to ${o.file}; apply it with \`tracks apply ${o.file}\`. ${NO_CHANGES}`;
    case 'written':
      return `Wrote ${files(o.paths.length)} (not committed): ${o.paths.slice(0, 5).join(', ')}${o.paths.length > 5 ? ', …' : ''}.`;
    case 'committed':
      return `Committed ${o.commit.slice(0, 7)} "${plan.message.split('\n')[0]}" (${files(o.paths.length)}).`;
  }
}

/** The JSON every writing command prints with --format json (and the MCP write tools answer). */
export function outcomeShape(o: Applied<ChangePlan>['outcome'], plan: ChangePlan, extra: Record<string, unknown> = {}) {
  return {
    version: 1 as const,
    kind: plan.kind,
    outcome: o.kind,
    commit: o.kind === 'committed' ? o.commit : null,
    files: o.kind === 'committed' || o.kind === 'written' ? o.paths : plan.changes.map((c) => c.path),
    message: plan.message,
    ...(o.kind === 'plan-saved' ? { planFile: o.file } : {}),
    ...(o.kind === 'dry-run' ? { plan } : {}),
    ...extra,
  };
}

export function outcomeJson(o: Applied<ChangePlan>['outcome'], plan: ChangePlan, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(outcomeShape(o, plan, extra), null, 2) + '\n';
}

/** Prints the outcome the standard way; commands add their own lines before it. */
export function report(ctx: Ctx, applied: Applied<ChangePlan>, opts: ChangeOpts, extra: Record<string, unknown> = {}): void {
  if (opts.format === 'json') ctx.io.stdout(outcomeJson(applied.outcome, applied.plan, extra));
  else if (applied.outcome.kind === 'dry-run') ctx.io.stdout(describeChanges(applied.plan));
  ctx.io.stderr(`${outcomeLine(applied.outcome, applied.plan)}\n`);
}

export { TracksError };
