import type { ProviderName } from '../../shared/providers';
import type { ChatMessage, GenerateOptions, GenerateResult, TurnRequest, TurnResult, TurnUsageFigures, Extraction } from './types';
import type { ProviderConfig } from './router';
import { ParleyError } from '../../shared/errors';
import { AttemptTimeout, type ErrorContext } from './errors';
import { DEFAULT_RETRY_POLICY, withRetry } from './retry';
import { createReplyExtractor } from './stream-reply';
import { parseTurnText, rawTurn, repairPrompt } from './parse';
import { costUsd } from './prices';

/** One request to a model: what a provider adapter implements on top of its SDK. */
export interface CallInput {
  /** The stage prompt; the adapter appends formatInstructions() fitting how it asks for JSON. */
  system: string;
  messages: ChatMessage[];
}

export interface CallIo {
  signal: AbortSignal;
  /** Raw model text (the JSON being written) as it arrives. */
  onText: (text: string) => void;
  /** Anything arrived (a byte of headers, an event): resets the idle timeout. */
  onActivity: () => void;
}

export interface CallOutcome {
  text: string;
  usage: TurnUsageFigures;
  model: string;
}

export type ModelCall = (input: CallInput, io: CallIo) => Promise<CallOutcome>;

export interface StructuredTurnInput {
  name: ProviderName;
  config: ProviderConfig;
  context: ErrorContext;
  request: TurnRequest;
  options: GenerateOptions;
  call: ModelCall;
}

/**
 * Aborts `signal` when nothing arrives for `ms`: a hung server hits the timeout whether it
 * hangs before the headers or in the middle of a stream, while a long steady stream does not.
 */
function watchdog(outer: AbortSignal | undefined, ms: number): { signal: AbortSignal; touch: () => void; fired: () => boolean; stop: () => void } {
  const controller = new AbortController();
  let fired = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      fired = true;
      controller.abort(new AttemptTimeout(ms));
    }, ms);
  };
  const onAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener('abort', onAbort, { once: true });
  arm();
  return {
    signal: controller.signal,
    touch: () => {
      if (!fired && !controller.signal.aborted) arm();
    },
    fired: () => fired,
    stop: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Asks one model for a turn: each request under the retry policy and an idle watchdog, the
 * reply streamed as it is written, one repair request when the JSON is malformed.
 */
export async function generateStructuredTurn(input: StructuredTurnInput): Promise<GenerateResult> {
  const { config, request, options, context } = input;
  const started = performance.now();
  const policy = { ...DEFAULT_RETRY_POLICY, ...config.retry };
  let firstTokenMs: number | null = null;
  let streamedChars = 0;
  const usage: TurnUsageFigures = { inputTokens: 0, outputTokens: 0 };
  let model = config.model;

  /** One request under the retry policy; `stream` sends the reply to onDelta as it arrives. */
  const request1 = (messages: ChatMessage[], stream: boolean): Promise<CallOutcome> =>
    withRetry(
      async () => {
        const extractor = createReplyExtractor();
        const dog = watchdog(options.signal, config.timeoutMs);
        try {
          const outcome = await input.call(
            { system: request.system, messages },
            {
              signal: dog.signal,
              onActivity: dog.touch,
              onText: (text) => {
                dog.touch();
                if (!stream) return;
                const delta = extractor.push(text);
                if (!delta) return;
                firstTokenMs ??= performance.now() - started;
                streamedChars += delta.length;
                options.onDelta?.(delta);
              },
            },
          );
          // Some SDK streams end quietly on abort: an aborted attempt is never an answer.
          if (dog.signal.aborted) throw dog.fired() ? new AttemptTimeout(config.timeoutMs) : (dog.signal.reason ?? new Error('aborted'));
          usage.inputTokens += outcome.usage.inputTokens;
          usage.outputTokens += outcome.usage.outputTokens;
          model = outcome.model || model;
          return outcome;
        } catch (error) {
          if (dog.fired() && !options.signal?.aborted) throw new AttemptTimeout(config.timeoutMs);
          throw error;
        } finally {
          dog.stop();
        }
      },
      {
        policy,
        context,
        signal: options.signal,
        onStatus: options.onStatus,
        beforeRetry: () => {
          const reset = streamedChars > 0;
          streamedChars = 0;
          return reset ? { resetReply: true } : {};
        },
      },
    );

  const first = await request1(request.messages, true);
  let result: TurnResult;
  let extraction: Extraction = 'structured';
  const parsed = parseTurnText(first.text);
  if (parsed.ok) {
    result = parsed.result;
  } else {
    // One repair request stating what was wrong; the first text stays the fallback.
    const repairMessages: ChatMessage[] = [
      ...request.messages,
      { role: 'assistant', text: first.text || '(empty reply)' },
      { role: 'user', text: repairPrompt(parsed.errors) },
    ];
    let repairedText = '';
    try {
      repairedText = (await request1(repairMessages, false)).text;
    } catch (error) {
      if (!first.text.trim()) throw error;
    }
    const repaired = parseTurnText(repairedText);
    if (repaired.ok) {
      result = repaired.result;
      extraction = 'repaired';
    } else {
      const keep = first.text.trim() ? first.text : repairedText;
      if (!keep.trim()) {
        throw new ParleyError(
          'PROVIDER_UNAVAILABLE',
          `${context.label} returned an empty reply twice. Try again, or choose another provider in Settings.`,
        );
      }
      result = rawTurn(keep);
      extraction = 'failed';
    }
  }

  // A reply that could not be streamed (plain text, or only readable after repair) still reaches the chat.
  if (firstTokenMs === null && result.reply) {
    firstTokenMs = performance.now() - started;
    options.onDelta?.(result.reply);
  }

  const latencyMs = performance.now() - started;
  return {
    result,
    usage,
    model,
    provider: input.name,
    firstTokenMs: Math.round(firstTokenMs ?? latencyMs),
    latencyMs: Math.round(latencyMs),
    costUsd: costUsd(model, usage),
    extraction,
  };
}
