import type { Channel, EventName } from '../../shared/ipc';
import type { Envelope } from '../../shared/errors';
import type { Transport } from '../../shared/client';
import { MAX_PREVIEW_FRAME_BYTES, megabytes } from '../../shared/limits';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface WsTransportOptions {
  url: string;
  /** Defaults to the browser's WebSocket. */
  WebSocketImpl?: typeof WebSocket;
  /** Largest request frame sent, in bytes; larger requests fail at once, as the host would refuse them. */
  maxFrameBytes?: number;
  /** First reconnect delay; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface WsTransport extends Transport {
  readonly status: ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Closes for good: no reconnect; waiting requests fail. */
  close(): void;
}

interface Waiting {
  frame: string;
  resolve: (envelope: Envelope) => void;
}

const disconnected = (message: string): Envelope => ({ ok: false, error: { code: 'DISCONNECTED', message } });

/** WebSocket close code 1009: the other side refused a message over its size limit. */
const MESSAGE_TOO_BIG = 1009;
const tooLarge = (what: string): Envelope => ({
  ok: false,
  error: { code: 'INVALID_INPUT', message: `${what} is too large for Parley's preview connection (at most ${megabytes(MAX_PREVIEW_FRAME_BYTES)} per message). Use a smaller file or shorter text.` },
});

/** UTF-8 size of a frame, encoding it only when the cheap upper bound (3 bytes a unit) could exceed the limit. */
function frameTooLarge(frame: string, limit: number): boolean {
  if (frame.length * 3 <= limit) return false;
  return frame.length > limit || new TextEncoder().encode(frame).length > limit;
}

type Listeners = Map<string, Set<(payload: unknown) => void>>;

/** One frame from the host: an event for its listeners, or the answer to a request in flight. */
function deliverFrame(data: unknown, listeners: Listeners, inFlight: Map<number, Waiting>): void {
  let frame: unknown;
  try {
    frame = JSON.parse(String(data));
  } catch {
    return;
  }
  if (typeof frame !== 'object' || frame === null) return;
  const f = frame as { id?: unknown; envelope?: Envelope; event?: unknown; payload?: unknown };
  if (typeof f.event === 'string') {
    for (const l of listeners.get(f.event) ?? []) {
      try {
        l(f.payload);
      } catch (error) {
        console.error(`listener for ${f.event} failed`, error);
      }
    }
    return;
  }
  if (typeof f.id === 'number' && f.envelope) {
    const waiting = inFlight.get(f.id);
    inFlight.delete(f.id);
    waiting?.resolve(f.envelope);
  }
}

/** What requests in flight get when the socket closes. */
function closeEnvelope(code: number): Envelope {
  return code === MESSAGE_TOO_BIG
    ? tooLarge('A message')
    : disconnected('The connection to Parley was lost; the request may not have completed. Parley is reconnecting — try again in a moment.');
}

/** Reconnect delay after a number of failures: doubling up to the cap, with ±25 % jitter. */
function backoff(failures: number, initialDelay: number, maxDelay: number): number {
  return Math.min(maxDelay, initialDelay * 2 ** failures) * (0.75 + Math.random() * 0.5);
}

/**
 * The preview's transport: requests `{id, channel, input}` answered by `{id, envelope}`, events
 * pushed as `{event, payload}`. It reconnects with backoff; requests in flight when the socket
 * closes fail with a typed error (they may or may not have run, so they are never replayed).
 */
export function createWsTransport(options: WsTransportOptions): WsTransport {
  const WS = options.WebSocketImpl ?? WebSocket;
  const initialDelay = options.initialDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 8000;
  const maxFrameBytes = options.maxFrameBytes ?? MAX_PREVIEW_FRAME_BYTES;
  const inFlight = new Map<number, Waiting>();
  const queued = new Map<number, Waiting>();
  const listeners: Listeners = new Map();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'connecting';
  let socket: WebSocket | null = null;
  let nextId = 1;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closedForGood = false;

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    for (const l of statusListeners) l(next);
  };

  const failAll = (envelope: Envelope) => {
    for (const map of [inFlight, queued]) {
      for (const w of map.values()) w.resolve(envelope);
      map.clear();
    }
  };

  const onMessage = (ev: MessageEvent) => deliverFrame(ev.data, listeners, inFlight);

  const connect = () => {
    timer = null;
    const ws = new WS(options.url);
    socket = ws;
    ws.addEventListener('open', () => {
      failures = 0;
      setStatus('open');
      for (const [id, w] of queued) {
        ws.send(w.frame);
        inFlight.set(id, w);
      }
      queued.clear();
    });
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', (ev: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      failAll(closeEnvelope(ev.code));
      if (closedForGood) return setStatus('closed');
      setStatus('reconnecting');
      timer = setTimeout(connect, backoff(failures++, initialDelay, maxDelay));
    });
  };
  connect();

  return {
    get status() {
      return status;
    },
    invoke(channel: Channel, input: unknown): Promise<Envelope> {
      if (closedForGood) return Promise.resolve(disconnected('The connection to Parley is closed.'));
      return new Promise((resolve) => {
        const id = nextId++;
        const waiting = { frame: JSON.stringify({ id, channel, input }), resolve };
        // Sent, it would close the socket (1009) and fail every other request with it.
        if (frameTooLarge(waiting.frame, maxFrameBytes)) return resolve(tooLarge('This request'));
        if (socket && socket.readyState === WS.OPEN) {
          inFlight.set(id, waiting);
          socket.send(waiting.frame);
        } else {
          queued.set(id, waiting);
        }
      });
    },
    subscribe(event: EventName, listener: (payload: unknown) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => void statusListeners.delete(listener);
    },
    close() {
      closedForGood = true;
      if (timer) clearTimeout(timer);
      failAll(disconnected('The connection to Parley is closed.'));
      socket?.close();
      if (!socket) setStatus('closed');
    },
  };
}
