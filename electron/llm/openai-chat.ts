import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { EmptyAnswer } from './errors';
import { boundHistory } from './history';
import { replyBudget, type ReplyBudget } from './reply-budget';
import { formatInstructions, turnJsonSchema, TURN_SCHEMA_NAME } from './schema';
import type { CallInput, CallIo, CallOutcome, ModelCall } from './turn';

/** How the request asks for JSON: strict schema, JSON mode, or not at all (tolerant parser). */
export type ChatMode = 'json_schema' | 'json_object' | 'text';

/** What a server accepted, remembered per base URL + model so that a refusal costs one request once. */
export interface ChatCapabilities {
  mode: ChatMode;
  temperature: boolean;
  streamOptions: boolean;
}

const capabilitiesByEndpoint = new Map<string, ChatCapabilities>();

export function capabilitiesFor(key: string, initial: ChatCapabilities): ChatCapabilities {
  let caps = capabilitiesByEndpoint.get(key);
  if (!caps) {
    caps = { ...initial };
    capabilitiesByEndpoint.set(key, caps);
  }
  return caps;
}

export interface ChatCallConfig {
  client: OpenAI;
  model: string;
  temperature: number;
  maxTokens: number;
  /** OpenAI's current name is max_completion_tokens; most local servers know only max_tokens. */
  tokenParam: 'max_completion_tokens' | 'max_tokens';
  capabilities: ChatCapabilities;
  /** Downgrade to JSON mode, then plain text, when the server rejects structured output. */
  negotiateMode: boolean;
}

function statusOf(error: unknown): number | undefined {
  const s = error && typeof error === 'object' ? (error as { status?: unknown }).status : undefined;
  return typeof s === 'number' ? s : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Adjusts capabilities after a 400/422 that names what the server refused; returns false when
 * there is nothing left to drop (the error then goes to the retry policy as it is).
 */
function adapt(caps: ChatCapabilities, error: unknown, negotiateMode: boolean): boolean {
  const status = statusOf(error);
  if (status !== 400 && status !== 422) return false;
  const text = messageOf(error);
  if (caps.temperature && /temperature/i.test(text)) {
    caps.temperature = false;
    return true;
  }
  if (caps.streamOptions && /stream_options|include_usage/i.test(text)) {
    caps.streamOptions = false;
    return true;
  }
  if (caps.mode !== 'text' && (negotiateMode || /response_format|json_schema|json_object/i.test(text))) {
    caps.mode = caps.mode === 'json_schema' ? 'json_object' : 'text';
    return true;
  }
  return false;
}

function toMessages(input: CallInput, mode: ChatMode): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: `${input.system}\n\n${formatInstructions(mode !== 'json_schema')}` },
    ...boundHistory(input.messages).map((m): ChatCompletionMessageParam => ({ role: m.role, content: m.text })),
  ];
}

export function openAiChatCall(config: ChatCallConfig): ModelCall {
  const caps = config.capabilities;
  return async (input: CallInput, io: CallIo): Promise<CallOutcome> => {
    for (;;) {
      const body: ChatCompletionCreateParamsStreaming = {
        model: config.model,
        messages: toMessages(input, caps.mode),
        stream: true,
        ...(caps.streamOptions ? { stream_options: { include_usage: true } } : {}),
        ...(config.tokenParam === 'max_completion_tokens' ? { max_completion_tokens: config.maxTokens } : { max_tokens: config.maxTokens }),
        ...(caps.temperature ? { temperature: config.temperature } : {}),
        ...(caps.mode === 'json_schema'
          ? { response_format: { type: 'json_schema', json_schema: { name: TURN_SCHEMA_NAME, strict: true, schema: turnJsonSchema() } } }
          : caps.mode === 'json_object'
            ? { response_format: { type: 'json_object' } }
            : {}),
      };
      try {
        return await streamOnce(config.client, body, io, replyBudget(config.maxTokens));
      } catch (error) {
        if (!io.signal.aborted && adapt(caps, error, config.negotiateMode)) continue;
        throw error;
      }
    }
  };
}

async function streamOnce(client: OpenAI, body: ChatCompletionCreateParamsStreaming, io: CallIo, budget: ReplyBudget): Promise<CallOutcome> {
  const stream = await client.chat.completions.create(body, { signal: io.signal, maxRetries: 0 });
  io.onActivity();
  let text = '';
  let model = body.model;
  let chunks = 0;
  let refusal = '';
  const usage = { inputTokens: 0, outputTokens: 0 };
  for await (const chunk of stream) {
    // The SDK still yields events it had already read when the turn was stopped: drop them.
    // Leaving the loop (throw or break) closes the request's socket.
    if (io.signal.aborted) break;
    chunks += 1;
    budget.event();
    io.onActivity();
    if (chunk.model) model = chunk.model;
    if (chunk.usage) {
      usage.inputTokens = chunk.usage.prompt_tokens ?? 0;
      usage.outputTokens = chunk.usage.completion_tokens ?? 0;
    }
    const delta = chunk.choices[0]?.delta;
    if (delta?.content) {
      budget.text(delta.content);
      text += delta.content;
      io.onText(delta.content);
    }
    if (delta?.refusal) {
      budget.text(delta.refusal);
      refusal += delta.refusal;
    }
  }
  // A 200 that carried no events at all is a broken proxy or a wrong content type, not an answer.
  if (chunks === 0) throw new EmptyAnswer('the server answered without a single stream event');
  if (!text && refusal) text = JSON.stringify({ reply: refusal });
  return { text, usage, model };
}
