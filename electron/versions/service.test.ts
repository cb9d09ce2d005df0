import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc';
import { createBackend, type Backend } from '../backend';
import { dispatch } from '../rpc';
import { createNodeSecretStore } from '../secrets';
import { exportSession } from '../export';
import { goldenBase } from '../../tests/support/version-goldens';
import { designOf } from './design';

let dataDir: string;
let backend: Backend;
let now: number;
let saveTo: string | null;

async function call<C extends Channel>(channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input, { validateOutput: true });
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

const advance = (ms: number) => (now += ms);
const causes = async (id: string) => (await call('versions:list', { sessionId: id })).versions.map((v) => v.cause);

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-versions-service-'));
  now = Date.parse('2027-03-01T09:00:00.000Z');
  saveTo = null;
  backend = await createBackend({
    dataDir,
    host: 'electron',
    version: 'test',
    clock: () => new Date(now),
    secrets: await createNodeSecretStore({ dataDir, env: {} }),
    desktop: { chooseSavePath: async () => saveTo, revealPath: async () => false },
  });
});
afterEach(async () => {
  await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The golden design imported as a new session (its first version: cause "import"). */
async function imported(): Promise<string> {
  const { session } = await call('sessions:import', { text: exportSession(goldenBase(), 'parley').content });
  return session.id;
}

describe('snapshots', () => {
  it('are taken on import, stage changes, hand-edit batches (5 s), export and by name, each listed with time, cause and summary', async () => {
    const id = await imported();
    expect(await causes(id)).toEqual(['import']);

    advance(1000);
    await call('stage:goto', { sessionId: id, stage: 'EXPLORING_TOOLS' });
    expect(await causes(id)).toEqual(['import', 'stage']);

    // Three edits, each within 5 s of the one before: one version, holding the last.
    advance(1000);
    await call('spec:edit', { sessionId: id, path: 'tone', value: 'Calm' });
    advance(4000);
    await call('spec:edit', { sessionId: id, path: 'tone', value: 'Calm and warm' });
    advance(4999);
    await call('spec:edit', { sessionId: id, path: 'goals', value: 'Book tables' });
    let list = await call('versions:list', { sessionId: id });
    expect(list.versions.map((v) => v.cause)).toEqual(['import', 'stage', 'edit']);
    expect(list.versions[2]).toMatchObject({ id: 'v3', at: new Date(now).toISOString(), summary: 'Goals: "Book, change and cancel table reservations" → "Book tables" (and 1 more change)' });
    // 5 s after the last edit, the next one starts a new batch.
    advance(5001);
    await call('spec:edit', { sessionId: id, path: 'tone', value: 'Formal' });
    expect(await causes(id)).toEqual(['import', 'stage', 'edit', 'edit']);
    expect((await call('versions:list', { sessionId: id })).versions[3]!.summary).toBe('Tone: "Calm and warm" → "Formal"');

    saveTo = join(dataDir, 'agent.parley.json');
    const saved = await call('export:save', { sessionId: id, format: 'parley' });
    expect(saved.file).toBe(saveTo);
    // The same design exported again carries the same version; the session records both exports.
    await call('export:save', { sessionId: id, format: 'parley' });
    advance(1000);
    const named = await call('versions:snapshot', { sessionId: id, name: 'before the big change' });
    expect(named).toMatchObject({ id: 'v6', cause: 'named', name: 'before the big change', summary: 'No change since v5' });

    list = await call('versions:list', { sessionId: id });
    expect(list.versions.map((v) => v.cause)).toEqual(['import', 'stage', 'edit', 'edit', 'export', 'named']);
    const release = { version: 'v5', kind: 'export', target: 'parley', where: saveTo, at: expect.any(String) };
    expect(list.releases).toEqual([release, release]);
    expect((await call('sessions:get', { id })).releases).toEqual(list.releases);
  });

  it('is taken when a turn of the interview moves the stage, and not for a turn that does not', async () => {
    const session = await call('sessions:create', { provider: 'offline' });
    const id = session.id;
    await backend.orchestrator.processMessage(id, 'A reservations agent for my restaurant', { turnId: 'turn-1' });
    const moved = await call('sessions:get', { id });
    expect(moved.stage).not.toBe('INITIAL');
    const list = await call('versions:list', { sessionId: id });
    expect(list.versions.map((v) => v.cause)).toEqual(['stage']);
    expect(list.versions[0]!.summary).toMatch(/^First version: /);
    const before = moved.stage;
    await backend.orchestrator.processMessage(id, 'What can you do?', { turnId: 'turn-2' });
    expect((await call('sessions:get', { id })).stage).toBe(before); // a question: answered, nothing stored
    expect(await causes(id)).toEqual(['stage']);
  });

  it('puts the version id in an exported ElevenLabs project (README) and its agent tags', async () => {
    const id = await imported();
    saveTo = join(dataDir, 'project');
    await call('export:save', { sessionId: id, format: 'elevenlabs' });
    const readme = await readFile(join(saveTo, 'README.md'), 'utf8');
    expect(readme).toContain('Parley design version: v2');
    const agents = JSON.parse(await readFile(join(saveTo, 'agents.json'), 'utf8')) as { agents: Array<{ config: string }> };
    const agent = JSON.parse(await readFile(join(saveTo, agents.agents[0]!.config), 'utf8')) as { tags: string[] };
    expect(agent.tags).toEqual(['parley', 'parley-v2']);
    expect((await call('versions:list', { sessionId: id })).releases).toMatchObject([{ version: 'v2', kind: 'export', target: 'elevenlabs', where: saveTo }]);
  });
});

describe('restore', () => {
  it('brings a version back as a new version, and restoring its undo version round-trips exactly', async () => {
    const id = await imported();
    const first = designOf(await call('sessions:get', { id }));
    advance(1000);
    await call('spec:edit', { sessionId: id, path: 'tone', value: 'Stern' });
    advance(10_000);
    await call('spec:edit', { sessionId: id, path: 'tools[1].method', value: 'POST' });
    const before = await call('sessions:get', { id });
    expect(await causes(id)).toEqual(['import', 'edit', 'edit']);

    const restored = await call('versions:restore', { sessionId: id, version: 'v1' });
    expect(designOf(restored.session)).toEqual(first);
    expect(designOf(await call('sessions:get', { id }))).toEqual(first);
    expect(restored.version).toMatchObject({ id: 'v4', cause: 'restore', restoredFrom: 'v1' });
    expect(restored.version.summary).toMatch(/^Restored v1: /);
    expect(restored.undo).toBe('v3'); // the design before the restore was v3 already: no extra version

    const undone = await call('versions:restore', { sessionId: id, version: restored.undo });
    expect(designOf(undone.session)).toEqual(designOf(before));
    expect(designOf(await call('sessions:get', { id }))).toEqual(designOf(before));
    expect(await causes(id)).toEqual(['import', 'edit', 'edit', 'restore', 'restore']);
    expect((await call('versions:diff', { sessionId: id, from: 'v3', to: 'v5' })).changes).toEqual([]);
  });

  it('first keeps a design that is not a version yet (changed in chat since) as a version of its own', async () => {
    const id = await imported();
    // A change no snapshot covers (the interview's own saves are versioned at stage changes only).
    await backend.sessions.update(id, (s) => ({ ...s, spec: { ...s.spec, tone: { value: 'Chatty', confidence: 0.9, source: 'm9', locked: false } } }));
    const before = await call('sessions:get', { id });
    const restored = await call('versions:restore', { sessionId: id, version: 'v1' });
    expect(await causes(id)).toEqual(['import', 'before-restore', 'restore']);
    expect(restored.undo).toBe('v2');
    const undone = await call('versions:restore', { sessionId: id, version: restored.undo });
    expect(designOf(undone.session)).toEqual(designOf(before));
  });

  it('refuses a version that does not exist', async () => {
    const id = await imported();
    await expect(call('versions:restore', { sessionId: id, version: 'v9' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('versions:diff', { sessionId: id, from: 'v1', to: 'v2' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('a damaged version store', () => {
  it('never blocks opening the session: it is quarantined and the user is told', async () => {
    const id = await imported();
    await backend.close();
    const file = join(dataDir, 'versions', `${id}.versions`);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"n":1', '"n":"one"'));
    backend = await createBackend({ dataDir, host: 'electron', version: 'test', clock: () => new Date(now), secrets: await createNodeSecretStore({ dataDir, env: {} }) });
    expect((await call('sessions:get', { id })).id).toBe(id);
    const list = await call('versions:list', { sessionId: id });
    expect(list.versions).toEqual([]);
    expect(list.notice).toMatch(/version history .* could not be read .* moved to quarantine/);
    expect((await call('app:notices')).notices).toContainEqual(list.notice);
    await call('stage:goto', { sessionId: id, stage: 'EXPLORING_TOOLS' });
    expect(await causes(id)).toEqual(['stage']);
  });
});
