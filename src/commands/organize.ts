import { Command, Option, InvalidArgumentError } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import type { Repo } from '../model/types.js';
import type { Mode, Provider, Usage } from '../organize/types.js';
import type { Prompter } from '../term/prompter.js';
import { AbortedError, TracksError, isTracksError } from '../errors/index.js';
import { isoSeconds } from '../core/time.js';

export interface OrganizeOpts {
  mode?: Mode;
  provider?: 'anthropic' | 'local';
  model?: string;
  dryRun?: boolean;
  yes?: boolean;
  planOut?: string;
  commit: boolean;
  maxCost?: number;
  format: 'text' | 'json';
}


const say = (ctx: Ctx, s: string) => ctx.io.stderr(s + '\n');

const n = (x: number) => x.toLocaleString('en-US');

function usageLine(provider: string, u: Usage, rounds?: number): string {
  return `${provider}: ${u.requests} request${u.requests === 1 ? '' : 's'}, ${n(u.inputTokens)} input + ${n(u.outputTokens)} output tokens (${n(u.cacheReadTokens)} read from cache), about $${u.costUsd.toFixed(4)}${rounds ? `; ${rounds} correction round${rounds === 1 ? '' : 's'}` : ''}.`;
}

/** Keeps an answer that failed validation for inspection, inside .git when there is one. */
async function saveRejected(root: string, raw: unknown): Promise<string> {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw, null, 2);
  let dir: string;
  try {
    const { gitDir } = await import('../git/git.js');
    dir = join(await gitDir(root), 'tracks');
  } catch {
    dir = join(tmpdir(), 'tracks');
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'rejected-proposal.json');
  writeFileSync(path, text.endsWith('\n') ? text : text + '\n');
  return path;
}

function chooseProvider(ctx: Ctx, repo: Repo, asked: OrganizeOpts['provider']): 'anthropic' | 'local' {
  const key = ctx.io.env.ANTHROPIC_API_KEY;
  const configured = repo.config.llm.provider;
  const name = asked ?? (configured !== 'auto' ? configured : key ? 'anthropic' : 'local');
  if (!asked && configured === 'auto' && !key) say(ctx, 'No ANTHROPIC_API_KEY: using the offline organizer.');
  if (name === 'anthropic' && !key) {
    throw new TracksError('NO_API_KEY', `the anthropic provider needs ANTHROPIC_API_KEY in the environment${asked ? '' : ' (llm.provider is anthropic in tracks.config.yaml)'}`, {
      hint: 'Set ANTHROPIC_API_KEY, or use the offline organizer with --provider local. No files changed.',
      unchanged: true,
    });
  }
  return name;
}

export default function organize(ctx: Ctx): Command {
  return new Command('organize')
    .description('Propose tracks for the work orders (Claude, or the offline organizer), review each change, then write and commit.')
    .addOption(new Option('--mode <mode>', 'initial: no tracks yet; incremental: place work orders without a track; reorg: review everything').choices(['initial', 'incremental', 'reorg']))
    .addOption(new Option('--provider <provider>', 'who proposes (default: anthropic when ANTHROPIC_API_KEY is set, else local)').choices(['anthropic', 'local']))
    .option('--model <model>', 'model for the anthropic provider (default: llm.model in the config)')
    .option('--dry-run', 'show the plan (with anthropic: the request size and estimated cost, without calling) and write nothing')
    .option('-y, --yes', 'apply without interactive review')
    .option('--plan-out <file>', 'save the plan as JSON instead of writing; apply it later with `tracks apply <file>`')
    .option('--no-commit', 'write the files but do not commit')
    .option('--max-cost <usd>', 'refuse to start LLM calls estimated to cost more than this', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('--max-cost needs an amount in USD, e.g. 0.50');
      return n;
    })
    .addOption(new Option('--format <format>', 'output format (json: the plan, for scripts)').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ tracks organize                          mode from the repository; review every change
  $ tracks organize --mode reorg --dry-run   what a full reorganisation would change
  $ tracks organize --provider local --yes   offline, no review, one commit
  $ tracks organize --plan-out plan.json     save the plan; \`tracks apply plan.json\` later

Without a terminal, organize never prompts: pass --yes, --dry-run or --plan-out.
Ctrl-C at any prompt writes nothing (exit 130).`,
    )
    .action(async (opts: OrganizeOpts) => {
      await runOrganize(ctx, opts);
    });
}

/** Seams for tests: a provider object instead of the named one, a scripted prompter. */
export interface OrganizeDeps {
  provider?: Provider;
  prompter?: Prompter;
}

