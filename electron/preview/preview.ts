import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { ProviderChoice } from '../../shared/providers';
import { createBackend } from '../backend';
import { createNodeSecretStore, type SecretStore } from '../secrets';
import { ensureRendererBuilt } from './build';
import { acquireDataLock } from '../fs/data-lock';
import { startServer } from './server';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface PreviewOptions {
  dataDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Every new session uses this provider unless the renderer picks one (e.g. "offline" for tests). */
  provider?: ProviderChoice;
  /** Build out/renderer when missing or older than its sources (default true). */
  build?: boolean;
  /** Defaults to <repo>/out/renderer. */
  rendererDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Defaults to the same store the CLI uses (keychain, else the file fallback) under dataDir. */
  secrets?: SecretStore;
  /** Unexpected service errors (not user input) go here; default: stderr. */
  onInternalError?: (channel: string, error: unknown) => void;
}

export interface Preview {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  /** Closes the sockets and the server, then waits for running turns and pending writes. */
  close(): Promise<void>;
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** The browser preview: the app's own backend in Node, the built renderer and a WebSocket bridge on loopback. */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const dataDir = resolve(options.dataDir);
  if (options.build !== false) await ensureRendererBuilt(REPO_ROOT);
  await mkdir(dataDir, { recursive: true });
  const lock = await acquireDataLock(dataDir, 'preview');
  let backend;
  try {
    const secrets = options.secrets ?? (await createNodeSecretStore({ dataDir, env: options.env ?? process.env }));
    const env = options.env ?? process.env;
    // As in the CLI: $ELEVENLABS_BASE_URL points Publish and the key test at another API (a proxy, a mock).
    backend = await createBackend({ dataDir, host: 'preview', version: packageVersion(), secrets, dataLock: lock, elevenLabsBaseUrl: env.ELEVENLABS_BASE_URL || undefined });
  } catch (error) {
    await lock.release();
    throw error;
  }
  let server;
  try {
    server = await startServer({
      rendererDir: options.rendererDir ?? join(REPO_ROOT, 'out', 'renderer'),
      port: options.port,
      handlers: backend.handlers,
      onEvent: (listener) => backend.onEvent(listener),
      defaultProvider: options.provider,
      onInternalError: options.onInternalError ?? ((channel, error) => console.error(`[preview] ${channel}:`, error)),
    });
  } catch (error) {
    await backend.close();
    await lock.release();
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    url: server.url,
    port: server.port,
    token: server.token,
    dataDir,
    close() {
      closing ??= server
        .close()
        .then(() => backend.close())
        .finally(() => lock.release());
      return closing;
    },
  };
}
