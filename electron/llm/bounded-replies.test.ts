/**
 * Issue 17.8: an endless stream was read for 40 s and a 5.4 MB reply kept despite maxTokens 2048;
 * the next request resent it all; Stop took 6.7 s. Real SDKs against the mock server's endless
 * stream (as fast as the socket takes it), asserting on what was emitted and on the socket, not
 * on the clock: the bench stop_mid_stream measures the time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockLlmServer, type MockApi, type MockLlmServer, type RecordedRequest } from '../../tests/helpers/mock-llm-server';
import { ParleyError } from '../../shared/errors';
import { MAX_HISTORY_BYTES, replyCharCap, replyEventCap } from '../../shared/limits';
import { emptySpec } from '../../shared/spec';
import { createAnthropicProvider } from './anthropic';
import { withFallback } from './fallback';
import { boundHistory } from './history';
import { createOpenAiProvider } from './openai';
import type { ProviderConfig } from './router';
import type { ChatMessage, TurnRequest } from './types';

const KEY = 'sk-test-SECRET-0123456789abcdef';
const good = JSON.stringify({ reply: 'Which tone should it have?', extracted: [], stage_complete: null, awaiting: 'tone', intent: { approve: null, no_more_tools: null, go_back_to: null } });

let mock: MockLlmServer;
beforeEach(async () => {
  mock = await startMockLlmServer();
});
afterEach(async () => {
  await mock.close();
});

function request(maxTokens: number, messages: ChatMessage[] = [{ role: 'user', text: 'A booking agent.' }]): TurnRequest {
  return { stage: 'COLLECTING_BASICS', system: 'You interview the user.', messages, spec: emptySpec(), awaiting: null, temperature: 0.7, maxTokens };
}
const config = (over: Partial<ProviderConfig>): ProviderConfig => ({
  apiKey: KEY,
  model: 'm',
  temperature: 0.7,
  maxTokens: 2048,
  timeoutMs: 20_000,
  retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
  ...over,
});
const make = (api: MockApi) =>
  api === 'openai' ? createOpenAiProvider(config({ baseURL: mock.openaiBaseURL })) : createAnthropicProvider(config({ baseURL: mock.anthropicBaseURL }));

/** Resolves "runaway" once the server has written `bytes`: what an unbounded reader allows, instead of hanging until the test times out. */
function runaway(record: () => RecordedRequest | undefined, bytes: number): Promise<'runaway'> {
  return new Promise((resolve) => {
    const check = () => ((record()?.bytesSent ?? 0) > bytes ? resolve('runaway') : setTimeout(check, 20));
    check();
  });
}

