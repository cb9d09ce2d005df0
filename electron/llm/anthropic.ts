import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage, GenerateOptions, LlmProvider, TurnRequest } from './types';
import type { ProviderConfig } from './router';
import { assertKeyMayBeSent } from './insecure';
import { generateStructuredTurn, type CallInput, type CallIo, type CallOutcome } from './turn';
import { EmptyAnswer } from './errors';
import { boundHistory } from './history';
import { replyBudget } from './reply-budget';
import { formatInstructions, turnJsonSchema } from './schema';

export const ANTHROPIC_AUTH_FIX = 'Open Settings → API keys to replace it.';

/**
 * The Messages API wants user/assistant turns that alternate and begin with the user; the
 * session begins with our greeting, and the context window may cut anywhere.
 */
export function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  for (const m of messages) {
    const last = out[out.length - 1];
    if (last && last.role === m.role) last.content += `\n\n${m.text}`;
    else out.push({ role: m.role, content: m.text });
  }
  if (out[0]?.role === 'assistant') out.unshift({ role: 'user', content: '(The conversation begins.)' });
  return out;
}

/**
 * Claude through the Messages API with structured output (output_config.format, a JSON Schema;
 * current models reject forced tool use), streamed as text deltas of the JSON. No temperature
 * is sent: current Claude models refuse non-default sampling parameters. Base URL: Settings,
 * else the SDK's ANTHROPIC_BASE_URL, else api.anthropic.com.
 */
export function createAnthropicProvider(config: ProviderConfig): LlmProvider {
  const client = new Anthropic({
    // Never undefined: the SDK would then read ANTHROPIC_API_KEY behind the keychain's back.
    apiKey: config.apiKey ?? 'no-key-configured',
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    maxRetries: 0,
    // Our idle watchdog (turn.ts) governs; the SDK's own timeout is only a backstop behind it.
    timeout: config.timeoutMs + 1000,
    ...(config.logger ? { logger: config.logger } : {}),
  });

  function call(maxTokens: number) {
    return async (input: CallInput, io: CallIo): Promise<CallOutcome> => {
      const body: MessageCreateParamsStreaming = {
        model: config.model,
        max_tokens: maxTokens,
        system: `${input.system}\n\n${formatInstructions(false)}`,
        messages: toAnthropicMessages(boundHistory(input.messages)),
        stream: true,
        output_config: { format: { type: 'json_schema', schema: turnJsonSchema() } },
      };
      const stream = await client.messages.create(body, { signal: io.signal, maxRetries: 0 });
      io.onActivity();
      let text = '';
      let model = config.model;
      let events = 0;
      const usage = { inputTokens: 0, outputTokens: 0 };
      const textBlocks = new Set<number>();
      const budget = replyBudget(maxTokens);
      for await (const event of stream) {
        // The SDK still yields events it had already read when the turn was stopped: drop them.
        // Leaving the loop (throw or break) closes the request's socket.
        if (io.signal.aborted) break;
        events += 1;
        budget.event();
        io.onActivity();
        switch (event.type) {
          case 'message_start': {
            const u = event.message.usage;
            usage.inputTokens = u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
            usage.outputTokens = u.output_tokens;
            model = event.message.model || model;
            break;
          }
          case 'content_block_start':
            if (event.content_block.type === 'text') textBlocks.add(event.index);
            break;
          case 'content_block_delta':
            // Thinking counts against the budget too; it is just not part of the answer.
            if (event.delta.type === 'text_delta') budget.text(event.delta.text);
            else if (event.delta.type === 'thinking_delta') budget.text(event.delta.thinking);
            if (event.delta.type === 'text_delta' && textBlocks.has(event.index)) {
              text += event.delta.text;
              io.onText(event.delta.text);
            }
            break;
          case 'message_delta':
            usage.outputTokens = event.usage.output_tokens;
            if (typeof event.usage.input_tokens === 'number') {
              usage.inputTokens =
                event.usage.input_tokens + (event.usage.cache_creation_input_tokens ?? 0) + (event.usage.cache_read_input_tokens ?? 0);
            }
            break;
          default:
            break;
        }
      }
      if (events === 0) throw new EmptyAnswer('the server answered without a single stream event');
      return { text, usage, model };
    };
  }

  return {
    name: 'anthropic',
    model: config.model,
    async generateTurn(request: TurnRequest, options: GenerateOptions = {}) {
      if (config.apiKey) assertKeyMayBeSent('Anthropic', client.baseURL, config.allowInsecureRemote);
      return generateStructuredTurn({
        name: 'anthropic',
        config,
        context: { label: 'Anthropic', authFix: ANTHROPIC_AUTH_FIX, secrets: [config.apiKey] },
        request,
        options,
        call: call(request.maxTokens),
      });
    },
  };
}
