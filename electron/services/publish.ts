import { createHash } from 'node:crypto';
import path from 'node:path';
// The SDK's REST clients by sub-path: its main entry also loads the realtime wrappers and `ws`,
// which the packaged app does not ship.
import { ConversationalAiClient } from '@elevenlabs/elevenlabs-js/api/resources/conversationalAi/client/Client';
import { EnvironmentVariablesClient } from '@elevenlabs/elevenlabs-js/api/resources/environmentVariables/client/Client';
import { ParleyError, type ErrorCode } from '../../shared/errors';
import { PUBLISH_STEPS, PUBLISH_STEP_LABELS, PublishRecord, type PublishProgress, type PublishResult, type PublishSecret, type PublishStep } from '../../shared/publish';
import type { Session } from '../../shared/session';
import type { KnowledgeSource } from '../../shared/spec';
import type { Settings } from '../../shared/settings';
import { buildElevenLabsParts, toolCredential, type ToolCredential } from '../export/elevenlabs';
import type { ExportOptions } from '../export/types';
import { lintErrors, lintSession } from '../export/lint';
import { publishAgent, publishKnowledge, publishSecrets, publishTools } from './publish-steps';
import type { SecretStore } from '../secrets/types';
import { exportOptions } from './export';
import type { SessionService } from './sessions';
import type { VersionService } from '../versions/service';

/**
 * Publish a design to the user's ElevenLabs workspace with the official SDK, in four steps:
 * the secrets tool headers read (workspace secrets exposed as environment variables), the tools,
 * the knowledge base, the agent. Every id is written into the session as soon as ElevenLabs
 * returns it, so a failure at any step leaves what was done recorded and nothing half-linked (the
 * agent is created or updated last, only once everything it refers to exists); publishing again
 * updates those records instead of creating duplicates.
 */
export interface PublishService {
  /** The secrets the design's tools need, and whether a value is stored for each. */
  secrets(sessionId: string): Promise<PublishSecret[]>;
  /** `secretValues`: values typed now, by label; stored in the keychain, never in the session. */
  publish(sessionId: string, options?: { secretValues?: Record<string, string> }): Promise<PublishResult>;
}

export interface PublishDeps {
  sessions: Pick<SessionService, 'get' | 'update'>;
  secrets: SecretStore;
  getSettings: () => Promise<Settings>;
  clock: () => Date;
  /** Each publish is a version of the design; the agent's tags carry its id and the session records it. */
  versions?: Pick<VersionService, 'beforeRelease' | 'recordRelease'>;
  onProgress?: (progress: PublishProgress) => void;
  /** The API's base URL; ElevenLabs' production API unless set ($ELEVENLABS_BASE_URL, a local mock in tests). */
  baseUrl?: string;
  /** Retries of a failed request (the SDK's default is 2); tests use 0. */
  maxRetries?: number;
}

/** Where the agent is opened in ElevenLabs' web app. */
export function dashboardUrl(agentId: string): string {
  return `https://elevenlabs.io/app/agents/agents/${encodeURIComponent(agentId)}`;
}

/** A stable key per knowledge-base source, so a re-publish reuses its document. */
export function sourceKey(source: KnowledgeSource): string {
  const what = source.type === 'url' ? source.url : source.type === 'file' ? source.path : createHash('sha256').update(source.text).digest('hex').slice(0, 16);
  return `${source.type}:${what}`;
}

export function sourceName(source: KnowledgeSource): string {
  return source.name?.trim() || (source.type === 'url' ? source.url : source.type === 'file' ? path.basename(source.path) : 'Text');
}

interface ApiError {
  statusCode?: number;
  body?: unknown;
  message: string;
}

function describeApiError(error: unknown): { code: ErrorCode; message: string; status?: number } {
  if (error instanceof ParleyError) return { code: error.code, message: error.message };
  const e = error as ApiError;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const detail = (() => {
    const body = e?.body as { detail?: unknown } | undefined;
    const d = body?.detail;
    if (typeof d === 'string') return d;
    if (d && typeof d === 'object' && 'message' in d && typeof (d as { message: unknown }).message === 'string') return (d as { message: string }).message;
    if (d !== undefined) return JSON.stringify(d).slice(0, 500);
    return e?.message ?? String(error);
  })();
  if (status === 401 || status === 403) return { code: 'PROVIDER_AUTH', status, message: `ElevenLabs refused the API key (${status}): ${detail}. Check it in Settings → API keys.` };
  if (status !== undefined && status >= 400 && status < 500) return { code: 'INVALID_INPUT', status, message: `ElevenLabs refused the request (${status}): ${detail}` };
  if (status !== undefined) return { code: 'PROVIDER_UNAVAILABLE', status, message: `ElevenLabs answered ${status}: ${detail}. Try again in a moment.` };
  return { code: 'PROVIDER_UNAVAILABLE', message: `ElevenLabs could not be reached: ${detail}. Check the network.` };
}

export const isNotFound = (error: unknown) => (error as ApiError)?.statusCode === 404;

function credentialsOf(session: Session): ToolCredential[] {
  const { tools } = buildElevenLabsParts(session);
  const byLabel = new Map<string, ToolCredential>();
  for (const c of tools.map(toolCredential)) if (c && !byLabel.has(c.label)) byLabel.set(c.label, c);
  return [...byLabel.values()];
}

