import { ipcMain as electronIpcMain, type IpcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, events, type EventName, type EventPayload, type Handlers } from '../shared/ipc';
import { describeIssues, type Envelope } from '../shared/errors';
import { dispatch } from './rpc';
import { originOf } from './adapters/app-protocol';

/** The part of an invoke event the sender check reads. */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

export interface IpcBinding {
  handlers: Handlers;
  /** True only for our window's main frame showing our own origin. */
  isTrustedSender: (event: SenderEvent) => boolean;
  /** Check every handler's output against the contract (development builds and tests). */
  validateOutput?: boolean;
  onInternalError?: (channel: string, error: unknown) => void;
}

export interface BindIpcOptions extends IpcBinding {
  /** Injected in tests; Electron's ipcMain otherwise. */
  ipcMain?: Pick<IpcMain, 'handle' | 'removeHandler'>;
}

const FORBIDDEN: Envelope = {
  ok: false,
  error: { code: 'FORBIDDEN_SENDER', message: 'This request did not come from the Parley window and was refused.' },
};

/** Answers one request: sender first, then the shared dispatcher (channel, input, service, output). */
export function createIpcHandler(binding: IpcBinding) {
  return async (event: SenderEvent, channel: unknown, input: unknown): Promise<Envelope> => {
    let trusted = false;
    try {
      trusted = binding.isTrustedSender(event);
    } catch {
      trusted = false;
    }
    if (!trusted) return FORBIDDEN;
    return dispatch(binding.handlers, channel, input, {
      validateOutput: binding.validateOutput,
      onInternalError: binding.onInternalError,
    });
  };
}

/** Binds every channel of shared/ipc.ts exactly once; returns the function that unbinds them all. */
export function bindIpc(options: BindIpcOptions): () => void {
  const ipc = options.ipcMain ?? electronIpcMain;
  const handle = createIpcHandler(options);
  for (const channel of CHANNELS) {
    ipc.handle(channel, (event, input: unknown) => handle(event, channel, input));
  }
  return () => {
    for (const channel of CHANNELS) ipc.removeHandler(channel);
  };
}

/** The shape of a window that IPC trusts: read lazily because the window is created after IPC is bound. */
export interface TrustedWindow {
  isDestroyed(): boolean;
  readonly webContents: Pick<WebContents, 'mainFrame'> & object;
}

/**
 * Sender check: the request must come from our window's webContents, from its main frame (not an
 * iframe), and that frame must be showing our origin (app://parley, or the dev server in dev).
 */
export function trustedSender(getWindow: () => TrustedWindow | null, origin: string): (event: SenderEvent) => boolean {
  return (event) => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return false;
    if (event.sender !== win.webContents) return false;
    const frame = event.senderFrame;
    const main = win.webContents.mainFrame;
    if (!frame || !main || frame.parent !== null) return false;
    if (frame.processId !== main.processId || frame.frameToken !== main.frameToken) return false;
    return originOf(frame.url) === origin;
  };
}

export type EventSource = (listener: <E extends EventName>(event: E, payload: EventPayload<E>) => void) => () => void;

/**
 * Forwards backend events to our window only, each payload checked against its schema first so a
 * service bug cannot push malformed data into the renderer. Returns the unsubscribe function.
 */
export function forwardEvents(
  subscribe: EventSource,
  getTarget: () => Pick<WebContents, 'send' | 'isDestroyed'> | null,
  onDropped: (event: string, reason: string) => void = () => {},
): () => void {
  return subscribe((event, payload) => {
    const schema = events[event];
    if (!schema) return onDropped(String(event), 'unknown event');
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return onDropped(event, describeIssues(parsed.error));
    const target = getTarget();
    if (!target || target.isDestroyed()) return;
    target.send(event, parsed.data);
  });
}
