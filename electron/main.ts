import { join } from 'node:path';
import { app, BrowserWindow, dialog, protocol, safeStorage } from 'electron';
import { ParleyError } from '../shared/errors';
import { acquireDataLock, type DataLock } from './fs/data-lock';
import { createBackend, type Backend } from './backend';
import { createAppSecretStore } from './secrets';
import { bindIpc, forwardEvents, trustedSender } from './ipc';
import { createMainWindow, hardenWebContents, type MainWindow } from './window';
import { createDesktop } from './adapters/desktop';
import { APP_ENTRY_URL, APP_ORIGIN, originOf, registerAppScheme, serveAppProtocol } from './adapters/app-protocol';

/**
 * The composition root of the desktop app: lifecycle, one window, the IPC contract. Everything
 * else is built by createBackend() and shared with the preview host and the CLI.
 */

function log(what: string, error: unknown): void {
  console.error(`[parley] ${what}:`, error instanceof Error ? error.message : error);
}

// Before 'ready': scheme privileges are fixed at startup, and every renderer is sandboxed.
registerAppScheme(protocol);
app.enableSandbox();

/** Development only: the Vite dev server (HMR). A packaged app always serves app://parley. */
function devServerUrl(): string | null {
  const url = process.env.VITE_DEV_SERVER_URL;
  if (!url || app.isPackaged) return null;
  return originOf(url) ? url : null;
}

let current: MainWindow | null = null;
/** Kept after the window closes so quitting can wait for its last bounds write. */
let lastOpened: MainWindow | null = null;
let backend: Backend | null = null;

async function openWindow(): Promise<MainWindow> {
  if (!backend) throw new Error('backend not started');
  const dev = devServerUrl();
  const appDir = app.getAppPath();
  current = await createMainWindow({
    url: dev ?? APP_ENTRY_URL,
    origin: dev ? (originOf(dev) as string) : APP_ORIGIN,
    devServerOrigin: dev ? originOf(dev) : null,
    preloadPath: join(appDir, 'out', 'preload', 'preload.cjs'),
    settings: backend.settings,
    onError: log,
  });
  const opened = current;
  lastOpened = opened;
  opened.window.on('closed', () => {
    if (current === opened) current = null;
  });
  return opened;
}

function focusWindow(): void {
  const win = current?.window;
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.focus();
}

let dataLock: DataLock | undefined;

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  // One Parley per data folder: a preview or another build on the same folder would undo our writes.
  dataLock = await acquireDataLock(dataDir, 'electron');
  const secrets = await createAppSecretStore({ dataDir, safeStorage });
  backend = await createBackend({
    dataDir,
    host: 'electron',
    version: app.getVersion(),
    secrets,
    desktop: createDesktop(() => current?.window ?? null),
    dataLock,
    // As in the CLI and the preview: Publish and the key test go to another API (a proxy, a mock).
    elevenLabsBaseUrl: process.env.ELEVENLABS_BASE_URL || undefined,
  });

  serveAppProtocol(protocol, join(app.getAppPath(), 'out', 'renderer'));
  const dev = devServerUrl();
  const origin = dev ? (originOf(dev) as string) : APP_ORIGIN;
  bindIpc({
    handlers: backend.handlers,
    isTrustedSender: trustedSender(() => current?.window ?? null, origin),
    validateOutput: !app.isPackaged,
    onInternalError: log,
  });
  forwardEvents(
    (listener) => backend!.onEvent(listener),
    () => (current && !current.window.isDestroyed() ? current.window.webContents : null),
    (event, reason) => log(`dropped event ${event}`, reason),
  );
  await openWindow();
}

let flushed = false;

/** Resolves once the window is open (or the app has given way to an already running instance). */
export const started: Promise<void> = run();

function run(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return Promise.resolve();
  }
  app.on('second-instance', focusWindow);
  // Any webContents (not only ours) gets the navigation policy.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (backend && BrowserWindow.getAllWindows().length === 0) openWindow().catch((e: unknown) => log('open window', e));
  });
  app.on('before-quit', (event) => {
    if (flushed || !backend) return;
    // Let running turns finish and every write (sessions, window bounds) reach disk first.
    event.preventDefault();
    const b = backend;
    Promise.allSettled([lastOpened?.saveState() ?? Promise.resolve(), b.close()])
      .then(async (results) => {
        await dataLock?.release();
        for (const r of results) if (r.status === 'rejected') log('flush on quit', r.reason);
      })
      .finally(() => {
        flushed = true;
        app.quit();
      });
  });
  return app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log('start', error);
      // A refusal the user can act on (data folder in use, …) is shown, not only logged.
      if (error instanceof ParleyError) dialog.showErrorBox('Parley could not start', error.message);
      app.exit(1);
    });
}
