import { buildParleyApi } from '../../../shared/client';
import { ParleyError, type Envelope } from '../../../shared/errors';
import type { Channel, EventName, EventPayload, ParleyApi } from '../../../shared/ipc';
import { Session, type SessionSummary } from '../../../shared/session';

type Handler = (input: unknown) => Promise<unknown> | unknown;

/**
 * An in-memory ParleyApi for component tests, built by the real buildParleyApi so it has exactly
 * the contract's shape. Turns do not stream by themselves: the test drives events with `emit`.
 */
export function fakeParley(seed: Session[] = []) {
  const sessions = new Map(seed.map((s) => [s.id, s]));
  const calls: Array<{ channel: Channel; input: unknown }> = [];
  const turnIds: string[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let n = 0;
  const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

  const summary = (s: Session): SessionSummary => ({
    id: s.id,
    title: s.title,
    stage: s.stage,
    agentType: (s.spec.agent_type?.value as string | undefined) ?? null,
    updatedAt: s.updatedAt,
    size: 1,
  });
  const get = (id: string) => {
    const s = sessions.get(id);
    if (!s) throw new ParleyError('NOT_FOUND', `No session ${id}.`);
    return s;
  };

  const handlers: Partial<Record<Channel, Handler>> = {
    'app:info': () => ({ name: 'Parley', version: '1.2.3', host: 'preview', platform: 'linux', dataDir: '/home/me/.config/Parley' }),
    'sessions:create': () => {
      const s = makeSession({ id: newId(), title: `Session ${n}` });
      sessions.set(s.id, s);
      return s;
    },
    'sessions:list': (input) => {
      const search = (input as { search?: string } | undefined)?.search?.toLowerCase();
      const all = [...sessions.values()].filter((s) => !search || s.title.toLowerCase().includes(search)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      return { items: all.map(summary), total: all.length, quarantined: [] };
    },
    'sessions:get': (input) => get((input as { id: string }).id),
    'sessions:delete': (input) => {
      const { id } = input as { id: string };
      get(id);
      sessions.delete(id);
      return { id };
    },
    'turn:send': (input) => {
      const { sessionId, text } = input as { sessionId: string; text: string };
      const s = get(sessionId);
      sessions.set(sessionId, { ...s, messages: [...s.messages, msg('user', text)] });
      turnIds.push(`turn-${++n}`);
      return { turnId: turnIds.at(-1)! };
    },
    'turn:cancel': () => ({ cancelled: true }),
  };

  const api: ParleyApi = buildParleyApi({
    async invoke(channel, input): Promise<Envelope> {
      calls.push({ channel, input });
      const handler = handlers[channel];
      if (!handler) return { ok: false, error: { code: 'INTERNAL', message: `${channel} is not faked` } };
      try {
        return { ok: true, value: await handler(input) };
      } catch (error) {
        const e = error as ParleyError;
        return { ok: false, error: { code: e.code ?? 'INTERNAL', message: e.message } };
      }
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
  });

  return {
    api,
    sessions,
    calls,
    handlers,
    /** Ids returned by turn:send, in order. */
    turnIds,
    callsTo: (channel: Channel) => calls.filter((c) => c.channel === channel),
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    /** Stores a reply the way the orchestrator would before it emits turn:done. */
    reply(sessionId: string, text: string, patch: Partial<Session> = {}) {
      const s = get(sessionId);
      sessions.set(sessionId, { ...s, ...patch, messages: [...s.messages, msg('assistant', text)] });
    },
  };
}

let m = 0;
export function msg(role: 'user' | 'assistant', text: string) {
  return { id: `m${++m}`, role, text, createdAt: '2026-01-01T10:00:00.000Z', status: 'complete' as const };
}

export function makeSession(over: Partial<Session> & { id: string }): Session {
  return Session.parse({
    schemaVersion: 1,
    title: 'New session',
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    provider: 'offline',
    stage: 'INITIAL',
    stageHistory: [],
    awaiting: null,
    spec: { tools: [], candidates: {} },
    messages: [msg('assistant', 'What kind of voice agent would you like to create?')],
    ...over,
  });
}
