import { createBackend, type Backend } from '../../electron/backend';
import { dispatch } from '../../electron/rpc';
import type { ProviderFactories } from '../../electron/llm/router';
import { composeSecretStore } from '../../electron/secrets/secret-store';
import type { Envelope } from '../../shared/errors';
import type { ListResult } from '../../electron/store/types';

/** The page the session browser asks for first (renderer/src/App.tsx LIST_LIMIT). */
export const FIRST_PAGE = 200;

/** A backend as the app builds it, with no keychain and no keys (benches inject providers). */
export function startBackend(dataDir: string, providerFactories?: ProviderFactories): Promise<Backend> {
  const secrets = composeSecretStore({ probe: { ok: false, reason: 'benchmark: no keychain' }, env: {}, unavailableHelp: '' });
  return createBackend({ dataDir, host: 'cli', version: '0.0.0-bench', secrets, ...(providerFactories ? { providerFactories } : {}) });
}

function unwrap<T>(envelope: Envelope): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as T;
}

/** sessions:list through the same dispatcher IPC and the preview bridge use (input validated). */
export async function listThroughIpc(backend: Backend, input: { search?: string; offset?: number; limit?: number }): Promise<ListResult> {
  return unwrap<ListResult>(await dispatch(backend.handlers, 'sessions:list', input));
}
