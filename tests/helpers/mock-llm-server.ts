/**
 * A local stand-in for the OpenAI Chat Completions and Anthropic Messages APIs, speaking their
 * real wire formats (JSON and SSE) on 127.0.0.1, with scripted faults. Point an SDK at it with
 * `baseURL: server.openaiBaseURL` / `server.anthropicBaseURL`.
 *
 * Each incoming model request takes the next scripted step of its API (or `fallbackStep`);
 * every request is recorded, including whether the client closed the socket before the
 * response was complete (what a cancelled or timed-out SDK call looks like on the wire).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type MockApi = 'openai' | 'anthropic';

export type MockStep =
  /** A normal answer whose assistant text is `text` (JSON, fenced JSON, prose, anything). */
  | {
      type: 'reply';
      text: string;
      /** Size of each streamed piece, in characters (default 8). */
      chunkSize?: number;
      /** Pause between streamed pieces. */
      delayMs?: number;
      /** After this many pieces, wait for `until` before sending the rest (test-visible streaming). */
      holdAfterChunks?: number;
      until?: Promise<unknown>;
      usage?: { inputTokens: number; outputTokens: number };
      model?: string;
    }
  /** An HTTP error in the API's own error format (429 + retry-after, 500, 529, 401, ...). */
  | { type: 'error'; status: number; headers?: Record<string, string>; message?: string }
  /** Accepts the request and never answers. */
  | { type: 'hang' }
  /** Starts the stream, sends part of the text, then destroys the connection. */
  | { type: 'reset'; text: string; afterChars: number }
  /** A 200 whose body (or SSE data) is not valid JSON. */
  | { type: 'malformed' }
  /** A 200 with an HTML body and content type. */
  | { type: 'wrong-content-type' }
  /**
   * A stream that never ends: `prefix` (e.g. '{"reply":"'), then `piece` again and again, as
   * fast as the socket takes it, until the client closes the connection.
   */
  | { type: 'endless'; prefix?: string; piece?: string; /** Pause between pieces (default none: as fast as the socket takes them). */ pauseMs?: number };

export interface RecordedRequest {
  api: MockApi | 'other';
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | null;
  stream: boolean;
  /** True once the client closed the connection before the response ended. */
  clientClosed: boolean;
  /** Resolves when the client closes the connection before the response ended. */
  closedEarly: Promise<void>;
  /** Response body bytes written so far (to the socket's buffers; the client may not have read them all). */
  bytesSent: number;
  /** Stream events (SSE messages) written so far. */
  eventsSent: number;
}

export interface MockLlmServer {
  readonly url: string;
  /** `${url}/v1`, what the openai SDK expects as baseURL. */
  readonly openaiBaseURL: string;
  /** `url`, what the Anthropic SDK expects as baseURL (it appends /v1/messages). */
  readonly anthropicBaseURL: string;
  readonly requests: RecordedRequest[];
  /** Model requests only (chat completions / messages), in arrival order. */
  modelRequests(api?: MockApi): RecordedRequest[];
  /** Queues steps for an API; each model request takes one. */
  script(api: MockApi, ...steps: MockStep[]): void;
  /** What a model request gets when its queue is empty (default: 500 "no scripted response"). */
  fallbackStep: Partial<Record<MockApi, MockStep>>;
  /** Model ids that `GET /models/{id}` knows; unset means every id is known. */
  knownModels?: string[];
  /** Resolves when `count` model requests have arrived. */
  waitForRequests(count: number, api?: MockApi): Promise<void>;
  close(): Promise<void>;
}

/** A promise with its resolver, for holding a stream open until the test has seen something. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** The given object as a markdown-fenced JSON block, the way chatty models answer. */
export function fenced(value: unknown): string {
  return '```json\n' + JSON.stringify(value, null, 2) + '\n```';
}

/** The given object inside prose, as a model without JSON mode tends to answer. */
export function proseWrapped(value: unknown): string {
  return `Sure! Here is the result you asked for:\n\n${JSON.stringify(value)}\n\nLet me know if anything else is needed.`;
}

