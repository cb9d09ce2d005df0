import { BrowserWindow, screen, session as electronSession, shell, type Rectangle, type Session, type WebContents } from 'electron';
import type { Settings, SettingsPatch, WindowState } from '../shared/settings';
import { enforceCsp } from './adapters/csp';
import { originOf } from './adapters/app-protocol';

export const DEFAULT_SIZE = { width: 1280, height: 820 };
export const MIN_SIZE = { width: 640, height: 480 };
/** How long the window must stay still before its bounds are written (move/resize fire continuously). */
export const SAVE_DELAY_MS = 500;
/** A saved window is restored where it was only if this much of it is still on some display. */
const MIN_VISIBLE = { width: 120, height: 60 };

/** The part of the settings store the window uses (electron/store/settings.ts). */
export interface WindowSettings {
  get(): Promise<Settings>;
  set(patch: SettingsPatch): Promise<Settings>;
}

export interface MainWindowOptions {
  /** app://parley/index.html, or the Vite dev server URL in development. */
  url: string;
  /** The only origin the window may show and IPC may trust. */
  origin: string;
  preloadPath: string;
  settings: WindowSettings;
  /** Set in development: the dev server origin, which needs a slightly wider CSP for HMR. */
  devServerOrigin?: string | null;
  onError?: (what: string, error: unknown) => void;
}

export interface MainWindow {
  window: BrowserWindow;
  /** Writes the current bounds now; resolves when the settings store has them. */
  saveState(): Promise<void>;
}

export interface RestoredBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/**
 * Where to open the window: the saved bounds when a usable part of them is on a current display
 * (a monitor may have been unplugged since), otherwise the saved size centred by the OS, never
 * larger than the biggest work area.
 */
export function restoreBounds(saved: WindowState | null, workAreas: Rectangle[]): RestoredBounds {
  const maxWidth = Math.max(MIN_SIZE.width, ...workAreas.map((a) => a.width));
  const maxHeight = Math.max(MIN_SIZE.height, ...workAreas.map((a) => a.height));
  const clamp = (v: number, min: number, max: number) => Math.min(Math.max(Math.round(v), min), max);
  if (!saved) {
    return {
      width: clamp(DEFAULT_SIZE.width, MIN_SIZE.width, maxWidth),
      height: clamp(DEFAULT_SIZE.height, MIN_SIZE.height, maxHeight),
      maximized: false,
    };
  }
  const width = clamp(saved.width, MIN_SIZE.width, maxWidth);
  const height = clamp(saved.height, MIN_SIZE.height, maxHeight);
  const maximized = saved.maximized ?? false;
  if (saved.x === undefined || saved.y === undefined) return { width, height, maximized };
  const rect = { x: saved.x, y: saved.y, width, height };
  const visible = workAreas.some((area) => {
    const o = overlap(rect, area);
    return o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height;
  });
  return visible ? { ...rect, maximized } : { width, height, maximized };
}

/** Only plain https links leave the app, and only to the OS browser. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The one place a URL leaves the app: the OS browser, for plain https only. */
function openInBrowser(url: string): void {
  if (!isAllowedExternalUrl(url)) return;
  shell.openExternal(url).catch(() => {
    // No browser configured: nothing useful to do, and never a reason to navigate in-app instead.
  });
}

function withoutHash(url: string): string {
  const i = url.indexOf('#');
  return i === -1 ? url : url.slice(0, i);
}

/**
 * Session-wide policy: CSP on every http(s) response, and every permission (camera, microphone,
 * notifications, geolocation, HID, ...) refused. The one exception is sanitized clipboard writes
 * from our own origin, so "Copy" on an export works; reading the clipboard stays refused.
 */
export function secureSession(session: Session, origin: string, devServerOrigin: string | null = null): void {
  enforceCsp(session, devServerOrigin);
  const allowed = (permission: string, requestingUrl: string | undefined) =>
    permission === 'clipboard-sanitized-write' && requestingUrl !== undefined && originOf(requestingUrl) === origin;
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(allowed(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}

const hardened = new WeakSet<WebContents>();

/**
 * Navigation policy for any webContents: no navigating away (a reload of the same document is
 * fine, Vite's full reload needs it), no new windows, no <webview>. https links the user clicks
 * open in the OS browser instead.
 */
export function hardenWebContents(contents: WebContents): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.on('will-navigate', (event) => {
    if (withoutHash(event.url) === withoutHash(contents.getURL())) return;
    event.preventDefault();
    openInBrowser(event.url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

/** The one BrowserWindow: every security-relevant option is written out, none left to defaults. */
export async function createMainWindow(options: MainWindowOptions): Promise<MainWindow> {
  const onError = options.onError ?? (() => {});
  let saved: WindowState | null = null;
  try {
    saved = (await options.settings.get()).window;
  } catch (error) {
    onError('read window state', error);
  }
  const bounds = restoreBounds(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );

  // The window uses the default session; configure it before the first request is made.
  secureSession(electronSession.defaultSession, options.origin, options.devServerOrigin ?? null);

  const win = new BrowserWindow({
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Parley',
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
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
    },
  });
  hardenWebContents(win.webContents);

  win.once('ready-to-show', () => {
    if (bounds.maximized) win.maximize();
    win.show();
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: Promise<void> = Promise.resolve();
  const saveState = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed()) return pending;
    const b = win.getNormalBounds();
    const state: WindowState = {
      x: Math.round(b.x),
      y: Math.round(b.y),
      width: Math.max(MIN_SIZE.width, Math.round(b.width)),
      height: Math.max(MIN_SIZE.height, Math.round(b.height)),
      maximized: win.isMaximized(),
    };
    pending = pending
      .then(() => options.settings.set({ window: state }))
      .then(
        () => undefined,
        (error: unknown) => onError('save window state', error),
      );
    return pending;
  };
  const scheduleSave = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void saveState(), SAVE_DELAY_MS);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) {
    win.on(event as 'resize', scheduleSave);
  }
  win.on('close', () => void saveState());

  win.loadURL(options.url).catch((error: unknown) => onError(`load ${options.url}`, error));
  return { window: win, saveState: () => (win.isDestroyed() ? pending : saveState()) };
}
