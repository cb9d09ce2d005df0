/**
 * A full disk and a read-only data folder: a real tiny tmpfs under the real preview host where the
 * machine allows mounting (root), and the store's injectable fs layer for EACCES (root ignores
 * permissions, so a real EACCES cannot be produced here). In every case the turn is reported as
 * not saved with a clear message, the previous file stays intact, the in-memory session keeps the
 * user's message, and the next save after the condition clears succeeds.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings';
import type { Session } from '../../shared/session';
import { ParleyError } from '../../shared/errors';
import { createOfflineProvider } from '../../electron/interview/offline';
import { createOrchestrator } from '../../electron/orchestrator/orchestrator';
import { nodeFs, type FsLayer } from '../../electron/fs/layer';
import { createSessionStore } from '../../electron/store/sessions';
import { createSessionService } from '../../electron/services/sessions';
import { BridgeClient, call, startHost, turn } from './support/processes';

const dirs: string[] = [];
const mounts: string[] = [];
afterAll(async () => {
  for (const m of mounts.splice(0)) spawnSync('umount', ['-l', m]);
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }).catch(() => rmdir(d).catch(() => undefined));
});

function tryMountTmpfs(dir: string, size: string): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]).status === 0;
}

const probeDir = await mkdtemp(join(tmpdir(), 'parley-rel-probe-'));
const canMount = tryMountTmpfs(probeDir, '64k');
if (canMount) spawnSync('umount', [probeDir]);
await rmdir(probeDir);
if (!canMount) {
  console.warn('\n!!! SKIPPING the real tmpfs disk-full / read-only tests: mounting a tmpfs needs root. The fs-layer fault test still runs.\n');
}

/** Fills the filesystem to the last byte (halving the chunk until even one byte does not fit). */
async function fillDisk(dir: string): Promise<string> {
  const filler = join(dir, 'filler.bin');
  await writeFile(filler, '');
  for (let size = 64 * 1024; size >= 1; ) {
    try {
      await writeFile(filler, Buffer.alloc(size, 7), { flag: 'a' });
    } catch {
      size = Math.floor(size / 2);
    }
  }
  return filler;
}

