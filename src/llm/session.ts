/**
 * What every LLM provider shares, written once: build the requests (from
 * src/llm-request), ask, validate each answer with the organize engine's
 * validator, send violations back for a bounded number of correction rounds,
 * retry what is worth retrying with visible progress, keep one deadline for the
 * whole run and a timeout per request, say every 15 s that it is still
 * waiting, count tokens and cost, and keep keys out of everything it prints,
 * throws or saves. A provider is only its transport (anthropic.ts, openai.ts):
 * send one request, read the answer and its usage, classify its errors.
 *
 * Retries are this loop's, with the SDKs' set to 0: an SDK sleeps silently for
 * whatever `retry-after` says, while a person at a terminal should see
 * "rate limited; retrying in 4s (2/3)" and a hook or CI run should fail rather
 * than sleep for minutes.
 */
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
import type { Proposal, ProposeOptions, ProviderResult, Usage } from '../organize/types.js';
import { costWith, type Rates, type TokenCounts } from './pricing.js';
import { Redactor } from './redact.js';
import { plural } from '../render/plural.js';

/** One turn of a conversation, provider-neutral; the transport renders it in its wire format. */
export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

export interface Answer {
  text: string;
  /** Why the model stopped, in the shared vocabulary. */
  stop: 'end' | 'max_tokens' | 'refusal' | 'context' | 'other';
  /** The provider's own word for `other`; for a refusal, what the API said about it (", category: …"). */
  stopDetail?: string;
  /** Absent when the server reported none. */
  usage?: Required<TokenCounts>;
}

/** An error of one request, classified by its transport. */
export interface Failure {
  kind: 'timeout' | 'connection' | 'http' | 'stream' | 'bad-answer' | 'other';
  /** For progress and messages: "rate limited (429)", "could not connect". */
  text: string;
  retry: boolean;
  status?: number;
  /** ": what the API said (request id …)", or "". */
  detail?: string;
  retryAfterMs?: number;
  /** An error event inside a stream, which has no HTTP status. */
  streamKind?: 'rate-limited' | 'unavailable';
  /** The API said the request does not fit the context window. */
  context?: boolean;
}

export interface SendOptions {
  signal: AbortSignal;
  /** Time this attempt may take at most (for the SDK's own timeout). */
  timeoutMs: number;
  /** Each piece of the answer as it arrives: keeps the request timeout from firing, and bounds the answer's size. */
  onData(chars: number): void;
  /** A one-line notice for the person waiting (e.g. a fallback the transport took). */
  note(message: string): void;
}

export interface Transport {
  readonly name: 'anthropic' | 'openai';
  /** How messages name the far end: "Anthropic API", "the server at http://127.0.0.1:11434/v1". */
  readonly label: string;
  /** Where requests go, for connection errors. */
  readonly where: string;
  /** Values never to print: the API key. */
  readonly secrets: readonly (string | undefined)[];
  /** The model id; a transport may settle it in connect(). */
  readonly model: string;
  /** Prices of the model, or why the cost is unknown ("cost unknown for a local model"). */
  rates(): Rates | { unknown: string };
  /** Refuses to start (NO_API_KEY…) before anything is built or sent. */
  check(): void;
  connect(o: SendOptions): Promise<void>;
  send(spec: RequestSpec, turns: readonly Turn[], o: SendOptions): Promise<Answer>;
  classify(e: unknown): Failure;
  /** A transport's own hint for an error code, where the shared one would mislead. */
  hint(code: ErrorCode): string | undefined;
}

export interface SessionOptions {
  maxTokens: number;
  /** Retries after the first attempt on 429/5xx/overloaded/connection errors/timeouts. */
  maxRetries?: number;
  /** Deadline for the whole run, every request, retry and correction round included (llm.timeout_seconds). */
  timeoutMs?: number;
  /** Longest wait for one answer to start, or for its next piece to arrive (llm.request_timeout_seconds). */
  requestTimeoutMs?: number;
  /** How often a pending request says it is still waiting. */
  noticeEveryMs?: number;
  /** Correction rounds after a rejected answer, per conversation. */
  maxRounds?: number;
  /** First backoff step when the API gives no retry-after (tests shrink it). */
  retryBaseMs?: number;
  /** Longest retry-after we wait out; a longer one fails the run with a hint. */
  maxRetryWaitMs?: number;
  /** Context-builder knobs (budgets); tests use them to force two phases. */
  build?: Partial<BuildOptions>;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
const DEFAULT_ROUNDS = 2;
/** Violations sent back in one correction turn; the rest are counted. */
const MAX_SENT_BACK = 50;

/** A TracksError that carries what the model answered (the command saves it) and the tokens spent. */
export class LlmError extends TracksError {
  raw?: string;
  usage?: Usage;
}

/** Thrown by a transport when a 200 carries no answer; classified as `bad-answer`. */
export class BadAnswerError extends Error {
  override readonly name = 'BadAnswerError';
}

interface Conversation {
  spec: RequestSpec;
  turns: Turn[];
  text: string;
  value?: NonNullable<Decoded['value']>;
}

export class Session {
  private readonly redact: Redactor;
  private readonly progress: (m: string) => void;
  private readonly usage: Usage;
  private rounds = 0;
  private startedAt = 0;
  private deadlineAt = Infinity;

