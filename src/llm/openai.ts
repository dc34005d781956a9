/**
 * The OpenAI-compatible transport: OpenAI itself, and the local servers that
 * speak its Chat Completions API (Ollama, LM Studio, vLLM, llama.cpp's server),
 * through the official SDK (imported lazily, in connect).
 *
 * It asks for JSON-schema structured output (response_format json_schema,
 * strict) and streams the answer. A server that refuses response_format (a
 * 400 naming it) is asked again once without it, with the schema in the prompt
 * instead, and says so in one line; the answer is validated either way. With
 * no model chosen it takes the server's only model, and at api.openai.com a
 * small default. Corrections, retries, deadlines, usage and keys are the shared
 * session's (session.ts).
 */
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import type { RequestSpec } from '../llm-request/build.js';
import { schemaInstruction } from '../llm-request/prompt.js';
import { strictSchema } from '../llm-request/wire.js';
import { TracksError, type ErrorCode } from '../errors/index.js';
import type { Provider } from '../organize/types.js';
import { openaiRates } from './pricing.js';
import { BadAnswerError, Session, retryAfterMs, type Answer, type Failure, type SendOptions, type SessionOptions, type Transport, type Turn } from './session.js';

export const OPENAI_URL = 'https://api.openai.com/v1';
/** At api.openai.com when no model is chosen: small, cheap, with structured output. */
export const DEFAULT_OPENAI_MODEL = 'gpt-5.4-mini';

export interface OpenAIProviderOptions extends SessionOptions {
  env: Record<string, string | undefined>;
  /** --model or llm.model; unset: the server's only model, or DEFAULT_OPENAI_MODEL at api.openai.com. */
  model?: string;
  /** llm.base_url; OPENAI_BASE_URL when unset; api.openai.com when neither. */
  baseURL?: string;
}

export function createOpenAIProvider(opts: OpenAIProviderOptions): Provider {
  return {
    name: 'openai',
    propose: (repo, po) => new Session(new OpenAITransport(opts, po.model ?? opts.model), opts, po).run(repo),
  };
}

/** Where the openai provider sends requests: llm.base_url, else OPENAI_BASE_URL, else OpenAI. */
export function openaiBaseURL(configured: string | undefined, env: Record<string, string | undefined>): string {
  return (configured || env.OPENAI_BASE_URL?.trim() || OPENAI_URL).replace(/\/+$/, '');
}

export function isOpenAIHost(baseURL: string): boolean {
  return hostOf(baseURL) === 'api.openai.com';
}

/** Loopback, private ranges and .local names: a model on this machine or this network. */
export function isLocalHost(baseURL: string): boolean {
  const h = hostOf(baseURL).replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h.endsWith('.local') ||
    h === 'host.docker.internal' ||
    h === '0.0.0.0' ||
    h === '::1' ||
    /^127\./.test(h) ||
    /^10\./.test(h) ||
    /^192\.168\./.test(h) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(h) ||
    /^f[cd][0-9a-f]{2}:/i.test(h)
  );
}

