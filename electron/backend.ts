import { randomUUID } from 'node:crypto';
import { type AppInfo, type EventName, type EventPayload, type Handlers } from '../shared/ipc';
import { ParleyError } from '../shared/errors';
import { KeyProvider } from '../shared/providers';
import type { Stage } from '../shared/stages';
import type { ProviderChoice } from '../shared/providers';
import type { SecretStore } from './secrets/types';
import type { SessionStore } from './store/types';
import { createSessionStore } from './store/sessions';
import { createSettingsStore, type SettingsStore } from './store/settings';
import { createOrchestrator, type InterviewOrchestrator } from './orchestrator/orchestrator';
import { route, type ProviderFactories, type Route } from './llm/router';
import { defaultProviderFactories } from './providers';
import { toEnvelope } from './rpc';
import { createExportService, type ExportService } from './export/service';
import { writeFileAtomic } from './export/serialize';

export interface BackendDeps {
  dataDir: string;
  host: AppInfo['host'];
  version: string;
  secrets: SecretStore;
  platform?: string;
  clock?: () => Date;
  newId?: () => string;
  /**
   * OS services (desktop app only). Without them export:save and app:reveal-data-dir answer
   * UNSUPPORTED, and the renderer downloads the file / shows the path instead.
   */
  desktop?: {
    chooseSavePath(suggestedName: string): Promise<string | null>;
    revealPath(path: string): Promise<boolean>;
  };
  /** Provider constructors; defaults to every provider Parley ships. Tests inject fakes. */
  providerFactories?: ProviderFactories;
}

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface Backend {
  readonly info: AppInfo;
  readonly handlers: Handlers;
  readonly sessions: SessionStore;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly orchestrator: InterviewOrchestrator;
  readonly exports: ExportService;
  /** Subscribes to every main→renderer event; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  /** Resolves once no turn is running and every write is on disk. */
  close(): Promise<void>;
}

