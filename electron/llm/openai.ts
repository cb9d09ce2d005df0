import OpenAI from 'openai';
import type { GenerateOptions, LlmProvider, TurnRequest } from './types';
import type { ProviderConfig } from './router';
import { assertKeyMayBeSent } from './insecure';
import { generateStructuredTurn } from './turn';
import { capabilitiesFor, openAiChatCall } from './openai-chat';

export const OPENAI_AUTH_FIX = 'Open Settings → API keys to replace it.';

/**
 * OpenAI Chat Completions with strict structured outputs, streamed. Base URL: Settings, else
 * the SDK's own OPENAI_BASE_URL, else api.openai.com.
 */
export function createOpenAiProvider(config: ProviderConfig): LlmProvider {
  const client = new OpenAI({
    // Never undefined: the SDK would then read OPENAI_API_KEY from the environment behind the keychain's back.
    apiKey: config.apiKey ?? 'no-key-configured',
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    maxRetries: 0,
    // Our idle watchdog (turn.ts) governs; the SDK's own timeout is only a backstop behind it.
    timeout: config.timeoutMs + 1000,
    ...(config.logger ? { logger: config.logger } : {}),
  });
  const capabilities = capabilitiesFor(`openai|${client.baseURL}|${config.model}`, {
    mode: 'json_schema',
    temperature: true,
    streamOptions: true,
  });
  return {
    name: 'openai',
    model: config.model,
    async generateTurn(request: TurnRequest, options: GenerateOptions = {}) {
      if (config.apiKey) assertKeyMayBeSent('OpenAI', client.baseURL, config.allowInsecureRemote);
      return generateStructuredTurn({
        name: 'openai',
        config,
        context: { label: 'OpenAI', authFix: OPENAI_AUTH_FIX, secrets: [config.apiKey] },
        request,
        options,
        call: openAiChatCall({
          client,
          model: config.model,
          temperature: request.temperature,
          maxTokens: request.maxTokens,
          tokenParam: 'max_completion_tokens',
          capabilities,
          negotiateMode: false,
        }),
      });
    },
  };
}
