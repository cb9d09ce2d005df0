import { z } from 'zod';
import { KeyProvider } from './providers';

/** "memory": given for this session only; kept in the main process, forgotten at quit. */
export const KeySource = z.enum(['keychain', 'safeStorage', 'env', 'memory']);
export type KeySource = z.infer<typeof KeySource>;

/** What the renderer may know about a key: never the key, only whether and where it is set. */
export const ProviderKeyStatus = z.object({
  provider: KeyProvider,
  set: z.boolean(),
  source: KeySource.nullable(),
  last4: z.string().max(4).nullable(),
  /** Keys from environment variables can be shown but not changed from the app. */
  readOnly: z.boolean(),
});
export type ProviderKeyStatus = z.infer<typeof ProviderKeyStatus>;

export const KeysStatus = z.object({
  /** Where keys set from the app are stored, or "none" when no secure store is reachable. */
  backend: z.enum(['keychain', 'safeStorage', 'none']),
  /** Why the backend is what it is, with a next step when it is "none". */
  backendMessage: z.string().nullable(),
  providers: z.array(ProviderKeyStatus),
});
export type KeysStatus = z.infer<typeof KeysStatus>;