/** The composition root for services: main.ts, the preview host and the CLI all build the app through here. */
export async function createBackend(deps: BackendDeps): Promise<Backend> {
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const factories = deps.providerFactories ?? defaultProviderFactories();
  const sessions = await createSessionStore({ dataDir: deps.dataDir, clock });
  const settings = await createSettingsStore({ dataDir: deps.dataDir });
  const secrets = deps.secrets;

  const resolveProvider = async (stage: Stage, choice: ProviderChoice): Promise<Route> => {
    const keys: Partial<Record<KeyProvider, string>> = {};
    for (const provider of KeyProvider.options) {
      const key = await secrets.get(provider);
      if (key) keys[provider] = key;
    }
    return route({ stage, choice, settings: await settings.get(), keys, factories });
  };

  const orchestrator = createOrchestrator({ store: sessions, getSettings: () => settings.get(), resolveProvider, clock, newId });

  const exports = createExportService({ store: sessions, getSettings: () => settings.get(), clock, newId });

  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };

  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  const info: AppInfo = {
    name: 'Parley',
    version: deps.version,
    host: deps.host,
    platform: deps.platform ?? process.platform,
    dataDir: deps.dataDir,
  };

  const notices = () => [...settings.notices(), ...sessions.notices()];
  const announced = new Set(notices());
  /** Emits notices that appeared while a request ran (a file quarantined on read, …). */
  const announceNotices = () => {
    for (const message of notices()) {
      if (announced.has(message)) continue;
      announced.add(message);
      emit('app:notice', { message });
    }
  };

  const services: Handlers = {
    'app:info': async () => info,
    'app:notices': async () => ({ notices: notices() }),
    'app:reveal-data-dir': async () => {
      if (!deps.desktop) throw new ParleyError('UNSUPPORTED', `Opening the file manager needs the desktop app; the data folder is ${deps.dataDir}.`);
      return { revealed: await deps.desktop.revealPath(deps.dataDir) };
    },
    'sessions:create': async (input) => {
      const session = await orchestrator.createSession({ provider: input?.provider });
      emit('session:changed', { id: session.id, reason: 'created' });
      return session;
    },
    'sessions:list': async (input) => sessions.list(input ?? {}),
    'sessions:get': async ({ id }) => sessions.get(id),
    'sessions:delete': async ({ id }) => {
      await sessions.delete(id);
      emit('session:changed', { id, reason: 'deleted' });
      return { id };
    },
    'sessions:rename': async ({ id, title }) => {
      const session = await sessions.rename(id, title);
      emit('session:changed', { id, reason: 'updated' });
      return session;
    },
    'sessions:duplicate': async ({ id }) => {
      const session = await sessions.duplicate(id);
      emit('session:changed', { id: session.id, reason: 'created' });
      return session;
    },
    'sessions:restore': async ({ id }) => {
      const session = await sessions.restore(id);
      emit('session:changed', { id, reason: 'created' });
      return session;
    },
    'sessions:set-provider': async ({ id, provider }) => {
      const session = await sessions.get(id);
      const updated = { ...session, provider, updatedAt: clock().toISOString() };
      await sessions.save(updated);
      emit('session:changed', { id, reason: 'updated' });
      return updated;
    },
    'sessions:import': async ({ text }) => {
      const result = await exports.importText(text);
      emit('session:changed', { id: result.session.id, reason: 'created' });
      return result;
    },
    'export:preview': async ({ sessionId, format }) => exports.preview(sessionId, format),
    'export:save': async ({ sessionId, format }) => {
      if (!deps.desktop) {
        throw new ParleyError('UNSUPPORTED', 'Saving through a file dialog needs the desktop app; here the file is downloaded by the browser instead.');
      }
      const result = await exports.build(sessionId, format);
      const target = await deps.desktop.chooseSavePath(result.filename);
      if (!target) return { file: null, warnings: result.warnings, losses: result.losses };
      // The OS save dialog has already asked before replacing an existing file.
      const file = await writeFileAtomic(target, result.content, { force: true });
      return { file, warnings: result.warnings, losses: result.losses };
    },
    'turn:send': async ({ sessionId, text }) => {
      await sessions.get(sessionId); // an unknown session fails the request itself, not a later event
      const turnId = newId();
      const controller = new AbortController();
      const done = orchestrator
        .processMessage(sessionId, text, {
          turnId,
          signal: controller.signal,
          onDelta: (delta) => emit('turn:delta', { turnId, sessionId, text: delta }),
          onStatus: (status) => emit('turn:status', { turnId, sessionId, ...status }),
        })
        .then(
          (outcome) => {
            emit('turn:done', {
              turnId,
              sessionId,
              stage: outcome.session.stage,
              awaiting: outcome.session.awaiting,
              reply: outcome.reply,
              provider: outcome.provider,
              model: outcome.model,
            });
            emit('session:changed', { id: sessionId, reason: 'updated' });
          },
          (error: unknown) => {
            const envelope = toEnvelope('turn:send', error);
            if (!envelope.ok) emit('turn:error', { turnId, sessionId, error: envelope.error });
            emit('session:changed', { id: sessionId, reason: 'updated' });
          },
        )
        .finally(() => running.delete(turnId));
      running.set(turnId, { controller, done });
      return { turnId };
    },
    'turn:cancel': async ({ turnId }) => {
      const turn = running.get(turnId);
      if (!turn) return { cancelled: false };
      turn.controller.abort(new ParleyError('CANCELLED', 'The turn was stopped.'));
      await turn.done;
      return { cancelled: true };
    },
    'spec:edit': async ({ sessionId, path, value }) => {
      const session = await orchestrator.editField(sessionId, path, value);
      emit('session:changed', { id: sessionId, reason: 'updated' });
      return session;
    },
    'spec:lock': async ({ sessionId, path, locked }) => {
      const session = await orchestrator.setLocked(sessionId, path, locked);
      emit('session:changed', { id: sessionId, reason: 'updated' });
      return session;
    },
    'stage:goto': async ({ sessionId, stage }) => {
      const session = await orchestrator.goToStage(sessionId, stage);
      emit('session:changed', { id: sessionId, reason: 'updated' });
      return session;
    },
    'settings:get': async () => settings.get(),
    'settings:set': async (patch) => settings.set(patch),
    'keys:status': async () => secrets.status(),
    'keys:set': async ({ provider, key }) => {
      await secrets.set(provider, key);
      return secrets.status();
    },
    'keys:clear': async ({ provider }) => {
      await secrets.delete(provider);
      return secrets.status();
    },
    'keys:test': async ({ provider, key }) => {
      const candidate = key ?? (await secrets.get(provider));
      if (!candidate) return { ok: false, message: `No ${provider === 'openai' ? 'OpenAI' : 'Anthropic'} key is set. Add one in Settings → API keys.` };
      const { testKey } = await import('./llm/test-key'); // loads the SDKs only when asked
      return testKey(provider, candidate, await settings.get());
    },
  };

  const handlers = Object.fromEntries(
    Object.entries(services).map(([channel, handler]) => [
      channel,
      async (input: never) => {
        try {
          return await (handler as (input: never) => Promise<unknown>)(input);
        } finally {
          announceNotices();
        }
      },
    ]),
  ) as Handlers;

  return {
    info,
    handlers,
    sessions,
    settings,
    secrets,
    orchestrator,
    exports,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await Promise.allSettled([...running.values()].map((t) => t.done));
      await sessions.flush();
    },
  };
}