describe.each(['openai', 'anthropic'] as const)('%s: bounded replies', (api) => {
  it('stops an endless reply at the cap derived from maxTokens, as a provider error, and closes the socket', async () => {
    mock.script(api, { type: 'endless', prefix: '{"reply":"', piece: 'la la la la la la la la la la la la la la ' });
    const cap = replyCharCap(64);
    let streamed = 0;
    const turn = make(api).generateTurn(request(64), { onDelta: (d) => (streamed += d.length) });
    const outcome = await Promise.race([turn.then(() => 'answered' as const, (e: unknown) => e), runaway(() => mock.modelRequests(api)[0], 20_000_000)]);
    expect(outcome).toBeInstanceOf(ParleyError);
    const error = outcome as ParleyError;
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.message).toMatch(new RegExp(`longer than ${cap.toLocaleString('en-US')} characters, far more than the 64-token limit allows, so Parley stopped reading it`));
    expect(streamed).toBeLessThanOrEqual(cap);
    expect(streamed).toBeGreaterThan(cap / 2); // it did read until the cap
    // Not retried (a server that ignored max_tokens will do it again), and the connection is gone.
    expect(mock.modelRequests(api)).toHaveLength(1);
    await mock.modelRequests(api)[0]!.closedEarly;
  });

  it('stops an endless stream of empty events too, at the event cap', async () => {
    mock.script(api, { type: 'endless', prefix: '{"reply":"', piece: '' });
    const turn = make(api).generateTurn(request(64));
    const outcome = await Promise.race([turn.then(() => 'answered' as const, (e: unknown) => e), runaway(() => mock.modelRequests(api)[0], 20_000_000)]);
    expect(outcome).toBeInstanceOf(ParleyError);
    expect((outcome as ParleyError).message).toMatch(new RegExp(`longer than ${replyEventCap(64).toLocaleString('en-US')} stream events`));
    await mock.modelRequests(api)[0]!.closedEarly;
  });

  it('Stop takes effect mid-stream: no delta after the abort, and the socket is closed', async () => {
    mock.script(api, { type: 'endless', prefix: '{"reply":"', piece: 'la ' });
    const controller = new AbortController();
    let before = 0;
    let after = 0;
    const turn = make(api).generateTurn(request(32_000), {
      signal: controller.signal,
      onDelta: () => {
        if (controller.signal.aborted) return void after++;
        if (++before === 20) controller.abort(new ParleyError('CANCELLED', 'The turn was stopped.'));
      },
    });
    const error = await turn.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).code).toBe('CANCELLED');
    expect(before).toBe(20);
    expect(after).toBe(0);
    const record = mock.modelRequests(api)[0]!;
    await record.closedEarly;
    // The server stopped writing once the socket closed: its count no longer grows.
    const sent = record.eventsSent;
    await new Promise((r) => setImmediate(r));
    expect(record.eventsSent).toBe(sent);
    expect(mock.modelRequests(api)).toHaveLength(1);
  });

  it('sends at most MAX_HISTORY_BYTES of history, the newest kept', async () => {
    mock.script(api, { type: 'reply', text: good });
    const big = (i: number): ChatMessage => ({ role: i % 2 ? 'assistant' : 'user', text: `message ${i} ${'x'.repeat(100_000)}` });
    const messages = [...Array.from({ length: 10 }, (_, i) => big(i)), { role: 'user' as const, text: 'And the tone is warm.' }];
    const result = await make(api).generateTurn(request(512, messages));
    expect(result.result.reply).toBe('Which tone should it have?');
    const body = mock.modelRequests(api)[0]!.body as { messages: Array<{ content: string }> };
    const sent = body.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('');
    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(MAX_HISTORY_BYTES + 4096); // + the system prompt (OpenAI)
    expect(sent).toContain('And the tone is warm.');
    expect(sent).toContain('message 9 ');
    expect(sent).not.toContain('message 0 ');
  });
});

it('an endless reply counts as a provider failure: another provider answers', async () => {
  mock.script('openai', { type: 'endless', prefix: '{"reply":"', piece: 'la ' });
  mock.script('anthropic', { type: 'reply', text: good });
  const statuses: string[] = [];
  const result = await withFallback(make('openai'), make('anthropic')).generateTurn(request(64), { onStatus: (s) => statuses.push(s.message) });
  expect(result.provider).toBe('anthropic');
  expect(result.notice).toMatch(/OpenAI sent a reply longer than/);
  expect(statuses[0]).toMatch(/longer than .* Anthropic is answering instead/);
});

describe('boundHistory', () => {
  const m = (text: string, role: 'user' | 'assistant' = 'user'): ChatMessage => ({ role, text });
  it('keeps whole messages newest first, cuts the one that straddles the bound, drops older ones', () => {
    const out = boundHistory([m('z'.repeat(100)), m('a'.repeat(5000), 'assistant'), m('b'.repeat(5000)), m('c'.repeat(3000))], 10_000);
    expect(out.map((x) => [x.role, x.text[0], x.text.length <= 5000])).toEqual([
      ['assistant', 'a', true],
      ['user', 'b', true],
      ['user', 'c', true],
    ]);
    expect(out[0]!.text).toMatch(/^a+\n\[… \d[\d,]* more characters left out\]$/);
    expect(out.slice(1).map((x) => x.text.length)).toEqual([5000, 3000]);
    expect(out.reduce((n, x) => n + Buffer.byteLength(JSON.stringify(x.text)), 0)).toBeLessThanOrEqual(10_000);
  });
  it('always keeps the current message, and leaves short histories alone', () => {
    const short = [m('hi', 'assistant'), m('hello')];
    expect(boundHistory(short, 10_000)).toEqual(short);
    expect(boundHistory([m('x'), m('y'.repeat(20_000))], 10_000).map((x) => x.text.length)).toEqual([20_000]);
  });
  it('never ends a cut on half a character, and counts JSON escapes', () => {
    const out = boundHistory([m('😀'.repeat(3000)), m('ok')], 2000)[0]!.text;
    expect(out).toMatch(/^(😀)+\n\[…/u);
    const escaped = boundHistory([m('\u0001'.repeat(3000)), m('ok')], 2000)[0]!.text;
    expect(Buffer.byteLength(JSON.stringify(escaped))).toBeLessThanOrEqual(2000);
  });
});
