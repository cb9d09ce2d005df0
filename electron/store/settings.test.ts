import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings';
import { nodeFs } from '../fs/layer';
import { createSettingsStore } from './settings';

const dirs: string[] = [];
async function tempDir() {
  const d = await mkdtemp(join(tmpdir(), 'parley-settings-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('settings store', () => {
  it('starts from defaults, persists patches atomically and reloads them', async () => {
    const dataDir = await tempDir();
    const store = await createSettingsStore({ dataDir });
    expect(await store.get()).toEqual(defaultSettings());
    expect(store.notices()).toEqual([]);
    const next = await store.set({ temperature: 0.2, theme: 'dark' });
    expect(next).toMatchObject({ temperature: 0.2, theme: 'dark', contextMessages: 10 });
    await store.set({ contextMessages: 20 });
    expect(await readdir(dataDir)).toEqual(['settings.json']); // no temp file left
    const reloaded = await createSettingsStore({ dataDir });
    expect(await reloaded.get()).toMatchObject({ temperature: 0.2, theme: 'dark', contextMessages: 20 });
  });

  it('rejects an invalid patch and keeps the old values', async () => {
    const store = await createSettingsStore({ dataDir: await tempDir() });
    await expect(store.set({ temperature: 7 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(store.set({ bogus: 1 } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await store.get()).temperature).toBe(0.7);
  });

  it('uses defaults with a notice for a damaged file, keeping the fields that are still valid', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ schemaVersion: 1, temperature: 'hot', theme: 'dark' }));
    const store = await createSettingsStore({ dataDir });
    expect(await store.get()).toMatchObject({ temperature: 0.7, theme: 'dark' });
    expect(store.notices().join()).toMatch(/temperature/);

    await writeFile(join(dataDir, 'settings.json'), '{"theme": "da');
    const broken = await createSettingsStore({ dataDir });
    expect(await broken.get()).toEqual(defaultSettings());
    expect(broken.notices().join()).toMatch(/not valid JSON/);
  });

  it('never overwrites a settings file from a newer Parley', async () => {
    const dataDir = await tempDir();
    const text = JSON.stringify({ schemaVersion: 2, theme: 'light', futureThing: true });
    await writeFile(join(dataDir, 'settings.json'), text);
    const store = await createSettingsStore({ dataDir });
    expect((await store.get()).theme).toBe('light');
    expect((await store.set({ theme: 'dark' })).theme).toBe('dark');
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).toBe(text);
    expect(store.notices().join()).toMatch(/newer version/);
  });

  it('reports a failed write as SAVE_FAILED and keeps the previous settings', async () => {
    const dataDir = await tempDir();
    const fs = { ...nodeFs, createExclusive: async () => Promise.reject(Object.assign(new Error('full'), { code: 'ENOSPC' })) };
    const store = await createSettingsStore({ dataDir, fs });
    await expect(store.set({ theme: 'dark' })).rejects.toMatchObject({ code: 'SAVE_FAILED', message: expect.stringMatching(/disk is full/) });
    expect((await store.get()).theme).toBe('system');
  });
});