function chunksOf(text: string, size: number): string[] {
  const out: string[] = [];
  // Split by code points so that the wire never carries half a surrogate pair in one event.
  const points = Array.from(text);
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(''));
  return out.length ? out : [''];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function apiOf(path: string, headers: IncomingMessage['headers']): MockApi | 'other' {
  if (path.endsWith('/chat/completions')) return 'openai';
  if (path.endsWith('/messages')) return 'anthropic';
  if (/\/models(\/|$)/.test(path)) return headers['anthropic-version'] || headers['x-api-key'] ? 'anthropic' : 'openai';
  return 'other';
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(api: MockApi, status: number, message: string): unknown {
  if (api === 'anthropic') {
    const type =
      status === 401
        ? 'authentication_error'
        : status === 403
          ? 'permission_error'
          : status === 429
            ? 'rate_limit_error'
            : status === 529
              ? 'overloaded_error'
              : status >= 500
                ? 'api_error'
                : 'invalid_request_error';
    return { type: 'error', error: { type, message } };
  }
  const type = status === 401 ? 'invalid_request_error' : status === 429 ? 'rate_limit_exceeded' : 'server_error';
  return { error: { message, type, param: null, code: status === 401 ? 'invalid_api_key' : null } };
}

export async function startMockLlmServer(): Promise<MockLlmServer> {
  const queues: Record<MockApi, MockStep[]> = { openai: [], anthropic: [] };
  const requests: RecordedRequest[] = [];
  const waiters: Array<{ count: number; api?: MockApi; resolve: () => void }> = [];
  const sockets = new Set<Socket>();
  let counter = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'mock failure' } });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const mock: MockLlmServer = {
    url: '',
    openaiBaseURL: '',
    anthropicBaseURL: '',
    requests,
    fallbackStep: {},
    modelRequests(api) {
      return requests.filter((r) => (api ? r.api === api : r.api !== 'other') && !/\/models/.test(r.path));
    },
    script(api, ...steps) {
      queues[api].push(...steps);
    },
    waitForRequests(count, api) {
      if (mock.modelRequests(api).length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, api, resolve }));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function notify(): void {
    for (const w of [...waiters]) {
      if (mock.modelRequests(w.api).length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const raw = await readBody(req);
    let body: Record<string, unknown> | null = null;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    let markClosed = (): void => {};
    const closedEarly = new Promise<void>((resolve) => {
      markClosed = resolve;
    });
    const record: RecordedRequest = {
      api: apiOf(path, req.headers),
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
      stream: body?.stream === true,
      clientClosed: false,
      closedEarly,
      bytesSent: 0,
      eventsSent: 0,
    };
    res.on('close', () => {
      if (!res.writableFinished) {
        record.clientClosed = true;
        markClosed();
      }
    });
    requests.push(record);
    notify();

    if (record.api === 'other') return sendJson(res, 404, { error: { message: `mock: no route for ${path}` } });
    const api = record.api;

    if (/\/models(\/|$)/.test(path)) return answerModels(api, path, res);

    const step: MockStep = queues[api].shift() ??
      mock.fallbackStep[api] ?? { type: 'error', status: 500, message: 'mock: no scripted response' };
    const model = typeof body?.model === 'string' ? body.model : 'mock-model';
    counter += 1;
    await play(api, step, record, res, model, counter);
  }

  function answerModels(api: MockApi, path: string, res: ServerResponse): void {
    const id = decodeURIComponent(path.split('/models/')[1] ?? '');
    const queued = queues[api][0];
    if (queued?.type === 'error') {
      queues[api].shift();
      return sendJson(res, queued.status, errorBody(api, queued.status, queued.message ?? 'error'), queued.headers);
    }
    const describe = (m: string): unknown =>
      api === 'openai'
        ? { id: m, object: 'model', created: 1_700_000_000, owned_by: 'mock' }
        : { id: m, type: 'model', display_name: m, created_at: '2026-01-01T00:00:00Z' };
    if (!id) {
      const data = (mock.knownModels ?? ['mock-model']).map(describe);
      return sendJson(res, 200, api === 'openai' ? { object: 'list', data } : { data, has_more: false, first_id: null, last_id: null });
    }
    if (mock.knownModels && !mock.knownModels.includes(id)) {
      return sendJson(res, 404, errorBody(api, 404, `The model '${id}' does not exist`));
    }
    return sendJson(res, 200, describe(id));
  }

  async function play(api: MockApi, step: MockStep, record: RecordedRequest, res: ServerResponse, model: string, n: number): Promise<void> {
    switch (step.type) {
      case 'error':
        return sendJson(res, step.status, errorBody(api, step.status, step.message ?? `mock error ${step.status}`), step.headers);
      case 'hang':
        return; // never answer; the client's timeout or abort closes the socket
      case 'wrong-content-type': {
        const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(html);
        return;
      }
      case 'malformed':
        if (record.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(api === 'anthropic' ? 'event: message_start\ndata: {"type": "message_start", "message": {\n\n' : 'data: {"id": "x", "choices": [\n\n');
          res.end();
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id": "broken", "choices": [');
        }
        return;
      case 'reset': {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const writer = sseWriter(api, res, model, n, 100, record);
        writer.start();
        for (const piece of chunksOf(step.text.slice(0, step.afterChars), 4)) writer.delta(piece);
        await sleep(20);
        res.socket?.destroy();
        return;
      }
      case 'reply':
        return reply(api, step, record, res, model, n);
      case 'endless': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const writer = sseWriter(api, res, model, n, 100, record);
        writer.start();
        if (step.prefix) writer.delta(step.prefix);
        const piece = step.piece ?? 'la ';
        while (!record.clientClosed && !res.destroyed) {
          if (step.pauseMs) await new Promise((resolve) => setTimeout(resolve, step.pauseMs));
          // Fill the socket's buffer, then wait until it drains (or the client goes away).
          if (!writer.delta(piece)) {
            await new Promise<void>((resolve) => {
              const done = () => {
                res.off('drain', done);
                res.off('close', done);
                resolve();
              };
              res.once('drain', done);
              res.once('close', done);
            });
          }
        }
        return;
      }
    }
  }

  async function reply(
    api: MockApi,
    step: Extract<MockStep, { type: 'reply' }>,
    record: RecordedRequest,
    res: ServerResponse,
    model: string,
    n: number,
  ): Promise<void> {
    const usage = step.usage ?? { inputTokens: 100, outputTokens: 50 };
    const answeredModel = step.model ?? model;
    if (!record.stream) {
      if (api === 'openai') {
        return sendJson(res, 200, {
          id: `chatcmpl-mock-${n}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: answeredModel,
          choices: [{ index: 0, message: { role: 'assistant', content: step.text, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
        });
      }
      return sendJson(res, 200, {
        id: `msg_mock_${n}`,
        type: 'message',
        role: 'assistant',
        model: answeredModel,
        content: [{ type: 'text', text: step.text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const writer = sseWriter(api, res, answeredModel, n, usage.inputTokens, record);
    writer.start();
    const pieces = chunksOf(step.text, step.chunkSize ?? 8);
    for (let i = 0; i < pieces.length; i++) {
      if (record.clientClosed) return;
      writer.delta(pieces[i] ?? '');
      if (step.holdAfterChunks !== undefined && i + 1 === step.holdAfterChunks && step.until) await step.until;
      if (step.delayMs) await sleep(step.delayMs);
    }
    if (record.clientClosed) return;
    writer.finish(usage, record.body);
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  Object.assign(mock, { url, openaiBaseURL: `${url}/v1`, anthropicBaseURL: url });
  return mock;
}

function sseWriter(api: MockApi, res: ServerResponse, model: string, n: number, inputTokens = 100, record?: RecordedRequest) {
  const created = Math.floor(Date.now() / 1000);
  /** Writes one SSE message; false when the socket's buffer is full (wait for 'drain'). */
  const write = (text: string): boolean => {
    if (record) {
      record.bytesSent += Buffer.byteLength(text);
      record.eventsSent += 1;
    }
    return res.write(text);
  };
  const event = (name: string, data: unknown): boolean => write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  const chunk = (data: unknown): boolean => write(`data: ${JSON.stringify(data)}\n\n`);
  const openaiChunk = (delta: Record<string, unknown>, finish: string | null): unknown => ({
    id: `chatcmpl-mock-${n}`,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  return {
    start(): void {
      if (api === 'openai') chunk(openaiChunk({ role: 'assistant', content: '' }, null));
      else {
        event('message_start', {
          type: 'message_start',
          message: {
            id: `msg_mock_${n}`,
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: inputTokens, output_tokens: 1 },
          },
        });
        event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
        event('ping', { type: 'ping' });
      }
    },
    delta(text: string): boolean {
      if (api === 'openai') return chunk(openaiChunk({ content: text }, null));
      return event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
    },
    finish(usage: { inputTokens: number; outputTokens: number }, body: Record<string, unknown> | null): void {
      if (api === 'openai') {
        chunk(openaiChunk({}, 'stop'));
        const options = body?.stream_options as { include_usage?: boolean } | undefined;
        if (options?.include_usage) {
          chunk({
            id: `chatcmpl-mock-${n}`,
            object: 'chat.completion.chunk',
            created,
            model,
            choices: [],
            usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
          });
        }
        res.write('data: [DONE]\n\n');
      } else {
        event('content_block_stop', { type: 'content_block_stop', index: 0 });
        event('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: usage.outputTokens },
        });
        event('message_stop', { type: 'message_stop' });
      }
    },
  };
}
