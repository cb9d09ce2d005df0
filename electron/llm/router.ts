import type { Settings } from '../../shared/settings';
import type { Stage } from '../../shared/stages';
import type { KeyProvider, ProviderChoice, ProviderName } from '../../shared/providers';
import type { LlmProvider, Route } from './types';

export type { Route } from './types';
import type { RetryPolicy } from './retry';
import { withFallback } from './fallback';
import type { SdkLogger } from './sdk-log';
import { pickProviderName } from '../../shared/routing';

export interface ProviderConfig {
  apiKey?: string;
  model: string;
  baseURL?: string;
  temperature: number;
  maxTokens: number;
  /** Idle timeout per request: no byte for this long ends the attempt. */
  timeoutMs: number;
  /** The user confirmed plain http to a host other than this machine for this provider's base URL. */
  allowInsecureRemote?: boolean;
  /** Overrides of the retry policy (tests use small delays). */
  retry?: Partial<RetryPolicy>;
  /** Where the SDK's own warnings go; unset, the SDK's default (the console). */
  logger?: SdkLogger;
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

/** Which providers could answer right now, given keys and settings. */
export function availableProviders(input: Omit<RouteInput, 'stage' | 'choice'>): Set<ProviderName> {
  const out = new Set<ProviderName>();
  if (input.factories.offline) out.add('offline');
  if (input.factories.openai && input.keys.openai) out.add('openai');
  if (input.factories.anthropic && input.keys.anthropic) out.add('anthropic');
  if (input.factories.local && input.settings.localEndpoint) out.add('local');
  return out;
}

function configFor(name: ProviderName, input: RouteInput): ProviderConfig {
  const s = input.settings;
  return {
    apiKey: name === 'openai' || name === 'anthropic' ? input.keys[name] : undefined,
    model:
      name === 'openai'
        ? s.models.openai
        : name === 'anthropic'
          ? s.models.anthropic
          : name === 'local'
            ? (s.localEndpoint?.model ?? 'local')
            : 'guided-interviewer',
    // undefined lets each SDK apply its own OPENAI_BASE_URL / ANTHROPIC_BASE_URL convention
    baseURL:
      name === 'openai' ? s.baseURLs.openai : name === 'anthropic' ? s.baseURLs.anthropic : name === 'local' ? s.localEndpoint?.baseURL : undefined,
    temperature: s.temperature,
    maxTokens: s.maxTokens,
    timeoutMs: s.timeoutMs,
    allowInsecureRemote: name === 'local' ? s.localEndpoint?.allowInsecureRemote : s.baseURLs.allowInsecureRemote,
  };
}

/** Who answers when the routed network provider fails: the other keyed provider, then a local endpoint. */
export function fallbackProviderName(name: ProviderName, available: Set<ProviderName>): ProviderName | undefined {
  if (name === 'offline') return undefined;
  const order: ProviderName[] = name === 'openai' ? ['anthropic', 'local'] : name === 'anthropic' ? ['openai', 'local'] : ['openai', 'anthropic'];
  return order.find((n) => available.has(n));
}

export function route(input: RouteInput): Route {
  const available = availableProviders(input);
  const { name, reason } = pickProviderName({ stage: input.stage, choice: input.choice, routing: input.settings.routing, available });
  const factory = input.factories[name] ?? input.factories.offline;
  if (!factory) throw new Error('No provider factory is registered, not even the offline interviewer.');
  const provider = factory(configFor(name, input));
  // An explicit choice means that provider; "auto" may hand a failed turn to another one, once.
  const backup = input.choice === 'auto' && input.factories[name] ? fallbackProviderName(name, available) : undefined;
  const backupFactory = backup ? input.factories[backup] : undefined;
  if (backup && backupFactory) {
    return { provider: withFallback(provider, backupFactory(configFor(backup, input))), reason: `${reason}; ${backup} answers if ${name} fails` };
  }
  return { provider, reason };
}
