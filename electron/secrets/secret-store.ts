import { ParleyError } from '../../shared/errors';
import type { KeysStatus, ProviderKeyStatus } from '../../shared/keys';
import { KeyProvider } from '../../shared/providers';
import { describeError, redact, toolSecretAccount, type BackendProbe, type KeyBackend } from './backend';
import type { SecretStore } from './types';

export const ENV_VARS: Record<KeyProvider, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  elevenlabs: 'ELEVENLABS_API_KEY',
};

const last4 = (key: string) => key.slice(-4);

function checkKey(key: string): string {
  const clean = key.trim();
  // The key itself is never echoed back: only its shape is described.
  if (clean.length < 8 || clean.length > 500) throw new ParleyError('INVALID_INPUT', 'An API key must be 8 to 500 characters long.');
  if (/\s/.test(clean)) throw new ParleyError('INVALID_INPUT', 'An API key cannot contain spaces or line breaks; paste only the key.');
  return clean;
}

/**
 * Keys from the backend, or read-only from the environment. Precedence: a key stored through
 * Parley wins over the environment variable (the status message says when one hides the other),
 * because the stored key is the one the user chose in the app.
 */
export function composeSecretStore(opts: { probe: BackendProbe; env: NodeJS.ProcessEnv; unavailableHelp: string }): SecretStore {
  const backend: KeyBackend | null = opts.probe.ok ? opts.probe.backend : null;
  const envKey = (provider: KeyProvider): string | null => {
    const value = opts.env[ENV_VARS[provider]]?.trim();
    return value ? value : null;
  };
  let runtimeProblem: string | null = null;
  /** Keys given "for this session only": in this process's memory, never written anywhere. */
  const sessionKeys = new Map<KeyProvider, string>();

  const stored = async (provider: KeyProvider): Promise<string | null> => {
    if (!backend) return null;
    try {
      return await backend.get(provider);
    } catch (error) {
      runtimeProblem = describeError(error);
      return null;
    }
  };

  const refuse = (): never => {
    const reason = opts.probe.ok ? '' : ` (${opts.probe.reason})`;
    throw new ParleyError('KEYCHAIN_UNAVAILABLE', `No OS keychain is reachable${reason}, so Parley will not store the key: it never writes keys in plain text. ${opts.unavailableHelp}`);
  };

  return {
    async get(provider) {
      return sessionKeys.get(provider) ?? (await stored(provider)) ?? envKey(provider);
    },
    async set(provider, key, options) {
      const clean = checkKey(key);
      if (options?.sessionOnly) {
        sessionKeys.set(provider, clean);
        return;
      }
      if (!backend) refuse();
      try {
        await backend!.set(provider, clean);
      } catch (error) {
        throw new ParleyError('KEYCHAIN_UNAVAILABLE', `${redact(describeError(error), clean, key)}. ${opts.unavailableHelp}`);
      }
    },
    async getToolSecret(label) {
      if (!backend) return null;
      return backend.get(toolSecretAccount(label));
    },
    async setToolSecret(label, value) {
      if (!value.trim()) throw new ParleyError('INVALID_INPUT', `The value of ${label} is empty.`);
      if (!backend) refuse();
      try {
        await backend!.set(toolSecretAccount(label), value);
      } catch (error) {
        throw new ParleyError('KEYCHAIN_UNAVAILABLE', `${redact(describeError(error), value)}. ${opts.unavailableHelp}`);
      }
    },
    async delete(provider) {
      sessionKeys.delete(provider);
      if (!backend) return; // nothing can have been stored
      try {
        await backend.delete(provider);
      } catch (error) {
        throw new ParleyError('KEYCHAIN_UNAVAILABLE', `${describeError(error)}. ${opts.unavailableHelp}`);
      }
    },
    async status(): Promise<KeysStatus> {
      const providers: ProviderKeyStatus[] = [];
      const notes: string[] = [];
      // Any key that cannot be read now is reported, not only the last one read.
      runtimeProblem = null;
      for (const provider of KeyProvider.options) {
        const fromBackend = await stored(provider);
        const fromEnv = envKey(provider);
        const forSession = sessionKeys.get(provider);
        if (forSession) {
          providers.push({ provider, set: true, source: 'memory', last4: last4(forSession), readOnly: false });
        } else if (fromBackend) {
          providers.push({ provider, set: true, source: backend!.kind, last4: last4(fromBackend), readOnly: false });
          if (fromEnv) notes.push(`${provider}: the stored key is used; ${ENV_VARS[provider]} is also set and ignored.`);
        } else if (fromEnv) {
          providers.push({ provider, set: true, source: 'env', last4: last4(fromEnv), readOnly: true });
        } else {
          providers.push({ provider, set: false, source: null, last4: null, readOnly: false });
        }
      }
      let backendMessage: string | null;
      if (!backend) backendMessage = `No OS keychain is reachable${opts.probe.ok ? '' : ` (${opts.probe.reason})`}. ${opts.unavailableHelp}`;
      else if (runtimeProblem) backendMessage = `${runtimeProblem}. ${opts.unavailableHelp}`;
      else {
        const where = backend.kind === 'keychain' ? 'Keys are stored in the OS keychain (service "Parley").' : 'Keys are stored encrypted with Electron safeStorage in the data folder.';
        backendMessage = [opts.probe.ok ? opts.probe.message : null, where, ...notes].filter(Boolean).join(' ');
      }
      return { backend: backend ? backend.kind : 'none', backendMessage, providers };
    },
    forgetSessionKeys() {
      sessionKeys.clear();
    },
  };
}
