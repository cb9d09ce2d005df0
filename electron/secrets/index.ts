import type { SecretStore } from './types';
import { composeSecretStore } from './secret-store';
import { NO_KEYCHAIN_HELP, loadKeytar, probeKeytar } from './keytar';
import { probeSafeStorage, type SafeStorageAdapter } from './safe-storage';

export type { SecretStore } from './types';
export type { SafeStorageAdapter } from './safe-storage';
export { ENV_VARS } from './secret-store';
export { KEYCHAIN_SERVICE } from './keytar';

export interface NodeSecretStoreOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** For tests: how keytar is loaded. */
  loadKeytar?: typeof loadKeytar;
}

/**
 * CLI and preview (plain Node): the OS keychain through keytar, or no store at all, in which case
 * `set` refuses with KEYCHAIN_UNAVAILABLE. Never a plaintext file.
 */
export async function createNodeSecretStore(opts: NodeSecretStoreOptions): Promise<SecretStore> {
  const probe = await probeKeytar(opts.loadKeytar);
  return composeSecretStore({ probe, env: opts.env ?? process.env, unavailableHelp: NO_KEYCHAIN_HELP });
}

export interface AppSecretStoreOptions extends NodeSecretStoreOptions {
  safeStorage: SafeStorageAdapter;
}

/** The desktop app: the OS keychain, falling back to an Electron safeStorage file in the data dir. */
export async function createAppSecretStore(opts: AppSecretStoreOptions): Promise<SecretStore> {
  const keychain = await probeKeytar(opts.loadKeytar);
  const env = opts.env ?? process.env;
  if (keychain.ok) return composeSecretStore({ probe: keychain, env, unavailableHelp: NO_KEYCHAIN_HELP });
  const fallback = probeSafeStorage({ dataDir: opts.dataDir, safeStorage: opts.safeStorage });
  if (fallback.ok) {
    return composeSecretStore({
      probe: { ...fallback, message: `The OS keychain is not reachable (${keychain.reason}).` },
      env,
      unavailableHelp: NO_KEYCHAIN_HELP,
    });
  }
  return composeSecretStore({
    probe: { ok: false, reason: `${keychain.reason}; ${fallback.reason}` },
    env,
    unavailableHelp: NO_KEYCHAIN_HELP,
  });
}
