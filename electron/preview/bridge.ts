import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { EventName, EventPayload, Handlers } from '../../shared/ipc';
import type { ProviderChoice } from '../../shared/providers';
import type { Envelope } from '../../shared/errors';
import { MAX_PREVIEW_FRAME_BYTES } from '../../shared/limits';
import { dispatch } from '../rpc';
import { parseTarget } from './target';

/** One request frame from the renderer: `{id, channel, input}`; the reply is `{id, envelope}`. */
export type RequestId = string | number;
export type EventSource = (listener: <E extends EventName>(event: E, payload: EventPayload<E>) => void) => () => void;

export interface BridgeOptions {
  handlers: Handlers;
  onEvent: EventSource;
  /** Filled in as `input.provider` of sessions:create when the renderer does not choose one. */
  defaultProvider?: ProviderChoice;
  onInternalError?: (channel: string, error: unknown) => void;
}

/** Largest frame we accept: enough for the contract's largest request, importing a 64 MB file (see shared/limits). */
export const MAX_FRAME_BYTES = MAX_PREVIEW_FRAME_BYTES;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison that does not leak the token's length either. */
export function tokenMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export type UpgradeVerdict = { ok: true } | { ok: false; status: 400 | 401 | 403; reason: string };

/**
 * Who may open the socket: our own page only. A target that is not plain "/?query" is refused
 * as malformed before anything else; then the per-launch token must match (before any other
 * header is looked at); then the Host and Origin must be exactly our loopback address (this
 * defeats DNS rebinding and other sites' pages) and the path must be "/". Never throws.
 */
export function checkUpgrade(req: IncomingMessage, port: number, token: string): UpgradeVerdict {
  const target = parseTarget(req.url);
  if (!target) return { ok: false, status: 400, reason: 'malformed request target' };
  if (!tokenMatches(token, target.query.get('token'))) return { ok: false, status: 401, reason: 'bad token' };
  const self = `127.0.0.1:${port}`;
  if (req.headers.host !== self) return { ok: false, status: 403, reason: 'wrong host' };
  if (req.headers.origin !== `http://${self}`) return { ok: false, status: 403, reason: 'wrong origin' };
  if (target.pathname !== '/') return { ok: false, status: 403, reason: 'wrong path' };
  return { ok: true };
}

const STATUS_TEXT = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' } as const;

function refuse(socket: Duplex, status: 400 | 401 | 403, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
  socket.destroy();
}

function invalid(message: string): Envelope {
  return { ok: false, error: { code: 'INVALID_INPUT', message } };
}

function isRequestId(value: unknown): value is RequestId {
  return (typeof value === 'string' && value.length > 0 && value.length <= 100) || (typeof value === 'number' && Number.isSafeInteger(value));
}

/** Applies `--provider`: a new session uses it unless the renderer asked for a provider itself. */
export function withDefaultProvider(channel: unknown, input: unknown, provider: ProviderChoice | undefined): unknown {
  if (!provider || channel !== 'sessions:create') return input;
  if (input === undefined) return { provider };
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && (input as { provider?: unknown }).provider === undefined) {
    return { ...input, provider };
  }
  return input;
}

/** Turns one raw frame into a reply; never throws, whatever the frame holds. */
export async function answerFrame(data: RawData, isBinary: boolean, options: BridgeOptions): Promise<{ id: RequestId | null; envelope: Envelope }> {
  if (isBinary) return { id: null, envelope: invalid('Binary frames are not accepted; send JSON text {id, channel, input}.') };
  let message: unknown;
  try {
    message = JSON.parse(data.toString());
  } catch {
    return { id: null, envelope: invalid('A frame must be JSON: {id, channel, input}.') };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { id: null, envelope: invalid('A frame must be a JSON object: {id, channel, input}.') };
  }
  const { id, channel, input } = message as { id?: unknown; channel?: unknown; input?: unknown };
  if (!isRequestId(id)) return { id: null, envelope: invalid('A frame needs an id (a non-empty string or an integer).') };
  const envelope = await dispatch(options.handlers, channel, withDefaultProvider(channel, input, options.defaultProvider), {
    validateOutput: true,
    onInternalError: options.onInternalError,
  });
  return { id, envelope };
}

export interface Bridge {
  /** Hand every HTTP upgrade request of the server to this. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly clients: number;
  close(): Promise<void>;
}

/** The preview's stand-in for Electron IPC: the same contract and validation over a WebSocket. */
export function createBridge(options: BridgeOptions & { port: () => number; token: string }): Bridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const send = (ws: WebSocket, frame: unknown) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  };
  const unsubscribe = options.onEvent((event, payload) => {
    for (const ws of wss.clients) send(ws, { event, payload });
  });
  wss.on('connection', (ws) => {
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      void answerFrame(data, isBinary, options).then((reply) => send(ws, reply));
    });
  });
  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', () => socket.destroy());
      // A throw here would escape into the HTTP parser and end the whole host: contain it.
      try {
        const verdict = checkUpgrade(req, options.port(), options.token);
        if (!verdict.ok) return refuse(socket, verdict.status, verdict.reason);
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      } catch (error) {
        options.onInternalError?.('upgrade', error);
        socket.destroy();
      }
    },
    get clients() {
      return wss.clients.size;
    },
    async close() {
      unsubscribe();
      for (const ws of wss.clients) ws.close(1001, 'preview host closing');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const ws of wss.clients) ws.terminate();
    },
  };
}