describe('disk full and read-only data folder', () => {
  it.skipIf(!canMount)('real tmpfs: ENOSPC then EROFS under the preview host — not saved, nothing lost, saved after the condition clears', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-rel-tmpfs-'));
    dirs.push(dataDir);
    expect(tryMountTmpfs(dataDir, '2m')).toBe(true);
    mounts.push(dataDir);
    let host = await startHost(dataDir);
    try {
      let client = await BridgeClient.connect(host);
      const session = await call<Session>(client, 'sessions:create', { provider: 'offline' });
      expect((await turn(client, session.id, 'A booking agent for a hair salon')).event).toBe('turn:done');
      const file = join(dataDir, 'sessions', `${session.id}.json`);

      // Disk full. A turn's saves are small journal appends, which can still fit in the journal's
      // last allocated page (and are then really saved); keep talking until the disk refuses one.
      const filler = await fillDisk(dataDir);
      const before = await readFile(file);
      const typed: string[] = [];
      let failed: Awaited<ReturnType<typeof turn>> | undefined;
      for (let i = 0; i < 60 && !failed; i++) {
        const text = `It should sound warm and upbeat (${i})`;
        typed.push(text);
        const r = await turn(client, session.id, text);
        if (r.event === 'turn:error') failed = r;
      }
      expect(failed?.event).toBe('turn:error');
      const error = failed!.payload.error as { code: string; message: string };
      expect(error.code).toBe('SAVE_FAILED');
      expect(error.message).toMatch(/disk is full.*Free some space/);
      expect(error.message).toMatch(/unchanged/);
      expect(await readFile(file)).toEqual(before);
      const inMemory = await call<Session>(client, 'sessions:get', { id: session.id });
      expect(inMemory.messages.some((m) => m.role === 'user' && m.text === typed.at(-1))).toBe(true);
      await unlink(filler);
      expect((await turn(client, session.id, 'Warm and upbeat, please')).event).toBe('turn:done');

      // Read-only filesystem.
      execFileSync('mount', ['-o', 'remount,ro', dataDir]);
      const before2 = await readFile(file);
      const ro = await turn(client, session.id, 'Its goal is booking appointments');
      expect(ro.event).toBe('turn:error');
      expect((ro.payload.error as { code: string; message: string }).message).toMatch(/read-only/);
      expect(await readFile(file)).toEqual(before2);
      execFileSync('mount', ['-o', 'remount,rw', dataDir]);
      expect((await turn(client, session.id, 'Booking appointments, yes')).event).toBe('turn:done');
      client.close();

      // A restart reads everything the user typed, in order.
      await host.kill('SIGTERM');
      host = await startHost(dataDir);
      client = await BridgeClient.connect(host);
      const reloaded = await call<Session>(client, 'sessions:get', { id: session.id });
      expect(reloaded.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual([
        'A booking agent for a hair salon',
        ...typed,
        'Warm and upbeat, please',
        'Its goal is booking appointments',
        'Booking appointments, yes',
      ]);
      const listed = await call<{ quarantined: unknown[]; total: number }>(client, 'sessions:list');
      expect(listed.quarantined).toEqual([]);
      expect(listed.total).toBe(1);
      client.close();
    } finally {
      await host.kill('SIGTERM');
    }
  });

  it.each(['EACCES', 'ENOSPC'] as const)('%s from the fs layer during a turn: SAVE_FAILED, old file intact, message kept, saved on the next turn', async (code) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-rel-fsfault-'));
    dirs.push(dataDir);
    const state = { fault: false };
    const fs: FsLayer = {
      ...nodeFs,
      async createExclusive(path) {
        if (state.fault && path.includes('sessions')) throw Object.assign(new Error(`${code}: simulated`), { code });
        return nodeFs.createExclusive(path);
      },
      // A full or read-only disk refuses the journal's appends as well as new files.
      async appendDurable(path, data) {
        if (state.fault && path.includes('sessions')) throw Object.assign(new Error(`${code}: simulated`), { code });
        return nodeFs.appendDurable(path, data);
      },
    };
    const settings = defaultSettings();
    const open = async (layer: FsLayer) => {
      const store = await createSessionStore({ dataDir, fs: layer });
      const orchestrator = createOrchestrator({
        sessions: createSessionService({ store, clock: () => new Date(), newId: randomUUID }),
        getSettings: async () => settings,
        resolveProvider: async () => ({ provider: createOfflineProvider(), reason: 'test' }),
        clock: () => new Date(),
        newId: randomUUID,
      });
      return { store, orchestrator };
    };
    const { store, orchestrator } = await open(fs);
    const session = await orchestrator.createSession({ provider: 'offline' });
    await orchestrator.processMessage(session.id, 'A support agent for an online shop', { turnId: randomUUID() });
    const file = join(dataDir, 'sessions', `${session.id}.json`);
    const before = await readFile(file);

    state.fault = true;
    const error = await orchestrator.processMessage(session.id, 'Friendly and concise', { turnId: randomUUID() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).code).toBe('SAVE_FAILED');
    expect((error as ParleyError).message).toMatch(code === 'EACCES' ? /not allowed to write.*permissions/ : /disk is full/);
    expect(await readFile(file)).toEqual(before);
    expect((await store.get(session.id)).messages.at(-1)?.text).toBe('Friendly and concise');

    state.fault = false;
    await orchestrator.processMessage(session.id, 'Yes, friendly', { turnId: randomUUID() });
    await store.flush();
    const reopened = await createSessionStore({ dataDir });
    const users = (await reopened.get(session.id)).messages.filter((m) => m.role === 'user').map((m) => m.text);
    expect(users).toEqual(['A support agent for an online shop', 'Friendly and concise', 'Yes, friendly']);
  });
});
