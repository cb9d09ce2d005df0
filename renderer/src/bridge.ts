import type { ParleyApi } from '../../shared/ipc';
import { buildParleyApi } from '../../shared/client';
import { createWsTransport, type ConnectionStatus, type WsTransport } from './wsTransport';

export interface Connection {
  readonly status: ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

export interface Bridge {
  api: ParleyApi;
  /** Only in preview: the WebSocket's state, for the status bar. Electron IPC has no such state. */
  connection: Connection | null;
}

/**
 * Finds `window.parley`. In Electron the preload has set it. In the browser preview there is no
 * preload: the page URL carries the per-launch token, and the same API is built over a WebSocket
 * to the host that served the page.
 */
export function connectParley(win: Window = window): Bridge | null {
  if (win.parley) return { api: win.parley, connection: null };
  const page = new URL(win.location.href);
  const token = page.searchParams.get('token');
  if (!token) return null;
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws';
  const transport: WsTransport = createWsTransport({ url: `${scheme}://${page.host}/?token=${encodeURIComponent(token)}` });
  const api = buildParleyApi(transport);
  Object.defineProperty(win, 'parley', { value: api, writable: false, configurable: false, enumerable: true });
  return { api, connection: transport };
}
