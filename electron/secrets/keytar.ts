import { createRequire } from 'node:module';
import { describeError, redact, type BackendProbe, type KeyBackend } from './backend';

export const KEYCHAIN_SERVICE = 'Parley';

/** The part of keytar Parley uses. */
export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export const NO_KEYCHAIN_HELP =
  'Start your desktop session\'s keyring (on Linux a Secret Service such as gnome-keyring or KWallet, reachable over D-Bus; ' +
  'in a headless shell: dbus-run-session -- bash, then echo -n PASSWORD | gnome-keyring-daemon --unlock --components=secrets), ' +
  'or set OPENAI_API_KEY / ANTHROPIC_API_KEY / ELEVENLABS_API_KEY in the environment.';

/** keytar is an optionalDependency with a native part; it may be missing or fail to load. */
export function loadKeytar(): { ok: true; keytar: KeytarModule } | { ok: false; reason: string } {
  try {
    const require = createRequire(import.meta.url);
    const mod = require('keytar') as KeytarModule & { default?: KeytarModule };
    const keytar = typeof mod.getPassword === 'function' ? mod : mod.default;
    if (!keytar || typeof keytar.getPassword !== 'function') return { ok: false, reason: 'the keytar module has an unexpected shape' };
    return { ok: true, keytar };
  } catch (error) {
    return { ok: false, reason: `the keytar module is not available (${describeError(error).split('\n')[0]})` };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function keytarBackend(keytar: KeytarModule, timeoutMs = 10_000): KeyBackend {
  const guard = async <T>(what: string, op: () => Promise<T>, key?: string): Promise<T> => {
    try {
      return await withTimeout(op(), timeoutMs, 'The OS keychain');
    } catch (error) {
      throw new Error(`The OS keychain refused to ${what}: ${redact(describeError(error), key)}`);
    }
  };
  return {
    kind: 'keychain',
    get: (account: string) => guard('read a key', () => keytar.getPassword(KEYCHAIN_SERVICE, account)),
    set: (provider, key) => guard('store a key', () => keytar.setPassword(KEYCHAIN_SERVICE, provider, key), key),
    delete: async (provider) => {
      await guard('remove a key', () => keytar.deletePassword(KEYCHAIN_SERVICE, provider));
    },
  };
}

/**
 * Loads keytar and makes one harmless read, so that an unreachable keychain (no D-Bus session:
 * "Cannot autolaunch D-Bus without X11 $DISPLAY", a locked or absent Secret Service) is found
 * at start-up rather than when the user saves a key.
 */
export async function probeKeytar(load: typeof loadKeytar = loadKeytar, timeoutMs = 5_000): Promise<BackendProbe> {
  const loaded = load();
  if (!loaded.ok) return { ok: false, reason: loaded.reason };
  const backend = keytarBackend(loaded.keytar, timeoutMs);
  try {
    await backend.get('openai');
    return { ok: true, backend, message: null };
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  }
}
