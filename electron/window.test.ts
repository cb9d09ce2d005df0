import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import { Settings, type SettingsPatch } from '../shared/settings';
import { APP_CSP } from './adapters/csp';
import { createMainWindow, isAllowedExternalUrl, restoreBounds, SAVE_DELAY_MS, type WindowSettings } from './window';
import type { FakeElectron } from '../tests/security/fake-electron';
import { fakeEvent } from '../tests/security/fake-electron';

vi.mock('electron', async () => (await import('../tests/security/fake-electron')).createFakeElectron());

const fake = electron as unknown as FakeElectron;
type FakeWindow = InstanceType<FakeElectron['BrowserWindow']>;

/** The settings store's get/set semantics over memory: the merged whole is validated, like the real store. */
function memorySettings(initial: Partial<Settings> = {}) {
  let current = Settings.parse(initial);
  const writes: SettingsPatch[] = [];
  const store: WindowSettings = {
    get: async () => current,
    set: async (patch) => {
      writes.push(patch);
      current = Settings.parse({ ...current, ...patch });
      return current;
    },
  };
  return { store, writes, current: () => current };
}

async function open(settings = memorySettings().store) {
  const main = await createMainWindow({
    url: 'app://parley/index.html',
    origin: 'app://parley',
    preloadPath: '/app/out/preload/preload.cjs',
    settings,
  });
  return { main, win: main.window as unknown as FakeWindow };
}

beforeEach(() => {
  fake.BrowserWindow.instances.length = 0;
  fake.shell.opened.length = 0;
  fake.screen.workAreas = [{ x: 0, y: 0, width: 1920, height: 1040 }];
});
afterEach(() => vi.useRealTimers());

describe('createMainWindow', () => {
  it('creates the window with the exact secure webPreferences', async () => {
    const { win } = await open();
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    expect(win.options.webPreferences).toEqual({
      preload: '/app/out/preload/preload.cjs',
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
    expect(win.options.show).toBe(false);
    expect(win.webContents.getURL()).toBe('app://parley/index.html');
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('sets the CSP on the session', async () => {
    await open();
    const session = fake.session.defaultSession;
    let headers: Record<string, string[]> | undefined;
    session.headersListener!({ url: 'https://example.com/', responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers!['Content-Security-Policy']).toEqual([APP_CSP]);
  });

  it('denies navigation away, opening https links in the OS browser only', async () => {
    const { win } = await open();
    const navigate = (url: string) => {
      const event = fakeEvent({ url });
      win.webContents.emit('will-navigate', event);
      return event.defaultPrevented;
    };
    expect(navigate('https://evil.example/phish')).toBe(true);
    expect(navigate('http://insecure.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('app://parley/other.html')).toBe(true);
    expect(navigate('javascript:alert(1)')).toBe(true);
    expect(navigate('app://parley/index.html#top')).toBe(false); // a reload of the same document
    expect(fake.shell.opened).toEqual(['https://evil.example/phish']);
  });

  it('denies every new window; https targets go to the OS browser', async () => {
    const { win } = await open();
    const handler = win.webContents.windowOpenHandler!;
    expect(handler({ url: 'https://docs.example.com/a' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'http://docs.example.com/a' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'https://user:pw@example.com/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'app://parley/index.html' })).toEqual({ action: 'deny' });
    expect(fake.shell.opened).toEqual(['https://docs.example.com/a']);
  });

  it('prevents <webview> attachment', async () => {
    const { win } = await open();
    const event = fakeEvent();
    win.webContents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('denies permission requests and checks (only sanitized clipboard writes from our origin pass)', async () => {
    await open();
    const session = fake.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'fullscreen']) {
      const granted = await new Promise<boolean>((resolve) =>
        session.permissionRequestHandler!({}, permission, resolve, { requestingUrl: 'app://parley/index.html' }),
      );
      expect(granted, permission).toBe(false);
      expect(session.permissionCheckHandler!({}, permission, 'app://parley', {}), permission).toBe(false);
    }
    const fromUs = await new Promise<boolean>((resolve) =>
      session.permissionRequestHandler!({}, 'clipboard-sanitized-write', resolve, { requestingUrl: 'app://parley/index.html' }),
    );
    const fromElsewhere = await new Promise<boolean>((resolve) =>
      session.permissionRequestHandler!({}, 'clipboard-sanitized-write', resolve, { requestingUrl: 'https://evil.example/' }),
    );
    expect([fromUs, fromElsewhere]).toEqual([true, false]);
    expect(session.devicePermissionHandler!({})).toBe(false);
  });

  it('remembers size and position: debounced on move/resize, written on close, restored on start', async () => {
    vi.useFakeTimers();
    const settings = memorySettings();
    const { win } = await open(settings.store);
    win.moveTo({ x: 10, y: 20, width: 1000, height: 700 });
    win.moveTo({ x: 30, y: 40, width: 1001, height: 701 });
    expect(settings.writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(settings.writes).toEqual([{ window: { x: 30, y: 40, width: 1001, height: 701, maximized: false } }]);
    win.maximize();
    win.close();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(settings.writes).toHaveLength(2); // the close wrote at once and cancelled the pending debounce
    expect(settings.current().window).toEqual({ x: 30, y: 40, width: 1001, height: 701, maximized: true });

    const { win: again } = await open(settings.store);
    expect(again.options).toMatchObject({ x: 30, y: 40, width: 1001, height: 701 });
    again.emit('ready-to-show');
    expect(again.maximized).toBe(true);
  });

  it('ignores saved bounds that are off every current display', async () => {
    fake.screen.workAreas = [{ x: 0, y: 0, width: 1440, height: 860 }];
    const settings = memorySettings({ window: { x: 3000, y: 100, width: 1200, height: 800, maximized: false } });
    const { win } = await open(settings.store);
    expect(win.options.x).toBeUndefined();
    expect(win.options.y).toBeUndefined();
    expect(win.options).toMatchObject({ width: 1200, height: 800 });
  });
});

describe('restoreBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('defaults when nothing is saved', () => {
    expect(restoreBounds(null, screen)).toEqual({ width: 1280, height: 820, maximized: false });
  });
  it('keeps bounds that are mostly visible, on a second display too', () => {
    const two = [...screen, { x: 1920, y: 0, width: 1280, height: 1024 }];
    expect(restoreBounds({ x: 2000, y: 50, width: 900, height: 600, maximized: false }, two)).toEqual({ x: 2000, y: 50, width: 900, height: 600, maximized: false });
  });
  it('drops the position when only a sliver would be visible, and shrinks to the screen', () => {
    expect(restoreBounds({ x: 1900, y: 1000, width: 5000, height: 4000, maximized: false }, screen)).toEqual({ width: 1920, height: 1080, maximized: false });
    expect(restoreBounds({ x: -5000, y: -5000, width: 800, height: 600, maximized: true }, screen)).toEqual({ width: 800, height: 600, maximized: true });
  });
});

describe('isAllowedExternalUrl', () => {
  it('allows plain https only', () => {
    expect(isAllowedExternalUrl('https://elevenlabs.io/docs')).toBe(true);
    for (const url of ['http://x.example', 'file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'https://a:b@x.example', 'app://parley/', 'nonsense']) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});