export async function runOrganize(ctx: Ctx, opts: OrganizeOpts, deps: OrganizeDeps = {}): Promise<void> {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { join, resolve } = await import('node:path');
  const { loadRepo } = await import('../fs/repo.js');
  const { defaultMode, inScope, organizable } = await import('../organize/scope.js');
  const { validateProposal } = await import('../organize/validate.js');
  const { buildPlan } = await import('../plan/build.js');
  const { renderSummary, renderFiles, commitMessage, headline } = await import('../plan/render.js');
  const { planToJson } = await import('../plan/serialize.js');
  const { applyPlan, resultLine } = await import('./apply.js');

  const root = ctx.root();
  const repo = await loadRepo(root);
  const configErrors = repo.configProblems.filter((d) => d.severity === 'error');
  if (configErrors.length) {
    const d = configErrors[0]!;
    throw new TracksError('CONFIG_INVALID', `the config has errors: ${d.message}`, { where: { file: d.file, line: d.line, col: d.col }, hint: 'Run `tracks check` to see them all. No files changed.', unchanged: true });
  }
  const json = opts.format === 'json';
  const paint = json ? undefined : ctx.color;

  const auto = defaultMode(repo);
  const mode = opts.mode ?? auto.mode;
  if (mode === 'initial' && repo.tracks.length) {
    throw new TracksError('BAD_MODE', `--mode initial is for a repository without tracks, and this one has ${repo.tracks.length}`, {
      hint: 'Use --mode incremental to place work orders without a track, or --mode reorg to review the whole structure.',
      unchanged: true,
    });
  }
  say(ctx, `Mode: ${mode}${opts.mode ? '' : ` (${auto.reason}; choose another with --mode)`}.`);
  const unreadable = repo.workOrders.length - organizable(repo).length;
  if (unreadable) say(ctx, `Skipping ${unreadable} work order${unreadable === 1 ? '' : 's'} without readable front matter or id (see \`tracks check\`).`);
  if (inScope(repo, mode).length === 0) {
    say(
      ctx,
      mode === 'incremental'
        ? 'Nothing to organize: every work order has a track. No files changed.'
        : organizable(repo).length
          ? 'Nothing to organize: every work order is in a finished track, which organize leaves as it is. No files changed.'
          : 'Nothing to organize: there are no work orders. No files changed.',
    );
    return;
  }
  const providerName = deps.provider ? deps.provider.name : chooseProvider(ctx, repo, opts.provider);
  if (!ctx.io.interactive && !opts.yes && !opts.dryRun && !opts.planOut) {
    throw new TracksError('NEEDS_TTY', 'organize reviews each change interactively, but this is not an interactive terminal', {
      hint: 'Pass --yes to apply without review, --dry-run to only show the plan, or --plan-out <file> to save it for `tracks apply`. No files changed.',
      unchanged: true,
    });
  }

  const model = opts.model ?? repo.config.llm.model;
  if (providerName === 'anthropic' && opts.dryRun) {
    const { estimateRequest } = await import('../llm/estimate.js' as string);
    const est = (await estimateRequest(repo, mode, model)) as { requests: number; inputTokens: number; outputTokens: number; costUsd: number };
    if (json) ctx.io.stdout(JSON.stringify({ mode, provider: providerName, model, estimate: est }, null, 2) + '\n');
    else {
      ctx.io.stdout(
        `Dry run (${mode}, ${model}): ${est.requests} request${est.requests === 1 ? '' : 's'}, about ${est.inputTokens.toLocaleString('en-US')} input and ${est.outputTokens.toLocaleString('en-US')} output tokens, estimated $${est.costUsd.toFixed(2)}.\n`,
      );
      if (opts.maxCost !== undefined && est.costUsd > opts.maxCost) ctx.io.stdout(`That is over --max-cost $${opts.maxCost.toFixed(2)}: a real run would refuse to start.\n`);
    }
    say(ctx, 'Dry run: no request sent, no files changed.');
    return;
  }

  let provider: Provider;
  if (deps.provider) provider = deps.provider;
  else if (providerName === 'local') {
    const { createLocalProvider } = await import('../organize/local.js');
    provider = createLocalProvider();
  } else {
    const mod = (await import('../llm/anthropic.js' as string)) as { createAnthropicProvider(o: { env: Record<string, string | undefined>; model: string; maxTokens: number }): Provider };
    provider = mod.createAnthropicProvider({ env: ctx.io.env, model, maxTokens: repo.config.llm.maxTokens });
  }

  // Ctrl-C during a network request aborts it. The offline organizer computes
  // without yielding, so there the default (the process ends, nothing written) is right.
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  const network = providerName !== 'local';
  if (network) process.once('SIGINT', onSigint);
  const validate = (c: unknown) => validateProposal(c, repo, mode);
  let result;
  try {
    result = await provider.propose(repo, {
      mode,
      validate,
      onProgress: (m) => say(ctx, m),
      signal: abort.signal,
      model,
      ...(opts.maxCost !== undefined ? { maxCostUsd: opts.maxCost } : {}),
    });
  } catch (e) {
    if (abort.signal.aborted) throw new AbortedError('Aborted: the request was cancelled. No files changed.');
    const spent = (e as { usage?: Usage }).usage;
    if (spent) say(ctx, usageLine(providerName, spent));
    const raw = (e as { raw?: unknown }).raw;
    if (isTracksError(e) && raw !== undefined) {
      const saved = await saveRejected(root, raw);
      const msg = e.message.includes('\n') ? `${e.message}\nThe raw answer is saved in ${saved}.` : `${e.message.replace(/\.$/, '')}. The raw answer is saved in ${saved}.`;
      throw new TracksError(e.code, msg, { hint: e.hint ?? 'No files changed.', exitCode: e.exitCode, unchanged: true, cause: e });
    }
    throw e;
  } finally {
    if (network) process.off('SIGINT', onSigint);
  }
  if (abort.signal.aborted) throw new AbortedError('Aborted. No files changed.');
  if (result.usage) say(ctx, usageLine(providerName, result.usage, result.rounds));
  // Every proposal is checked here too, whoever made it: nothing is written from an invalid one.
  const violations = validate(result.proposal);
  if (violations.length) {
    const saved = await saveRejected(root, result.proposal);
    throw new TracksError('PROPOSAL_INVALID', `the ${providerName} proposal breaks ${violations.length} rule${violations.length === 1 ? '' : 's'}: ${violations.slice(0, 5).join(' ')}${violations.length > 5 ? ` (and ${violations.length - 5} more)` : ''} It is saved in ${saved}.`, {
      hint: 'No files changed.',
      unchanged: true,
    });
  }

  const readText = (p: string) => readFileSync(join(root, p), 'utf8');
  const make = (proposal = result.proposal) => buildPlan({ repo, proposal, mode, readText, now: isoSeconds(new Date()), provider: providerName });
  let plan = make();
  if (plan.changes.length === 0) {
    if (json) ctx.io.stdout(planToJson(plan));
    say(ctx, 'Nothing to change: the proposal matches the repository. No files changed.');
    return;
  }
  if (opts.dryRun) {
    ctx.io.stdout(json ? planToJson(plan) : renderSummary(plan, paint) + '\nFiles\n' + renderFiles(plan, paint));
    say(ctx, 'Dry run: no files changed.');
    return;
  }

  if (ctx.io.interactive && !opts.yes) {
    const { reviewProposal } = await import('../review/review.js');
    // With --format json, stdout carries only the plan: the conversation goes to stderr.
    const talk = json ? ctx.io.stderr : ctx.io.stdout;
    talk(renderSummary(plan, paint, { maxMoves: 5 }));
    const prompter = deps.prompter ?? (await (await import('../term/prompter.js')).inquirerPrompter(json ? { output: process.stderr } : {}));
    const reviewed = await reviewProposal(repo, plan.proposal, mode, { prompter, print: talk, paint });
    plan = make(reviewed);
    if (plan.changes.length === 0) {
      say(ctx, 'Nothing accepted. No files changed.');
      return;
    }
    talk(`\n${headline(plan)}\n`);
    if (!opts.planOut) {
      const ok = await prompter.confirm({ message: `Write ${plan.changes.length} file${plan.changes.length === 1 ? '' : 's'}${opts.commit ? ' and commit' : ''}?`, default: true });
      if (!ok) {
        say(ctx, 'No files changed.');
        return;
      }
    }
  }

  if (opts.planOut) {
    const out = resolve(ctx.cwd(), opts.planOut);
    writeFileSync(out, planToJson(plan));
    if (json) ctx.io.stdout(planToJson(plan));
    else ctx.io.stdout(`${headline(plan)}\nPlan saved to ${opts.planOut}; apply it with: tracks apply ${opts.planOut}\n`);
    return;
  }
  if (opts.yes && !json) ctx.io.stdout(renderSummary(plan, paint, { maxMoves: 5 }));
  const message = commitMessage(plan);
  const applied = await applyPlan(root, plan, { commit: opts.commit, message });
  if (json) ctx.io.stdout(planToJson({ ...plan, applied: { paths: applied.paths, commit: applied.commit ?? null } } as typeof plan));
  else ctx.io.stdout(resultLine(applied, message) + '\n');
}
