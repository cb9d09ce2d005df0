import type { KeyProvider } from '../../shared/providers';
import type { KeysStatus } from '../../shared/keys';

/** API keys; they never leave the main process (or the CLI/preview host). */
export interface SecretStore {
  get(provider: KeyProvider): Promise<string | null>;
  /** Throws ParleyError KEYCHAIN_UNAVAILABLE when no secure store is reachable; never writes plaintext. */
  set(provider: KeyProvider, key: string): Promise<void>;
  delete(provider: KeyProvider): Promise<void>;
  status(): Promise<KeysStatus>;
}