  constructor(
    private readonly t: Transport,
    private readonly opts: SessionOptions,
    private readonly po: ProposeOptions,
  ) {
    this.redact = new Redactor(t.secrets);
    this.progress = (m) => po.onProgress?.(this.redact.text(m));
    this.usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, requests: 0 };
  }

  private get name() {
    return this.t.name;
  }

  private fail(code: ErrorCode, message: string, extra: { hint?: string; raw?: string; cause?: unknown } = {}): LlmError {
    const hint = extra.hint ?? this.t.hint(code);
    const e = new LlmError(code, this.redact.text(message), {
      ...(hint ? { hint: this.redact.text(hint) } : {}),
      ...(extra.cause !== undefined ? { cause: this.redact.error(extra.cause) } : {}),
    });
    if (extra.raw !== undefined) e.raw = this.redact.text(extra.raw);
    e.usage = { ...this.usage };
    return e;
  }

  async run(repo: Repo): Promise<ProviderResult> {
    this.t.check();
    const ctx = buildContext(repo, this.po.mode, { maxOutputTokens: this.opts.maxTokens, ...this.opts.build });
    if (!ctx.targets.length) return { proposal: { tracks: [], assignments: [] }, usage: this.usage, rounds: 0 };
    this.startedAt = Date.now();
    this.deadlineAt = this.startedAt + this.timeoutMs();
    try {
      await this.attempt('connect', (o) => this.t.connect(o));
      // After connect: a transport may settle its model there, and the price depends on it.
      this.settleCost();
      this.guardPlan(ctx);
      const proposal = ctx.strategy === 'single' ? await this.runSingle(ctx) : await this.runTwoPhase(ctx);
      return { proposal, usage: { ...this.usage }, rounds: this.rounds };
    } catch (e) {
      if (e instanceof TracksError) throw e;
      // Anything else is a bug, but its message may still carry upstream text: never the key.
      throw this.redact.error(e);
    }
  }

  private timeoutMs() {
    return this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private requestTimeoutMs() {
    return this.opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** The largest answer we read: far beyond what max_tokens allows, far below what would hurt. */
  private maxAnswerChars() {
    return Math.max(256 * 1024, this.opts.maxTokens * 16);
  }

  private settleCost() {
    const r = this.t.rates();
    if ('unknown' in r) {
      this.usage.costUsd = null;
      this.usage.costNote = r.unknown;
    } else if (!r.known) this.usage.costNote = `${this.t.model} is not in the price table; the dearest known price was assumed`;
  }

  private guardPlan(ctx: OrganizeContext) {
    const max = this.po.maxCostUsd;
    if (max === undefined) return;
    const r = this.t.rates();
    if ('unknown' in r) {
      this.progress(`${this.name}: --max-cost does not apply: ${r.unknown}.`);
      return;
    }
    const e = planEstimate(ctx);
    const usd = costWith(r, { inputTokens: Math.ceil(e.inputTokens * SAFETY), outputTokens: Math.ceil(e.outputTokens * SAFETY) });
    if (usd > max)
      throw this.fail(
        'LLM_MAX_COST',
        `The estimated cost, $${usd.toFixed(4)} for ${e.requests} request${e.requests === 1 ? '' : 's'} (~${fmt(e.inputTokens)} input and ~${fmt(e.outputTokens)} output tokens with ${this.t.model}), exceeds --max-cost $${max}. Nothing was sent.`,
        { hint: `Raise --max-cost, choose a cheaper model with --model, or see the size first with --dry-run.${r.known ? '' : ` ${this.t.model} is not in the price table, so the dearest known price was assumed.`}` },
      );
  }

  private async runSingle(ctx: OrganizeContext): Promise<Proposal> {
    const spec = singleRequest(ctx);
    this.progress(`${this.name}: asking ${this.t.model} to organize ${plural(ctx.targets.length, 'work order')} (~${fmt(spec.estInputTokens)} input tokens)…`);
    const conv = await this.converse(spec, (d) => {
      if (!d.value) return d.violations;
      return this.po.validate(toProposal(d.value, ctx.codec));
    });
    return toProposal(conv.value!, ctx.codec);
  }

  private async runTwoPhase(ctx: OrganizeContext): Promise<Proposal> {
    const n = ctx.chunks.length;
    const p1 = phase1Request(ctx);
    this.progress(`${this.name}: ${ctx.targets.length} work orders are too many for one request; step 1 of 2: proposing tracks from statistics and a sample (~${fmt(p1.estInputTokens)} input tokens)…`);
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
      this.progress(`${this.name}: step 2 of 2: placing chunk ${i + 1}/${n} (${plural(spec.workOrders.length, 'work order')})…`);
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
        this.progress(`${this.name}: chunk ${i + 1}/${n} has ${routed[i]!.length} problem(s); asking for a correction…`);
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
      hint: 'The raw answer is kept for inspection; try again, try another model with --model, or use --provider local.',
      raw,
    });
  }

