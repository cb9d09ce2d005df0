import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as electron from 'electron';
import { CHANNELS } from '../shared/ipc';
import { APP_CSP } from './adapters/csp';
import type { FakeElectron } from '../tests/security/fake-electron';
import { fakeEvent } from '../tests/security/fake-electron';

/**
 * main.ts end to end with only Electron faked: the real backend, secret store and settings run
 * against a temp user-data folder, so this is the desktop app's wiring as shipped.
 */
vi.mock('electron', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createFakeElectron } = await import('../tests/security/fake-electron');
  return createFakeElectron({ userData: mkdtempSync(join(tmpdir(), 'parley-main-')), appPath: process.cwd() });
});

const fake = electron as unknown as FakeElectron;
type FakeWindow = InstanceType<FakeElectron['BrowserWindow']>;
let win: FakeWindow;

beforeAll(async () => {
  delete process.env.VITE_DEV_SERVER_URL;
  const main = await import('./main');
  // Before 'ready': only the scheme registration and the sandbox switch may have happened.
  expect(fake.BrowserWindow.instances).toHaveLength(0);
  expect(fake.calls.map(([name]) => name)).toEqual(['protocol.registerSchemesAsPrivileged', 'app.enableSandbox', 'app.requestSingleInstanceLock']);
  fake.app.readyResolve();
  await main.started;
  win = fake.BrowserWindow.instances[0]!;
}, 60_000);

afterAll(() => rmSync(fake.app.getPath('userData'), { recursive: true, force: true }));

function trusted() {
  return { sender: win.webContents, senderFrame: win.webContents.mainFrame };
}

describe('main.ts wiring', () => {
  it('holds the data folder lock as the desktop app while it runs', () => {
    const owner = JSON.parse(readFileSync(join(fake.app.getPath('userData'), 'parley.lock'), 'utf8')) as { pid: number; host: string };
    expect(owner).toMatchObject({ pid: process.pid, host: 'electron' });
  });

  it('registers app:// as a privileged standard + secure scheme before ready', () => {
    expect(fake.protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect(fake.protocol.privileged[0]).not.toMatchObject({ privileges: { bypassCSP: true } });
  });

  it('creates exactly one window with the exact secure options, loading app://parley', () => {
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    expect(win.options.webPreferences).toEqual({
      preload: join(process.cwd(), 'out', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: true,
    });
    expect(win.webContents.getURL()).toBe('app://parley/index.html');
  });

  it('serves app:// with the CSP and without escaping the renderer folder', async () => {
    const handle = fake.protocol.handlers.get('app')!;
    expect(handle).toBeTypeOf('function');
    const escape = await handle(new Request('app://parley/..%2f..%2fpackage.json'));
    expect(escape.status).toBe(404);
    expect(escape.headers.get('content-security-policy')).toBe(APP_CSP);
  });

  it('sets the CSP and denies permissions on the session', () => {
    const session = fake.session.defaultSession;
    let headers: Record<string, string[]> | undefined;
    session.headersListener!({ url: 'https://x.example/', responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers!['Content-Security-Policy']).toEqual([APP_CSP]);
    let granted: boolean | undefined;
    session.permissionRequestHandler!({}, 'media', (g) => (granted = g), { requestingUrl: 'app://parley/index.html' });
    expect(granted).toBe(false);
    expect(session.permissionCheckHandler!({}, 'notifications', 'app://parley', {})).toBe(false);
  });

  it('denies navigation, new windows and webviews', () => {
    const nav = fakeEvent({ url: 'https://evil.example/' });
    win.webContents.emit('will-navigate', nav);
    expect(nav.defaultPrevented).toBe(true);
    expect(win.webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const attach = fakeEvent();
    win.webContents.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });

  it('binds every channel exactly once', () => {
    expect(fake.ipcMain.handleCalls.slice().sort()).toEqual([...CHANNELS].sort());
  });

  it('answers our window through the real backend and refuses anyone else', async () => {
    const ok = await fake.ipcMain.invoke('app:info', trusted(), undefined);
    expect(ok).toEqual({
      ok: true,
      value: expect.objectContaining({ name: 'Parley', host: 'electron', version: '0.1.0-test', dataDir: fake.app.getPath('userData') }),
    });
    const stranger = { sender: win.webContents, senderFrame: { ...win.webContents.mainFrame, url: 'https://evil.example/' } };
    await expect(fake.ipcMain.invoke('app:info', stranger, undefined)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    await expect(fake.ipcMain.invoke('sessions:get', trusted(), { id: '../x' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('forwards backend events to the window', async () => {
    const created = (await fake.ipcMain.invoke('sessions:create', trusted(), { provider: 'offline' })) as { ok: boolean; value: { id: string } };
    expect(created.ok).toBe(true);
    expect(win.webContents.sent).toContainEqual(['session:changed', { id: created.value.id, reason: 'created' }]);
  });

  it('focuses the existing window when a second instance starts', () => {
    win.minimized = true;
    fake.app.emit('second-instance', fakeEvent(), [], '/');
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
  });

  it('flushes the backend before quitting, then quits', async () => {
    const before = fakeEvent();
    fake.app.emit('before-quit', before);
    expect(before.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.calls.some(([name]) => name === 'app.quit')).toBe(true));
    const again = fakeEvent();
    fake.app.emit('before-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });

  it('quits when the last window closes (not on macOS)', () => {
    const quits = () => fake.calls.filter(([name]) => name === 'app.quit').length;
    const n = quits();
    win.close();
    expect(quits()).toBe(process.platform === 'darwin' ? n : n + 1);
  });
});
