import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import { KeysStatus } from '../../shared/keys';
import { createAppSecretStore, createNodeSecretStore } from './index';
import type { KeytarModule, loadKeytar } from './keytar';
import { aesSafeStorage } from '../../tests/helpers/aes-safe-storage';

const PLANTED = 'sk-test-PLANTED-0123456789-wxyz';

/** keytar as it behaves without a D-Bus session. */
const noDbus: typeof loadKeytar = () => ({
  ok: true,
  keytar: {
    getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    deletePassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  } satisfies KeytarModule,
});
const missing: typeof loadKeytar = () => ({ ok: false, reason: "the keytar module is not available (Cannot find module 'keytar')" });

const dirs: string[] = [];
async function tempDir() {
  const d = await mkdtemp(join(tmpdir(), 'parley-secrets-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function everyFileText(dir: string): Promise<string> {
  let all = '';
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) all += (await readFile(join(e.parentPath, e.name))).toString('latin1');
  return all;
}

async function rejection(p: Promise<unknown>): Promise<ParleyError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ParleyError) return e;
    throw e;
  }
  throw new Error('expected rejection');
}

describe('safeStorage fallback (desktop app without a keychain)', () => {
  it('falls back when keytar cannot reach D-Bus, round-trips keys encrypted and says which backend holds them', async () => {
    const dataDir = await tempDir();
    const safeStorage = aesSafeStorage();
    const store = await createAppSecretStore({ dataDir, env: {}, safeStorage, loadKeytar: noDbus });
    await store.set('openai', PLANTED);
    await store.set('anthropic', 'sk-ant-other-key-9876');
    expect(await store.get('openai')).toBe(PLANTED);

    const status = KeysStatus.parse(await store.status());
    expect(status.backend).toBe('safeStorage');
    expect(status.backendMessage).toMatch(/Cannot autolaunch D-Bus/);
    expect(status.backendMessage).toMatch(/safeStorage/);
    expect(status.providers).toEqual([
      { provider: 'openai', set: true, source: 'safeStorage', last4: 'wxyz', readOnly: false },
      { provider: 'anthropic', set: true, source: 'safeStorage', last4: '9876', readOnly: false },
      { provider: 'elevenlabs', set: false, source: null, last4: null, readOnly: false },
    ]);
    // Ciphertext only: neither the key nor its base64 is anywhere in the data dir.
    const files = await everyFileText(dataDir);
    expect(files).not.toContain(PLANTED);
    expect(files).not.toContain(Buffer.from(PLANTED).toString('base64'));
    expect(files).toContain('"openai"');

    // A new store with the same encryption key reads it back; another encryption key cannot.
    const again = await createAppSecretStore({ dataDir, env: {}, safeStorage, loadKeytar: missing });
    expect(await again.get('openai')).toBe(PLANTED);
    const stranger = await createAppSecretStore({ dataDir, env: {}, safeStorage: aesSafeStorage(), loadKeytar: missing });
    expect(await stranger.get('openai')).toBeNull();
    expect((await stranger.status()).backendMessage).toMatch(/could not be decrypted/);

    await again.delete('openai');
    expect(await again.get('openai')).toBeNull();
    expect(await again.get('anthropic')).toBe('sk-ant-other-key-9876');
  });

  it('keeps Publish\'s tool secrets encrypted beside the keys, in a record older Parleys ignore', async () => {
    const dataDir = await tempDir();
    const safeStorage = aesSafeStorage();
    // A file written before tool secrets existed.
    const old = await createAppSecretStore({ dataDir, env: {}, safeStorage, loadKeytar: missing });
    await old.set('openai', PLANTED);
    const store = await createAppSecretStore({ dataDir, env: {}, safeStorage, loadKeytar: missing });
    expect(await store.getToolSecret('ORDERS_API_TOKEN')).toBeNull();
    await store.setToolSecret('ORDERS_API_TOKEN', 'Bearer tool-secret-PLANTED-42');
    expect(await store.getToolSecret('ORDERS_API_TOKEN')).toBe('Bearer tool-secret-PLANTED-42');
    expect(await store.get('openai')).toBe(PLANTED);
    const file = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as { keys: Record<string, string>; named: Record<string, string> };
    expect(Object.keys(file.keys)).toEqual(['openai']);
    expect(Object.keys(file.named)).toEqual(['elevenlabs-secret:ORDERS_API_TOKEN']);
    expect(await everyFileText(dataDir)).not.toContain('tool-secret-PLANTED');
    await expect(store.setToolSecret('X', '  ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses to store when safeStorage cannot really encrypt (unavailable or basic_text)', async () => {
    for (const safeStorage of [aesSafeStorage({ available: false }), aesSafeStorage({ backend: 'basic_text' })]) {
      const dataDir = await tempDir();
      const store = await createAppSecretStore({ dataDir, env: {}, safeStorage, loadKeytar: noDbus });
      expect((await store.status()).backend).toBe('none');
      const err = await rejection(store.set('openai', PLANTED));
      expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(err.message).not.toContain(PLANTED);
      expect(await readdir(dataDir)).toEqual([]);
    }
  });
});

describe('node secret store (CLI and preview)', () => {
  it('with no keychain: set refuses with a next step, nothing is written, env keys are shown read-only', async () => {
    const dataDir = await tempDir();
    const store = await createNodeSecretStore({ dataDir, env: { ANTHROPIC_API_KEY: 'sk-ant-from-env-1234' }, loadKeytar: missing });
    const err = await rejection(store.set('openai', PLANTED));
    expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(err.message).toMatch(/No OS keychain is reachable/);
    expect(err.message).toMatch(/Secret Service/);
    expect(err.message).not.toContain(PLANTED);
    expect(await readdir(dataDir)).toEqual([]);

    const status = await store.status();
    expect(status.backend).toBe('none');
    expect(status.providers).toEqual([
      { provider: 'openai', set: false, source: null, last4: null, readOnly: false },
      { provider: 'anthropic', set: true, source: 'env', last4: '1234', readOnly: true },
      { provider: 'elevenlabs', set: false, source: null, last4: null, readOnly: false },
    ]);
    expect(await store.get('anthropic')).toBe('sk-ant-from-env-1234');
  });

  it('prefers the stored key over the environment and says the variable is ignored', async () => {
    const dataDir = await tempDir();
    const stored = new Map<string, string>();
    const memoryKeytar: typeof loadKeytar = () => ({
      ok: true,
      keytar: {
        getPassword: async (_s, account) => stored.get(account) ?? null,
        setPassword: async (_s, account, pw) => void stored.set(account, pw),
        deletePassword: async (_s, account) => stored.delete(account),
      },
    });
    const store = await createNodeSecretStore({ dataDir, env: { OPENAI_API_KEY: 'sk-env-key-aaaa' }, loadKeytar: memoryKeytar });
    expect((await store.status()).providers[0]).toMatchObject({ source: 'env', readOnly: true, last4: 'aaaa' });
    await store.set('openai', PLANTED);
    expect(await store.get('openai')).toBe(PLANTED);
    const status = await store.status();
    expect(status.providers[0]).toMatchObject({ source: 'keychain', last4: 'wxyz', readOnly: false });
    expect(status.backendMessage).toMatch(/OPENAI_API_KEY is also set and ignored/);
    expect((await rejection(store.set('openai', 'short'))).code).toBe('INVALID_INPUT');
    expect((await rejection(store.set('openai', 'sk-with space-inside'))).message).not.toContain('sk-with');
  });

  it('never lets a key reach an error message, even when the keychain echoes it', async () => {
    const echoing: typeof loadKeytar = () => ({
      ok: true,
      keytar: {
        getPassword: async () => null,
        setPassword: async (_s, _a, pw) => Promise.reject(new Error(`secret service rejected item with secret ${pw}`)),
        deletePassword: async () => false,
      },
    });
    const store = await createNodeSecretStore({ dataDir: await tempDir(), env: {}, loadKeytar: echoing });
    const err = await rejection(store.set('openai', PLANTED));
    expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(err.message).toMatch(/rejected item/);
    expect(err.message).not.toContain(PLANTED);
  });
});
