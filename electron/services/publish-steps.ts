import path from 'node:path';
import * as wire from '@elevenlabs/elevenlabs-js/serialization';
import { ParleyError } from '../../shared/errors';
import type { KnowledgeSource } from '../../shared/spec';
import type { buildElevenLabsParts, ElevenLabsAgentBody, ToolCredential } from '../export/elevenlabs';
import { readUploadFile } from '../fs/user-files';
import { dashboardUrl, isNotFound, sourceKey, sourceName, type PublishRun } from './publish';

/**
 * Publish's four steps, in order. Each id ElevenLabs returns is remembered in the session at once,
 * so a step that fails part-way leaves what it made recorded, and the next publish updates it.
 */

/** 1. Each label a tool header reads becomes a workspace secret behind an environment variable. */
export async function publishSecrets(run: PublishRun, credentials: ToolCredential[], typedValues: Record<string, string> | undefined): Promise<{ value: undefined; detail: string }> {
  const { deps, convai, envVars } = run;
  const values = new Map<string, string>();
  const missing: ToolCredential[] = [];
  for (const c of credentials) {
    const typed = typedValues?.[c.label];
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
    const typed = typedValues?.[c.label];
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
      await run.remember((r) => ({ ...r, envVarIds: { ...r.envVarIds, [c.label]: existing.id } }));
      continue;
    }
    // A secret left by an attempt that failed before its variable was made is reused, not duplicated.
    stored ??= await convai.secrets.list();
    const orphan = stored.secrets.find((s) => s.name === c.label);
    const secretId = orphan ? (await convai.secrets.update(orphan.secretId, { name: c.label, value })).secretId : (await convai.secrets.create({ name: c.label, value })).secretId;
    const created = await envVars.create(wire.EnvironmentVariablesCreateRequestBody.parseOrThrow({ type: 'secret', label: c.label, values: { production: { secret_id: secretId } } }));
    await run.remember((r) => ({ ...r, envVarIds: { ...r.envVarIds, [c.label]: created.id } }));
  }
  const kept = notKept ? ' (no keychain here: the values typed were not kept; type them again next time)' : '';
  return { value: undefined, detail: credentials.length ? `${credentials.map((c) => c.label).join(', ')} set in the workspace${kept}` : 'No tool needs a secret' };
}

/** 2. The tools, updated in place when this session created them before. */
export async function publishTools(run: PublishRun, parts: ReturnType<typeof buildElevenLabsParts>): Promise<{ value: Record<string, string>; detail: string }> {
  const ids: Record<string, string> = {};
  let created = 0;
  for (const [i, named] of parts.tools.entries()) {
    const config = wire.ToolRequestModel.parseOrThrow({ tool_config: parts.webhooks[i] });
    const known = (await run.record()).toolIds[named.name];
    let id: string | undefined;
    if (known) {
      try {
        id = (await run.convai.tools.update(known, config)).id;
      } catch (error) {
        if (!isNotFound(error)) throw error; // deleted in ElevenLabs: made again below
      }
    }
    if (!id) {
      id = (await run.convai.tools.create(config)).id;
      created++;
    }
    ids[named.name] = id;
    const toolId = id;
    await run.remember((r) => ({ ...r, toolIds: { ...r.toolIds, [named.name]: toolId } }));
  }
  return { value: ids, detail: parts.tools.length ? `${parts.tools.length} tool${parts.tools.length > 1 ? 's' : ''} (${created} new)` : 'No webhook tools' };
}

type Locator = { type: 'url' | 'file' | 'text'; name: string; id: string };

/** 3. The knowledge base: each source uploaded once; its document is reused afterwards. */
export async function publishKnowledge(run: PublishRun, knowledge: KnowledgeSource[]): Promise<{ value: Locator[]; detail: string }> {
  const locators: Locator[] = [];
  for (const source of knowledge) {
    const key = sourceKey(source);
    const name = sourceName(source);
    let id = (await run.record()).documentIds[key];
    if (!id) {
      const documents = run.convai.knowledgeBase.documents;
      const made =
        source.type === 'url'
          ? await documents.createFromUrl({ url: source.url, name })
          : source.type === 'text'
            ? await documents.createFromText({ text: source.text, name })
            : await documents.createFromFile({ file: { data: await readUploadFile(source.path), filename: path.basename(source.path) }, name });
      id = made.id;
      const docId = id;
      await run.remember((r) => ({ ...r, documentIds: { ...r.documentIds, [key]: docId } }));
    }
    locators.push({ type: source.type, name, id });
  }
  return { value: locators, detail: knowledge.length ? `${knowledge.length} document${knowledge.length > 1 ? 's' : ''}` : 'No knowledge-base sources' };
}

/** 4. The agent, last: everything it names exists now. */
export async function publishAgent(run: PublishRun, built: ElevenLabsAgentBody, documents: Locator[]): Promise<{ value: { id: string; how: 'created' | 'updated' }; detail: string }> {
  const { convai, deps } = run;
  const body: ElevenLabsAgentBody = documents.length
    ? { ...built, conversation_config: { ...built.conversation_config, agent: { ...built.conversation_config.agent, prompt: { ...built.conversation_config.agent?.prompt, knowledge_base: documents } } } }
    : built;
  const known = (await run.record()).agentId;
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
  await run.remember((r) => {
    const { lastError: _cleared, ...rest } = r;
    return { ...rest, agentId: done.id, dashboardUrl: dashboardUrl(done.id), publishedAt: deps.clock().toISOString() };
  });
  return { value: done, detail: `Agent ${done.how} (${done.id})` };
}
