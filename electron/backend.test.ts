import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend } from './backend';
import { createNodeSecretStore } from './secrets';
import { dispatch } from './rpc';
import { CHANNELS, type Channel, type ChannelInput, type ChannelOutput, type EventName } from '../shared/ipc';
import { ParleyError } from '../shared/errors';
import { parseWithElevenLabsSdk } from '../tests/support/export/elevenlabs-schema';

let dataDir: string;
let backend: Backend;
let saveTo: string | null;

async function call<C extends Channel>(channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input, { validateOutput: true });
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-backend-'));
  saveTo = null;
  backend = await createBackend({
    dataDir,
    host: 'electron',
    version: '9.9.9',
    secrets: await createNodeSecretStore({ dataDir, env: {} }),
    desktop: { chooseSavePath: async () => saveTo, revealPath: async (path) => path === dataDir },
  });
});
afterEach(async () => {
  await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('backend', () => {
  it('implements every channel of the contract', () => {
    expect(Object.keys(backend.handlers).sort()).toEqual([...CHANNELS].sort());
  });

  it('answers app:info from its deps', async () => {
    expect(await call('app:info')).toMatchObject({ name: 'Parley', version: '9.9.9', host: 'electron', dataDir });
  });

  it('emits created / updated / deleted and streams a turn to done', async () => {
    const seen: EventName[] = [];
    backend.onEvent((event) => seen.push(event));
    const session = await call('sessions:create', { provider: 'offline' });
    const done = new Promise<void>((resolve) => backend.onEvent((event) => event === 'turn:done' && resolve()));
    const { turnId } = await call('turn:send', { sessionId: session.id, text: 'I want to build a customer support agent' });
    expect(turnId).toBeTruthy();
    await done;
    expect(seen.filter((e) => e === 'turn:delta').length).toBeGreaterThan(0);
    expect(seen.indexOf('turn:delta')).toBeLessThan(seen.indexOf('turn:done'));
    await call('sessions:delete', { id: session.id });
    expect(seen).toEqual(expect.arrayContaining(['session:changed', 'turn:done']));
    await expect(call('turn:send', { sessionId: session.id, text: 'hello' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await call('sessions:restore', { id: session.id })).id).toBe(session.id);
  });

  it('cancels a running turn and keeps the user message', async () => {
    const session = await call('sessions:create', { provider: 'offline' });
    const failed = new Promise<string>((resolve) =>
      backend.onEvent((event, payload) => event === 'turn:error' && resolve((payload as { error: { code: string } }).error.code)),
    );
    const { turnId } = await call('turn:send', { sessionId: session.id, text: 'I want to build a booking agent' });
    const { cancelled } = await call('turn:cancel', { turnId });
    if (cancelled) expect(await failed).toBe('CANCELLED');
    const after = await call('sessions:get', { id: session.id });
    expect(after.messages.some((m) => m.role === 'user' && m.text === 'I want to build a booking agent')).toBe(true);
    expect(await call('turn:cancel', { turnId })).toEqual({ cancelled: false });
  });

  it('previews an export: blocked with findings before the design is done', async () => {
    const session = await call('sessions:create', { provider: 'offline' });
    const preview = await call('export:preview', { sessionId: session.id, format: 'elevenlabs' });
    expect(preview.content).toBeNull();
    expect(preview.findings.some((f) => f.severity === 'error')).toBe(true);
    expect(preview.filename).toBe('new-agent-elevenlabs');
  });

  it('imports an ElevenLabs agent, re-exports it, and saves through the dialog', async () => {
    const text = await readFile(join(import.meta.dirname, '../tests/support/export/elevenlabs-orders.json'), 'utf8');
    const { session } = await call('sessions:import', { text });
    expect(session.stage).toBe('REVIEWING_WORKFLOW');
    const preview = await call('export:preview', { sessionId: session.id, format: 'elevenlabs' });
    expect(preview.content).not.toBeNull();
    expect(parseWithElevenLabsSdk(JSON.parse(preview.content!))).toMatchObject({ ok: true });

    expect(await call('export:save', { sessionId: session.id, format: 'elevenlabs' })).toMatchObject({ file: null });
    saveTo = join(dataDir, 'out.json');
    const saved = await call('export:save', { sessionId: session.id, format: 'elevenlabs-agent' });
    expect(saved.file).toBe(saveTo);
    expect(await readFile(saveTo, 'utf8')).toBe(preview.content);

    // The project: a folder with the agent config the preview shows, or the preview's own .zip.
    expect(preview.files?.map((f) => f.path)).toContain('agent_configs/tienda-pedidos.json');
    saveTo = join(dataDir, 'project');
    expect((await call('export:save', { sessionId: session.id, format: 'elevenlabs' })).file).toBe(saveTo);
    expect(await readFile(join(saveTo, 'agent_configs', 'tienda-pedidos.json'), 'utf8')).toBe(preview.content);
    saveTo = join(dataDir, 'project.zip');
    await call('export:save', { sessionId: session.id, format: 'elevenlabs' });
    expect((await readFile(saveTo)).toString('base64')).toBe(preview.zipBase64);
  });

  it('reveals the data folder through the desktop adapter and switches a session\'s provider', async () => {
    expect(await call('app:reveal-data-dir')).toEqual({ revealed: true });
    const session = await call('sessions:create');
    expect(session.provider).toBe('auto');
    expect((await call('sessions:set-provider', { id: session.id, provider: 'offline' })).provider).toBe('offline');
    expect((await call('sessions:get', { id: session.id })).provider).toBe('offline');
  });

  it('lists notices and announces a file quarantined while the app runs', async () => {
    const { writeFile } = await import('node:fs/promises');
    expect(await call('app:notices')).toEqual({ notices: [] });
    const id = '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f';
    await writeFile(join(dataDir, 'sessions', `${id}.json`), '{"schemaVersion": 1, "id": ');
    const heard: string[] = [];
    backend.onEvent((event, payload) => event === 'app:notice' && heard.push((payload as { message: string }).message));
    await expect(call('sessions:get', { id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatch(/quarantine/);
    expect((await call('app:notices')).notices).toEqual(heard);
  });

  it('refuses to import what is not an agent file', async () => {
    await expect(call('sessions:import', { text: '{"conversation_config": ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await call('sessions:list')).total).toBe(0);
  });

  it('edits and locks a field by hand, and jumps back a stage', async () => {
    const session = await call('sessions:create', { provider: 'offline' });
    const edited = await call('spec:edit', { sessionId: session.id, path: 'tone', value: 'Calm and precise' });
    expect(edited.spec.tone).toMatchObject({ value: 'Calm and precise', source: 'user-edit', locked: true });
    const unlocked = await call('spec:lock', { sessionId: session.id, path: 'tone', locked: false });
    expect(unlocked.spec.tone?.locked).toBe(false);
    await expect(call('spec:edit', { sessionId: session.id, path: '__proto__', value: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('backend in preview (no OS dialogs)', () => {
  it('says export:save is unsupported rather than failing obscurely', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-backend-preview-'));
    const preview = await createBackend({ dataDir: dir, host: 'preview', version: '1', secrets: await createNodeSecretStore({ dataDir: dir, env: {} }) });
    const session = await dispatch(preview.handlers, 'sessions:create', { provider: 'offline' });
    const id = session.ok ? (session.value as { id: string }).id : '';
    expect(await dispatch(preview.handlers, 'export:save', { sessionId: id, format: 'markdown' })).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
    await preview.close();
    await rm(dir, { recursive: true, force: true });
  });
});
