import type { Settings } from '../../shared/settings';
import type { Stage } from '../../shared/stages';
import type { KeyProvider, ProviderChoice, ProviderName } from '../../shared/providers';
import type { LlmProvider } from './types';

export interface ProviderConfig {
  apiKey?: string;
  model: string;
  baseURL?: string;
  temperature: number;
  maxTokens: number;
  timeoutMs: number;
}

/** How to build each provider; a provider without a factory is simply unavailable. */
export type ProviderFactories = Partial<Record<ProviderName, (config: ProviderConfig) => LlmProvider>>;

export interface RouteInput {
  stage: Stage;
  choice: ProviderChoice;
  settings: Settings;
  /** Keys that are set, by provider (values stay in this process). */
  keys: Partial<Record<KeyProvider, string>>;
  factories: ProviderFactories;
}

export interface Route {
  provider: LlmProvider;
  /** Why this provider answers (e.g. "routed", "fallback: no anthropic key", "no key configured"). */
  reason: string;
}

/** Which providers could answer right now, given keys and settings. */
export function availableProviders(input: Omit<RouteInput, 'stage' | 'choice'>): Set<ProviderName> {
  const out = new Set<ProviderName>();
  if (input.factories.offline) out.add('offline');
  if (input.factories.openai && input.keys.openai) out.add('openai');
  if (input.factories.anthropic && input.keys.anthropic) out.add('anthropic');
  if (input.factories.local && input.settings.localEndpoint) out.add('local');
  return out;
}

/**
 * Picks the provider for a stage: an explicit choice when it can answer; otherwise the
 * routing table, then the other keyed provider, then a local endpoint, then offline.
 */
export function pickProviderName(input: Omit<RouteInput, 'factories'> & { available: Set<ProviderName> }): {
  name: ProviderName;
  reason: string;
} {
  const { stage, choice, settings, available } = input;
  if (choice !== 'auto') {
    if (available.has(choice)) return { name: choice, reason: `chosen: ${choice}` };
  }
  const routed = settings.routing[stage];
  if (routed && available.has(routed)) return { name: routed, reason: 'routed' };
  const order: ProviderName[] = ['openai', 'anthropic', 'local'];
  for (const name of order) {
    if (available.has(name)) {
      return { name, reason: `fallback: ${routed ?? 'routed provider'} is not configured` };
    }
  }
  return { name: 'offline', reason: 'no LLM provider is configured; the offline guided interviewer answers' };
}

export function route(input: RouteInput): Route {
  const available = availableProviders(input);
  const { name, reason } = pickProviderName({ ...input, available });
  const factory = input.factories[name] ?? input.factories.offline;
  if (!factory) throw new Error('No provider factory is registered, not even the offline interviewer.');
  const s = input.settings;
  const config: ProviderConfig = {
    apiKey: name === 'openai' || name === 'anthropic' ? input.keys[name] : undefined,
    model:
      name === 'openai'
        ? s.models.openai
        : name === 'anthropic'
          ? s.models.anthropic
          : name === 'local'
            ? (s.localEndpoint?.model ?? 'local')
            : 'guided-interviewer',
    baseURL:
      name === 'openai' ? s.baseURLs.openai : name === 'anthropic' ? s.baseURLs.anthropic : s.localEndpoint?.baseURL,
    temperature: s.temperature,
    maxTokens: s.maxTokens,
    timeoutMs: s.timeoutMs,
  };
  return { provider: factory(config), reason };
}
