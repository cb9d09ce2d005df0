import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AppInfo, Handlers } from '../shared/ipc';
import type { SecretStore } from './secrets/types';
import type { DataLock } from './fs/data-lock';
import type { SessionStore } from './store/types';
import { createSessionStore } from './store/sessions';
import { createSettingsStore, type SettingsStore } from './store/settings';
import { createOrchestrator, type InterviewOrchestrator } from './orchestrator/orchestrator';
import type { ProviderFactories } from './llm/router';
import { defaultProviderFactories } from './providers';
import { createSdkLog, PROVIDER_LOG } from './llm/sdk-log';
import { createExportService, type ExportService } from './services/export';
import type { EventListener } from './services/events';
import { createSessionService, type SessionService } from './services/sessions';
import { createTurnService } from './services/turns';
import { createKeyService } from './services/keys';
import { createAppService } from './services/app';
import { createProviderResolver } from './services/provider-routing';
import { createExportFileService } from './services/export-files';
import { appHandlers } from './handlers/app';
import { sessionHandlers } from './handlers/sessions';
import { turnHandlers } from './handlers/turn';
import { specHandlers } from './handlers/spec';
import { exportHandlers } from './handlers/export';
import { keyHandlers } from './handlers/keys';
import { settingsHandlers } from './handlers/settings';
import { publishHandlers } from './handlers/publish';
import type { PublishService } from './services/publish';
import { workbenchHandlers } from './handlers/workbench';
import { createWorkbenchService, type WorkbenchDeps } from './workbench/service';
import { createSimulationService } from './services/simulate';
import { simulateHandlers } from './handlers/simulate';
import { VersionStore } from './versions/store';
import { createVersionService, type VersionService } from './versions/service';
import { versionHandlers } from './handlers/versions';
import { createTemplateLibrary } from './templates/library';
import { createTemplateService } from './templates/service';
import { templateHandlers } from './handlers/templates';

export type { EventListener } from './services/events';

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
  /**
   * Re-check every indexed session file against the disk in the background (default true). Off
   * for short read-only CLI commands: the check would not change what they print, costs a stat
   * per session, and its repairs are writes that belong to whoever holds the data folder's lock.
   */
  verifyOnOpen?: boolean;
  /**
   * For commands that only read (CLI show, list, export, keys status): nothing in the data folder
   * is created, written, moved or removed, and a missing data folder is an error (NOT_FOUND).
   * Every change is refused with READ_ONLY. Implies verifyOnOpen: false.
   */
  readOnly?: boolean;
  /**
   * The data folder's lock, held by the caller (the app, the preview host, a writing CLI command).
   * Only a backend given it sweeps the temp files a crash left behind.
   */
  dataLock?: DataLock;
  /** ElevenLabs API base URL for Publish and its key test; production unless set (the CLI and preview read $ELEVENLABS_BASE_URL). */
  elevenLabsBaseUrl?: string;
  /** Retries of a failed ElevenLabs request during Publish (the SDK's default is 2). */
  elevenLabsMaxRetries?: number;
  /** The tool workbench's network settings, for tests: an extra trusted CA, a timer fired by hand. */
  workbenchNetwork?: WorkbenchDeps['network'];
}

export interface Backend {
  readonly info: AppInfo;
  readonly handlers: Handlers;
  /** Every change to a session goes through this service's per-session queue. */
  readonly sessions: SessionService;
  /** The files underneath; read-only use (tests, benches) — writes belong to `sessions`. */
  readonly store: SessionStore;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly orchestrator: InterviewOrchestrator;
  readonly exports: ExportService;
  /** The versions of each session's design (snapshots, diff, restore). */
  readonly versions: VersionService;
  /** Subscribes to every main→renderer event; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  /** Resolves once no turn is running and every write is on disk. */
  close(): Promise<void>;
}

