import { Command, Option, InvalidArgumentError } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { amount } from '../cli/options.js';
import type { Repo } from '../model/types.js';
import type { Mode, Provider, ProviderName, Usage } from '../organize/types.js';
import type { Prompter } from '../term/prompter.js';
import type { Plan } from '../plan/types.js';
import { AbortedError, TracksError, isTracksError } from '../errors/index.js';
import { isoSeconds } from '../core/time.js';
import { plural } from '../render/plural.js';

export interface OrganizeOpts {
  mode?: Mode;
  provider?: ProviderName;
  model?: string;
  dryRun?: boolean;
  yes?: boolean;
  planOut?: string;
  commit: boolean;
  maxCost?: number;
  format: 'text' | 'json';
  /** Only when organize_threshold work orders have no track (scheduled runs). */
  ifDue?: boolean;
}


const say = (ctx: Ctx, s: string) => ctx.io.stderr(s + '\n');

const n = (x: number) => x.toLocaleString('en-US');

function usageLine(provider: string, u: Usage, rounds?: number): string {
  const tokens =
    u.requests && u.uncounted === u.requests
      ? 'the server reported no token counts'
      : `${n(u.inputTokens)} input + ${n(u.outputTokens)} output tokens (${n(u.cacheReadTokens)} read from cache${u.uncounted ? `; ${u.uncounted} request${u.uncounted === 1 ? '' : 's'} without counts` : ''})`;
  const cost = u.costUsd === null ? (u.costNote ?? 'cost unknown') : `about $${u.costUsd.toFixed(4)}${u.costNote ? ` (${u.costNote})` : ''}`;
  return `${provider}: ${u.requests} request${u.requests === 1 ? '' : 's'}, ${tokens}, ${cost}${rounds ? `; ${rounds} correction round${rounds === 1 ? '' : 's'}` : ''}.`;
}

/** Keeps an answer that failed validation for inspection, inside .git when there is one. */
async function saveRejected(gitDir: string | undefined, raw: unknown): Promise<string> {
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { writeOutputFile } = await import('../fs/output.js');
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw, null, 2);
  const path = join(gitDir ? join(gitDir, 'tracks') : join(tmpdir(), 'tracks'), 'rejected-proposal.json');
  writeOutputFile(path, text.endsWith('\n') ? text : text + '\n');
  return path;
}

/** The OpenAI-compatible server organize would use, and where that came from; undefined when none is configured. */
function openaiServer(ctx: Ctx, repo: Repo): { url: string; from: string } | undefined {
  const configured = repo.config.llm.baseUrl;
  if (configured) return { url: configured, from: 'llm.base_url' };
  const env = ctx.io.env.OPENAI_BASE_URL?.trim();
  return env ? { url: env, from: 'OPENAI_BASE_URL' } : undefined;
}

/** --provider, else llm.provider, else auto: Anthropic with a key, an OpenAI-compatible server with a base URL, else offline. */
function chooseProvider(ctx: Ctx, repo: Repo, asked: OrganizeOpts['provider']): ProviderName {
  const key = ctx.io.env.ANTHROPIC_API_KEY;
  const configured = repo.config.llm.provider;
  let name: ProviderName;
  if (asked || configured !== 'auto') name = asked ?? (configured as ProviderName);
  else if (key) {
    name = 'anthropic';
    say(ctx, 'Provider: anthropic (ANTHROPIC_API_KEY is set; choose another with --provider).');
  } else {
    const server = openaiServer(ctx, repo);
    name = server ? 'openai' : 'local';
    say(
      ctx,
      server
        ? `Provider: openai, the OpenAI-compatible server at ${server.url} (${server.from}; choose another with --provider).`
        : 'No ANTHROPIC_API_KEY and no llm.base_url or OPENAI_BASE_URL: using the offline organizer.',
    );
  }
  if (name === 'anthropic' && !key) {
    throw new TracksError('NO_API_KEY', `the anthropic provider needs ANTHROPIC_API_KEY in the environment${asked ? '' : ' (llm.provider is anthropic in tracks.config.yaml)'}`, {
      hint: 'Set ANTHROPIC_API_KEY, or use the offline organizer with --provider local.',
    });
  }
  return name;
}