/** The Settings "Test key" button for ElevenLabs: one free read (the first agent of the list). Never throws; never echoes the key. */
export async function testElevenLabsKey(key: string, options: { baseUrl?: string } = {}): Promise<{ ok: boolean; message: string }> {
  try {
    await new ConversationalAiClient({ apiKey: key, maxRetries: 0, timeoutInSeconds: 15, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) }).agents.list({ pageSize: 1 });
    return { ok: true, message: 'ElevenLabs accepted the key.' };
  } catch (error) {
    const failure = describeApiError(error);
    return { ok: false, message: failure.message.split(key).join('[redacted]') };
  }
}

/** The export options of a publish: a version of the design is taken first, and the agent carries its id. */
async function publishOptions(deps: PublishDeps, sessionId: string): Promise<ExportOptions> {
  const version = (await deps.versions?.beforeRelease(sessionId, 'publish')) ?? undefined;
  return { ...exportOptions(await deps.getSettings()), ...(version ? { version } : {}) };
}

/** The session records which version was published as which agent. */
async function recordPublish(deps: PublishDeps, sessionId: string, version: string | undefined, result: PublishResult): Promise<PublishResult> {
  if (version) await deps.versions?.recordRelease(sessionId, { version, kind: 'publish', target: 'elevenlabs', where: result.agentId });
  return result;
}

export function createPublishService(deps: PublishDeps): PublishService {
  return {
    async secrets(sessionId) {
      const session = await deps.sessions.get(sessionId);
      return Promise.all(
        credentialsOf(session).map(async (c) => ({ label: c.label, tool: c.tool, header: c.header, holds: c.holds, stored: !!(await deps.secrets.getToolSecret(c.label)) })),
      );
    },

    async publish(sessionId, options = {}) {
      const session = await deps.sessions.get(sessionId);
      const errors = lintErrors(lintSession(session, 'elevenlabs'));
      if (errors.length) {
        throw new ParleyError('INVALID_INPUT', `Publish needs a design that exports: ${errors.map((f) => `${f.path}: ${f.message} Fix: ${f.fix}`).join(' · ')}`);
      }
      const apiKey = await deps.secrets.get('elevenlabs');
      if (!apiKey) throw new ParleyError('INVALID_INPUT', 'Publishing needs your ElevenLabs API key: add it in Settings → API keys (or `parley keys set elevenlabs`, or ELEVENLABS_API_KEY).');
      const clientOptions = { apiKey, maxRetries: deps.maxRetries, ...(deps.baseUrl ? { baseUrl: deps.baseUrl } : {}) };
      const exportWith = await publishOptions(deps, sessionId);
      const run = createRun(deps, sessionId, new ConversationalAiClient(clientOptions), new EnvironmentVariablesClient(clientOptions));

      await run.step('secrets', () => publishSecrets(run, credentialsOf(session), options.secretValues));
      const parts = buildElevenLabsParts(session, exportWith);
      const toolIds = await run.step('tools', () => publishTools(run, parts));
      const documents = await run.step('knowledge_base', () => publishKnowledge(run, (session.spec.knowledge_base ?? []).map((f) => f.value)));
      const agent = await run.step('agent', () => publishAgent(run, buildElevenLabsParts(session, exportWith, (named) => toolIds[named.name] ?? named.name).body, documents));

      return recordPublish(deps, sessionId, exportWith.version, { agentId: agent.id, toolIds, dashboardUrl: dashboardUrl(agent.id), agent: agent.how, steps: run.steps });
    },
  };
}

/** One publish: its clients, its record in the session, and its steps' progress. */
export interface PublishRun {
  deps: PublishDeps;
  sessionId: string;
  convai: ConversationalAiClient;
  envVars: EnvironmentVariablesClient;
  steps: PublishProgress[];
  /** The session's record as stored now. */
  record(): Promise<PublishRecord>;
  /** Saves part of the record at once: what ElevenLabs created must never be forgotten. */
  remember(change: (r: PublishRecord) => PublishRecord): Promise<unknown>;
  /** Runs one step; a failure is recorded in the session and reported with its step. */
  step<T>(name: PublishStep, work: () => Promise<{ value: T; detail: string }>): Promise<T>;
}

function createRun(deps: PublishDeps, sessionId: string, convai: ConversationalAiClient, envVars: EnvironmentVariablesClient): PublishRun {
  const parse = (session: Session) => PublishRecord.parse(session.elevenlabs ?? {});
  const steps: PublishProgress[] = [];
  const report = (step: PublishStep, status: PublishProgress['status'], detail: string) => {
    const progress = { sessionId, step, status, detail };
    steps.push(progress);
    deps.onProgress?.(progress);
  };
  const run: PublishRun = {
    deps,
    sessionId,
    convai,
    envVars,
    steps,
    record: async () => parse(await deps.sessions.get(sessionId)),
    remember: (change) => deps.sessions.update(sessionId, (s) => ({ ...s, elevenlabs: change(parse(s)) })),
    async step(name, work) {
      report(name, 'started', PUBLISH_STEP_LABELS[name]);
      try {
        const { value, detail } = await work();
        report(name, 'done', detail);
        return value;
      } catch (error) {
        const failure = describeApiError(error);
        const n = PUBLISH_STEPS.indexOf(name) + 1;
        const message = `Publish stopped at step ${n} of ${PUBLISH_STEPS.length} (${PUBLISH_STEP_LABELS[name].toLowerCase()}): ${failure.message} What was done before is kept; publish again to retry from here.`;
        report(name, 'failed', failure.message);
        await run.remember((r) => ({ ...r, lastError: { step: name, message: failure.message, at: deps.clock().toISOString() } })).catch(() => undefined);
        throw new ParleyError(failure.code, message);
      }
    },
  };
  return run;
}
