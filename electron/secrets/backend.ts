import type { KeyProvider } from '../../shared/providers';

/** Where keys set from the app are kept: the OS keychain (keytar) or an Electron safeStorage file. */
export interface KeyBackend {
  readonly kind: 'keychain' | 'safeStorage';
  get(provider: KeyProvider): Promise<string | null>;
  set(provider: KeyProvider, key: string): Promise<void>;
  delete(provider: KeyProvider): Promise<void>;
}

/** Either a working backend or the reason there is none (shown to the user as backendMessage). */
export type BackendProbe = { ok: true; backend: KeyBackend; message: string | null } | { ok: false; reason: string };

/** Removes every occurrence of `secret` from a message: a key must never reach an error or a log. */
export function redact(message: string, ...secrets: Array<string | null | undefined>): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
