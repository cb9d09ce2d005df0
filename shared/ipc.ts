import { z } from 'zod';
import { SessionId, TurnId } from './ids';
import { Session, SessionSummary, QuarantinedFile } from './session';
import { Settings, SettingsPatch } from './settings';
import { KeysStatus } from './keys';
import { KeyProvider, ProviderChoice, ProviderName } from './providers';
import { Stage } from './stages';
import { IpcError } from './errors';
import { ExportFormat, ExportPreview, LintFinding, Loss } from './export';
import { PublishProgress, PublishResult, PublishSecret } from './publish';
import { MAX_FILE_BYTES } from './limits';
import { workbenchChannels } from './workbench';
import { MAX_PERSONAS, Persona, SimulationEstimate, SimulationEvent, SimulationRun } from './simulation';
import { VersionDiff, VersionId, VersionInfo, VersionList } from './versions';
import { Template, TemplateName, TemplateSummary } from './template';

/**
 * The one IPC contract. Every request channel and every main→renderer event is listed here
 * once; electron/ipc.ts, electron/preload.ts and the preview bridge are all generated from it.
 * Channel names are public: change them only compatibly.
 */

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** "electron" in the desktop app, "preview" in the browser preview, "cli" for the command line. */
  host: z.enum(['electron', 'preview', 'cli']),
  platform: z.string(),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** A spec field path: "goals", "tools[0].endpoint", … */
export const FieldPath = z.string().regex(/^[a-z_]+(\[\d{1,3}\]\.[a-z_]+)?$/, { message: 'a field path looks like "goals" or "tools[0].endpoint"' });

export const SessionsList = z.object({
  items: z.array(SessionSummary),
  total: z.number().int().nonnegative(),
  quarantined: z.array(QuarantinedFile),
});
export type SessionsList = z.infer<typeof SessionsList>;