  /** One request plus up to maxRounds corrections, until `check` finds nothing. */
  private async converse(spec: RequestSpec, check: (d: Decoded) => string[]): Promise<Conversation> {
    const conv: Conversation = { spec, turns: [{ role: 'user', text: spec.user }], text: '' };
    await this.ask(conv);
    let violations = this.judge(conv, check);
    for (let round = 1; violations.length; round++) {
      if (round > this.maxRounds()) throw this.invalid(violations, conv.text);
      this.progress(`${this.name}: the answer has ${violations.length} problem(s); asking for a correction (round ${round}/${this.maxRounds()})…`);
      violations = await this.correct(conv, violations, check);
    }
    return conv;
  }

  private async correct(conv: Conversation, violations: string[], check: (d: Decoded) => string[]): Promise<string[]> {
    this.rounds++;
    const sent = violations.length > MAX_SENT_BACK ? [...violations.slice(0, MAX_SENT_BACK), `… and ${violations.length - MAX_SENT_BACK} more problems like these.`] : violations;
    conv.turns.push({ role: 'assistant', text: conv.text || '(empty answer)' }, { role: 'user', text: correctionMessage(sent, conv.spec.kind) });
    await this.ask(conv);
    return this.judge(conv, check);
  }

  private judge(conv: Conversation, check: (d: Decoded) => string[]): string[] {
    const d = parseAnswer(conv.text, conv.spec.kind);
    conv.value = d.value;
    return d.value ? check(d) : d.violations;
  }

  private async ask(conv: Conversation) {
    this.guardNext(conv);
    const a = await this.request(conv);
    this.count(a);
    const used = a.usage ? `; ${fmt(a.usage.outputTokens)} output tokens were used` : '';
    if (a.stop === 'max_tokens')
      throw this.fail('LLM_TRUNCATED', `The answer was cut off at max_tokens (${this.opts.maxTokens})${used}.`, {
        hint: this.t.hint('LLM_TRUNCATED') ?? 'Raise llm.max_tokens in tracks.config.yaml (the current Claude models allow up to 128000).',
        raw: a.text,
      });
    if (a.stop === 'refusal')
      throw this.fail('LLM_REFUSED', `The model declined to answer${a.stopDetail ?? '.'}`, {
        hint: 'Try another model with --model, or the offline organizer with --provider local.',
        raw: a.text,
      });
    if (a.stop === 'context') throw this.fail('LLM_CONTEXT_EXCEEDED', "The request did not fit the model's context window.");
    if (a.stop !== 'end') throw this.fail('LLM_UNEXPECTED_STOP', `The model stopped with "${a.stopDetail ?? a.stop}" instead of finishing its answer.`, { raw: a.text });
    conv.text = a.text;
  }

  private count(a: Answer) {
    const u = this.usage;
    u.requests++;
    if (!a.usage) u.uncounted = (u.uncounted ?? 0) + 1;
    else {
      u.inputTokens += a.usage.inputTokens;
      u.outputTokens += a.usage.outputTokens;
      u.cacheReadTokens += a.usage.cacheReadTokens;
      u.cacheWriteTokens += a.usage.cacheWriteTokens;
    }
    const r = this.t.rates();
    if (!('unknown' in r)) u.costUsd = costWith(r, u);
  }

