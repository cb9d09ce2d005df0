import type { KeyProvider } from '../../shared/providers';
import type { KeysStatus } from '../../shared/keys';

/** API keys; they never leave the main process (or the CLI/preview host). */
export interface SecretStore {
  get(provider: KeyProvider): Promise<string | null>;
  /**
   * Throws ParleyError KEYCHAIN_UNAVAILABLE when no secure store is reachable; never writes plaintext.
   * With `sessionOnly` the key is kept in this process's memory only, never written, and
   * forgotten by `forgetSessionKeys()` (at quit).
   */
  set(provider: KeyProvider, key: string, options?: { sessionOnly?: boolean }): Promise<void>;
  delete(provider: KeyProvider): Promise<void>;
  status(): Promise<KeysStatus>;
  /** Drops every session-only key (called when the app quits); a store that cannot hold any has none. */
  forgetSessionKeys?(): void;
  /** The value of a secret a published agent's tools use (an ElevenLabs environment variable), by label; null when none is stored. */
  getToolSecret(label: string): Promise<string | null>;
  /** Stores it in the keychain (never in plain text; KEYCHAIN_UNAVAILABLE without a secure store). */
  setToolSecret(label: string, value: string): Promise<void>;
}
