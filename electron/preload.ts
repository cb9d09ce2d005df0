import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildParleyApi, type Transport } from '../shared/client';
import { ParleyError, type Envelope } from '../shared/errors';
import type { ParleyApi } from '../shared/ipc';

/**
 * The only thing that crosses into the page: `window.parley`, built from the contract. The raw
 * ipcRenderer, the IPC event objects (which reference it) and Node never do.
 */
const transport: Transport = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input) as Promise<Envelope>,
  subscribe: (event, listener) => {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
};

/**
 * contextBridge copies a thrown Error with its message only, so a ParleyError would reach the page
 * without its code. Rejections therefore cross as a plain `{ name: 'ParleyError', code, message }`
 * object, which the bridge copies whole.
 */
function bridgeSafe(api: ParleyApi): ParleyApi {
  const out: Record<string, unknown> = {};
  for (const [ns, value] of Object.entries(api)) {
    if (typeof value === 'function') {
      out[ns] = value;
      continue;
    }
    const methods: Record<string, (input?: unknown) => Promise<unknown>> = {};
    for (const [name, fn] of Object.entries(value as Record<string, (input?: unknown) => Promise<unknown>>)) {
      methods[name] = (input?: unknown) =>
        fn(input).catch((error: unknown) => {
          const e = error instanceof ParleyError ? error : new ParleyError('INTERNAL', String(error));
          throw { name: 'ParleyError', code: e.code, message: e.message };
        });
    }
    out[ns] = Object.freeze(methods);
  }
  return Object.freeze(out) as ParleyApi;
}

contextBridge.exposeInMainWorld('parley', bridgeSafe(buildParleyApi(transport)));