export default function organize(ctx: Ctx): Command {
  return new Command('organize')
    .description('Propose tracks for the work orders (Claude, an OpenAI-compatible model, or the offline organizer), review each change, then write and commit.')
    .addOption(new Option('--mode <mode>', 'initial: no tracks yet; incremental: place work orders without a track; reorg: review everything').choices(['initial', 'incremental', 'reorg']))
    .addOption(
      new Option('--provider <provider>', 'who proposes (default: anthropic when ANTHROPIC_API_KEY is set, else openai when llm.base_url or OPENAI_BASE_URL is set, else local)').choices(['anthropic', 'openai', 'local']),
    )
    .option('--model <model>', 'model for the LLM provider (default: llm.model in the config)')
    .option('--dry-run', 'show the plan (with an LLM provider: the request size and estimated cost, without calling) and write nothing')
    .option('-y, --yes', 'apply without interactive review')
    .option('--plan-out <file>', 'save the plan as JSON instead of writing; apply it later with `tracks apply <file>`')
    .option('--no-commit', 'write the files but do not commit')
    .option('--if-due', 'do nothing (exit 0, one line) unless organize_threshold work orders have no track: for scheduled runs')
    .option('--max-cost <usd>', 'refuse to start LLM calls estimated to cost more than this', amount('an amount in USD, e.g. 0.50'))
    .addOption(new Option('--format <format>', 'output format (json: the plan, for scripts)').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ tracks organize                          mode from the repository; review every change
  $ tracks organize --mode reorg --dry-run   what a full reorganisation would change
  $ tracks organize --provider local --yes   offline, no review, one commit
  $ OPENAI_BASE_URL=http://localhost:11434/v1 tracks organize --model qwen2.5:14b
                                             a local model served by Ollama
  $ tracks organize --plan-out plan.json     save the plan; \`tracks apply plan.json\` later
  $ tracks organize --if-due --mode incremental --yes --no-commit
                                             on a schedule (CI): only when organize is due

Without a terminal, organize never prompts: pass --yes, --dry-run or --plan-out.
Ctrl-C at any prompt writes nothing (exit 130).`,
    )
    .action(async (opts: OrganizeOpts) => {
      await runOrganize(ctx, opts);
    });
}

/** The named provider, configured from the repository's llm settings (the MCP server's organize_propose makes it here too). */
export async function makeProvider(ctx: Ctx, repo: Repo, name: ProviderName, model: string | undefined): Promise<Provider> {
  if (name === 'local') return (await import('../organize/local.js')).createLocalProvider();
  const llm = repo.config.llm;
  const server = name === 'openai' ? openaiServer(ctx, repo) : undefined;
  const session = { maxTokens: llm.maxTokens, timeoutMs: llm.timeoutSeconds * 1000, requestTimeoutMs: llm.requestTimeoutSeconds * 1000 };
  return name === 'openai'
    ? (await import('../llm/openai.js')).createOpenAIProvider({ env: ctx.io.env, ...(model ? { model } : {}), ...(server ? { baseURL: server.url } : {}), ...session })
    : (await import('../llm/anthropic.js')).createAnthropicProvider({ env: ctx.io.env, model: model!, ...session });
}

/** The model organize asks for: --model, else llm.model (a Claude id means "the server's own" to an OpenAI-compatible server). */
export function modelFor(repo: Repo, name: ProviderName, asked: string | undefined): string | undefined {
  const llm = repo.config.llm;
  return asked ?? (name === 'openai' && llm.model.startsWith('claude-') ? undefined : llm.model);
}

/** Seams for tests: a provider object instead of the named one, a scripted prompter. */
export interface OrganizeDeps {
  provider?: Provider;
  prompter?: Prompter;
}

