import type { ProviderConfig, ProviderFactories } from './llm/router';
import type { LlmProvider } from './llm/types';
import type { ProviderName } from '../shared/providers';
import { OFFLINE_MODEL } from './interview/offline-model';
import type { SdkLog } from './llm/sdk-log';

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

/** The offline interviewer's English NLP (compromise) costs ~0.3 s to load: it loads on its first turn, not at startup. */
function lazyOffline(): LlmProvider {
  let provider: Promise<LlmProvider> | undefined;
  return {
    name: 'offline',
    model: OFFLINE_MODEL,
    async generateTurn(request, options) {
      provider ??= import('./interview/offline').then((m) => m.createOfflineProvider());
      return (await provider).generateTurn(request, options);
    },
  };
}

/** Every provider Parley ships; with `log`, their SDKs' own warnings go there instead of the console. */
export function defaultProviderFactories(options: { log?: SdkLog } = {}): ProviderFactories {
  const withLog = (name: ProviderName, config: ProviderConfig): ProviderConfig =>
    options.log ? { ...config, logger: options.log.logger(name, [config.apiKey]) } : config;
  return {
    offline: () => lazyOffline(),
    openai: (config) => lazyProvider('openai', withLog('openai', config), async () => (await import('./llm/openai')).createOpenAiProvider),
    anthropic: (config) => lazyProvider('anthropic', withLog('anthropic', config), async () => (await import('./llm/anthropic')).createAnthropicProvider),
    local: (config) => lazyProvider('local', withLog('local', config), async () => (await import('./llm/local')).createLocalProvider),
  };
}