  /** --max-cost also bounds what correction rounds and later chunks add. */
  private guardNext(conv: Conversation) {
    const max = this.po.maxCostUsd;
    const r = this.t.rates();
    if (max === undefined || 'unknown' in r) return;
    const { spec } = conv;
    const input = estimateTokens(spec.system.join('\n') + conv.turns.map((t) => t.text).join('\n')) + estimateTokens(JSON.stringify(spec.schema));
    const next = costWith(r, { inputTokens: Math.ceil(input * SAFETY), outputTokens: Math.ceil(spec.estOutputTokens * SAFETY) });
    const spent = this.usage.costUsd ?? 0;
    if (spent + next > max)
      throw this.fail(
        'LLM_MAX_COST',
        `Stopping before request ${this.usage.requests + 1}: $${spent.toFixed(4)} spent so far plus ~$${next.toFixed(4)} for the next request would exceed --max-cost $${max}.`,
        { hint: 'Raise --max-cost to let the run finish.' },
      );
  }

  /** One request with retries, within the deadline. */
  private async request(conv: Conversation): Promise<Answer> {
    return this.attempt('request', (o) => this.t.send(conv.spec, conv.turns, o));
  }

  /**
   * Runs `fn` until it succeeds, retrying what is worth retrying. Each attempt
   * has the request timeout (restarted by every piece of answer that arrives)
   * and the run's deadline; while it waits, a line every `noticeEveryMs` says so.
   */
  private async attempt<T>(what: 'connect' | 'request', fn: (o: SendOptions) => Promise<T>): Promise<T> {
    const max = what === 'connect' ? 0 : (this.opts.maxRetries ?? 2);
    const signal = this.po.signal;
    const idleMs = this.requestTimeoutMs();
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new AbortedError('Aborted before the request was sent. No files changed.');
      const left = this.deadlineAt - Date.now();
      if (left <= 0) throw this.deadline();
      const ac = new AbortController();
      const onAbort = () => ac.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      let stopped: 'idle' | 'deadline' | 'too-large' | undefined;
      let chars = 0;
      const sentAt = Date.now();
      const stop = (why: typeof stopped) => () => {
        stopped ??= why;
        ac.abort();
      };
      let idle = setTimeout(stop('idle'), idleMs);
      const end = setTimeout(stop('deadline'), left);
      const every = this.opts.noticeEveryMs ?? 15_000;
      const ticker = setInterval(() => {
        const waited = seconds(Date.now() - sentAt);
        this.progress(
          chars
            ? `${this.name}: the answer is still arriving from ${this.t.label} (${waited}, ${fmt(chars)} characters so far)…`
            : `${this.name}: still waiting for ${this.t.label} (${waited})…`,
        );
      }, every);
      const options: SendOptions = {
        signal: ac.signal,
        // A little beyond our own timers, so that they, which know why they fired, speak first.
        timeoutMs: Math.max(1, Math.min(left, idleMs)) + 1_000,
        onData: (n) => {
          chars += n;
          clearTimeout(idle);
          if (chars > this.maxAnswerChars()) stop('too-large')();
          else idle = setTimeout(stop('idle'), idleMs);
        },
        note: (m) => this.progress(`${this.name}: ${m}`),
      };
      try {
        return await fn(options);
      } catch (e) {
        if (signal?.aborted) throw new AbortedError('Aborted; the request was cancelled. No files changed.');
        if (e instanceof TracksError) throw this.fail(e.code, e.message, { ...(e.hint ? { hint: e.hint } : {}), cause: e.cause });
        if (stopped === 'deadline') throw this.deadline(e, chars);
        if (stopped === 'too-large')
          throw this.fail('LLM_BAD_ANSWER', `${this.t.label} sent more than ${fmt(this.maxAnswerChars())} characters of answer, far more than max_tokens (${fmt(this.opts.maxTokens)}) allows; stopped reading.`, {
            hint: 'Something other than the model may be answering: check the base URL.',
            cause: e,
          });
        const f: Failure =
          stopped === 'idle'
            ? { kind: 'timeout', text: chars ? `the answer stopped arriving for ${seconds(idleMs)}` : `no answer for ${seconds(idleMs)}`, retry: true }
            : this.t.classify(e);
        if (!f.retry || attempt >= max) throw this.finalError(f, e, attempt + 1);
        const wait = f.retryAfterMs ?? this.backoff(attempt);
        if (wait > (this.opts.maxRetryWaitMs ?? 60_000))
          throw this.fail('LLM_RATE_LIMITED', `${this.t.label}: ${f.text}, and it asks to wait ${Math.ceil(wait / 1000)}s before retrying.`, {
            hint: 'Run again later.',
            cause: e,
          });
        if (Date.now() + wait >= this.deadlineAt) throw this.deadline(e, 0, `${this.t.label}: ${f.text}, and a retry in ${seconds(wait)} would start past the deadline`);
        this.progress(`${this.name}: ${f.text}; retrying in ${seconds(wait)} (attempt ${attempt + 2}/${max + 1})…`);
        await sleep(wait, signal);
      } finally {
        clearTimeout(idle);
        clearTimeout(end);
        clearInterval(ticker);
        signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  private backoff(attempt: number): number {
    const base = this.opts.retryBaseMs ?? 500;
    return Math.min(base * 2 ** attempt, 8_000) * (1 - Math.random() * 0.25);
  }

  /** The run's deadline passed: say how long it really took and what was done. */
  private deadline(cause?: unknown, chars = 0, why?: string): LlmError {
    const took = seconds(Date.now() - this.startedAt);
    const done = this.usage.requests ? `; ${this.usage.requests} request${this.usage.requests === 1 ? '' : 's'} answered before` : '';
    const what = why ?? (chars ? `the answer from ${this.t.label} was still arriving (${fmt(chars)} characters)` : `${this.t.label} had not answered`);
    return this.fail('LLM_TIMEOUT', `Stopped after ${took}: ${what}; the whole organize run may take at most ${seconds(this.timeoutMs())} (llm.timeout_seconds)${done}.`, {
      hint: 'Raise llm.timeout_seconds in tracks.config.yaml for a slow model or a large repository, or try again.',
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  private finalError(f: Failure, e: unknown, attempts: number): LlmError {
    const L = this.t.label;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const detail = f.detail ?? '';
    const cause = e;
    if (f.kind === 'timeout')
      return this.fail('LLM_TIMEOUT', `${L}: ${f.text}${tries} (${seconds(Date.now() - this.startedAt)} since the run started).`, {
        hint: 'Try again, or raise llm.request_timeout_seconds for a slow server.',
        cause,
      });
    if (f.kind === 'connection') return this.fail('LLM_CONNECTION', `${L}: ${f.text}${tries} (${this.t.where}).`, { cause });
    if (f.kind === 'bad-answer') return this.fail('LLM_BAD_ANSWER', `${L}: ${f.text}${detail}.`, { cause });
    if (f.context) return this.fail('LLM_CONTEXT_EXCEEDED', `The request did not fit the model's context window${detail}.`, { cause });
    const s = f.status;
    if (f.kind === 'http' && s !== undefined) {
      if (s === 401) return this.fail('LLM_AUTH', `${L} rejected the API key (401)${detail}.`, { cause });
      if (s === 403) return this.fail('LLM_FORBIDDEN', `${L} refused the request (403)${detail}.`, { hint: "Check the key's permissions and organization.", cause });
      if (s === 404) return this.fail('LLM_NOT_FOUND', `${L}: not found (404)${detail}.`, { cause });
      if (s === 429) return this.fail('LLM_RATE_LIMITED', `${L}: ${f.text}${tries}${detail}.`, { hint: 'Wait a minute and run again.', cause });
      if (s >= 500) return this.fail('LLM_UNAVAILABLE', `${L}: ${f.text}${tries}${detail}.`, { hint: 'Try again in a few minutes, or use --provider local.', cause });
      return this.fail('LLM_BAD_REQUEST', `${L} rejected the request (${s})${detail}.`, { cause });
    }
    if (f.streamKind === 'rate-limited') return this.fail('LLM_RATE_LIMITED', `${L}: ${f.text}${tries}.`, { hint: 'Wait a minute and run again.', cause });
    if (f.streamKind === 'unavailable') return this.fail('LLM_UNAVAILABLE', `${L}: ${f.text}${tries}.`, { hint: 'Try again in a few minutes, or use --provider local.', cause });
    return this.fail('LLM_ERROR', `${L}: ${f.text}.`, { cause });
  }
}

/** Delay asked for by `retry-after-ms` or `retry-after` (seconds or an HTTP date), if any. */
export function retryAfterMs(h: { get(name: string): string | null } | undefined): number | undefined {
  const raw = h?.get('retry-after-ms');
  const ms = Number(raw);
  if (raw && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = h?.get('retry-after');
  if (!ra) return undefined;
  const s = Number(ra);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
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

export const fmt = (n: number) => n.toLocaleString('en-US');

/** A duration as people read it: 0.3s, 42s, 5 min 3 s. */
export function seconds(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60}s` : ''}`;
}

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
