/**
 * A stand-in for the parts of the `electron` module that main.ts, window.ts and ipc.ts use, for
 * `vi.mock('electron')` (the Electron binary cannot run here). It records what the code under
 * test asked Electron to do, and lets tests fire the events Electron would fire.
 */
type Listener = (...args: unknown[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.removeListener(event, wrapped);
      return listener(...args);
    };
    return this.on(event, wrapped);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
  emit(event: string, ...args: unknown[]): boolean {
    const ls = [...(this.listeners.get(event) ?? [])];
    for (const l of ls) l(...args);
    return ls.length > 0;
  }
}

/** An Electron-style event object: preventDefault() is observable. */
export function fakeEvent<T extends object>(fields: T = {} as T): T & { defaultPrevented: boolean; preventDefault(): void } {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export interface FakeFrame {
  processId: number;
  frameToken: string;
  parent: FakeFrame | null;
  url: string;
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, requestingOrigin: string, details: object) => boolean;
type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  devicePermissionHandler: ((details: object) => boolean) | null = null;
  headersListener: HeadersListener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: PermissionRequestHandler | null) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: ((details: object) => boolean) | null) {
    this.devicePermissionHandler = handler;
  }
}

let nextProcessId = 1;

export class FakeWebContents extends FakeEmitter {
  readonly sent: Array<[string, unknown]> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  readonly mainFrame: FakeFrame;
  constructor(readonly session: FakeSession) {
    super();
    const processId = nextProcessId++;
    this.mainFrame = { processId, frameToken: `frame-${processId}`, parent: null, url: '' };
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function createFakeElectron(opts: { userData?: string; appPath?: string; workAreas?: Bounds[] } = {}) {
  const calls: Array<[string, ...unknown[]]> = [];
  const record = (name: string, ...args: unknown[]) => calls.push([name, ...args]);
  const defaultSession = new FakeSession();

  const app = new (class extends FakeEmitter {
    isPackaged = false;
    readyResolve: () => void = () => {};
    readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
    requestSingleInstanceLock() {
      record('app.requestSingleInstanceLock');
      return true;
    }
    whenReady() {
      return this.ready;
    }
    getPath(name: string) {
      if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
      return opts.userData ?? '/nonexistent';
    }
    getAppPath() {
      return opts.appPath ?? '/app';
    }
    getVersion() {
      return '0.1.0-test';
    }
    enableSandbox() {
      record('app.enableSandbox');
    }
    quit() {
      record('app.quit');
    }
    exit(code: number) {
      record('app.exit', code);
    }
  })();

  class BrowserWindow extends FakeEmitter {
    static readonly instances: BrowserWindow[] = [];
    static getAllWindows() {
      return BrowserWindow.instances.filter((w) => !w.destroyed);
    }
    readonly webContents = new FakeWebContents(defaultSession);
    bounds: Bounds;
    maximized = false;
    minimized = false;
    shown = false;
    focused = false;
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      this.bounds = {
        x: (options.x as number | undefined) ?? 100,
        y: (options.y as number | undefined) ?? 100,
        width: options.width as number,
        height: options.height as number,
      };
      BrowserWindow.instances.push(this);
      app.emit('web-contents-created', fakeEvent(), this.webContents);
    }
    async loadURL(url: string) {
      this.webContents.mainFrame.url = url;
    }
    getNormalBounds() {
      return { ...this.bounds };
    }
    isMaximized() {
      return this.maximized;
    }
    maximize() {
      this.maximized = true;
      this.emit('maximize');
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.minimized = false;
    }
    show() {
      this.shown = true;
    }
    focus() {
      this.focused = true;
    }
    isDestroyed() {
      return this.destroyed;
    }
    /** Test helper: the user drags/resizes the window. */
    moveTo(bounds: Partial<Bounds>) {
      this.bounds = { ...this.bounds, ...bounds };
      this.emit('move');
      this.emit('resize');
    }
    close() {
      this.emit('close', fakeEvent());
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
      if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
    }
  }

  type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
  const ipcMain = {
    handlers: new Map<string, InvokeHandler>(),
    handleCalls: [] as string[],
    handle(channel: string, handler: InvokeHandler) {
      ipcMain.handleCalls.push(channel);
      // Electron throws on a second handler for the same channel.
      if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcMain.handlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      ipcMain.handlers.delete(channel);
    },
    async invoke(channel: string, event: unknown, ...args: unknown[]) {
      const handler = ipcMain.handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler(event, ...args);
    },
  };

  const protocol = {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      record('protocol.registerSchemesAsPrivileged');
      protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>) {
      protocol.handlers.set(scheme, handler);
    },
  };

  const shell = {
    opened: [] as string[],
    async openExternal(url: string) {
      shell.opened.push(url);
    },
  };

  const screen = {
    workAreas: opts.workAreas ?? [{ x: 0, y: 0, width: 1920, height: 1040 }],
    getAllDisplays: () => screen.workAreas.map((workArea) => ({ workArea })),
  };

  // Reversible, so the secret store's round trip is real; not encryption, and never used outside tests.
  const safeStorage = {
    isEncryptionAvailable: () => true,
    encryptString: (s: string) => Buffer.from(`fake-enc:${s}`, 'utf8'),
    decryptString: (b: Buffer) => {
      const s = b.toString('utf8');
      if (!s.startsWith('fake-enc:')) throw new Error('not encrypted by this fake');
      return s.slice('fake-enc:'.length);
    },
  };

  const module = {
    app,
    BrowserWindow,
    ipcMain,
    protocol,
    session: { defaultSession },
    shell,
    screen,
    safeStorage,
  };
  return { ...module, calls, default: module };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