/** The composition root for services: main.ts, the preview host and the CLI all build the app through here. */
export async function createBackend(deps: BackendDeps): Promise<Backend> {
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };

  const readOnly = deps.readOnly === true;
  const store = await createSessionStore({
    dataDir: deps.dataDir,
    clock,
    verifyOnOpen: readOnly ? false : deps.verifyOnOpen,
    readOnly,
    sweepTemps: deps.dataLock !== undefined && !readOnly,
  });
  const settings = await createSettingsStore({ dataDir: deps.dataDir, readOnly });
  const getSettings = () => settings.get();
  const { secrets } = deps;
  const versionStore = new VersionStore({ dataDir: deps.dataDir, clock, readOnly });
  // The version service needs the session service and the session service's saves feed it: bound late.
  const snapshots: { service?: VersionService } = {};
  const sessions = createSessionService({
    store,
    clock,
    newId,
    onChanged: (id, reason) => emit('session:changed', { id, reason }),
    onSaved: (before, after, options) => snapshots.service?.afterSave(before, after, options) ?? Promise.resolve(),
  });
  const versions = (snapshots.service = createVersionService({ store: versionStore, sessions, clock, readOnly }));
  // Provider SDKs log to a file in the data folder, never to the terminal (the CLI's stderr is its error channel).
  const sdkLog = createSdkLog(join(deps.dataDir, PROVIDER_LOG));
  const resolveProvider = createProviderResolver({ secrets, getSettings, factories: deps.providerFactories ?? defaultProviderFactories({ log: sdkLog }) });
  const orchestrator = createOrchestrator({ sessions, getSettings, resolveProvider, clock, newId });
  const exports = createExportService({ store: sessions, getSettings, clock, newId, upcomingVersion: (id) => versions.upcoming(id) });
  const turns = createTurnService({ interview: orchestrator, checkExists: (id) => sessions.check(id), newId, emit });
  const info: AppInfo = { name: 'Parley', version: deps.version, host: deps.host, platform: deps.platform ?? process.platform, dataDir: deps.dataDir };
  const app = createAppService({ info, notices: () => [...settings.notices(), ...store.notices(), ...versions.notices()], revealPath: deps.desktop?.revealPath, emit });
  const templateLibrary = createTemplateLibrary({ dataDir: deps.dataDir, readOnly });
  const templates = createTemplateService({ library: templateLibrary, sessions, clock, newId });

  // The ElevenLabs SDK loads on the first Publish, not at start-up.
  let publish: Promise<PublishService> | undefined;
  const loadPublish = async () =>
    (await import('./services/publish')).createPublishService({
      sessions,
      secrets,
      getSettings,
      clock,
      versions,
      onProgress: (progress) => emit('publish:progress', progress),
      baseUrl: deps.elevenLabsBaseUrl,
      maxRetries: deps.elevenLabsMaxRetries,
    });
  const services: Handlers = {
    ...appHandlers(app),
    ...sessionHandlers({ sessions, interview: orchestrator, exports }),
    ...turnHandlers(turns),
    ...specHandlers(orchestrator, sessions),
    ...exportHandlers({ exports, files: createExportFileService({ exports, chooseSavePath: deps.desktop?.chooseSavePath, versions }) }),
    ...keyHandlers(createKeyService({ secrets, getSettings, sdkLog, elevenLabsBaseUrl: deps.elevenLabsBaseUrl })),
    ...publishHandlers(() => (publish ??= loadPublish())),
    ...settingsHandlers(settings),
    ...workbenchHandlers(createWorkbenchService({ sessions, secrets, clock, newId, network: deps.workbenchNetwork })),
    ...simulateHandlers(createSimulationService({ sessions, getSettings, resolveProvider, clock, newId, emit })),
    ...versionHandlers(versions),
    ...templateHandlers(templates, templateLibrary),
  };
  // After every request, whatever it brought to light (a file quarantined on read, …) is announced.
  const handlers = Object.fromEntries(
    Object.entries(services).map(([channel, handler]) => [
      channel,
      async (input: never) => {
        try {
          return await (handler as (input: never) => Promise<unknown>)(input);
        } finally {
          app.announceNew();
        }
      },
    ]),
  ) as Handlers;

  return {
    info,
    handlers,
    sessions,
    store,
    settings,
    secrets,
    orchestrator,
    exports,
    versions,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await turns.settle();
      await sessions.flush();
      await store.close();
      secrets.forgetSessionKeys?.();
    },
  };
}