export async function runOrganize(ctx: Ctx, opts: OrganizeOpts, deps: OrganizeDeps = {}): Promise<void> {
  const { resolve } = await import('node:path');
  const { openRepo } = await import('../cli/repo.js');
  const change = await import('../cli/change.js');
  const { writeOutputFile } = await import('../fs/output.js');
  const { defaultMode, inScope, organizable } = await import('../organize/scope.js');
  const { validateProposal } = await import('../organize/validate.js');
  const { buildPlan } = await import('../plan/build.js');
  const { renderSummary, renderFiles, headline } = await import('../plan/render.js');
  const { planToJson } = await import('../plan/serialize.js');

  // The organizer's own working set is large: the work orders are held as records beside it.
  const repo = await openRepo(ctx, { compact: true });
  const json = opts.format === 'json';
  if (opts.ifDue) {
    const { unassigned } = await import('../organize/scope.js');
    const without = unassigned(repo).length;
    if (without < repo.config.organizeThreshold || without === 0) {
      if (json) ctx.io.stdout(JSON.stringify({ version: 1, due: false, unassigned: without, threshold: repo.config.organizeThreshold }) + '\n');
      say(ctx, `Organize is not due: ${plural(without, 'work order')} without a track, below organize_threshold (${repo.config.organizeThreshold}). No files changed.`);
      return;
    }
    say(ctx, `Organize is due: ${plural(without, 'work order')} without a track (organize_threshold: ${repo.config.organizeThreshold}).`);
  }
  const paint = json ? undefined : ctx.color;

  const auto = defaultMode(repo);
  const mode = opts.mode ?? auto.mode;
  if (mode === 'initial' && repo.tracks.length) {
    throw new TracksError('BAD_MODE', `--mode initial is for a repository without tracks, and this one has ${repo.tracks.length}`, {
      hint: 'Use --mode incremental to place work orders without a track, or --mode reorg to review the whole structure.',
    });
  }
  say(ctx, `Mode: ${mode}${opts.mode ? '' : ` (${auto.reason}; choose another with --mode)`}.`);
  const unreadable = repo.workOrders.length - organizable(repo).length;
  if (unreadable) say(ctx, `Skipping ${unreadable} work order${unreadable === 1 ? '' : 's'} without readable front matter, without an id, or with an id an earlier work order has (see \`tracks check\`).`);
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
  const needsTty = () =>
    new TracksError('NEEDS_TTY', 'organize reviews each change interactively, but this is not an interactive terminal', {
      hint: 'Pass --yes to apply without review, --dry-run to only show the plan, or --plan-out <file> to save it for `tracks apply`.',
    });
  const unreviewable = !ctx.io.interactive && !opts.yes && !opts.dryRun && !opts.planOut;
  // An LLM run costs money: refuse before calling. The offline organizer is free, so it first finds out whether there is anything to review.
  if (unreviewable && providerName !== 'local') throw needsTty();

  const llm = repo.config.llm;
  // llm.model names a Claude model by default; an OpenAI-compatible server then picks its own (see src/llm/openai.ts).
  const model = modelFor(repo, providerName, opts.model);
  const server = providerName === 'openai' ? openaiServer(ctx, repo) : undefined;
  if (providerName !== 'local' && opts.dryRun && !deps.provider) {
    const { estimateRequest } = await import('../llm/estimate.js');
    const { anthropicRates, openaiRates } = await import('../llm/pricing.js');
    const oa = await import('../llm/openai.js');
    const url = oa.openaiBaseURL(server?.url, ctx.io.env);
    const shown = providerName === 'openai' ? `${model ?? (oa.isOpenAIHost(url) ? oa.DEFAULT_OPENAI_MODEL : "the server's model")}${oa.isOpenAIHost(url) ? '' : ` at ${url}`}` : model!;
    const rates = providerName === 'anthropic' ? anthropicRates(model!) : oa.isOpenAIHost(url) ? openaiRates(model ?? oa.DEFAULT_OPENAI_MODEL) : { unknown: oa.unknownCost(url) };
    const est = estimateRequest(repo, mode, model ?? '', {}, rates);
    if (json) ctx.io.stdout(JSON.stringify({ mode, provider: providerName, model: model ?? null, ...(server ? { baseUrl: url } : {}), estimate: est }, null, 2) + '\n');
    else {
      const cost = est.costUsd === null ? `; ${est.costNote}` : `, estimated $${est.costUsd.toFixed(2)}`;
      ctx.io.stdout(
        `Dry run (${mode}, ${shown}): ${est.requests} request${est.requests === 1 ? '' : 's'}, about ${est.inputTokens.toLocaleString('en-US')} input and ${est.outputTokens.toLocaleString('en-US')} output tokens${cost}.\n`,
      );
      if (opts.maxCost !== undefined && est.costUsd !== null && est.costUsd > opts.maxCost) ctx.io.stdout(`That is over --max-cost $${opts.maxCost.toFixed(2)}: a real run would refuse to start.\n`);
      if (opts.maxCost !== undefined && est.costUsd === null) ctx.io.stdout(`--max-cost does not apply: ${est.costNote}.\n`);
    }
    say(ctx, 'Dry run: no request sent, no files changed.');
    return;
  }

  const provider = deps.provider ?? (await makeProvider(ctx, repo, providerName, model));

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
      ...(model ? { model } : {}),
      ...(opts.maxCost !== undefined ? { maxCostUsd: opts.maxCost } : {}),
    });
  } catch (e) {
    if (abort.signal.aborted) throw new AbortedError('Aborted: the request was cancelled. No files changed.');
    const spent = (e as { usage?: Usage }).usage;
    if (spent?.requests) say(ctx, usageLine(providerName, spent));
    const raw = (e as { raw?: unknown }).raw;
    if (isTracksError(e) && raw !== undefined) {
      const saved = await saveRejected(ctx.git()?.gitDir, raw);
      const msg = e.message.includes('\n') ? `${e.message}\nThe raw answer is saved in ${saved}.` : `${e.message.replace(/\.$/, '')}. The raw answer is saved in ${saved}.`;
      throw new TracksError(e.code, msg, { hint: e.hint, exitCode: e.exitCode, cause: e });
    }
    throw e;
  } finally {
    if (network) process.off('SIGINT', onSigint);
  }
  if (abort.signal.aborted) throw new AbortedError('Aborted. No files changed.');
  // The organizer's working set is garbage now: give it back before the plan is built and checked on top of it.
  // (For a small repository it is small, and collecting the whole heap would cost more than it gives back.)
  if (repo.workOrders.length >= 2000) (await import('../cli/memory.js')).collectGarbage();
  if (result.usage) say(ctx, usageLine(providerName, result.usage, result.rounds));
  // Every proposal is checked here too, whoever made it: nothing is written from an invalid one.
  const violations = validate(result.proposal);
  if (violations.length) {
    const saved = await saveRejected(ctx.git()?.gitDir, result.proposal);
    throw new TracksError('PROPOSAL_INVALID', `the ${providerName} proposal breaks ${violations.length} rule${violations.length === 1 ? '' : 's'}: ${violations.slice(0, 5).join(' ')}${violations.length > 5 ? ` (and ${violations.length - 5} more)` : ''} It is saved in ${saved}.`);
  }

  const { who } = await change.stamp(ctx);
  const readText = change.readText(ctx);
  const make = (proposal = result.proposal) => buildPlan({ repo, proposal, mode, readText, now: isoSeconds(new Date()), who, provider: providerName });
  let plan = make();
  if (plan.changes.length === 0) {
    if (json) ctx.io.stdout(planToJson(plan));
    say(ctx, 'Nothing to change: the proposal matches the repository. No files changed.');
    return;
  }
  if (unreviewable) throw needsTty();
  if (opts.dryRun) {
    change.checkPlan(ctx, plan, repo);
    ctx.io.stdout(json ? planToJson(plan) : renderSummary(plan, paint) + '\nFiles\n' + renderFiles(plan, paint));
    say(ctx, 'Dry run: no files changed.');
    return;
  }

  if (ctx.io.interactive && !opts.yes) {
    const { reviewPlan } = await import('../review/review.js');
    // With --format json, stdout carries only the plan: the conversation goes to stderr.
    const talk = json ? ctx.io.stderr : ctx.io.stdout;
    talk(renderSummary(plan, paint, { maxMoves: 5 }));
    const prompter = deps.prompter ?? (await (await import('../term/prompter.js')).inquirerPrompter(json ? { output: process.stderr } : {}));
    const files = (p: Plan) => plural(p.changes.length, 'file');
    // The review ends on the plan itself, checked against check's rules as apply will check it.
    const reviewed = await reviewPlan(repo, plan.proposal, mode, { prompter, print: talk, paint }, {
      plan: (p) => make(p),
      broken: (p) => change.planBreaks(ctx, p, repo),
      action: (p) => (opts.planOut ? `Save the plan (${files(p)}) to ${opts.planOut}` : `Write ${files(p)}${opts.commit ? ' and commit' : ''}`),
    });
    if (!reviewed) {
      say(ctx, 'No files changed.');
      return;
    }
    plan = reviewed;
  }

  if (opts.planOut) {
    change.checkPlan(ctx, plan, repo);
    writeOutputFile(resolve(ctx.cwd(), opts.planOut), planToJson(plan));
    if (json) ctx.io.stdout(planToJson(plan));
    else ctx.io.stdout(`${headline(plan)}\nPlan saved to ${opts.planOut}; apply it with: tracks apply ${opts.planOut}\n`);
    return;
  }
  if (opts.yes && !json) ctx.io.stdout(renderSummary(plan, paint, { maxMoves: 5 }));
  const outcome = await change.applyLater(ctx, plan, opts.commit);
  const paths = outcome.kind === 'committed' || outcome.kind === 'written' ? outcome.paths : [];
  if (json) ctx.io.stdout(planToJson({ ...plan, applied: { paths, commit: outcome.kind === 'committed' ? outcome.commit : null } } as typeof plan));
  else ctx.io.stdout(change.outcomeLine(outcome, plan) + '\n');
}
