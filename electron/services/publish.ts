import { createHash } from 'node:crypto';
import path from 'node:path';
// The SDK's REST clients by sub-path: its main entry also loads the realtime wrappers and `ws`,
// which the packaged app does not ship.
import { ConversationalAiClient } from '@elevenlabs/elevenlabs-js/api/resources/conversationalAi/client/Client';
import { EnvironmentVariablesClient } from '@elevenlabs/elevenlabs-js/api/resources/environmentVariables/client/Client';
import * as wire from '@elevenlabs/elevenlabs-js/serialization';
import { ParleyError, type ErrorCode } from '../../shared/errors';
import { PUBLISH_STEPS, PUBLISH_STEP_LABELS, PublishRecord, type PublishProgress, type PublishResult, type PublishSecret, type PublishStep } from '../../shared/publish';
import type { Session } from '../../shared/session';
import type { KnowledgeSource } from '../../shared/spec';
import type { Settings } from '../../shared/settings';
import { buildElevenLabsParts, toolCredential, type ElevenLabsAgentBody, type ToolCredential } from '../export/elevenlabs';
import type { ExportOptions } from '../export/types';
import { lintErrors, lintSession } from '../export/lint';
import { readUploadFile } from '../fs/user-files';
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

function sourceName(source: KnowledgeSource): string {
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

const isNotFound = (error: unknown) => (error as ApiError)?.statusCode === 404;

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
  const record = (session: Session) => PublishRecord.parse(session.elevenlabs ?? {});
  /** Saves part of the record at once: what ElevenLabs created must never be forgotten. */
  const remember = (sessionId: string, change: (r: PublishRecord) => PublishRecord) =>
    deps.sessions.update(sessionId, (s) => ({ ...s, elevenlabs: change(record(s)) }));

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
      const convai = new ConversationalAiClient(clientOptions);
      const envVars = new EnvironmentVariablesClient(clientOptions);
      const options$ = await publishOptions(deps, sessionId);

      const steps: PublishProgress[] = [];
      const report = (step: PublishStep, status: PublishProgress['status'], detail: string) => {
        const progress = { sessionId, step, status, detail };
        steps.push(progress);
        deps.onProgress?.(progress);
      };
      /** Runs one step; a failure is recorded in the session and reported with its step. */
      const step = async <T>(name: PublishStep, work: () => Promise<{ value: T; detail: string }>): Promise<T> => {
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
          await remember(sessionId, (r) => ({ ...r, lastError: { step: name, message: failure.message, at: deps.clock().toISOString() } })).catch(() => undefined);
          throw new ParleyError(failure.code, message);
        }
      };

      // 1. Secrets: each label a tool header reads becomes a workspace secret behind an environment variable.
      const credentials = credentialsOf(session);
      await step('secrets', async () => {
        const values = new Map<string, string>();
        const missing: ToolCredential[] = [];
        for (const c of credentials) {
          const typed = options.secretValues?.[c.label];
          const value = typed?.trim() ? typed : await deps.secrets.getToolSecret(c.label);
          if (value) values.set(c.label, value);
          else missing.push(c);
        }
        if (missing.length) {
          throw new ParleyError('INVALID_INPUT', `Type the value of ${missing.map((c) => `${c.label} (${c.holds}, for ${c.tool})`).join(', ')}; Parley keeps it in your keychain.`);
        }
        // Kept for next time; without a keychain the value serves this publish only, and is never written elsewhere.
        let notKept = false;
        for (const c of credentials) {
          const typed = options.secretValues?.[c.label];
          if (!typed?.trim()) continue;
          try {
            await deps.secrets.setToolSecret(c.label, typed);
          } catch (error) {
            if (!(error instanceof ParleyError && error.code === 'KEYCHAIN_UNAVAILABLE')) throw error;
            notKept = true;
          }
        }
        let stored: Awaited<ReturnType<typeof convai.secrets.list>> | undefined;
        for (const c of credentials) {
          const value = values.get(c.label)!;
          const existing = (await envVars.list({ label: c.label })).environmentVariables.find((v) => v.label === c.label);
          if (existing) {
            const production = (existing.values as Record<string, { secretId?: string } | string>).production;
            const secretId = typeof production === 'object' ? production.secretId : undefined;
            if (existing.type !== 'secret' || !secretId) throw new ParleyError('CONFLICT', `The workspace already has an environment variable ${c.label} that is not a secret; rename it or the tool's secret.`);
            await convai.secrets.update(secretId, { name: c.label, value });
            await remember(sessionId, (r) => ({ ...r, envVarIds: { ...r.envVarIds, [c.label]: existing.id } }));
            continue;
          }
          // A secret left by an attempt that failed before its variable was made is reused, not duplicated.
          stored ??= await convai.secrets.list();
          const orphan = stored.secrets.find((s) => s.name === c.label);
          const secretId = orphan ? (await convai.secrets.update(orphan.secretId, { name: c.label, value })).secretId : (await convai.secrets.create({ name: c.label, value })).secretId;
          const created = await envVars.create(wire.EnvironmentVariablesCreateRequestBody.parseOrThrow({ type: 'secret', label: c.label, values: { production: { secret_id: secretId } } }));
          await remember(sessionId, (r) => ({ ...r, envVarIds: { ...r.envVarIds, [c.label]: created.id } }));
        }
        const kept = notKept ? ' (no keychain here: the values typed were not kept; type them again next time)' : '';
        return { value: undefined, detail: credentials.length ? `${credentials.map((c) => c.label).join(', ')} set in the workspace${kept}` : 'No tool needs a secret' };
      });

      // 2. Tools: updated in place when this session created them before.
      const parts = buildElevenLabsParts(session, options$);
      const toolIds = await step('tools', async () => {
        const ids: Record<string, string> = {};
        let created = 0;
        for (const [i, named] of parts.tools.entries()) {
          const config = wire.ToolRequestModel.parseOrThrow({ tool_config: parts.webhooks[i] });
          const known = record(await deps.sessions.get(sessionId)).toolIds[named.name];
          let id: string | undefined;
          if (known) {
            try {
              id = (await convai.tools.update(known, config)).id;
            } catch (error) {
              if (!isNotFound(error)) throw error; // deleted in ElevenLabs: made again below
            }
          }
          if (!id) {
            id = (await convai.tools.create(config)).id;
            created++;
          }
          ids[named.name] = id;
          const toolId = id;
          await remember(sessionId, (r) => ({ ...r, toolIds: { ...r.toolIds, [named.name]: toolId } }));
        }
        return { value: ids, detail: parts.tools.length ? `${parts.tools.length} tool${parts.tools.length > 1 ? 's' : ''} (${created} new)` : 'No webhook tools' };
      });

      // 3. Knowledge base: each source uploaded once; its document is reused afterwards.
      const knowledge = (session.spec.knowledge_base ?? []).map((f) => f.value);
      const documents = await step('knowledge_base', async () => {
        const locators: Array<{ type: 'url' | 'file' | 'text'; name: string; id: string }> = [];
        for (const source of knowledge) {
          const key = sourceKey(source);
          const name = sourceName(source);
          let id = record(await deps.sessions.get(sessionId)).documentIds[key];
          if (!id) {
            const made =
              source.type === 'url'
                ? await convai.knowledgeBase.documents.createFromUrl({ url: source.url, name })
                : source.type === 'text'
                  ? await convai.knowledgeBase.documents.createFromText({ text: source.text, name })
                  : await convai.knowledgeBase.documents.createFromFile({ file: { data: await readUploadFile(source.path), filename: path.basename(source.path) }, name });
            id = made.id;
            const docId = id;
            await remember(sessionId, (r) => ({ ...r, documentIds: { ...r.documentIds, [key]: docId } }));
          }
          locators.push({ type: source.type, name, id });
        }
        return { value: locators, detail: knowledge.length ? `${knowledge.length} document${knowledge.length > 1 ? 's' : ''}` : 'No knowledge-base sources' };
      });

      // 4. The agent, last: everything it names exists now.
      const agent = await step('agent', async () => {
        const built = buildElevenLabsParts(session, options$, (named) => toolIds[named.name] ?? named.name).body;
        const body: ElevenLabsAgentBody = documents.length
          ? { ...built, conversation_config: { ...built.conversation_config, agent: { ...built.conversation_config.agent, prompt: { ...built.conversation_config.agent?.prompt, knowledge_base: documents } } } }
          : built;
        const known = record(await deps.sessions.get(sessionId)).agentId;
        let outcome: { id: string; how: 'created' | 'updated' } | undefined;
        if (known) {
          try {
            await convai.agents.update(known, wire.conversationalAi.agents.UpdateAgentRequest.parseOrThrow(body));
            outcome = { id: known, how: 'updated' };
          } catch (error) {
            if (!isNotFound(error)) throw error;
          }
        }
        outcome ??= { id: (await convai.agents.create(wire.conversationalAi.agents.BodyCreateAgentV1ConvaiAgentsCreatePost.parseOrThrow(body))).agentId, how: 'created' };
        const done = outcome;
        await remember(sessionId, (r) => {
          const { lastError: _cleared, ...rest } = r;
          return { ...rest, agentId: done.id, dashboardUrl: dashboardUrl(done.id), publishedAt: deps.clock().toISOString() };
        });
        return { value: done, detail: `Agent ${done.how} (${done.id})` };
      });

      return recordPublish(deps, sessionId, options$.version, { agentId: agent.id, toolIds, dashboardUrl: dashboardUrl(agent.id), agent: agent.how, steps });
    },
  };
}
