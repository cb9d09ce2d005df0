import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startPreview, type Preview } from './host';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDirs() {
  const root = await mkdtemp(join(tmpdir(), 'parley-preview-real-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const rendererDir = join(root, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  return { dataDir: join(root, 'data'), rendererDir };
}

/** A page's socket: JSON requests by id, events collected in order. */
async function open(preview: Preview) {
  const ws = new WebSocket(`ws://127.0.0.1:${preview.port}/?token=${preview.token}`, { origin: `http://127.0.0.1:${preview.port}` });
  const replies = new Map<number, (envelope: { ok: boolean; value?: unknown; error?: { code: string } }) => void>();
  const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.event) events.push(frame);
    else replies.get(frame.id)?.(frame.envelope);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  return {
    events,
    close: () => ws.close(),
    call<T = unknown>(channel: string, input?: unknown) {
      const n = ++id;
      return new Promise<{ ok: boolean; value?: T; error?: { code: string } }>((resolve) => {
        replies.set(n, resolve as never);
        ws.send(JSON.stringify({ id: n, channel, input }));
      });
    },
  };
}

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
};

describe('startPreview with the real backend', () => {
  it('creates offline sessions, streams a turn and keeps the data after close', async () => {
    const { dataDir, rendererDir } = await tempDirs();
    const preview = await startPreview({ dataDir, rendererDir, build: false, provider: 'offline', env: {}, onInternalError: () => {} });
    cleanups.push(() => preview.close());
    expect(preview.url).toBe(`http://127.0.0.1:${preview.port}/?token=${preview.token}`);

    const page = await open(preview);
    const info = await page.call<{ host: string; dataDir: string }>('app:info');
    expect(info.value).toMatchObject({ host: 'preview', dataDir });

    const created = await page.call<{ id: string; provider: string; stage: string; messages: Array<{ role: string; text: string }> }>('sessions:create');
    expect(created.ok).toBe(true);
    expect(created.value!.provider).toBe('offline');
    expect(created.value!.stage).toBe('INITIAL');
    expect(created.value!.messages[0]!.text).toMatch(/What kind of voice agent/);
    const id = created.value!.id;

    const sent = await page.call<{ turnId: string }>('turn:send', { sessionId: id, text: 'A receptionist for a dental clinic' });
    const turnId = sent.value!.turnId;
    await until(() => page.events.some((e) => e.event === 'turn:done' || e.event === 'turn:error'));
    const ofTurn = page.events.filter((e) => e.payload.turnId === turnId);
    const done = ofTurn.find((e) => e.event === 'turn:done');
    expect(done, JSON.stringify(ofTurn)).toBeDefined();
    const streamed = ofTurn.filter((e) => e.event === 'turn:delta').map((e) => e.payload.text).join('');
    expect(streamed).toBe(done!.payload.reply);

    expect((await page.call('sessions:get', { id: '../../etc/passwd' })).error?.code).toBe('INVALID_INPUT');
    page.close();
    await preview.close();

    const again = await startPreview({ dataDir, rendererDir, build: false, env: {} });
    cleanups.push(() => again.close());
    const page2 = await open(again);
    const list = await page2.call<{ items: Array<{ id: string; stage: string }> }>('sessions:list');
    expect(list.value!.items.map((s) => s.id)).toEqual([id]);
    expect(list.value!.items[0]!.stage).toBe(done!.payload.stage);
    // Without --provider the renderer's choice (none: "auto") is passed through untouched.
    expect((await page2.call<{ provider: string }>('sessions:create')).value!.provider).toBe('auto');
    page2.close();
  });

  // Issue 17.11: frames over 1 MB closed the socket (1009), so imports over 1 MB were impossible in preview.
  it('imports a session file of almost 10 MB through the socket', async () => {
    const { dataDir, rendererDir } = await tempDirs();
    const preview = await startPreview({ dataDir, rendererDir, build: false, provider: 'offline', env: {}, onInternalError: () => {} });
    cleanups.push(() => preview.close());
    const page = await open(preview);
    cleanups.push(async () => page.close());
    const at = '2026-01-01T00:00:00.000Z';
    // Words, so that the search index has something to fold; 100 messages of 95,000 characters each.
    const long = 'the clinic books appointments and answers questions about opening hours '.repeat(1300).slice(0, 95_000);
    const file = JSON.stringify({
      schemaVersion: 1,
      id: '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f',
      title: 'Big session',
      createdAt: at,
      updatedAt: at,
      provider: 'auto',
      stage: 'REVIEWING_WORKFLOW',
      stageHistory: [],
      awaiting: null,
      spec: { tools: [], candidates: {} },
      messages: Array.from({ length: 100 }, (_, i) => ({ id: `m${i}`, role: i % 2 ? 'assistant' : 'user', text: long, createdAt: at })),
    });
    expect(file.length).toBeGreaterThan(9_000_000);
    expect(file.length).toBeLessThan(10 * 1024 * 1024);
    const imported = await page.call<{ session: { id: string; messages: unknown[] } }>('sessions:import', { text: file });
    expect(imported.error).toBeUndefined();
    expect(imported.value!.session.messages.length).toBeGreaterThanOrEqual(100);
    const again = await page.call<{ messages: Array<{ text: string }> }>('sessions:get', { id: imported.value!.session.id });
    expect(again.value!.messages[0]!.text).toBe(long);
  });
});
