/**
 * A scripted stand-in for the Anthropic Messages API on 127.0.0.1, for the
 * real SDK to talk to (baseURL / ANTHROPIC_BASE_URL). Each request gets the
 * next reply of the script; every request is recorded with headers and body.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  n: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  /** Arrival time (ms since the epoch). */
  at: number;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON value, or raw text. A message body is sent as SSE when the request asked to stream. */
  body?: unknown;
  /** Never answer (for timeouts). */
  hang?: boolean;
  /** Start a 200 event stream that fails with this error event. */
  streamError?: { type: string; message: string };
  /** Start a 200 event stream, then send a one-space text delta every `everyMs` until the client gives up. */
  trickle?: { everyMs: number };
}

export type Script = FakeReply[] | ((req: FakeRequest) => FakeReply);

export interface Fake {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export async function startFake(script: Script): Promise<Fake> {
  const requests: FakeRequest[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
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
    const reply: FakeReply = Array.isArray(script)
      ? (script[r.n - 1] ?? { status: 500, body: apiErrorBody('api_error', `fake: no reply scripted for request ${r.n}`) })
      : script(r);
    if (reply.hang) {
      hanging.add(res);
      return;
    }
    if (reply.trickle) {
      hanging.add(res);
      const m = message('');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_fake_${r.n}` });
      res.write(ev('message_start', { type: 'message_start', message: { ...m, content: [], stop_reason: null } }));
      res.write(ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } }));
      const t = setInterval(() => {
        if (res.destroyed) return void clearInterval(t);
        res.write(ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' ' } }));
      }, reply.trickle.everyMs);
      timers.add(t);
      return;
    }
    if (reply.streamError) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_fake_${r.n}` });
      res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error: reply.streamError })}\n\n`);
      return;
    }
    const status = reply.status ?? 200;
    const headers = { 'request-id': `req_fake_${r.n}`, ...reply.headers };
    const isMessage = status === 200 && typeof reply.body === 'object' && (reply.body as any)?.type === 'message';
    if (isMessage && body?.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
      res.end(sse(reply.body as any));
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {}));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        for (const t of timers) clearInterval(t);
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export interface MessageOptions {
  stop_reason?: string;
  stop_details?: unknown;
  usage?: Partial<Record<'input_tokens' | 'output_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens', number>>;
  /** Content blocks placed before the text (e.g. a thinking block). */
  before?: unknown[];
}

/** A full Message body whose only text block is `text` (an object is JSON-encoded). */
export function message(text: unknown, o: MessageOptions = {}) {
  return {
    id: 'msg_fake_01',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-5-5',
    content: [...(o.before ?? []), { type: 'text', text: typeof text === 'string' ? text : JSON.stringify(text), citations: null }],
    stop_reason: o.stop_reason ?? 'end_turn',
    stop_sequence: null,
    stop_details: o.stop_details ?? null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: 1000,
      output_tokens: 200,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens_details: { thinking_tokens: 0 },
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
      inference_geo: null,
      ...o.usage,
    },
  };
}

/** A 200 reply carrying `text` as the model's answer. */
export const ok = (text: unknown, o: MessageOptions = {}): FakeReply => ({ body: message(text, o) });

export function apiErrorBody(type: string, msg: string) {
  return { type: 'error', error: { type, message: msg } };
}

export const apiError = (status: number, type: string, msg: string, headers: Record<string, string> = {}): FakeReply => ({
  status,
  headers,
  body: apiErrorBody(type, msg),
});

const ev = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

function sse(m: any): string {
  const text: string = m.content.find((b: any) => b.type === 'text')?.text ?? '';
  const half = Math.ceil(text.length / 2);
  return [
    ev('message_start', { type: 'message_start', message: { ...m, content: [], stop_reason: null, usage: { ...m.usage, output_tokens: 1 } } }),
    ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } }),
    ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(0, half) } }),
    ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(half) } }),
    ev('content_block_stop', { type: 'content_block_stop', index: 0 }),
    ev('message_delta', { type: 'message_delta', delta: { stop_reason: m.stop_reason, stop_sequence: null, stop_details: m.stop_details }, usage: { output_tokens: m.usage.output_tokens } }),
    ev('message_stop', { type: 'message_stop' }),
  ].join('');
}
