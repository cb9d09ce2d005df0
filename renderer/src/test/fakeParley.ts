import { buildParleyApi } from '../../../shared/client';
import { ParleyError, type Envelope } from '../../../shared/errors';
import type { Channel, EventName, EventPayload, ParleyApi } from '../../../shared/ipc';
import { SESSION_SCHEMA_VERSION, Session, type QuarantinedFile, type SessionSummary } from '../../../shared/session';
import { defaultSettings, type Settings } from '../../../shared/settings';
import type { KeysStatus } from '../../../shared/keys';
import type { ExportPreview } from '../../../shared/export';
import type { TemplateSummary } from '../../../shared/template';

type Handler = (input: unknown) => Promise<unknown> | unknown;

/**
 * An in-memory ParleyApi for component tests, built by the real buildParleyApi so it has exactly
 * the contract's shape. Turns do not stream by themselves: the test drives events with `emit`.
 */
export function fakeParley(seed: Session[] = []) {
  const sessions = new Map(seed.map((s) => [s.id, s]));
  const trash = new Map<string, Session>();
  const quarantined: QuarantinedFile[] = [];
  const notices: string[] = [];
  let settings: Settings = defaultSettings();
  let keys: KeysStatus = {
    backend: 'keychain',
    backendMessage: null,
    providers: [
      { provider: 'openai', set: false, source: null, last4: null, readOnly: false },
      { provider: 'anthropic', set: true, source: 'env', last4: 'wxyz', readOnly: true },
    ],
  };
  const previews: Partial<Record<string, ExportPreview>> = {};
  const calls: Array<{ channel: Channel; input: unknown }> = [];
  const turnIds: string[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let n = 0;
  const templates = new Map<string, TemplateSummary>(
    [
      { name: 'dental-appointments', title: 'Dental appointment booking', purpose: 'Books, moves and cancels appointments for a dental practice.', tools: ['find_available_slots', 'book_appointment'], language: 'en', callDirection: 'inbound' as const, builtIn: true },
      { name: 'sales-lead-qualification', title: 'Sales lead qualification (outbound)', purpose: 'Calls new leads back.', tools: ['update_lead'], language: 'en', callDirection: 'outbound' as const, builtIn: true },
    ].map((t) => [t.name, t]),
  );
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
      const q = (input as { search?: string; offset?: number; limit?: number } | undefined) ?? {};
      const search = q.search?.toLowerCase();
      const all = [...sessions.values()].filter((s) => !search || s.title.toLowerCase().includes(search)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      const offset = q.offset ?? 0;
      return { items: all.slice(offset, offset + (q.limit ?? 50)).map(summary), total: all.length, quarantined };
    },
    'sessions:get': (input) => get((input as { id: string }).id),
    'sessions:delete': (input) => {
      const { id } = input as { id: string };
      trash.set(id, get(id));
      sessions.delete(id);
      return { id };
    },
    'sessions:restore': (input) => {
      const { id } = input as { id: string };
      const s = trash.get(id);
      if (!s) throw new ParleyError('NOT_FOUND', `Nothing to restore for ${id}.`);
      trash.delete(id);
      sessions.set(id, s);
      return s;
    },
    'sessions:rename': (input) => {
      const { id, title } = input as { id: string; title: string };
      const s = { ...get(id), title };
      sessions.set(id, s);
      return s;
    },
    'app:notices': () => ({ notices }),
    'templates:list': () => ({ items: [...templates.values()] }),
    'templates:start': (input) => {
      const t = templates.get((input as { name: string }).name);
      if (!t) throw new ParleyError('NOT_FOUND', 'no such template');
      const s = makeSession({ id: newId(), title: t.title, awaiting: 'business_name', updatedAt: '2027-01-01T00:00:00.000Z' });
      sessions.set(s.id, s);
      return s;
    },
    'templates:import': (input) => {
      const { text, name } = input as { text: string; name?: string };
      const parsed = JSON.parse(text) as { name: string; title: string };
      const key = name ?? parsed.name;
      if (templates.has(key)) throw new ParleyError('CONFLICT', `A template named "${key}" already exists.`);
      const imported = { name: key, title: parsed.title, purpose: 'Imported.', tools: [], language: 'en', callDirection: 'inbound' as const, builtIn: false };
      templates.set(key, imported);
      return imported;
    },
    'templates:save': (input) => {
      const { sessionId, name, title } = input as { sessionId: string; name: string; title?: string };
      if (templates.has(name)) throw new ParleyError('CONFLICT', `A template named "${name}" already exists.`);
      const saved = { name, title: title ?? get(sessionId).title, purpose: 'Saved.', tools: [], language: 'en', callDirection: 'inbound' as const, builtIn: false };
      templates.set(name, saved);
      return { template: saved, removedSecrets: [] };
    },
    'sessions:set-provider': (input) => {
      const { id, provider } = input as { id: string; provider: Session['provider'] };
      const next = { ...get(id), provider };
      sessions.set(id, next);
      return next;
    },
    'spec:edit': (input) => {
      const { sessionId, path, value } = input as { sessionId: string; path: string; value: unknown };
      const s = get(sessionId);
      if (path.startsWith('tools[')) throw new ParleyError('INVALID_INPUT', 'the fake edits top-level fields only');
      const spec = { ...s.spec, [path]: { value, confidence: 1, source: 'user-edit', locked: true } };
      const next = { ...s, spec };
      sessions.set(sessionId, next);
      return next;
    },
    'spec:lock': (input) => {
      const { sessionId, path, locked } = input as { sessionId: string; path: string; locked: boolean };
      const s = get(sessionId);
      const current = (s.spec as Record<string, unknown>)[path] as object | undefined;
      if (!current) throw new ParleyError('NOT_FOUND', `"${path}" has no value yet.`);
      const next = { ...s, spec: { ...s.spec, [path]: { ...current, locked } } };
      sessions.set(sessionId, next);
      return next;
    },
    'spec:generated': (input) => {
      const s = get((input as { sessionId: string }).sessionId);
      return { system_prompt: generatedPrompt(s), first_message: 'Hello!' };
    },
    'spec:regenerate': (input) => {
      const { sessionId } = input as { sessionId: string };
      const s = get(sessionId);
      const next = { ...s, spec: { ...s.spec, system_prompt: { value: generatedPrompt(s), confidence: 1, source: 'generated', locked: false } } };
      sessions.set(sessionId, next);
      return next;
    },
    'stage:goto': (input) => {
      const { sessionId, stage } = input as { sessionId: string; stage: Session['stage'] };
      const next = { ...get(sessionId), stage };
      sessions.set(sessionId, next);
      return next;
    },
    'settings:get': () => settings,
    'settings:set': (input) => (settings = { ...settings, ...(input as Partial<Settings>) }),
    'keys:status': () => keys,
    'keys:set': (input) => {
      const { provider, key, sessionOnly } = input as { provider: 'openai' | 'anthropic'; key: string; sessionOnly?: boolean };
      if (keys.backend === 'none' && !sessionOnly) throw new ParleyError('KEYCHAIN_UNAVAILABLE', 'No OS keychain is reachable.');
      const source = sessionOnly ? 'memory' : 'keychain';
      keys = { ...keys, providers: keys.providers.map((p) => (p.provider === provider ? { ...p, set: true, source, last4: key.slice(-4) } : p)) };
      return keys;
    },
    'keys:clear': (input) => {
      const { provider } = input as { provider: string };
      keys = { ...keys, providers: keys.providers.map((p) => (p.provider === provider ? { ...p, set: false, source: null, last4: null } : p)) };
      return keys;
    },
    'keys:test': (input) => ({ ok: (input as { key?: string }).key !== 'bad-key-123', message: 'The key works.' }),
    'export:preview': (input) => {
      const { format } = input as { format: string };
      const p = previews[format];
      if (!p) throw new ParleyError('NOT_FOUND', `no preview for ${format}`);
      return p;
    },
    'export:save': () => {
      throw new ParleyError('UNSUPPORTED', 'Saving through a file dialog needs the desktop app.');
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
    trash,
    quarantined,
    notices,
    previews,
    get settings() {
      return settings;
    },
    /** Replaces the key status (e.g. no keychain, or a key set). */
    setKeys(next: KeysStatus) {
      keys = next;
    },
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

/** The fake's stand-in for the prompt generator: a fixed text per session title. */
export function generatedPrompt(s: Pick<Session, 'title'>): string {
  return `You are ${s.title}.\nBe helpful.\nEnd politely.`;
}

let m = 0;
export function msg(role: 'user' | 'assistant', text: string) {
  return { id: `m${++m}`, role, text, createdAt: '2026-01-01T10:00:00.000Z', status: 'complete' as const };
}

export function makeSession(over: Partial<Session> & { id: string }): Session {
  return Session.parse({
    schemaVersion: SESSION_SCHEMA_VERSION,
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
