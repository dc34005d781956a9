/**
 * The Anthropic transport: the only module that talks to the Messages API (the
 * SDK is imported lazily, in connect). It renders a request with
 * `output_config.format` (json_schema) and cache breakpoints, streams the
 * answer (so a silent or stalled stream is seen, and the SDK's non-streaming
 * limit never applies), reads usage and stop reasons, and classifies errors.
 * Everything else — corrections, retries, deadlines, usage, keys — is the
 * shared session's (session.ts).
 */
import type { MessageCreateParamsNonStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import type { RequestSpec } from '../llm-request/build.js';
import { TracksError, type ErrorCode } from '../errors/index.js';
import type { Provider } from '../organize/types.js';
import { anthropicRates } from './pricing.js';
import { BadAnswerError, Session, retryAfterMs, type Answer, type Failure, type SendOptions, type SessionOptions, type Transport, type Turn } from './session.js';

export interface AnthropicProviderOptions extends SessionOptions {
  env: Record<string, string | undefined>;
  model: string;
  baseURL?: string;
}

export { LlmError } from './session.js';

export function createAnthropicProvider(opts: AnthropicProviderOptions): Provider {
  return {
    name: 'anthropic',
    propose: (repo, po) => new Session(new AnthropicTransport(opts, po.model ?? opts.model), opts, po).run(repo),
  };
}

type Sdk = typeof import('@anthropic-ai/sdk');
type Client = InstanceType<Sdk['default']>;

class AnthropicTransport implements Transport {
  readonly name = 'anthropic';
  readonly label = 'Anthropic API';
  readonly where: string;
  readonly secrets: (string | undefined)[];
  private readonly key: string;
  private sdk!: Sdk;
  private client!: Client;
  private toWire!: (schema: Record<string, unknown>) => Record<string, unknown>;
  private note: (m: string) => void = () => {};

  constructor(
    private readonly opts: AnthropicProviderOptions,
    readonly model: string,
  ) {
    this.key = opts.env.ANTHROPIC_API_KEY?.trim() ?? '';
    this.secrets = [this.key, opts.env.ANTHROPIC_AUTH_TOKEN];
    this.where = opts.baseURL || opts.env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com';
  }

  rates() {
    return anthropicRates(this.model);
  }

  check() {
    if (!this.key)
      throw new TracksError('NO_API_KEY', 'ANTHROPIC_API_KEY is not set, so the anthropic provider cannot run.', {
        hint: 'Export ANTHROPIC_API_KEY, or use the offline organizer with --provider local.',
      });
  }

  hint(code: ErrorCode): string | undefined {
    switch (code) {
      case 'LLM_AUTH':
        return 'Check ANTHROPIC_API_KEY.';
      case 'LLM_CONNECTION':
        return 'Check the network, a proxy, or ANTHROPIC_BASE_URL.';
      case 'LLM_NOT_FOUND':
        return `Check the model id (${this.model}) in --model or llm.model.`;
      case 'LLM_BAD_REQUEST':
        return 'If the model does not support structured output, try another with --model.';
      case 'LLM_CONTEXT_EXCEEDED':
        return 'Try a model with a larger context, or organize incrementally.';
      case 'LLM_BAD_ANSWER':
        return 'Something other than the Anthropic API may be answering (a proxy?): check ANTHROPIC_BASE_URL, or try again.';
      default:
        return undefined;
    }
  }

  async connect(o: SendOptions) {
    this.note = o.note;
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
      baseURL: this.where,
      maxRetries: 0,
      logLevel: 'warn',
      // SDK warnings (deprecated model…) go to the progress channel, not straight to the console.
      logger: { error: (m: string) => this.note(m), warn: (m: string) => this.note(m), info: quiet, debug: quiet },
    });
  }

  private params(spec: RequestSpec, turns: readonly Turn[]): MessageCreateParamsNonStreaming {
    const messages: MessageParam[] = turns.map((t, i) =>
      // The first turn carries the data block, the large stable part: cache it so correction rounds re-read it cheaply.
      i === 0 ? { role: t.role, content: [{ type: 'text' as const, text: t.text, cache_control: { type: 'ephemeral' as const } }] } : { role: t.role, content: t.text },
    );
    return {
      model: this.model,
      max_tokens: this.opts.maxTokens,
      system: spec.system.map((text) => ({ type: 'text' as const, text, cache_control: { type: 'ephemeral' as const } })),
      messages,
      output_config: { format: { type: 'json_schema', schema: this.toWire(spec.schema) } },
    };
  }

  async send(spec: RequestSpec, turns: readonly Turn[], o: SendOptions): Promise<Answer> {
    this.note = o.note;
    const stream = this.client.messages.stream(this.params(spec, turns), { signal: o.signal, timeout: o.timeoutMs, maxRetries: 0 });
    for await (const ev of stream) {
      if (ev.type === 'content_block_delta') o.onData(ev.delta.type === 'text_delta' ? ev.delta.text.length : ev.delta.type === 'input_json_delta' ? ev.delta.partial_json.length : 1);
      else o.onData(0);
    }
    if (o.signal.aborted) throw new Error('the request was aborted');
    const msg = await stream.finalMessage();
    if (!Array.isArray(msg?.content)) throw new BadAnswerError('answered without any content');
    const text = msg.content
      .filter((b): b is Extract<typeof b, { type: 'text' }> => b.type === 'text')
      .map((b) => b.text)
      .join('');
    const u = msg.usage;
    const usage = u
      ? { inputTokens: u.input_tokens ?? 0, outputTokens: u.output_tokens ?? 0, cacheReadTokens: u.cache_read_input_tokens ?? 0, cacheWriteTokens: u.cache_creation_input_tokens ?? 0 }
      : undefined;
    const stop = msg.stop_reason;
    const base = { text, ...(usage ? { usage } : {}) };
    if (stop === 'end_turn' || stop === 'stop_sequence') return { ...base, stop: 'end' };
    if (stop === 'max_tokens') return { ...base, stop: 'max_tokens' };
    if (stop === 'model_context_window_exceeded') return { ...base, stop: 'context' };
    if (stop === 'refusal') {
      const d = msg.stop_details;
      return { ...base, stop: 'refusal', stopDetail: `${d?.category ? ` (category: ${d.category})` : ''}${d?.explanation ? `: ${d.explanation}` : '.'}` };
    }
    return { ...base, stop: 'other', stopDetail: String(stop) };
  }

  classify(e: unknown): Failure {
    const { APIError, APIConnectionError, APIConnectionTimeoutError, AnthropicError } = this.sdk;
    if (e instanceof BadAnswerError) return { kind: 'bad-answer', text: e.message, retry: false };
    if (e instanceof APIConnectionTimeoutError) return { kind: 'timeout', text: 'no answer in time', retry: true };
    if (e instanceof APIConnectionError) return { kind: 'connection', text: 'could not connect', retry: true };
    if (e instanceof APIError && typeof e.status === 'number') {
      const s = e.status;
      const header = e.headers?.get('x-should-retry');
      const retry = header === 'true' ? true : header === 'false' ? false : s === 408 || s === 409 || s === 429 || s >= 500;
      const text = s === 429 ? 'rate limited (429)' : s === 529 ? 'overloaded (529)' : s >= 500 ? `server error (${s})` : `HTTP ${s}`;
      const detail = `${e.apiMessage ? `: ${e.apiMessage}` : ''}${e.requestID ? ` (request id ${e.requestID})` : ''}`;
      const ra = retryAfterMs(e.headers);
      return { kind: 'http', status: s, text, retry, detail, ...(ra !== undefined ? { retryAfterMs: ra } : {}) };
    }
    // An error event inside a stream has no HTTP status, only the error type.
    if (e instanceof APIError && (e.type === 'overloaded_error' || e.type === 'api_error' || e.type === 'rate_limit_error')) {
      const rate = e.type === 'rate_limit_error';
      return { kind: 'stream', text: `${rate ? 'rate limited' : e.type === 'overloaded_error' ? 'overloaded' : 'server error'} during the stream`, retry: true, streamKind: rate ? 'rate-limited' : 'unavailable' };
    }
    // A 200 whose body holds no event at all (an empty body, or not a stream).
    if (e instanceof AnthropicError && !(e instanceof APIError) && /without sending any chunks|stream ended without producing/.test(e.message))
      return { kind: 'bad-answer', text: 'answered 200 with an empty body or an empty stream, not a message', retry: false };
    return { kind: 'other', text: e instanceof Error ? e.message : String(e), retry: false };
  }
}
