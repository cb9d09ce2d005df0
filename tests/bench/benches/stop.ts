import { ParleyError } from '../../../shared/errors';
import { emptySpec } from '../../../shared/spec';
import { createAnthropicProvider } from '../../../electron/llm/anthropic';
import { createOpenAiProvider } from '../../../electron/llm/openai';
import type { LlmProvider, TurnRequest } from '../../../electron/llm/types';
import { startMockLlmServer, type MockApi, type MockLlmServer } from '../../helpers/mock-llm-server';
import type { BenchContext } from '../context';
import { median, percentile } from '../measure';
import type { BenchResult } from '../types';

const REQUEST: TurnRequest = {
  stage: 'COLLECTING_BASICS',
  system: 'You interview the user.',
  messages: [{ role: 'user', text: 'A booking agent.' }],
  spec: emptySpec(),
  awaiting: null,
  temperature: 0.7,
  maxTokens: 32_000,
};

function provider(mock: MockLlmServer, api: MockApi): LlmProvider {
  const config = { apiKey: 'sk-bench-0123456789abcdef', model: 'm', temperature: 0.7, maxTokens: 32_000, timeoutMs: 30_000 };
  return api === 'openai' ? createOpenAiProvider({ ...config, baseURL: mock.openaiBaseURL }) : createAnthropicProvider({ ...config, baseURL: mock.anthropicBaseURL });
}

/** One Stop in the middle of an endless stream: ms from abort() until the turn has failed and the socket is closed. */
async function stopOnce(mock: MockLlmServer, api: MockApi): Promise<{ ms: number; lateDeltas: number }> {
  mock.script(api, { type: 'endless', prefix: '{"reply":"', piece: 'la ' });
  const seen = mock.modelRequests(api).length;
  const controller = new AbortController();
  let deltas = 0;
  let lateDeltas = 0;
  let stoppedAt = 0;
  const turn = provider(mock, api).generateTurn(REQUEST, {
    signal: controller.signal,
    onDelta: () => {
      if (controller.signal.aborted) return void lateDeltas++;
      if (++deltas === 200) {
        stoppedAt = performance.now();
        controller.abort(new ParleyError('CANCELLED', 'The turn was stopped.'));
      }
    },
  });
  const failed = turn.then(
    () => {
      throw new Error('the endless turn answered');
    },
    (error: unknown) => {
      if (!(error instanceof ParleyError) || error.code !== 'CANCELLED') throw error;
      return performance.now();
    },
  );
  await mock.waitForRequests(seen + 1, api);
  const closed = mock.modelRequests(api)[seen]!.closedEarly.then(() => performance.now());
  const [a, b] = await Promise.all([failed, closed]);
  return { ms: Math.max(a, b) - stoppedAt, lateDeltas };
}

/** Issue 17.8's "Stop took 6.7 s": how long Stop takes in the middle of a fast endless reply, both SDKs. */
export async function stopMidStream(ctx: BenchContext): Promise<BenchResult> {
  const mock = await startMockLlmServer();
  const runs = ctx.quick ? 2 : 20;
  const samples: number[] = [];
  let late = 0;
  try {
    for (const api of ['openai', 'anthropic'] as const) {
      await stopOnce(mock, api); // warm-up: SDK load, first connection
      for (let i = 0; i < runs; i++) {
        const run = await stopOnce(mock, api);
        samples.push(run.ms);
        late += run.lateDeltas;
      }
    }
  } finally {
    await mock.close();
  }
  const sorted = [...samples].sort((x, y) => x - y);
  const p95 = percentile(sorted, 95);
  return {
    name: 'stop_mid_stream',
    unit: 'ms',
    value: Math.round(p95 * 10) / 10,
    budget: '≤ 200 ms p95; no delta after Stop',
    pass: p95 <= 200 && late === 0,
    detail: `abort() after 200 deltas of an endless mock stream (written as fast as the socket takes it) until the turn has failed with CANCELLED and the server saw the socket close; ${runs} runs per SDK (OpenAI, Anthropic) after a warm-up each; median ${median(samples).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms; ${late} deltas after Stop`,
  };
}
