import type { ProviderConfig, ProviderFactories } from './llm/router';
import type { LlmProvider } from './llm/types';
import type { ProviderName } from '../shared/providers';
import { createOfflineProvider } from './interview/offline';

/**
 * A provider whose SDK loads on its first turn. Importing `openai` and `@anthropic-ai/sdk` costs
 * ~0.9 s at startup (measured by the cold_start_preview bench), which every launch would pay
 * even when the offline interviewer answers or no turn is ever sent.
 */
function lazyProvider(name: ProviderName, config: ProviderConfig, load: () => Promise<(config: ProviderConfig) => LlmProvider>): LlmProvider {
  let provider: Promise<LlmProvider> | undefined;
  return {
    name,
    model: config.model,
    async generateTurn(request, options) {
      provider ??= load().then((create) => create(config));
      return (await provider).generateTurn(request, options);
    },
  };
}

/** Every provider Parley ships. */
export function defaultProviderFactories(): ProviderFactories {
  return {
    offline: () => createOfflineProvider(),
    openai: (config) => lazyProvider('openai', config, async () => (await import('./llm/openai')).createOpenAiProvider),
    anthropic: (config) => lazyProvider('anthropic', config, async () => (await import('./llm/anthropic')).createAnthropicProvider),
    local: (config) => lazyProvider('local', config, async () => (await import('./llm/local')).createLocalProvider),
  };
}
