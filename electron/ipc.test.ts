import { describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CHANNELS, type AppInfo, type Channel, type Handlers } from '../shared/ipc';
import { ParleyError } from '../shared/errors';
import { bindIpc, createIpcHandler, forwardEvents, trustedSender, type EventSource, type SenderEvent, type TrustedWindow } from './ipc';
import { createFakeElectron, FakeSession, FakeWebContents, type FakeFrame } from '../tests/security/fake-electron';

vi.mock('electron', () => ({ ipcMain: { handle: () => {}, removeHandler: () => {} } }));

const info: AppInfo = { name: 'Parley', version: '1.2.3', host: 'electron', platform: 'linux', dataDir: '/tmp/x' };

/** Handlers that record what reached them; app:info answers, the rest fail the way a service would. */
function recordingHandlers() {
  const calls: Array<[Channel, unknown]> = [];
  const handlers = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      async (input: unknown) => {
        calls.push([channel, input]);
        if (channel === 'app:info') return info;
        throw new ParleyError('NOT_FOUND', `${channel}: nothing here`);
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

function setup(origin = 'app://parley', url = 'app://parley/index.html') {
  const contents = new FakeWebContents(new FakeSession());
  contents.mainFrame.url = url;
  let destroyed = false;
  const win: TrustedWindow = {
    isDestroyed: () => destroyed,
    webContents: contents as unknown as TrustedWindow['webContents'],
  };
  const { handlers, calls } = recordingHandlers();
  const electron = createFakeElectron();
  const ipcMain = electron.ipcMain;
  const unbind = bindIpc({
    ipcMain: ipcMain as never,
    handlers,
    isTrustedSender: trustedSender(() => win, origin),
    validateOutput: true,
  });
  const ours: SenderEvent = { sender: contents, senderFrame: contents.mainFrame } as unknown as SenderEvent;
  const invoke = (channel: string, input?: unknown, event: unknown = ours) => ipcMain.invoke(channel, event, input);
  return { contents, ipcMain, unbind, calls, invoke, ours, destroy: () => (destroyed = true) };
}

describe('bindIpc', () => {
  it('binds every channel of the contract exactly once, and unbinds them all', () => {
    const { ipcMain, unbind } = setup();
    expect(ipcMain.handleCalls).toHaveLength(CHANNELS.length);
    expect(new Set(ipcMain.handleCalls)).toEqual(new Set(CHANNELS));
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('a valid call reaches its handler and returns an ok envelope', async () => {
    const { invoke, calls } = setup();
    await expect(invoke('app:info')).resolves.toEqual({ ok: true, value: info });
    const id = randomUUID();
    await expect(invoke('sessions:get', { id })).resolves.toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'sessions:get: nothing here' },
    });
    expect(calls).toEqual([
      ['app:info', undefined],
      ['sessions:get', { id }],
    ]);
  });

  it.each([
    ['sessions:get', { id: '../x' }],
    ['sessions:get', { id: '' }],
    ['sessions:get', undefined],
    ['turn:send', { sessionId: '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f', text: '   ' }],
    ['turn:send', { sessionId: '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f', text: 'hi', extra: 1 }],
    ['keys:set', { provider: 'openai', key: 'short' }],
    ['keys:set', { provider: 'somebody-else', key: 'sk-1234567890' }],
    ['app:info', { unexpected: true }],
    ['settings:set', { temperature: 'hot' }],
  ])('%s with a payload failing its schema gets INVALID_INPUT and never reaches the service (%j)', async (channel, input) => {
    const { invoke, calls } = setup();
    const envelope = await invoke(channel, input);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((envelope as { error: { message: string } }).error.message).toContain(channel);
    expect(calls).toEqual([]);
  });

  it('refuses foreign senders with FORBIDDEN_SENDER and never reaches the service', async () => {
    const { invoke, calls, contents, ours } = setup();
    const other = new FakeWebContents(new FakeSession());
    other.mainFrame.url = 'app://parley/index.html';
    const iframe: FakeFrame = { processId: contents.mainFrame.processId, frameToken: 'child', parent: contents.mainFrame, url: 'app://parley/x.html' };
    const foreign: Array<[string, unknown]> = [
      ['another webContents', { sender: other, senderFrame: other.mainFrame }],
      ['an iframe of our window', { sender: contents, senderFrame: iframe }],
      ['a frame that navigated elsewhere', { sender: contents, senderFrame: { ...contents.mainFrame, url: 'https://evil.example/' } }],
      ['a frame gone (null)', { sender: contents, senderFrame: null }],
      ['a frame from another process', { sender: contents, senderFrame: { ...contents.mainFrame, processId: 999 } }],
      ['file:// in our window', { sender: contents, senderFrame: { ...contents.mainFrame, url: 'file:///etc/passwd' } }],
      ['the dev server origin in production', { sender: contents, senderFrame: { ...contents.mainFrame, url: 'http://127.0.0.1:5173/' } }],
    ];
    for (const [what, event] of foreign) {
      const envelope = await invoke('app:info', undefined, event);
      expect(envelope, what).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    }
    expect(calls).toEqual([]);
    await expect(invoke('app:info', undefined, ours)).resolves.toMatchObject({ ok: true });
  });

  it('refuses everything once our window is destroyed', async () => {
    const { invoke, destroy } = setup();
    destroy();
    await expect(invoke('app:info')).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('trusts the dev server origin when that is what the window shows', async () => {
    const { invoke } = setup('http://127.0.0.1:5173', 'http://127.0.0.1:5173/');
    await expect(invoke('app:info')).resolves.toMatchObject({ ok: true });
  });

  it('answers an unknown channel with UNKNOWN_CHANNEL', async () => {
    const { handlers, calls } = recordingHandlers();
    const handle = createIpcHandler({ handlers, isTrustedSender: () => true });
    await expect(handle({} as SenderEvent, 'sessions:explode', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    await expect(handle({} as SenderEvent, 'constructor', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(calls).toEqual([]);
  });

  it('a sender check that throws counts as a refusal, not a crash', async () => {
    const { handlers } = recordingHandlers();
    const handle = createIpcHandler({
      handlers,
      isTrustedSender: () => {
        throw new Error('frame disposed');
      },
    });
    await expect(handle({} as SenderEvent, 'app:info', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('with validateOutput, a handler breaking the contract becomes an INTERNAL envelope', async () => {
    const { handlers } = recordingHandlers();
    const broken = { ...handlers, 'app:info': async () => ({ name: 'Parley' }) as unknown as AppInfo };
    const handle = createIpcHandler({ handlers: broken, isTrustedSender: () => true, validateOutput: true });
    await expect(handle({} as SenderEvent, 'app:info', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('forwardEvents', () => {
  function source() {
    const listeners = new Set<Parameters<EventSource>[0]>();
    const subscribe: EventSource = (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    const emit = (event: string, payload: unknown) => {
      for (const l of listeners) (l as (e: string, p: unknown) => void)(event, payload);
    };
    return { subscribe, emit, listeners };
  }

  it('sends valid payloads to our window, drops invalid ones, and unsubscribes', () => {
    const { subscribe, emit, listeners } = source();
    const contents = new FakeWebContents(new FakeSession());
    const dropped: string[] = [];
    const stop = forwardEvents(subscribe, () => contents as never, (event) => dropped.push(event));
    const turnId = randomUUID();
    const sessionId = randomUUID();
    emit('turn:delta', { turnId, sessionId, text: 'Hel' });
    emit('turn:delta', { turnId, sessionId, text: 42 });
    emit('not:an-event', {});
    expect(contents.sent).toEqual([['turn:delta', { turnId, sessionId, text: 'Hel' }]]);
    expect(dropped).toEqual(['turn:delta', 'not:an-event']);
    stop();
    expect(listeners.size).toBe(0);
  });

  it('sends nothing once the window is gone', () => {
    const { subscribe, emit } = source();
    const contents = new FakeWebContents(new FakeSession());
    contents.destroyed = true;
    forwardEvents(subscribe, () => contents as never);
    emit('session:changed', { id: randomUUID(), reason: 'created' });
    expect(contents.sent).toEqual([]);
  });
});