export const channels = {
  'app:info': { input: z.undefined(), output: AppInfo },
  /** Everything the user should know about the data folder so far (quarantined files, read-only sessions, reset settings). */
  'app:notices': { input: z.undefined(), output: z.object({ notices: z.array(z.string()) }) },
  /** Opens the data folder in the OS file manager (desktop only; UNSUPPORTED in preview and CLI). */
  'app:reveal-data-dir': { input: z.undefined(), output: z.object({ revealed: z.boolean() }) },
  'sessions:create': {
    input: z.object({ provider: ProviderChoice.optional() }).strict().optional(),
    output: Session,
  },
  'sessions:list': {
    input: z
      .object({
        search: z.string().max(500).optional(),
        offset: z.number().int().nonnegative().optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict()
      .optional(),
    output: SessionsList,
  },
  'sessions:get': { input: z.object({ id: SessionId }).strict(), output: Session },
  'sessions:delete': { input: z.object({ id: SessionId }).strict(), output: z.object({ id: SessionId }) },
  'sessions:rename': {
    input: z.object({ id: SessionId, title: z.string().trim().min(1).max(200) }).strict(),
    output: Session,
  },
  /** Which provider answers this session's turns ("auto" = the routing table). */
  'sessions:set-provider': { input: z.object({ id: SessionId, provider: ProviderChoice }).strict(), output: Session },
  /** A copy as a template: the spec without the messages. */
  'sessions:duplicate': { input: z.object({ id: SessionId }).strict(), output: Session },
  /** Undo of a delete, within the app run. */
  'sessions:restore': { input: z.object({ id: SessionId }).strict(), output: Session },
  /** Creates a session at REVIEWING_WORKFLOW from an ElevenLabs agent file or a Parley session file's text. */
  /**
   * `text`: an ElevenLabs agent file or a Parley session file. `files`: an ElevenLabs
   * agents-as-code project by relative path (a folder or .zip read by the caller), `agent`
   * naming which agent config to import. `zipBase64`: a project .zip as it was picked.
   */
  'sessions:import': {
    input: z.union([
      z.object({ text: z.string().min(1).max(MAX_FILE_BYTES) }).strict(),
      z
        .object({ files: z.record(z.string().max(500), z.string()), agent: z.string().max(500).optional() })
        .strict()
        .refine((v) => Object.values(v.files).reduce((n, text) => n + text.length, 0) <= MAX_FILE_BYTES, { message: `the project is larger than ${MAX_FILE_BYTES} bytes` }),
      z.object({ zipBase64: z.string().min(1).max(Math.ceil(MAX_FILE_BYTES / 3) * 4) }).strict(),
    ]),
    output: z.object({ session: Session, losses: z.array(Loss) }),
  },
  'export:preview': { input: z.object({ sessionId: SessionId, format: ExportFormat }).strict(), output: ExportPreview },
  /** Asks where to save (OS dialog, with overwrite confirmation) and writes the file; file is null when cancelled. */
  'export:save': {
    input: z.object({ sessionId: SessionId, format: ExportFormat }).strict(),
    output: z.object({ file: z.string().nullable(), warnings: z.array(LintFinding), losses: z.array(Loss) }),
  },
  'turn:send': {
    input: z.object({ sessionId: SessionId, text: z.string().trim().min(1).max(20000) }).strict(),
    output: z.object({ turnId: TurnId }),
  },
  'turn:cancel': { input: z.object({ turnId: TurnId }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** Sets a spec field by hand (e.g. path "tone" or "tools[0].endpoint"); the field is then locked. */
  'spec:edit': {
    input: z.object({ sessionId: SessionId, path: FieldPath, value: z.unknown() }).strict(),
    output: Session,
  },
  'spec:lock': {
    input: z.object({ sessionId: SessionId, path: FieldPath, locked: z.boolean() }).strict(),
    output: Session,
  },
  /** The prompt and first message the generator makes of the spec now (to compare with a hand edit); writes nothing. */
  'spec:generated': {
    input: z.object({ sessionId: SessionId }).strict(),
    output: z.object({ system_prompt: z.string(), first_message: z.string() }),
  },
  /** Drops a hand edit of a generated field: unlocks it and writes the generated text again. */
  'spec:regenerate': {
    input: z.object({ sessionId: SessionId, path: z.enum(['system_prompt', 'first_message']) }).strict(),
    output: Session,
  },
  /** Jumps back to an earlier stage (FINALIZING regenerates the prompt). */
  'stage:goto': { input: z.object({ sessionId: SessionId, stage: Stage }).strict(), output: Session },
  'settings:get': { input: z.undefined(), output: Settings },
  'settings:set': { input: SettingsPatch.strict(), output: Settings },
  'keys:status': { input: z.undefined(), output: KeysStatus },
  'keys:set': {
    /** sessionOnly: keep the key in main-process memory until quit, never written (e.g. no keychain). */
    input: z.object({ provider: KeyProvider, key: z.string().trim().min(8).max(500), sessionOnly: z.boolean().optional() }).strict(),
    output: KeysStatus,
  },
  'keys:clear': { input: z.object({ provider: KeyProvider }).strict(), output: KeysStatus },
  /** Makes one minimal real call with the given key (or the stored one) and says whether it works. */
  'keys:test': {
    input: z.object({ provider: KeyProvider, key: z.string().trim().min(8).max(500).optional() }).strict(),
    output: z.object({ ok: z.boolean(), message: z.string() }),
  },
  /** The secrets a design's tools need for Publish, and whether a value is already in the keychain. */
  'publish:secrets': { input: z.object({ sessionId: SessionId }).strict(), output: z.object({ secrets: z.array(PublishSecret) }) },
  /**
   * Publishes the design to the ElevenLabs workspace of the stored ElevenLabs key: secrets, tools,
   * knowledge base, agent (progress as publish:progress events). `secrets`: values typed now, by
   * label; kept in the keychain, never in the session. Publishing again updates the same agent.
   */
  'publish:run': {
    input: z.object({ sessionId: SessionId, secrets: z.record(z.string().max(64), z.string().min(1).max(10_000)).optional() }).strict(),
    output: PublishResult,
  },
  // The tool workbench (shared/workbench.ts): import API descriptions, test-fire tools.
  ...workbenchChannels,
  /** The caller personas a simulation would use: the last run's (as edited), else proposed from the design. */
  'simulate:personas': {
    input: z.object({ sessionId: SessionId, count: z.number().int().min(1).max(MAX_PERSONAS).optional(), fresh: z.boolean().optional() }).strict(),
    output: z.object({ personas: z.array(Persona) }),
  },
  /** Who would run a simulation (offline, or the provider the session's stage routes to), and its cost at most. */
  'simulate:estimate': {
    input: z.object({ sessionId: SessionId, count: z.number().int().min(1).max(MAX_PERSONAS).optional() }).strict(),
    output: SimulationEstimate,
  },
  /**
   * Runs simulated calls (session at REVIEWING_WORKFLOW or later), streaming simulate:event; the
   * run is stored with the session. `personas`: edited ones, else proposed (the first `count`).
   */
  'simulate:run': {
    input: z.object({ sessionId: SessionId, count: z.number().int().min(1).max(MAX_PERSONAS).optional(), personas: z.array(Persona).min(1).max(MAX_PERSONAS).optional() }).strict(),
    output: SimulationRun,
  },
  /** Stops the session's running simulation; nothing of it is stored (its simulate:run fails with CANCELLED). */
  'simulate:cancel': { input: z.object({ sessionId: SessionId }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** The session's versions of its design, oldest first, and which version was exported or published where. */
  'versions:list': { input: z.object({ sessionId: SessionId }).strict(), output: VersionList },
  /** The semantic diff between two versions: one readable line per change. */
  'versions:diff': { input: z.object({ sessionId: SessionId, from: VersionId, to: VersionId }).strict(), output: VersionDiff },
  /** Saves the design as it is now as a named version. */
  'versions:snapshot': { input: z.object({ sessionId: SessionId, name: z.string().trim().min(1).max(200) }).strict(), output: VersionInfo },
  /** Brings a version back as a new version; restoring `undo` undoes it. */
  'versions:restore': {
    input: z.object({ sessionId: SessionId, version: VersionId }).strict(),
    output: z.object({ session: Session, version: VersionInfo, undo: VersionId }),
  },
  /** Built-in templates, then the user's (files in the data folder). */
  'templates:list': { input: z.undefined(), output: z.object({ items: z.array(TemplateSummary) }) },
  'templates:get': { input: z.object({ name: TemplateName }).strict(), output: z.object({ template: Template, builtIn: z.boolean() }) },
  /** A new session from a template: every field sourced "template", the interview at the first thing to personalise. */
  'templates:start': { input: z.object({ name: TemplateName, provider: ProviderChoice.optional() }).strict(), output: Session },
  /** "Save as template": the session's design as a user template, without its conversation or secrets. */
  'templates:save': {
    input: z
      .object({ sessionId: SessionId, name: TemplateName.optional(), title: z.string().trim().min(1).max(80).optional(), purpose: z.string().trim().min(1).max(200).optional(), replace: z.boolean().optional() })
      .strict(),
    output: z.object({ template: TemplateSummary, removedSecrets: z.array(z.string()) }),
  },
  /** A template file's text (shared by a colleague) becomes a user template. */
  'templates:import': {
    input: z.object({ text: z.string().min(1).max(MAX_FILE_BYTES), name: TemplateName.optional(), replace: z.boolean().optional() }).strict(),
    output: TemplateSummary,
  },
  /** A template as a file to share: suggested file name and text. */
  'templates:export': { input: z.object({ name: TemplateName }).strict(), output: z.object({ fileName: z.string(), content: z.string() }) },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const events = {
  /** A piece of the assistant's reply text, in order. */
  'turn:delta': z.object({ turnId: TurnId, sessionId: SessionId, text: z.string() }),
  /** Shown while a provider call is being retried. */
  'turn:status': z.object({
    turnId: TurnId,
    sessionId: SessionId,
    message: z.string(),
    retryInMs: z.number().nonnegative().optional(),
    attempt: z.number().int().optional(),
    maxAttempts: z.number().int().optional(),
    /** The partial reply shown so far is void (broken stream, fallback): clear it, it streams again. */
    resetReply: z.boolean().optional(),
  }),
  'turn:done': z.object({
    turnId: TurnId,
    sessionId: SessionId,
    stage: Stage,
    awaiting: z.string().nullable(),
    reply: z.string(),
    provider: ProviderName,
    model: z.string(),
  }),
  'turn:error': z.object({ turnId: TurnId, sessionId: SessionId, error: IpcError }),
  /** A new notice (e.g. a file was quarantined); the same text app:notices lists. */
  'app:notice': z.object({ message: z.string() }),
  'session:changed': z.object({ id: SessionId, reason: z.enum(['created', 'updated', 'deleted']) }),
  /** A Publish step started, finished or failed. */
  'publish:progress': PublishProgress,
  /** A simulated call's message as it is said, a streamed piece of it, or a scenario's verdict. */
  'simulate:event': SimulationEvent,
} as const satisfies Record<string, z.ZodType>;

export type Channel = keyof typeof channels;
export type EventName = keyof typeof events;
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<(typeof channels)[C]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const CHANNELS = Object.keys(channels) as Channel[];
export const EVENTS = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** Server side: what a backend implements for every channel (inputs already validated). */
export type Handlers = {
  [C in Channel]: (input: z.output<(typeof channels)[C]['input']>) => Promise<ChannelOutput<C>>;
};

/** A channel's input parameter is optional in the API when the schema accepts undefined. */
type ApiMethod<C extends Channel> = undefined extends ChannelInput<C>
  ? (input?: ChannelInput<C>) => Promise<ChannelOutput<C>>
  : (input: ChannelInput<C>) => Promise<ChannelOutput<C>>;

type Namespace<C extends string> = C extends `${infer N}:${string}` ? N : never;
type Method<C extends string> = C extends `${string}:${infer M}` ? M : never;

/**
 * Renderer side: `window.parley`. Channel "sessions:create" becomes `parley.sessions.create(input)`;
 * `parley.on(event, listener)` subscribes to an event and returns the unsubscribe function.
 */
export type ParleyApi = {
  [N in Namespace<Channel>]: {
    [C in Channel as Namespace<C> extends N ? Method<C> : never]: ApiMethod<C>;
  };
} & {
  on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};

/** Splits "sessions:create" into ["sessions", "create"]; the shape of `window.parley`. */
export function channelPath(channel: Channel): [string, string] {
  const [ns, method] = channel.split(':') as [string, string];
  return [ns, method];
}
