import type { KeyProvider } from '../../shared/providers';
import type { KeysStatus } from '../../shared/keys';
import type { Settings } from '../../shared/settings';
import type { SecretStore } from '../secrets/types';
import type { SdkLog } from '../llm/sdk-log';

/** API keys as the Settings screen sees them: status after every change, and a live check. */
export interface KeyService {
  status(): Promise<KeysStatus>;
  /** sessionOnly: kept in this process's memory until quit, never written. */
  set(provider: KeyProvider, key: string, options?: { sessionOnly?: boolean }): Promise<KeysStatus>;
  clear(provider: KeyProvider): Promise<KeysStatus>;
  /** Checks a key (the one given, else the stored one) against its provider. */
  test(provider: KeyProvider, key: string | undefined): Promise<{ ok: boolean; message: string }>;
}

export function createKeyService(deps: { secrets: SecretStore; getSettings: () => Promise<Settings>; sdkLog?: SdkLog; elevenLabsBaseUrl?: string }): KeyService {
  const { secrets } = deps;
  return {
    status: () => secrets.status(),
    async set(provider, key, options) {
      await secrets.set(provider, key, options);
      return secrets.status();
    },
    async clear(provider) {
      await secrets.delete(provider);
      return secrets.status();
    },
    async test(provider, key) {
      const candidate = key ?? (await secrets.get(provider));
      const label = provider === 'openai' ? 'OpenAI' : provider === 'anthropic' ? 'Anthropic' : 'ElevenLabs';
      if (!candidate) return { ok: false, message: `No ${label} key is set. Add one in Settings → API keys.` };
      if (provider === 'elevenlabs') {
        const { testElevenLabsKey } = await import('./publish'); // loads the SDK only when asked
        return testElevenLabsKey(candidate, { baseUrl: deps.elevenLabsBaseUrl });
      }
      const { testKey } = await import('../llm/test-key'); // loads the SDKs only when asked
      return testKey(provider, candidate, await deps.getSettings(), { logger: deps.sdkLog?.logger(provider, [candidate]) });
    },
  };
}