/** Why the cost of a model outside api.openai.com is not known. */
export function unknownCost(baseURL: string): string {
  return isLocalHost(baseURL) ? 'cost unknown for a local model' : `cost unknown for a model served by ${hostOf(baseURL)}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

type Sdk = typeof import('openai');
type Client = InstanceType<Sdk['default']>;

/** A request refused only for an optional feature: the server names it in a 400 or 422. */
const REFUSED_FORMAT = /response_format|json_schema|structured output|guided_json|grammar/i;
const REFUSED_STREAM_OPTIONS = /stream_options|include_usage/i;
const CONTEXT = /context[ _](length|window|size)|maximum context|too many tokens|prompt is too long|exceeds the (model'?s? )?(context|maximum)/i;

class OpenAITransport implements Transport {
  readonly name = 'openai';
  readonly label: string;
  readonly where: string;
  readonly secrets: (string | undefined)[];
  private readonly key: string;
  private readonly openai: boolean;
  private sdk!: Sdk;
  private client!: Client;
  model: string;
  /** False once the server refused response_format: then the schema travels in the prompt. */
  private structured = true;
  private streamOptions = true;

  constructor(
    private readonly opts: OpenAIProviderOptions,
    model: string | undefined,
  ) {
    this.where = openaiBaseURL(opts.baseURL, opts.env);
    this.openai = isOpenAIHost(this.where);
    this.label = this.openai ? 'OpenAI API' : `OpenAI-compatible server at ${hostPort(this.where)}`;
    this.key = opts.env.OPENAI_API_KEY?.trim() ?? '';
    let password: string | undefined;
    try {
      password = decodeURIComponent(new URL(this.where).password) || undefined;
    } catch {
      password = undefined;
    }
    this.secrets = [this.key, password];
    this.model = model ?? (this.openai ? DEFAULT_OPENAI_MODEL : '');
  }

  rates() {
    return this.openai ? openaiRates(this.model) : { unknown: unknownCost(this.where) };
  }

  check() {
    if (this.openai && !this.key)
      throw new TracksError('NO_API_KEY', 'OPENAI_API_KEY is not set, and the OpenAI API needs it.', {
        hint: 'Export OPENAI_API_KEY; for a local server set llm.base_url or OPENAI_BASE_URL (e.g. http://localhost:11434/v1 for Ollama); or use --provider local.',
      });
  }

  hint(code: ErrorCode): string | undefined {
    const url = this.openai ? 'OPENAI_BASE_URL' : `the base URL (${this.where}; llm.base_url or OPENAI_BASE_URL)`;
    switch (code) {
      case 'LLM_AUTH':
        return this.key ? 'Check OPENAI_API_KEY.' : 'The server wants a key: export OPENAI_API_KEY.';
      case 'LLM_CONNECTION':
        return this.openai ? 'Check the network, a proxy, or OPENAI_BASE_URL.' : `Is the server running? Check ${url}.`;
      case 'LLM_NOT_FOUND':
        return `Check the model id (${this.model}) in --model or llm.model, and ${url}: OpenAI-compatible servers usually answer under /v1.`;
      case 'LLM_BAD_REQUEST':
        return 'Try another model with --model, or the offline organizer with --provider local.';
      case 'LLM_CONTEXT_EXCEEDED':
        return this.openai
          ? 'Try a model with a larger context, or organize incrementally.'
          : "Give the model a larger context on the server (Ollama: OLLAMA_CONTEXT_LENGTH or num_ctx; llama.cpp: --ctx-size; vLLM: --max-model-len), lower llm.max_tokens, or organize incrementally.";
      case 'LLM_TRUNCATED':
        return 'Raise llm.max_tokens in tracks.config.yaml, or give the model a larger context on the server.';
      case 'LLM_BAD_ANSWER':
        return `Something other than an OpenAI-compatible server may be answering: check ${url}.`;
      default:
        return undefined;
    }
  }

  async connect(o: SendOptions) {
    this.sdk = await import('openai');
    const quiet = () => {};
    const env = this.opts.env;
    this.client = new this.sdk.default({
      // Local servers need no key, but the SDK insists on one; a server that wants one answers 401.
      apiKey: this.key || 'no-key',
      adminAPIKey: null,
      organization: env.OPENAI_ORG_ID || null,
      project: env.OPENAI_PROJECT_ID || null,
      webhookSecret: null,
      baseURL: this.where,
      maxRetries: 0,
      logLevel: 'warn',
      logger: { error: (m: string) => o.note(m), warn: (m: string) => o.note(m), info: quiet, debug: quiet },
    });
    if (!this.model) await this.pickModel(o);
  }

  /** No model chosen: the server's only one, or a clear error that lists what it offers. */
  private async pickModel(o: SendOptions) {
    let ids: string[];
    try {
      const page = await this.client.models.list({ signal: o.signal, timeout: o.timeoutMs, maxRetries: 0 });
      ids = page.data.map((m) => m.id).filter((id): id is string => typeof id === 'string');
    } catch (e) {
      if (e instanceof this.sdk.APIError && typeof e.status === 'number')
        throw new TracksError('LLM_NO_MODEL', `No model was chosen, and the ${this.label} did not list its models (${e.status}).`);
      throw e;
    }
    if (ids.length !== 1) {
      const shown = ids.slice(0, 12).join(', ') + (ids.length > 12 ? `, … (${ids.length} in all)` : '');
      throw new TracksError('LLM_NO_MODEL', ids.length ? `No model was chosen, and the ${this.label} offers ${ids.length}: ${shown}.` : `No model was chosen, and the ${this.label} offers none.`, {
        hint: ids.length ? `Choose one with --model or llm.model in tracks.config.yaml, e.g. --model ${ids[0]}.` : 'Load or pull a model on the server first (e.g. `ollama pull qwen2.5:14b`), then choose it with --model or llm.model.',
      });
    }
    this.model = ids[0]!;
    o.note(`using ${this.model}, the one model the server offers (choose another with --model or llm.model).`);
  }

  private params(spec: RequestSpec, turns: readonly Turn[]): ChatCompletionCreateParamsStreaming {
    const system = this.structured ? spec.system : [...spec.system, schemaInstruction(spec.schema)];
    const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: system.join('\n\n') }, ...turns.map((t) => ({ role: t.role, content: t.text }))];
    return {
      model: this.model,
      messages,
      // OpenAI's current models take only max_completion_tokens; local servers know max_tokens best.
      ...(this.openai ? { max_completion_tokens: this.opts.maxTokens } : { max_tokens: this.opts.maxTokens }),
      stream: true,
      ...(this.streamOptions ? { stream_options: { include_usage: true } } : {}),
      ...(this.structured ? { response_format: { type: 'json_schema', json_schema: { name: `tracks_${spec.kind}`, strict: true, schema: strictSchema(spec.schema) } } } : {}),
    };
  }

  async send(spec: RequestSpec, turns: readonly Turn[], o: SendOptions): Promise<Answer> {
    let stream;
    try {
      stream = await this.client.chat.completions.create(this.params(spec, turns), { signal: o.signal, timeout: o.timeoutMs, maxRetries: 0 });
    } catch (e) {
      const why = this.refusedFeature(e);
      if (why === 'format') {
        this.structured = false;
        o.note(`the server does not take structured output (${this.apiMessage(e as InstanceType<Sdk['APIError']>).slice(0, 160)}); asking again for plain JSON, with the schema in the prompt, and validating the answer.`);
        return this.send(spec, turns, o);
      }
      if (why === 'stream_options') {
        this.streamOptions = false;
        o.note('the server does not take stream_options; asking again without it (token counts may be missing).');
        return this.send(spec, turns, o);
      }
      throw e;
    }
    let text = '';
    let refusal = '';
    let finish: string | null | undefined;
    let usage: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      if (chunk.usage) usage = chunk.usage;
      const c = chunk.choices?.[0];
      const d = c?.delta as ({ content?: string | null; refusal?: string | null; reasoning_content?: string; reasoning?: string } & object) | undefined;
      const piece = d?.content ?? '';
      text += piece;
      if (d?.refusal) refusal += d.refusal;
      // Reasoning models think aloud first (vLLM: reasoning_content, Ollama: reasoning): that is progress, not answer.
      o.onData(piece.length + (d?.reasoning_content?.length ?? 0) + (d?.reasoning?.length ?? 0));
      if (c?.finish_reason) finish = c.finish_reason;
    }
    // The SDK ends the iteration quietly when the request is aborted: that is not an answer.
    if (o.signal.aborted) throw new Error('the request was aborted');
    if (!chunks) throw new BadAnswerError('answered 200 with an empty body or an empty stream, not a completion');
    const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
    const base = {
      text,
      ...(usage ? { usage: { inputTokens: Math.max(0, (usage.prompt_tokens ?? 0) - cached), outputTokens: usage.completion_tokens ?? 0, cacheReadTokens: cached, cacheWriteTokens: 0 } } : {}),
    };
    if (refusal) return { ...base, stop: 'refusal', stopDetail: `: ${refusal}` };
    if (finish === 'stop') return { ...base, stop: 'end' };
    if (finish === 'length') return { ...base, stop: 'max_tokens' };
    if (finish === 'content_filter') return { ...base, stop: 'refusal', stopDetail: ' (content filter).' };
    return { ...base, stop: 'other', stopDetail: finish ?? 'no finish reason: the stream ended early' };
  }

  private refusedFeature(e: unknown): 'format' | 'stream_options' | undefined {
    if (!(e instanceof this.sdk.APIError) || (e.status !== 400 && e.status !== 422)) return undefined;
    const msg = this.apiMessage(e);
    if (this.structured && REFUSED_FORMAT.test(msg) && !CONTEXT.test(msg)) return 'format';
    if (this.streamOptions && REFUSED_STREAM_OPTIONS.test(msg)) return 'stream_options';
    return undefined;
  }

  /** What the server said, without the SDK's status prefix; servers put it in different places. */
  private apiMessage(e: InstanceType<Sdk['APIError']>): string {
    const body = e.error as { message?: unknown; detail?: unknown } | string | undefined;
    const m = typeof body === 'string' ? body : typeof body?.message === 'string' ? body.message : typeof body?.detail === 'string' ? body.detail : body ? JSON.stringify(body) : '';
    return m || e.message.replace(/^\d{3}\s*/, '');
  }

  classify(e: unknown): Failure {
    const { APIError, APIConnectionError, APIConnectionTimeoutError } = this.sdk;
    if (e instanceof BadAnswerError) return { kind: 'bad-answer', text: e.message, retry: false };
    if (e instanceof APIConnectionTimeoutError) return { kind: 'timeout', text: 'no answer in time', retry: true };
    if (e instanceof APIConnectionError) return { kind: 'connection', text: 'could not connect', retry: true };
    if (e instanceof APIError && typeof e.status === 'number') {
      const s = e.status;
      const msg = this.apiMessage(e);
      const header = e.headers?.get('x-should-retry');
      const retry = header === 'true' ? true : header === 'false' ? false : s === 408 || s === 409 || s === 429 || s >= 500;
      const text = s === 429 ? 'rate limited (429)' : s >= 500 ? `server error (${s})` : `HTTP ${s}`;
      const detail = `${msg && !/status code \(no body\)/.test(msg) ? `: ${msg.slice(0, 500)}` : ''}${e.requestID ? ` (request id ${e.requestID})` : ''}`;
      const ra = retryAfterMs(e.headers);
      const context = (s === 400 || s === 413 || s === 422) && (e.code === 'context_length_exceeded' || CONTEXT.test(msg));
      return { kind: 'http', status: s, text, retry, detail, ...(context ? { context } : {}), ...(ra !== undefined ? { retryAfterMs: ra } : {}) };
    }
    // An error event inside a stream has no HTTP status.
    if (e instanceof APIError) {
      const kind = `${e.type ?? ''} ${e.code ?? ''}`;
      const msg = this.apiMessage(e);
      if (/rate.?limit/i.test(kind)) return { kind: 'stream', text: 'rate limited during the stream', retry: true, streamKind: 'rate-limited' };
      if (/server|overload|unavailable|internal/i.test(kind)) return { kind: 'stream', text: `server error during the stream${msg ? ` (${msg.slice(0, 200)})` : ''}`, retry: true, streamKind: 'unavailable' };
      if (CONTEXT.test(msg)) return { kind: 'stream', text: msg, retry: false, context: true, detail: `: ${msg.slice(0, 300)}` };
      return { kind: 'other', text: `error during the stream: ${msg || kind.trim() || 'no detail'}`, retry: false };
    }
    return { kind: 'other', text: e instanceof Error ? e.message : String(e), retry: false };
  }
}

function hostPort(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
