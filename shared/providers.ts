import { z } from 'zod';

/** Concrete providers that can answer a turn. */
export const ProviderName = z.enum(['openai', 'anthropic', 'local', 'offline']);
export type ProviderName = z.infer<typeof ProviderName>;

/** What a session or CLI call asks for: a concrete provider or "auto" (routing + fallback). */
export const ProviderChoice = z.enum(['auto', 'openai', 'anthropic', 'local', 'offline']);
export type ProviderChoice = z.infer<typeof ProviderChoice>;

/** Providers that need an API key kept in the keychain. */
export const KeyProvider = z.enum(['openai', 'anthropic']);
export type KeyProvider = z.infer<typeof KeyProvider>;
