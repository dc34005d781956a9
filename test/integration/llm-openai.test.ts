/**
 * The real `openai` SDK against a scripted OpenAI-compatible server on
 * 127.0.0.1. The validator is the organize engine's own, so what is accepted
 * here is what organize accepts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider, type OpenAIProviderOptions } from '../../src/llm/openai.js';
import { TracksError } from '../../src/errors/index.js';
import type { Repo } from '../../src/model/types.js';
import type { Mode, ProposeOptions } from '../../src/organize/types.js';
import { validateProposal } from '../../src/organize/validate.js';
import { failed, said, startFakeOpenAI, type Fake, type FakeOptions, type Script } from '../helpers/fake-openai.js';
import { mkRepo, mkWo } from '../unit/llm-request-fixtures.js';

const KEY = 'sk-proj-test-SECRET-do-not-print-9191';

const repo = mkRepo([
  mkWo('WO-2026-001', { title: 'Runner retries', goal: 'Retry failed runs.', tags: ['runner'] }),
  mkWo('WO-2026-002', { title: 'Runner logs', tags: ['runner'], depends_on: ['WO-2026-001'] }),
  mkWo('WO-2026-003', { title: 'Canvas zoom', tags: ['canvas', 'ui'] }),
  mkWo('WO-2025-004', { title: 'Canvas pan', tags: ['canvas'] }),
]);

const T = (slug: string, parent: string | null = null) => ({ slug, name: slug.replace(/-/g, ' '), type: 'FEAT', goal: `Deliver ${slug}.`, parent });
const GOOD = {
  tracks: [T('runner'), T('canvas')],
  assign: [
    { track: 'runner', wos: ['001', '002'] },
    { track: 'canvas', wos: ['003', 'WO-2025-004'] },
  ],
};

let fake: Fake | undefined;
let seen: string[] = [];
afterEach(async () => {
  for (const s of seen) expect(s).not.toContain(KEY);
  seen = [];
  await fake?.close();
  fake = undefined;
});

interface Run {
  mode?: Mode;
  repo?: Repo;
  server?: FakeOptions;
  provider?: Partial<OpenAIProviderOptions>;
  propose?: Partial<ProposeOptions>;
  env?: Record<string, string | undefined>;
}

async function propose(script: Script, o: Run = {}) {
  await fake?.close();
  fake = await startFakeOpenAI(script, o.server);
  const r = o.repo ?? repo;
  const mode = o.mode ?? 'initial';
  const progress: string[] = [];
  const provider = createOpenAIProvider({
    env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.url, ...o.env },
    model: 'qwen2.5:14b',
    maxTokens: 4000,
    retryBaseMs: 1,
    ...o.provider,
  });
  const t0 = Date.now();
  try {
    const result = await provider.propose(r, { mode, validate: (c) => validateProposal(c, r, mode), onProgress: (m) => progress.push(m), ...o.propose });
    seen.push(...progress, JSON.stringify(result));
    return { result, progress, requests: fake.chats(), all: fake.requests, ms: Date.now() - t0 };
  } catch (e) {
    const cause = (e as Error).cause as Error | undefined;
    seen.push(...progress, String((e as Error).message), String((e as Error).stack), String((e as TracksError).hint), String((e as { raw?: string }).raw), String(cause?.stack));
    return { error: e as TracksError & { raw?: string; usage?: any }, progress, requests: fake.chats(), all: fake.requests, ms: Date.now() - t0 };
  }
}

const userTurns = (body: any): string[] => body.messages.filter((m: any) => m.role === 'user').map((m: any) => m.content);

describe('openai provider against a fake OpenAI-compatible server', () => {
  it('turns a streamed, schema-shaped answer into a proposal; a local model has no price', async () => {
    const { result, requests, error } = await propose([said(GOOD, { usage: { prompt_tokens: 1500, completion_tokens: 300, cached_tokens: 500 } })]);
    expect(error).toBeUndefined();
    expect(result!.proposal.assignments).toEqual([
      { wo: 'WO-2026-001', track: 'runner' },
      { wo: 'WO-2026-002', track: 'runner' },
      { wo: 'WO-2026-003', track: 'canvas' },
      { wo: 'WO-2025-004', track: 'canvas' },
    ]);
    expect(result!.usage).toEqual({ inputTokens: 1000, outputTokens: 300, cacheReadTokens: 500, cacheWriteTokens: 0, requests: 1, costUsd: null, costNote: 'cost unknown for a local model' });
    const [req] = requests;
    expect(req!.url).toBe('/v1/chat/completions');
    expect(req!.headers.authorization).toBe(`Bearer ${KEY}`);
    const b = req!.body;
    expect(b.model).toBe('qwen2.5:14b');
    expect(b.max_tokens).toBe(4000);
    expect(b.stream).toBe(true);
    expect(b.stream_options).toEqual({ include_usage: true });
    expect(b.messages[0].role).toBe('system');
    expect(b.messages[0].content).toMatch(/^You organize the backlog/);
    expect(userTurns(b)[0]).toMatch(/^Mode: initial\. 4 work orders to place\. No tracks exist yet\.\n<work_orders>\n/);
    const rf = b.response_format;
    expect(rf.type).toBe('json_schema');
    expect(rf.json_schema).toMatchObject({ name: 'tracks_single', strict: true });
    // Strict mode: every property required, optional ones nullable, no keywords it rejects.
    const schema = rf.json_schema.schema;
    expect(schema.required).toEqual(['tracks', 'assign', 'notes']);
    expect(schema.properties.notes.anyOf[1]).toEqual({ type: 'null' });
    expect(schema.properties.tracks.items.properties.type.enum).toEqual(['FEAT', 'EXP', 'FIX', 'REFACTOR', 'CHORE', 'RESEARCH']);
    expect(JSON.stringify(schema)).not.toMatch(/"(pattern|maxLength|\$id|\$schema)"/);
  });

  it('sends a schema-ignoring answer back with its violations, then accepts the corrected one', async () => {
    const ignored = { groups: { runner: ['001', '002'] }, comment: 'here you go' };
    const { result, requests, progress } = await propose([said(ignored), said(GOOD)]);
    expect(result!.rounds).toBe(1);
    expect(requests).toHaveLength(2);
    const second = requests[1]!.body.messages;
    expect(second[2]).toEqual({ role: 'assistant', content: JSON.stringify(ignored) });
    expect(second[3].content).toBe(
      'The tool rejected your answer. Problem:\n- `assign` must be an array of {track, wos}.\n\nAnswer again with the complete corrected JSON, not only the changes. Keep everything that was valid.',
    );
    expect(progress).toContain('openai: the answer has 1 problem(s); asking for a correction (round 1/2)…');
  });

  it('a server without structured output: one line, the request again without response_format, the schema in the prompt, a fenced answer still read', async () => {
    const fenced = 'Sure! Here is the proposal:\n```json\n' + JSON.stringify(GOOD, null, 2) + '\n```\nLet me know.';
    const { result, requests, all, progress } = await propose([said(fenced, { usage: null })], { server: { rejectResponseFormat: true } });
    expect(result!.proposal.tracks).toHaveLength(2);
    expect(all).toHaveLength(2);
    expect(all[0]!.body.response_format.type).toBe('json_schema');
    expect(requests[1]!.body.response_format).toBeUndefined();
    expect(requests[1]!.body.messages[0].content).toMatch(/\nAnswer with one JSON object and nothing else: .*\n\{"type":"object"/);
    expect(progress.filter((p) => p.includes('structured output'))).toEqual([
      "openai: the server does not take structured output (Invalid parameter: 'response_format' of type 'json_schema' is not supported with this server.); asking again for plain JSON, with the schema in the prompt, and validating the answer.",
    ]);
    expect(result!.usage).toMatchObject({ requests: 1, uncounted: 1, costUsd: null });
  });

  it('without a model: takes the server\'s only one, or lists what it offers', async () => {
    const one = await propose([said(GOOD)], { provider: { model: undefined }, server: { models: ['llama3.1:8b'] } });
    expect(one.result!.proposal.tracks).toHaveLength(2);
    expect(one.all[0]!.url).toBe('/v1/models');
    expect(one.requests[0]!.body.model).toBe('llama3.1:8b');
    expect(one.progress).toContain('openai: using llama3.1:8b, the one model the server offers (choose another with --model or llm.model).');
    const many = await propose([said(GOOD)], { provider: { model: undefined }, server: { models: ['llama3.1:8b', 'qwen2.5:14b'] } });
    expect(many.error!.code).toBe('LLM_NO_MODEL');
    expect(many.error!.message).toMatch(/^No model was chosen, and the OpenAI-compatible server at 127\.0\.0\.1:\d+ offers 2: llama3\.1:8b, qwen2\.5:14b\.$/);
    expect(many.error!.hint).toBe('Choose one with --model or llm.model in tracks.config.yaml, e.g. --model llama3.1:8b.');
    expect(many.requests).toHaveLength(0);
  });

  it('streams: an answer that trickles in slowly is read whole, with visible waiting', async () => {
    const { result, progress, ms } = await propose([said(GOOD, { trickle: { everyMs: 5 } })], { provider: { noticeEveryMs: 100 } });
    expect(result!.proposal.assignments).toHaveLength(4);
    expect(ms).toBeGreaterThan(100);
    expect(progress.some((p) => /^openai: the answer is still arriving from OpenAI-compatible server at 127\.0\.0\.1:\d+ \(0\.\ds, \d+ characters so far\)…$/.test(p))).toBe(true);
  });

  it('retries 429 as retry-after says and 500 visibly, then succeeds', async () => {
    const { result, progress, requests } = await propose([failed(429, 'Rate limit reached', { 'retry-after': '0.05' }), failed(500, 'Internal error'), said(GOOD)]);
    expect(result!.proposal.tracks).toHaveLength(2);
    expect(requests).toHaveLength(3);
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(45);
    expect(progress).toContain('openai: rate limited (429); retrying in 0.1s (attempt 2/3)…');
    expect(progress.some((p) => p.startsWith('openai: server error (500); retrying in'))).toBe(true);
  });

  it('gives up on 500 when retries run out, and on a persistent 429, with the right codes', async () => {
    const down = await propose(() => failed(500, 'model crashed'));
    expect(down.requests).toHaveLength(3);
    expect(down.error!.code).toBe('LLM_UNAVAILABLE');
    expect(down.error!.message).toMatch(/^OpenAI-compatible server at 127\.0\.0\.1:\d+: server error \(500\) after 3 attempts: model crashed \(request id req_fake_3\)\.$/);
    const busy = await propose(() => failed(429, 'slow down', { 'retry-after-ms': '1' }));
    expect(busy.error!.code).toBe('LLM_RATE_LIMITED');
  });

  it('a 200 with an empty body is LLM_BAD_ANSWER; a context overflow is LLM_CONTEXT_EXCEEDED with a hint for local servers', async () => {
    const empty = await propose([{ body: '' }]);
    expect(empty.error!.code).toBe('LLM_BAD_ANSWER');
    expect(empty.requests).toHaveLength(1);
    expect(empty.error!.message).toMatch(/answered 200 with an empty body or an empty stream, not a completion\.$/);
    const big = await propose([failed(400, "This model's maximum context length is 4096 tokens. However, you requested 9000 tokens.")]);
    expect(big.error!.code).toBe('LLM_CONTEXT_EXCEEDED');
    expect(big.error!.hint).toMatch(/OLLAMA_CONTEXT_LENGTH/);
  });

  it('finish_reason length is LLM_TRUNCATED; a refusal is LLM_REFUSED', async () => {
    const cut = await propose([said('{"tracks": [', { finish: 'length' })]);
    expect(cut.error!.code).toBe('LLM_TRUNCATED');
    expect(cut.error!.raw).toBe('{"tracks": [');
    const no = await propose([said('', { refusal: 'I cannot help with that.' })]);
    expect(no.error!.code).toBe('LLM_REFUSED');
    expect(no.error!.message).toBe('The model declined to answer: I cannot help with that.');
  });

  it('times out a silent server per request, retrying visibly, and stops at the run deadline', async () => {
    const slow = await propose(() => ({ hang: true }), { provider: { requestTimeoutMs: 100, maxRetries: 1 } });
    expect(slow.requests).toHaveLength(2);
    expect(slow.error!.code).toBe('LLM_TIMEOUT');
    expect(slow.error!.message).toMatch(/^OpenAI-compatible server at 127\.0\.0\.1:\d+: no answer for 0\.1s after 2 attempts \(0\.[2-9]s since the run started\)\.$/);
    expect(slow.progress).toContain('openai: no answer for 0.1s; retrying in 0.0s (attempt 2/2)…');
    const trickle = await propose(() => ({ trickle: { everyMs: 20 } }), { provider: { timeoutMs: 500, requestTimeoutMs: 100 } });
    expect(trickle.ms).toBeLessThan(2_000);
    expect(trickle.error!.code).toBe('LLM_TIMEOUT');
    expect(trickle.error!.message).toMatch(/^Stopped after 0\.[5-9]s: the answer from OpenAI-compatible server at 127\.0\.0\.1:\d+ was still arriving \(\d+ characters\); the whole organize run may take at most 0\.5s \(llm\.timeout_seconds\)\.$/);
  });

  it('does not sleep past the deadline: a retry-after beyond it ends the run at once, saying why', async () => {
    const { error, requests, ms } = await propose([failed(429, 'slow down', { 'retry-after': '5' }), said(GOOD)], { provider: { timeoutMs: 1_000 } });
    expect(requests).toHaveLength(1);
    expect(ms).toBeLessThan(500);
    expect(error!.code).toBe('LLM_TIMEOUT');
    expect(error!.message).toMatch(/^Stopped after 0\.\ds: OpenAI-compatible server at 127\.0\.0\.1:\d+: rate limited \(429\), and a retry in 5\.0s would start past the deadline; the whole organize run may take at most 1\.0s \(llm\.timeout_seconds\)\.$/);
  });

  it('--max-cost does not apply to a local model, and says so', async () => {
    const { result, progress } = await propose([said(GOOD)], { propose: { maxCostUsd: 0.0001 } });
    expect(result!.proposal.tracks).toHaveLength(2);
    expect(progress).toContain('openai: --max-cost does not apply: cost unknown for a local model.');
  });

  it('aborts a pending request on Ctrl-C', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const aborted = await propose(() => ({ hang: true }), { propose: { signal: ac.signal } });
    expect(aborted.error!.code).toBe('ABORTED');
    expect(aborted.error!.exitCode).toBe(130);
    expect(aborted.ms).toBeLessThan(1_000);
  });

  it('never shows the key, even when the server echoes it in an error or an answer', async () => {
    const echo = await propose([failed(401, `Incorrect API key provided: ${KEY}.`, {}, 'invalid_request_error')]);
    expect(echo.error!.code).toBe('LLM_AUTH');
    expect(echo.error!.message).toMatch(/rejected the API key \(401\): Incorrect API key provided: \[redacted\]\. \(request id req_fake_1\)\.$/);
    expect((echo.error!.cause as Error).stack).toContain('[redacted]');
    const leaky = await propose(() => said(`the key is ${KEY}`));
    expect(leaky.error!.raw).toBe('the key is [redacted]');
    expect(leaky.error!.code).toBe('LLM_INVALID_PROPOSAL');
  });

  it('at api.openai.com: needs a key, and says so before sending anything', async () => {
    const keyless = await propose([said(GOOD)], { env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined }, provider: { baseURL: 'https://api.openai.com/v1' } });
    expect(keyless.error!.code).toBe('NO_API_KEY');
    expect(keyless.error!.hint).toMatch(/OPENAI_BASE_URL/);
    expect(keyless.requests).toHaveLength(0);
  });
});
