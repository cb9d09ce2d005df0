import {
  CHANNELS,
  channelPath,
  isEventName,
  type Channel,
  type EventName,
  type EventPayload,
  type ParleyApi,
} from './ipc';
import { ParleyError, type Envelope } from './errors';

/** A transport: send one request, get its envelope; subscribe to one event, get an unsubscribe function. */
export interface Transport {
  invoke(channel: Channel, input: unknown): Promise<Envelope>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

/**
 * Builds `window.parley` from the contract over any transport (Electron IPC in the preload,
 * a WebSocket in preview), so the renderer cannot tell the two apart.
 */
export function buildParleyApi(transport: Transport): ParleyApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [ns, method] = channelPath(channel);
    api[ns] ??= {};
    api[ns][method] = async (input?: unknown) => {
      const envelope = await transport.invoke(channel, input);
      if (envelope.ok) return envelope.value;
      throw new ParleyError(envelope.error.code, envelope.error.message);
    };
  }
  const on = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => {
    if (!isEventName(event)) throw new ParleyError('UNKNOWN_CHANNEL', `Unknown event "${String(event)}"`);
    return transport.subscribe(event, listener as (payload: unknown) => void);
  };
  return Object.freeze({ ...Object.fromEntries(Object.entries(api).map(([k, v]) => [k, Object.freeze(v)])), on }) as unknown as ParleyApi;
}
