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

/** What sendTurn needs: turn:send and the event subscription (a ParleyApi has both). */
export interface TurnPort {
  turn: { send(input: { sessionId: string; text: string }): Promise<{ turnId: string }> };
  on: ParleyApi['on'];
}

export interface SendTurnOptions {
  /** turn:send answered with the turn's id (Stop needs it). */
  onStart?(turnId: string): void;
  onDelta?(text: string): void;
  onStatus?(status: EventPayload<'turn:status'>): void;
  /** Stops waiting (the turn itself is cancelled with turn:cancel); rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * A TurnPort over a backend in the same process (CLI, bench): its turn:send and its event
 * stream, where every event comes to one listener with its name.
 */
export function turnPortOf(
  send: TurnPort['turn']['send'],
  onEvent: (listener: (event: EventName, payload: unknown) => void) => () => void,
): TurnPort {
  const on = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) =>
    onEvent((name, payload) => {
      if (name === event) listener(payload as EventPayload<E>);
    });
  return { turn: { send }, on };
}

const TURN_EVENTS = ['turn:delta', 'turn:status', 'turn:done', 'turn:error'] as const;
type TurnEvent = (typeof TURN_EVENTS)[number];

/**
 * Sends one turn and waits for its end: resolves with turn:done, rejects with turn:error as a
 * ParleyError. Events of this turn that arrive before turn:send answers (a fast provider) are
 * buffered until its id is known; events of other turns are ignored.
 */
export async function sendTurn(port: TurnPort, input: { sessionId: string; text: string }, options: SendTurnOptions = {}): Promise<EventPayload<'turn:done'>> {
  const { signal } = options;
  signal?.throwIfAborted();
  let turnId: string | null = null;
  const early: Array<[TurnEvent, EventPayload<TurnEvent>]> = [];
  let settle: { resolve(done: EventPayload<'turn:done'>): void; reject(error: unknown): void } | null = null;
  let outcome: { ok: true; done: EventPayload<'turn:done'> } | { ok: false; error: unknown } | null = null;

  const handle = (event: TurnEvent, payload: EventPayload<TurnEvent>) => {
    if (payload.turnId !== turnId || outcome) return;
    if (event === 'turn:delta') options.onDelta?.((payload as EventPayload<'turn:delta'>).text);
    else if (event === 'turn:status') options.onStatus?.(payload as EventPayload<'turn:status'>);
    else if (event === 'turn:done') outcome = { ok: true, done: payload as EventPayload<'turn:done'> };
    else {
      const { error } = payload as EventPayload<'turn:error'>;
      outcome = { ok: false, error: new ParleyError(error.code, error.message) };
    }
    if (outcome && settle) finish(settle);
  };
  const finish = ({ resolve, reject }: NonNullable<typeof settle>) => {
    if (outcome?.ok) resolve(outcome.done);
    else if (outcome) reject(outcome.error);
  };
  const offs = TURN_EVENTS.map((event) =>
    port.on(event, (payload: EventPayload<TurnEvent>) => (turnId === null ? early.push([event, payload]) : handle(event, payload))),
  );
  const onAbort = () => settle?.reject(signal!.reason);
  try {
    ({ turnId } = await port.turn.send(input));
    signal?.throwIfAborted();
    options.onStart?.(turnId);
    for (const [event, payload] of early.splice(0)) handle(event, payload);
    return await new Promise<EventPayload<'turn:done'>>((resolve, reject) => {
      settle = { resolve, reject };
      if (outcome) return finish(settle);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    offs.forEach((off) => off());
  }
}
