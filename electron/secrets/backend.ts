/**
 * Where keys set from the app are kept: the OS keychain (keytar) or an Electron safeStorage file.
 * An account is a key provider ("openai") or a tool secret's account (toolSecretAccount).
 */
export interface KeyBackend {
  readonly kind: 'keychain' | 'safeStorage';
  get(account: string): Promise<string | null>;
  set(account: string, key: string): Promise<void>;
  delete(account: string): Promise<void>;
}

/** The keychain account of a tool secret Publish creates in ElevenLabs (its environment-variable label). */
export function toolSecretAccount(label: string): string {
  return `elevenlabs-secret:${label}`;
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
