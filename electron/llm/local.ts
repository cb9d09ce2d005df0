import OpenAI from 'openai';
import type { GenerateOptions, LlmProvider, TurnRequest } from './types';
import type { ProviderConfig } from './router';
import { generateStructuredTurn } from './turn';
import { ParleyError } from '../../shared/errors';
import { isInsecureRemote } from '../../shared/settings';
import { capabilitiesFor, openAiChatCall } from './openai-chat';

export function localLabel(baseURL: string | undefined): string {
  return `The local endpoint${baseURL ? ` at ${baseURL}` : ''}`;
}

/**
 * Any OpenAI-compatible server (Ollama, LM Studio, vLLM, llama.cpp, gateways): base URL, model,
 * optional key. It asks for a strict JSON Schema first; a server that refuses it gets JSON mode,
 * then plain text read by the tolerant parser. What worked is remembered per base URL + model.
 */
export function createLocalProvider(config: ProviderConfig): LlmProvider {
  if (!config.baseURL) throw new Error('The local provider needs a base URL (Settings → Local endpoint).');
  // Settings refuse an unconfirmed one; this guards any other way a config is built.
  if (isInsecureRemote(config.baseURL) && !config.allowInsecureRemote) {
    throw new ParleyError('PROVIDER_AUTH', `${localLabel(config.baseURL)} is plain http to another machine; use https, or confirm plain http in Settings → Local endpoint.`);
  }
  const client = new OpenAI({
    // Always explicit: without it the SDK would send OPENAI_API_KEY from the environment to this server.
    apiKey: config.apiKey || 'no-key',
    baseURL: config.baseURL,
    maxRetries: 0,
    // Our idle watchdog (turn.ts) governs; the SDK's own timeout is only a backstop behind it.
    timeout: config.timeoutMs + 1000,
    ...(config.logger ? { logger: config.logger } : {}),
    // No key configured: send no Authorization header at all.
    ...(config.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
  });
  const capabilities = capabilitiesFor(`local|${config.baseURL}|${config.model}`, {
    mode: 'json_schema',
    temperature: true,
    streamOptions: true,
  });
  const label = localLabel(config.baseURL);
  return {
    name: 'local',
    model: config.model,
    generateTurn(request: TurnRequest, options: GenerateOptions = {}) {
      return generateStructuredTurn({
        name: 'local',
        config,
        context: { label, authFix: 'Check the endpoint and its key in Settings → Local endpoint.', secrets: [config.apiKey] },
        request,
        options,
        call: openAiChatCall({
          client,
          model: config.model,
          temperature: request.temperature,
          maxTokens: request.maxTokens,
          tokenParam: 'max_tokens',
          capabilities,
          negotiateMode: true,
        }),
      });
    },
  };
}
