/**
 * A scripted stand-in for an OpenAI-compatible server (OpenAI, Ollama, LM
 * Studio, vLLM, llama.cpp) on 127.0.0.1, for the real `openai` SDK to talk to
 * (baseURL / OPENAI_BASE_URL). Each chat completion gets the next reply of the
 * script, streamed as server-sent events when the request asks to stream;
 * GET /v1/models lists `models`. Every request is recorded.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeRequest } from './fake-anthropic.js';

/** Requests are recorded as the Anthropic fake records them. */
export type { FakeRequest };

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** The model's answer text (an object is JSON-encoded): a full completion, streamed when asked. */
  answer?: unknown;
  finish?: string | null;
  /** Token counts; null sends none (a server that does not count). */
  usage?: { prompt_tokens?: number; completion_tokens?: number; cached_tokens?: number } | null;
  refusal?: string;
  /** A raw body (JSON value or text) with `status`, for errors. */
  body?: unknown;
  /** Never answer (for timeouts). */
  hang?: boolean;
  /** Stream the answer in pieces, one every `everyMs`; with no answer, send spaces until the client gives up. */
  trickle?: { everyMs: number };
  /** Start a 200 event stream that fails with this error object. */
  streamError?: Record<string, unknown>;
}

export type Script = FakeReply[] | ((req: FakeRequest) => FakeReply);

export interface FakeOptions {
  /** What GET /v1/models lists. */
  models?: string[];
  /** Refuse response_format with a 400, as servers without structured output do (not counted as a scripted reply). */
  rejectResponseFormat?: boolean;
}

export interface Fake {
  /** The base URL, ending in /v1. */
  url: string;
  requests: FakeRequest[];
  /** Chat completion requests only. */
  chats(): FakeRequest[];
  close(): Promise<void>;
}

export async function startFakeOpenAI(script: Script, o: FakeOptions = {}): Promise<Fake> {
  const requests: FakeRequest[] = [];
  const open = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let chat = 0;
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const r: FakeRequest = { n: requests.length + 1, method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, body, at: Date.now() };
    requests.push(r);
    open.add(res);
    res.on('close', () => open.delete(res));
    const id = { 'x-request-id': `req_fake_${r.n}` };
    if (req.method === 'GET' && r.url.endsWith('/models')) {
      if (!o.models) return json(res, 404, { error: { message: 'Not Found', type: 'invalid_request_error' } }, id);
      return json(res, 200, { object: 'list', data: o.models.map((m) => ({ id: m, object: 'model', created: 0, owned_by: 'fake' })) }, id);
    }
    if (o.rejectResponseFormat && body?.response_format) {
      return json(res, 400, { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this server.", type: 'invalid_request_error', param: 'response_format', code: null } }, id);
    }
    chat++;
    const reply: FakeReply = Array.isArray(script) ? (script[chat - 1] ?? { status: 500, body: { error: { message: `fake: no reply scripted for request ${chat}`, type: 'server_error' } } }) : script(r);
    if (reply.hang) return;
    if (reply.streamError) {
      res.writeHead(200, { 'content-type': 'text/event-stream', ...id });
      res.end(`data: ${JSON.stringify({ error: reply.streamError })}\n\n`);
      return;
    }
    if (reply.status && reply.status !== 200) return json(res, reply.status, reply.body ?? {}, { ...id, ...reply.headers });
    if (reply.body !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json', ...id, ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      return;
    }
    const text = reply.answer === undefined ? undefined : typeof reply.answer === 'string' ? reply.answer : JSON.stringify(reply.answer);
    const model = String(body?.model ?? 'fake-model');
    const usage = reply.usage === null ? undefined : usageOf(reply.usage);
    if (body?.stream !== true) {
      return json(res, 200, {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: 0,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text ?? '', refusal: reply.refusal ?? null }, finish_reason: reply.finish === undefined ? 'stop' : reply.finish }],
        ...(usage ? { usage } : {}),
      }, { ...id, ...reply.headers });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', ...id, ...reply.headers });
    const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    const tail = () =>
      chunk({}, reply.finish === undefined ? 'stop' : reply.finish) +
      (usage && body?.stream_options?.include_usage ? `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\n` : '') +
      'data: [DONE]\n\n';
    if (reply.trickle) {
      res.write(chunk({ role: 'assistant', content: '' }));
      const pieces = text === undefined ? [] : (text.match(/[\s\S]{1,8}/g) ?? []);
      const t = setInterval(() => {
        if (res.destroyed) return void clearInterval(t);
        if (text === undefined) return void res.write(chunk({ content: ' ' }));
        const p = pieces.shift();
        if (p !== undefined) return void res.write(chunk({ content: p }));
        clearInterval(t);
        timers.delete(t);
        res.end(tail());
      }, reply.trickle.everyMs);
      timers.add(t);
      return;
    }
    const t = text ?? '';
    const third = Math.ceil(t.length / 3);
    res.end(
      chunk({ role: 'assistant', content: '' }) +
        (reply.refusal ? chunk({ refusal: reply.refusal }) : '') +
        [t.slice(0, third), t.slice(third, 2 * third), t.slice(2 * third)].filter(Boolean).map((p) => chunk({ content: p })).join('') +
        tail(),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    chats: () => requests.filter((r) => r.url.endsWith('/chat/completions')),
    close: () =>
      new Promise<void>((ok) => {
        for (const t of timers) clearInterval(t);
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function usageOf(u: FakeReply['usage']) {
  const prompt = u?.prompt_tokens ?? 1000;
  const completion = u?.completion_tokens ?? 200;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: u?.cached_tokens ?? 0 } };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A 200 reply carrying `answer` as the model's text. */
export const said = (answer: unknown, o: Omit<FakeReply, 'answer'> = {}): FakeReply => ({ answer, ...o });

/** An error reply in OpenAI's shape. */
export const failed = (status: number, message: string, headers: Record<string, string> = {}, type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error'): FakeReply => ({
  status,
  headers,
  body: { error: { message, type, param: null, code: null } },
});
