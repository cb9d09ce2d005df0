import type { ProviderFactories } from './router';
import { createOfflineProvider } from './offline';
import { createOpenAiProvider } from './openai';
import { createAnthropicProvider } from './anthropic';
import { createLocalProvider } from './local';

/** Every provider Parley ships. */
export function defaultProviderFactories(): ProviderFactories {
  return {
    offline: () => createOfflineProvider(),
    openai: (config) => createOpenAiProvider(config),
    anthropic: (config) => createAnthropicProvider(config),
    local: (config) => createLocalProvider(config),
  };
}
