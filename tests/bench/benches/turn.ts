import type { Backend } from '../../../electron/backend';
import type { LlmProvider, TurnRequest } from '../../../electron/llm/types';
import { makeSession } from '../../../electron/store/fixtures';
import { startBackend } from '../backend';
import type { BenchContext } from '../context';
import { median, sample } from '../measure';
import type { BenchResult } from '../types';

/** What the provider receives, in tokens, estimated the usual way: characters ÷ 4. */
export function requestTokens(request: TurnRequest): number {
  return Math.ceil(JSON.stringify(request).length / 4);
}

/**
 * A provider that answers at once, streaming a fixture-length reply in two pieces and proposing
 * one field, so that every rule of the turn (merge, threshold, transitions, awaiting) runs.
 * It records the time spent inside it, which the turn's figure excludes.
 */
function instantProvider(replies: string[]) {
  const state = { insideMs: 0, requests: [] as TurnRequest[] };
  let n = 0;
  const provider: LlmProvider = {
    name: 'offline',
    model: 'bench-instant',
    async generateTurn(request, options = {}) {
      const started = performance.now();
      state.requests.push(request);
      const reply = replies[n++ % replies.length] ?? 'OK.';
      const half = Math.floor(reply.length / 2);
      options.onDelta?.(reply.slice(0, half));
      options.onDelta?.(reply.slice(half));
      const result = {
        result: { reply, extracted: { tone: { value: n % 2 ? 'warm, concise' : 'friendly, concise', confidence: 0.9 } }, awaiting: null, intent: {} },
        usage: { inputTokens: requestTokens(request), outputTokens: Math.ceil(reply.length / 4) },
        model: 'bench-instant',
      };
      state.insideMs += performance.now() - started;
      return result;
    },
  };
  return { provider, state };
}

/** Sends one turn through the backend's own turn:send handler and waits for its turn:done event. */
async function turn(backend: Backend, sessionId: string, text: string): Promise<void> {
  let resolveDone: () => void = () => undefined;
  let rejectDone: (e: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  let turnId = '';
  const off = backend.onEvent((event, payload) => {
    const p = payload as { turnId?: string; error?: { message: string } };
    if (event === 'turn:done' && p.turnId === turnId) resolveDone();
    if (event === 'turn:error' && p.turnId === turnId) rejectDone(new Error(`turn failed: ${p.error?.message}`));
  });
  try {
    ({ turnId } = await backend.handlers['turn:send']({ sessionId, text }));
    await done;
  } finally {
    off();
  }
}

const userTexts = (seed: number) => makeSession(seed).messages.filter((m) => m.role === 'user').map((m) => m.text);
const replyTexts = (seed: number) => makeSession(seed).messages.filter((m) => m.role === 'assistant').map((m) => m.text);

export async function turnOverhead(ctx: BenchContext): Promise<BenchResult> {
  const dir = await ctx.parleyData(ctx.sizes.many);
  const { provider, state } = instantProvider(replyTexts(3));
  const backend = await startBackend(dir, { offline: () => provider });
  const texts = userTexts(4);
  // A few sessions in turn, as a person switches between designs (within the store's cache of recent sessions).
  const sessions = Array.from({ length: 4 }, (_, i) => makeSession(100 + i).id);
  let n = 0;
  // Where the time goes: the store's calls are timed by wrapping them (the orchestrator calls them through this object).
  const inStore = { save: 0, get: 0 };
  const store = backend.sessions;
  const save = store.save.bind(store);
  const journal = store.journal.bind(store);
  const get = store.get.bind(store);
  store.journal = async (session) => {
    const t = performance.now();
    try {
      return await journal(session);
    } finally {
      inStore.save += performance.now() - t;
    }
  };
  store.save = async (session) => {
    const t = performance.now();
    try {
      return await save(session);
    } finally {
      inStore.save += performance.now() - t;
    }
  };
  store.get = async (id) => {
    const t = performance.now();
    try {
      return await get(id);
    } finally {
      inStore.get += performance.now() - t;
    }
  };
  const split = { save: [] as number[], get: [] as number[] };
  try {
    await backend.sessions.flush(); // the background check of the 10,000 files is not a turn's cost
    const figures = await sample('turn', async () => {
      const i = n++;
      const before = { provider: state.insideMs, save: inStore.save, get: inStore.get };
      const started = performance.now();
      await turn(backend, sessions[i % sessions.length]!, texts[i % texts.length]!);
      const total = performance.now() - started - (state.insideMs - before.provider);
      split.save.push(inStore.save - before.save);
      split.get.push(inStore.get - before.get);
      return total;
    }, { iterations: Math.max(ctx.sizes.iterations, 20), warmup: ctx.sizes.warmup + 3 });
    const savesMs = median(split.save);
    const getsMs = median(split.get);
    return {
      name: 'turn_overhead',
      unit: 'ms',
      value: figures.median,
      budget: '≤ 2 ms median',
      pass: figures.median <= 2,
      detail: `turn:send → turn:done on 60-message sessions among ${ctx.sizes.many}, minus the time inside an instant provider; p95 ${figures.p95.toFixed(2)} ms, min ${(figures.samples[0] ?? Number.NaN).toFixed(2)} ms; per turn (medians): saves (two journal appends with fdatasync: the user message, then the reply and the new state; the file is rewritten after the burst) ${savesMs.toFixed(2)} ms, store.get ${getsMs.toFixed(2)} ms, everything else (context, routing, merge, rules, events) ≈ ${Math.max(0, figures.median - savesMs - getsMs).toFixed(2)} ms`,
    };
  } finally {
    await backend.close();
  }
}

export async function promptGrowth(ctx: BenchContext): Promise<BenchResult> {
  const dir = await ctx.scratch('prompt-growth');
  const { provider, state } = instantProvider(replyTexts(11));
  const backend = await startBackend(dir, { offline: () => provider });
  const turns = ctx.sizes.promptTurns;
  const early = Math.max(1, Math.round(turns / 10));
  try {
    // A session whose spec is already complete (3 tools), so only the conversation grows.
    const seed = makeSession(12, { messages: 1 });
    const session = await backend.sessions.create({ ...seed, stage: 'CONFIGURING_TOOLS', awaiting: null });
    const texts = userTexts(13);
    for (let t = 0; t < turns; t++) await turn(backend, session.id, texts[t % texts.length]!);
    const at = (k: number) => state.requests[k - 1]!;
    const value = requestTokens(at(turns));
    const baseline = requestTokens(at(early));
    // The naive context: the same request carrying every message so far.
    const stored = await backend.sessions.get(session.id);
    const whole = (k: number) => {
      const history = stored.messages.filter((m) => m.role !== 'notice').slice(0, 1 + 2 * (k - 1) + 1);
      return requestTokens({ ...at(k), messages: history.map((m) => ({ role: m.role === 'user' ? 'user' : 'assistant', text: m.text })) });
    };
    const ratio = value / baseline;
    return {
      name: 'prompt_growth',
      unit: 'tokens',
      value,
      baseline,
      ratio,
      budget: 'ratio ≤ 1.5',
      pass: ratio <= 1.5,
      detail: `request received by the provider at turn ${turns} ÷ turn ${early} (characters ÷ 4; ${at(turns).messages.length} messages sent at turn ${turns}); a whole-history context would be ${whole(turns)} ÷ ${whole(early)} = ${(whole(turns) / whole(early)).toFixed(1)}×`,
    };
  } finally {
    await backend.close();
  }
}
