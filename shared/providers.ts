import { z } from 'zod';

/** Concrete providers that can answer a turn. */
export const ProviderName = z.enum(['openai', 'anthropic', 'local', 'offline']);
export type ProviderName = z.infer<typeof ProviderName>;

/** What a session or CLI call asks for: a concrete provider or "auto" (routing + fallback). */
export const ProviderChoice = z.enum(['auto', 'openai', 'anthropic', 'local', 'offline']);
export type ProviderChoice = z.infer<typeof ProviderChoice>;

/** Services whose API key is kept in the keychain: the interview's model providers, and ElevenLabs for Publish. */
export const KeyProvider = z.enum(['openai', 'anthropic', 'elevenlabs']);
export type KeyProvider = z.infer<typeof KeyProvider>;

/** The keys the interview's model providers use (ElevenLabs' key is for Publish only). */
export type ModelKeyProvider = Exclude<KeyProvider, 'elevenlabs'>;
