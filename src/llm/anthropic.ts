/**
 * The Anthropic provider: the only module that talks to the Messages API (the
 * SDK is imported lazily, inside propose). It sends what src/context builds,
 * asks for schema-shaped JSON through `output_config.format`, hands every
 * answer to the engine's validator and sends violations back for a bounded
 * number of correction rounds. It never writes files and never prints the key.
 *
 * Retries are our own loop with the SDK's set to 0: the SDK sleeps silently
 * for whatever `retry-after` says (no upper bound), while a person at a
 * terminal should see "rate limited; retrying in 4s (2/3)" and a hook or CI
 * run should fail rather than sleep for minutes.
 */
import type { Message, MessageCreateParamsNonStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { checkChunk, trackPlanViolations } from '../llm-request/checks.js';
import {
  buildContext,
  chunkRequest,
  decidedTracks,
  phase1Request,
  planEstimate,
  singleRequest,
  type BuildOptions,
  type OrganizeContext,
  type RequestSpec,
} from '../llm-request/build.js';
import { correctionMessage } from '../llm-request/prompt.js';
import { SAFETY, estimateTokens } from '../llm-request/tokens.js';
import { parseAnswer, toProposal, type Decoded } from '../llm-request/wire.js';
import { AbortedError, TracksError, type ErrorCode } from '../errors/index.js';
import type { Repo } from '../model/types.js';
import type { Proposal, ProposeOptions, Provider, ProviderResult, Usage } from '../organize/types.js';
import { costUsd, priceOf } from './pricing.js';

export interface AnthropicProviderOptions {
  env: Record<string, string | undefined>;
  model: string;
  maxTokens: number;
  /** Retries after the first attempt on 429/5xx/529/connection errors/timeouts. */
  maxRetries?: number;
  /** Per attempt, covering the whole answer (streamed or not). */
  timeoutMs?: number;
  baseURL?: string;
  /** Correction rounds after a rejected answer, per conversation. */
  maxRounds?: number;
  /** First backoff step when the API gives no retry-after (tests shrink it). */
  retryBaseMs?: number;
  /** Longest retry-after we wait out; a longer one fails the run with a hint. */
  maxRetryWaitMs?: number;
  /** Context-builder knobs (budgets); tests use them to force two phases. */
  build?: Partial<BuildOptions>;
}

/** Above this max_tokens the SDK refuses non-streaming calls (60 min × max_tokens / 128k > 10 min). */
export const STREAM_ABOVE = 21_333;
const DEFAULT_ROUNDS = 2;

/** A TracksError that carries what the model answered (the command saves it) and the tokens spent. */
export class LlmError extends TracksError {
  raw?: string;
  usage?: Usage;
}

export function createAnthropicProvider(opts: AnthropicProviderOptions): Provider {
  return {
    name: 'anthropic',
    propose: (repo, po) => new Session(opts, po).run(repo),
  };
}

type Sdk = typeof import('@anthropic-ai/sdk');
type Client = InstanceType<Sdk['default']>;

interface Conversation {
  spec: RequestSpec;
  messages: MessageParam[];
  text: string;
  value?: NonNullable<Decoded['value']>;
}

class Session {
  private readonly key: string;
  private readonly model: string;
  private readonly progress: (m: string) => void;
  private sdk!: Sdk;
  private client!: Client;
  private toWire!: (schema: Record<string, unknown>) => Record<string, unknown>;
  private usage: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, requests: 0 };
  private rounds = 0;

  constructor(
    private readonly opts: AnthropicProviderOptions,
    private readonly po: ProposeOptions,
  ) {
    this.key = opts.env.ANTHROPIC_API_KEY?.trim() ?? '';
    this.model = po.model ?? opts.model;
    this.progress = (m) => po.onProgress?.(this.scrub(m));
  }

  /** Defence in depth: nothing we print or throw may contain the key, whatever an upstream message says. */
  private scrub(s: string): string {
    return this.key.length >= 4 ? s.split(this.key).join('[redacted]') : s;
  }

  private fail(code: ErrorCode, message: string, extra: { hint?: string; raw?: string; cause?: unknown } = {}): LlmError {
    const e = new LlmError(code, this.scrub(message), { hint: extra.hint && this.scrub(extra.hint), cause: extra.cause });
    if (extra.raw !== undefined) e.raw = this.scrub(extra.raw);
    e.usage = { ...this.usage };
    return e;
  }

  async run(repo: Repo): Promise<ProviderResult> {
    if (!this.key)
      throw new TracksError('NO_API_KEY', 'ANTHROPIC_API_KEY is not set, so the anthropic provider cannot run.', {
        hint: 'Export ANTHROPIC_API_KEY, or use the offline organizer with --provider local.',
      });
    const ctx = buildContext(repo, this.po.mode, { maxOutputTokens: this.opts.maxTokens, ...this.opts.build });
    if (!ctx.targets.length) return { proposal: { tracks: [], assignments: [] }, usage: this.usage, rounds: 0 };
    this.guardPlan(ctx);
    await this.connect();
    const proposal = ctx.strategy === 'single' ? await this.runSingle(ctx) : await this.runTwoPhase(ctx);
    return { proposal, usage: { ...this.usage }, rounds: this.rounds };
  }

  private guardPlan(ctx: OrganizeContext) {
    const max = this.po.maxCostUsd;
    if (max === undefined) return;
    const e = planEstimate(ctx);
    const usd = costUsd(this.model, { inputTokens: Math.ceil(e.inputTokens * SAFETY), outputTokens: Math.ceil(e.outputTokens * SAFETY) });
    if (usd > max)
      throw new TracksError(
        'LLM_MAX_COST',
        `The estimated cost, $${usd.toFixed(4)} for ${e.requests} request${e.requests === 1 ? '' : 's'} (~${fmt(e.inputTokens)} input and ~${fmt(e.outputTokens)} output tokens with ${this.model}), exceeds --max-cost $${max}. Nothing was sent.`,
        { hint: `Raise --max-cost, choose a cheaper model with --model, or see the size first with --dry-run.${priceOf(this.model).known ? '' : ` ${this.model} is not in the price table, so the dearest known price was assumed.`}` },
      );
  }

  private async connect() {
    this.sdk = await import('@anthropic-ai/sdk');
    const { jsonSchemaOutputFormat } = await import('@anthropic-ai/sdk/helpers/json-schema');
    // The SDK moves constraints the API cannot enforce (pattern, maxLength…) into descriptions; the validator checks them.
    this.toWire = (schema) => {
      const { $id: _id, $schema: _s, ...rest } = schema;
      return jsonSchemaOutputFormat(rest as never).schema as Record<string, unknown>;
    };
    const quiet = () => {};
    this.client = new this.sdk.default({
      apiKey: this.key,
      baseURL: this.opts.baseURL ?? (this.opts.env.ANTHROPIC_BASE_URL || undefined) ?? 'https://api.anthropic.com',
      maxRetries: 0,
      timeout: this.timeoutMs(),
      logLevel: 'warn',
      // SDK warnings (deprecated model…) go to our progress channel, not straight to the console.
      logger: { error: (m: string) => this.progress(`anthropic: ${m}`), warn: (m: string) => this.progress(`anthropic: ${m}`), info: quiet, debug: quiet },
    });
  }

  private timeoutMs(): number {
    return this.opts.timeoutMs ?? Math.max(600_000, Math.ceil((3_600_000 * this.opts.maxTokens) / 128_000));
  }

  private async runSingle(ctx: OrganizeContext): Promise<Proposal> {
    const spec = singleRequest(ctx);
    this.progress(`anthropic: asking ${this.model} to organize ${ctx.targets.length} work orders (~${fmt(spec.estInputTokens)} input tokens)…`);
    const conv = await this.converse(spec, (d) => {
      if (!d.value) return d.violations;
      return this.po.validate(toProposal(d.value, ctx.codec));
    });
    return toProposal(conv.value!, ctx.codec);
  }

  private async runTwoPhase(ctx: OrganizeContext): Promise<Proposal> {
    const n = ctx.chunks.length;
    const p1 = phase1Request(ctx);
    this.progress(`anthropic: ${ctx.targets.length} work orders are too many for one request; step 1 of 2: proposing tracks from statistics and a sample (~${fmt(p1.estInputTokens)} input tokens)…`);
    const targetIds = new Set(ctx.targets.map((w) => w.id!));
    const plan = await this.converse(p1, (d) => {
      if (!d.value) return d.violations;
      const tracks = toProposal({ ...d.value, assign: [] }, ctx.codec);
      const live = decidedTracks(ctx.repo, tracks).length;
      return trackPlanViolations(this.po.validate(tracks), targetIds, live);
    });
    const v1 = plan.value!;
    const decided = decidedTracks(ctx.repo, toProposal(v1, ctx.codec));
    const slugs = new Set(decided.map((t) => t.slug));
    const convs: Conversation[] = [];
    for (let i = 0; i < n; i++) {
      const spec = chunkRequest(ctx, ctx.chunks[i]!, decided, i, n);
      this.progress(`anthropic: step 2 of 2: placing chunk ${i + 1}/${n} (${spec.workOrders.length} work orders)…`);
      const ids = spec.workOrders.map((w) => w.id!);
      convs.push(
        await this.converse(spec, (d) => (d.value ? checkChunk(ctx.codec, ids, d.value.assign, slugs, ctx.repo.config.multipleTracksPerWorkOrder) : d.violations)),
      );
    }
    const assemble = (): Proposal => toProposal({ ...v1, assign: convs.flatMap((c) => c.value!.assign) }, ctx.codec);
    let proposal = assemble();
    let violations = this.po.validate(proposal);
    // The engine's verdict on the whole: send each chunk the violations that name its work orders.
    for (let round = 0; violations.length && round < this.maxRounds(); round++) {
      const routed = convs.map((c) => violations.filter((v) => c.spec.workOrders.some((w) => mentions(v, w.id!))));
      if (routed.every((r) => !r.length)) break;
      for (let i = 0; i < n; i++) {
        if (!routed[i]!.length) continue;
        const c = convs[i]!;
        const ids = c.spec.workOrders.map((w) => w.id!);
        this.progress(`anthropic: chunk ${i + 1}/${n} has ${routed[i]!.length} problem(s); asking for a correction…`);
        await this.correct(c, routed[i]!, (d) => (d.value ? checkChunk(ctx.codec, ids, d.value.assign, slugs, ctx.repo.config.multipleTracksPerWorkOrder) : d.violations));
      }
      proposal = assemble();
      violations = this.po.validate(proposal);
    }
    if (violations.length)
      throw this.invalid(violations, JSON.stringify({ phase1: plan.text, chunks: convs.map((c) => c.text) }, null, 2));
    return proposal;
  }

  private maxRounds(): number {
    return this.opts.maxRounds ?? DEFAULT_ROUNDS;
  }

  private invalid(violations: string[], raw: string): LlmError {
    const shown = violations.slice(0, 20).map((v) => `  - ${v}`);
    if (violations.length > 20) shown.push(`  … and ${violations.length - 20} more`);
    return this.fail('LLM_INVALID_PROPOSAL', `The model's proposal is still invalid after ${this.maxRounds()} correction round(s):\n${shown.join('\n')}`, {
      hint: 'Nothing was written. The raw answer is kept for inspection; try again, try another model with --model, or use --provider local.',
      raw,
    });
  }

  /** One request plus up to maxRounds corrections, until `check` finds nothing. */
  private async converse(spec: RequestSpec, check: (d: Decoded) => string[]): Promise<Conversation> {
    const conv: Conversation = {
      spec,
      // The data block is the large, stable part of the first turn: cache it so correction rounds re-read it cheaply.
      messages: [{ role: 'user', content: [{ type: 'text', text: spec.user, cache_control: { type: 'ephemeral' } }] }],
      text: '',
    };
    await this.ask(conv);
    let violations = this.judge(conv, check);
    for (let round = 1; violations.length; round++) {
      if (round > this.maxRounds()) throw this.invalid(violations, conv.text);
      this.progress(`anthropic: the answer has ${violations.length} problem(s); asking for a correction (round ${round}/${this.maxRounds()})…`);
      violations = await this.correct(conv, violations, check);
    }
    return conv;
  }

  private async correct(conv: Conversation, violations: string[], check: (d: Decoded) => string[]): Promise<string[]> {
    this.rounds++;
    conv.messages.push({ role: 'assistant', content: conv.text || '(empty answer)' }, { role: 'user', content: correctionMessage(violations, conv.spec.kind) });
    await this.ask(conv);
    return this.judge(conv, check);
  }

  private judge(conv: Conversation, check: (d: Decoded) => string[]): string[] {
    const d = parseAnswer(conv.text, conv.spec.kind);
    conv.value = d.value;
    return d.value ? check(d) : d.violations;
  }

  private async ask(conv: Conversation) {
    const { spec } = conv;
    const params: MessageCreateParamsNonStreaming = {
      model: this.model,
      max_tokens: this.opts.maxTokens,
      system: spec.system.map((text) => ({ type: 'text' as const, text, cache_control: { type: 'ephemeral' as const } })),
      messages: conv.messages,
      output_config: { format: { type: 'json_schema', schema: this.toWire(spec.schema) } },
    };
    this.guardNext(params, spec);
    const msg = await this.send(params);
    this.count(msg);
    const text = msg.content
      .filter((b): b is Extract<typeof b, { type: 'text' }> => b.type === 'text')
      .map((b) => b.text)
      .join('');
    if (msg.stop_reason === 'max_tokens')
      throw this.fail('LLM_TRUNCATED', `The answer was cut off at max_tokens (${this.opts.maxTokens}); ${msg.usage.output_tokens} output tokens were used.`, {
        hint: 'Nothing was written. Raise llm.max_tokens in tracks.config.yaml (the current models allow up to 128000).',
        raw: text,
      });
    if (msg.stop_reason === 'refusal') {
      const d = msg.stop_details;
      throw this.fail('LLM_REFUSED', `The model declined to answer${d?.category ? ` (category: ${d.category})` : ''}${d?.explanation ? `: ${d.explanation}` : '.'}`, {
        hint: 'Nothing was written. Try another model with --model, or the offline organizer with --provider local.',
        raw: text,
      });
    }
    if (msg.stop_reason === 'model_context_window_exceeded')
      throw this.fail('LLM_CONTEXT_EXCEEDED', "The request did not fit the model's context window.", {
        hint: 'Nothing was written. Try a model with a larger context, or organize incrementally.',
      });
    if (msg.stop_reason !== 'end_turn' && msg.stop_reason !== 'stop_sequence')
      throw this.fail('LLM_UNEXPECTED_STOP', `The model stopped with "${msg.stop_reason}" instead of finishing its answer.`, { raw: text });
    conv.text = text;
  }

  private count(msg: Message) {
    const u = msg.usage;
    this.usage.requests++;
    this.usage.inputTokens += u.input_tokens ?? 0;
    this.usage.outputTokens += u.output_tokens ?? 0;
    this.usage.cacheReadTokens += u.cache_read_input_tokens ?? 0;
    this.usage.cacheWriteTokens += u.cache_creation_input_tokens ?? 0;
    this.usage.costUsd = costUsd(this.model, this.usage);
  }

  /** --max-cost also bounds what correction rounds and later chunks add. */
  private guardNext(params: MessageCreateParamsNonStreaming, spec: RequestSpec) {
    const max = this.po.maxCostUsd;
    if (max === undefined) return;
    const input = estimateTokens(JSON.stringify(params.system) + JSON.stringify(params.messages)) + estimateTokens(JSON.stringify(spec.schema));
    const next = costUsd(this.model, { inputTokens: Math.ceil(input * SAFETY), outputTokens: Math.ceil(spec.estOutputTokens * SAFETY) });
    if (this.usage.costUsd + next > max)
      throw this.fail(
        'LLM_MAX_COST',
        `Stopping before request ${this.usage.requests + 1}: $${this.usage.costUsd.toFixed(4)} spent so far plus ~$${next.toFixed(4)} for the next request would exceed --max-cost $${max}.`,
        { hint: 'Nothing was written. Raise --max-cost to let the run finish.' },
      );
  }

  private async send(params: MessageCreateParamsNonStreaming): Promise<Message> {
    const max = this.opts.maxRetries ?? 2;
    const signal = this.po.signal;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new AbortedError('Aborted before the request was sent. No files changed.');
      const ac = new AbortController();
      const onAbort = () => ac.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        ac.abort();
      }, this.timeoutMs());
      try {
        const options = { signal: ac.signal, timeout: this.timeoutMs(), maxRetries: 0 };
        return params.max_tokens > STREAM_ABOVE
          ? await this.client.messages.stream(params, options).finalMessage()
          : await this.client.messages.create(params, options);
      } catch (e) {
        if (signal?.aborted) throw new AbortedError('Aborted; the request was cancelled. No files changed.');
        const why = this.describe(e, timedOut);
        if (!why.retry || attempt >= max) throw this.finalError(e, why.text, attempt + 1, timedOut);
        const wait = this.retryDelay(e, attempt);
        if (wait > (this.opts.maxRetryWaitMs ?? 60_000))
          throw this.fail('LLM_RATE_LIMITED', `Anthropic API: ${why.text}, and it asks to wait ${Math.ceil(wait / 1000)}s before retrying.`, {
            hint: 'Nothing was written. Run again later.',
            cause: e,
          });
        this.progress(`anthropic: ${why.text}; retrying in ${seconds(wait)} (attempt ${attempt + 2}/${max + 1})…`);
        await sleep(wait, signal);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  private describe(e: unknown, timedOut: boolean): { text: string; retry: boolean } {
    const { APIError, APIConnectionError, APIConnectionTimeoutError } = this.sdk;
    if (timedOut || e instanceof APIConnectionTimeoutError) return { text: `no answer within ${seconds(this.timeoutMs())}`, retry: true };
    if (e instanceof APIConnectionError) return { text: 'could not connect', retry: true };
    if (e instanceof APIError && typeof e.status === 'number') {
      const s = e.status;
      const header = e.headers?.get('x-should-retry');
      const retry = header === 'true' ? true : header === 'false' ? false : s === 408 || s === 409 || s === 429 || s >= 500;
      const text = s === 429 ? 'rate limited (429)' : s === 529 ? 'overloaded (529)' : s >= 500 ? `server error (${s})` : `HTTP ${s}`;
      return { text, retry };
    }
    // An error event inside a stream has no HTTP status, only the error type.
    if (e instanceof APIError && (e.type === 'overloaded_error' || e.type === 'api_error' || e.type === 'rate_limit_error'))
      return { text: `${e.type === 'overloaded_error' ? 'overloaded' : e.type === 'rate_limit_error' ? 'rate limited' : 'server error'} during the stream`, retry: true };
    return { text: e instanceof Error ? e.message : String(e), retry: false };
  }

  private retryDelay(e: unknown, attempt: number): number {
    const h = e instanceof this.sdk.APIError ? e.headers : undefined;
    const ms = Number(h?.get('retry-after-ms'));
    if (h?.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
    const ra = h?.get('retry-after');
    if (ra) {
      const s = Number(ra);
      if (Number.isFinite(s) && s >= 0) return s * 1000;
      const at = Date.parse(ra);
      if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
    }
    const base = this.opts.retryBaseMs ?? 500;
    return Math.min(base * 2 ** attempt, 8_000) * (1 - Math.random() * 0.25);
  }

  private finalError(e: unknown, why: string, attempts: number, timedOut: boolean): LlmError {
    const { APIError, APIConnectionError } = this.sdk;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const noWrite = 'Nothing was written.';
    if (timedOut) return this.fail('LLM_TIMEOUT', `Anthropic API: ${why}${tries}.`, { hint: `${noWrite} Try again; large repositories take longer.`, cause: e });
    if (e instanceof APIConnectionError)
      return this.fail('LLM_CONNECTION', `Anthropic API: ${why}${tries} (${this.client.baseURL}).`, { hint: `${noWrite} Check the network, a proxy, or ANTHROPIC_BASE_URL.`, cause: e });
    if (e instanceof APIError && typeof e.status === 'number') {
      const detail = `${e.apiMessage ? `: ${e.apiMessage}` : ''}${e.requestID ? ` (request id ${e.requestID})` : ''}`;
      const s = e.status;
      if (s === 401) return this.fail('LLM_AUTH', `Anthropic API rejected the API key (401)${detail}.`, { hint: `${noWrite} Check ANTHROPIC_API_KEY.`, cause: e });
      if (s === 403) return this.fail('LLM_FORBIDDEN', `Anthropic API refused the request (403)${detail}.`, { hint: `${noWrite} Check the key's permissions and organization.`, cause: e });
      if (s === 404) return this.fail('LLM_NOT_FOUND', `Anthropic API: not found (404)${detail}.`, { hint: `${noWrite} Check the model id (${this.model}) in --model or llm.model.`, cause: e });
      if (s === 429) return this.fail('LLM_RATE_LIMITED', `Anthropic API: ${why}${tries}${detail}.`, { hint: `${noWrite} Wait a minute and run again.`, cause: e });
      if (s >= 500) return this.fail('LLM_UNAVAILABLE', `Anthropic API: ${why}${tries}${detail}.`, { hint: `${noWrite} Try again in a few minutes, or use --provider local.`, cause: e });
      return this.fail('LLM_BAD_REQUEST', `Anthropic API rejected the request (${s})${detail}.`, { hint: `${noWrite} If the model does not support structured output, try another with --model.`, cause: e });
    }
    if (e instanceof APIError && e.type === 'rate_limit_error')
      return this.fail('LLM_RATE_LIMITED', `Anthropic API: ${why}${tries}.`, { hint: `${noWrite} Wait a minute and run again.`, cause: e });
    if (e instanceof APIError && (e.type === 'overloaded_error' || e.type === 'api_error'))
      return this.fail('LLM_UNAVAILABLE', `Anthropic API: ${why}${tries}.`, { hint: `${noWrite} Try again in a few minutes, or use --provider local.`, cause: e });
    return this.fail('LLM_ERROR', `Anthropic API: ${why}.`, { hint: noWrite, cause: e });
  }
}

/** True when a violation names this work-order id as a whole word. */
function mentions(text: string, id: string): boolean {
  let i = text.indexOf(id);
  while (i >= 0) {
    const before = text[i - 1];
    const after = text[i + id.length];
    if ((!before || !/[\w-]/.test(before)) && (!after || !/[\w-]/.test(after))) return true;
    i = text.indexOf(id, i + 1);
  }
  return false;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortedError('Aborted while waiting to retry. No files changed.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
