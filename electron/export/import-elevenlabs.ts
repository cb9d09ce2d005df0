import { z } from 'zod';
import { describeIssues, ParleyError } from '../../shared/errors';
import { toLanguageTag } from '../../shared/language';
import { FILE_BOUNDS, isLimitIssue, jsonBoundsProblem } from '../../shared/limits';
import {
  AgentSpec,
  DataItem,
  KnowledgeSource,
  SuccessCriterion,
  type AuthSpec,
  type JsonSchemaDoc,
  type ToolSpec,
  type TransferSpec,
  type TransferType,
} from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import type { ExistingFiles, Loss } from './types';
import { ElAgentFile, ElSystemTool, ElTransfer, ElWebhook } from './import-elevenlabs-wire';
import { IMPORT_SOURCE, mentions, parseToolDescription } from './prompt';
import { findSecretKind } from './secrets';
import { isObject, type JsonObject } from './schema';
import { ELEVENLABS_TOOL_TIMEOUT_SECS } from './elevenlabs-tools';
import { defaultVoiceId, ELEVENLABS_DEFAULT_VOICE_ID, TTS_MODEL_ENGLISH, TTS_MODEL_MULTILINGUAL } from './elevenlabs';
import { normalizeConfigPath, projectEntries } from './elevenlabs-link';
import { KNOWLEDGE_BASE_FILE } from './elevenlabs-project';

export { ElAgentFile } from './import-elevenlabs-wire';

export const IMPORT_STAGE = 'REVIEWING_WORKFLOW' satisfies Stage;

export interface ElevenLabsImport {
  kind: 'elevenlabs';
  title: string;
  stage: typeof IMPORT_STAGE;
  spec: AgentSpec;
  /** The target LLM id the file named, to pass back as ExportOptions.model. */
  llm?: string;
  losses: Loss[];
}

function invalid(message: string): never {
  throw new ParleyError('INVALID_INPUT', message);
}

function field<T>(value: T) {
  return { value, confidence: 1, source: IMPORT_SOURCE, locked: false };
}

/** ElevenLabs property → plain JSON Schema; ElevenLabs-only keys (dynamic variables, constants) are reported. */
function toJsonSchema(prop: JsonObject, path: string, losses: Loss[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(prop)) {
    if (key === 'type' || key === 'description' || key === 'enum' || key === 'required') out[key] = value;
    else if (key === 'properties' && isObject(value)) {
      const props: JsonObject = {};
      for (const [name, sub] of Object.entries(value)) props[name] = isObject(sub) ? toJsonSchema(sub, `${path}.properties.${name}`, losses) : {};
      out.properties = props;
    } else if (key === 'items' && isObject(value)) out.items = toJsonSchema(value, `${path}.items`, losses);
    else losses.push({ path, message: `ElevenLabs setting "${key}" is not kept.` });
  }
  return out;
}

function importHeaders(headers: Record<string, unknown>, toolPath: string, losses: Loss[]): AuthSpec | undefined {
  let auth: AuthSpec | undefined;
  for (const [header, value] of Object.entries(headers)) {
    const locator = isObject(value) ? (typeof value.env_var_label === 'string' ? value.env_var_label : typeof value.secret_id === 'string' ? value.secret_id : null) : null;
    if (locator && !auth) {
      const bearer = header.toLowerCase() === 'authorization';
      auth = { type: bearer ? 'bearer' : 'api_key', header, secret_name: locator };
      if (bearer) losses.push({ path: `${toolPath}.auth`, message: `The ${header} header's scheme is not in the file; it is taken to be a bearer token (the secret "${locator}" holds the whole header value).` });
    } else if (typeof value === 'string' && findSecretKind(value)) {
      losses.push({ path: `${toolPath}.auth`, message: `Header "${header}" held a credential; it is not imported. Keep credentials in the platform's secrets.` });
    } else {
      losses.push({ path: `${toolPath}.auth`, message: `Header "${header}" is not kept (Parley records only the authentication header).` });
    }
  }
  return auth;
}

/**
 * Splits "purpose When to use: … On failure: …" back into fields only when the prompt states
 * them too (as Parley's exports do); otherwise the description stays whole, so that exporting
 * the imported agent does not add a tool-use section to a prompt the user wrote elsewhere.
 */
function splitDescription(description: string, prompt: string, name: string): { purpose: string; trigger?: string; error_handling?: string } {
  const parts = parseToolDescription(description);
  // Parley's prompt has a section per tool ("## get_order_status") that words them for speech.
  const section = new RegExp(`^#{2,3} ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm').test(prompt);
  const stated = section || ((!parts.trigger || mentions(prompt, parts.trigger)) && (!parts.error_handling || mentions(prompt, parts.error_handling)));
  return stated ? parts : { purpose: description.trim() };
}

function importWebhook(raw: ElWebhook, index: number, prompt: string, losses: Loss[]): ToolSpec {
  const path = `tools[${index}]`;
  const api = raw.api_schema;
  const { purpose, trigger, error_handling } = splitDescription(raw.description, prompt, raw.name);
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const [name, prop] of Object.entries(api.path_params_schema ?? {})) {
    properties[name] = toJsonSchema(prop, `${path}.input_schema.properties.${name}`, losses);
    required.push(name);
  }
  if (api.query_params_schema) {
    for (const [name, prop] of Object.entries(api.query_params_schema.properties)) {
      properties[name] = toJsonSchema(prop, `${path}.input_schema.properties.${name}`, losses);
    }
    required.push(...(api.query_params_schema.required ?? []));
  }
  let bodyDescription: string | undefined;
  if (api.request_body_schema) {
    const body = toJsonSchema(api.request_body_schema, `${path}.input_schema`, losses);
    if (typeof body.description === 'string') bodyDescription = body.description;
    if (isObject(body.properties)) Object.assign(properties, body.properties);
    if (Array.isArray(body.required)) required.push(...body.required.filter((r): r is string => typeof r === 'string'));
  }
  const tool: ToolSpec = {
    name: field(raw.name),
    endpoint: field(api.url),
    method: field(api.method ?? 'GET'),
  };
  if (purpose) tool.purpose = field(purpose);
  if (trigger) tool.trigger = field(trigger);
  if (error_handling) tool.error_handling = field(error_handling);
  if (Object.keys(properties).length) {
    const input: JsonSchemaDoc = { type: 'object', properties, ...(required.length ? { required: [...new Set(required)] } : {}) };
    if (bodyDescription) input.description = bodyDescription;
    tool.input_schema = field(input);
  }
  if (api.response_body_schema) tool.output_schema = field(toJsonSchema(api.response_body_schema, `${path}.output_schema`, losses));
  const auth = api.request_headers ? importHeaders(api.request_headers, path, losses) : undefined;
  tool.auth = field(auth ?? { type: 'none' });
  if (raw.response_timeout_secs !== undefined && raw.response_timeout_secs !== ELEVENLABS_TOOL_TIMEOUT_SECS) {
    losses.push({ path, message: `The ${raw.response_timeout_secs}s response timeout of ${raw.name} is not kept (exports use ${ELEVENLABS_TOOL_TIMEOUT_SECS}s).` });
  }
  return tool;
}

const TRANSFER_FROM_EL: Record<string, TransferType> = { conference: 'conference', blind: 'cold' };

/** System tools carry the call-handling design: hang-up conditions, transfers, voicemail. */
function importSystemTools(tools: Array<{ key: string; tool: ElSystemTool }>, spec: AgentSpec, losses: Loss[]): void {
  for (const { key, tool } of tools) {
    const type = tool.params.system_tool_type;
    if (type === 'end_call') {
      const when = tool.description?.trim();
      if (when) spec.end_call_conditions = field(when);
    } else if (type === 'transfer_to_number') {
      const transfers: TransferSpec[] = [];
      const list = Array.isArray(tool.params.transfers) ? tool.params.transfers : [];
      list.forEach((raw, i) => {
        const parsed = ElTransfer.safeParse(raw);
        const t = parsed.success ? parsed.data : null;
        const number = t?.transfer_destination?.type === 'phone' ? t.transfer_destination.phone_number : t?.phone_number ?? undefined;
        if (!t || !number) {
          losses.push({ path: 'transfers', message: `Transfer ${i + 1} does not go to a phone number (SIP or a dynamic variable); it is not kept.` });
          return;
        }
        const kind = TRANSFER_FROM_EL[t.transfer_type ?? 'conference'];
        if (!kind) losses.push({ path: `transfers[${transfers.length}].transfer_type`, message: `The ${t.transfer_type} transfer to ${number} is kept as a conference transfer.` });
        transfers.push({ phone_number: field(number), ...(t.condition ? { condition: field(t.condition) } : {}), transfer_type: field(kind ?? 'conference') });
      });
      if (transfers.length) spec.transfers = transfers;
    } else if (type === 'voicemail_detection') {
      spec.call_direction = field('outbound');
      const message = typeof tool.params.voicemail_message === 'string' ? tool.params.voicemail_message.trim() : '';
      spec.voicemail = field(message ? { action: 'leave_message' as const, message } : { action: 'hang_up' as const });
    } else if (type !== 'language_detection') {
      losses.push({ path: '', message: `The system tool "${tool.name ?? key}" (${type}) is not kept.` });
    }
  }
}

function importPlatformSettings(settings: Record<string, unknown>, spec: AgentSpec, losses: Loss[]): void {
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'data_collection' && isObject(value)) {
      const items = Object.entries(value).flatMap(([name, raw]) => {
        const r = isObject(raw) ? raw : {};
        const item = DataItem.safeParse({ name, type: r.type, description: typeof r.description === 'string' && r.description.trim() ? r.description : `The ${name.replace(/_/g, ' ')}.` });
        if (!item.success) losses.push({ path: 'data_collection', message: `Data collection item "${name}" is not kept (${describeIssues(item.error)}).` });
        return item.success ? [field(item.data)] : [];
      });
      if (items.length) spec.data_collection = items;
    } else if (key === 'evaluation' && isObject(value) && Array.isArray(value.criteria)) {
      const criteria = value.criteria.flatMap((raw, i) => {
        const r = isObject(raw) ? raw : {};
        const criterion = SuccessCriterion.safeParse({ name: r.name, goal: r.conversation_goal_prompt });
        if (!criterion.success) losses.push({ path: 'success_criteria', message: `Evaluation criterion ${i + 1} is not kept (${describeIssues(criterion.error)}).` });
        return criterion.success ? [field(criterion.data)] : [];
      });
      if (criteria.length) spec.success_criteria = criteria;
    } else {
      losses.push({ path: '', message: `platform_settings.${key} is not kept.` });
    }
  }
}

/**
 * An ElevenLabs agent body → spec. `tools` resolves `prompt.tool_ids` (by id, or by name as
 * Parley writes them before the link step) to the webhook configs of the agent's project.
 */
export function fromElevenLabs(data: ElAgentFile, resolveTool?: (ref: string) => ElWebhook | 'unknown' | null, knowledge: KnowledgeSource[] = []): ElevenLabsImport {
  const losses: Loss[] = [];
  const config = data.conversation_config;
  const agent = config.agent ?? {};
  const prompt = agent.prompt ?? {};
  const promptText = prompt.prompt ?? '';
  const title = data.name?.trim() || 'Imported agent';
  const spec: AgentSpec = { agent_type: field(title), tools: [], tools_done: field(true), candidates: {} };
  const systemTools: Array<{ key: string; tool: ElSystemTool }> = [];

  (prompt.tools ?? []).forEach((raw, i) => {
    const webhook = ElWebhook.safeParse(raw);
    if (webhook.success) spec.tools.push(importWebhook(webhook.data, spec.tools.length, promptText, losses));
    else if (raw.type === 'webhook') invalid(`Tool ${i + 1} of the ElevenLabs file is malformed: ${describeIssues(webhook.error)}`);
    else if (raw.type === 'system' && ElSystemTool.safeParse(raw).success) systemTools.push({ key: String(raw.name ?? i), tool: ElSystemTool.parse(raw) });
    else losses.push({ path: 'tools', message: `The ${String(raw.type ?? 'unknown')} tool "${String(raw.name ?? i + 1)}" is not a webhook; Parley keeps only webhook tools.` });
  });
  for (const ref of prompt.tool_ids ?? []) {
    const found = resolveTool?.(ref) ?? null;
    if (found === 'unknown') losses.push({ path: 'tools', message: `The tool config for "${ref}" is not a webhook; Parley keeps only webhook tools.` });
    else if (found) spec.tools.push(importWebhook(found, spec.tools.length, promptText, losses));
    else losses.push({ path: 'tools', message: `Tool "${ref}" (in tool_ids) has no config beside the agent; it lives in the ElevenLabs workspace and is not imported.` });
  }
  for (const [key, raw] of Object.entries(prompt.built_in_tools ?? {})) {
    if (raw === null) continue;
    const tool = ElSystemTool.safeParse(raw);
    if (tool.success) systemTools.push({ key, tool: tool.data });
    else losses.push({ path: '', message: `The built-in tool "${key}" is malformed and not kept.` });
  }
  importSystemTools(systemTools, spec, losses);
  spec.use_tools = field(spec.tools.length > 0);

  for (const key of Object.keys(config)) {
    if (key !== 'agent' && key !== 'tts' && key !== 'language_presets') losses.push({ path: '', message: `conversation_config.${key} (turn taking, speech recognition and similar settings) is not kept.` });
  }
  for (const key of Object.keys(agent)) {
    if (!['first_message', 'language', 'prompt'].includes(key)) losses.push({ path: '', message: `conversation_config.agent.${key} is not kept.` });
  }
  const keptPrompt = ['prompt', 'llm', 'temperature', 'timezone', 'tools', 'tool_ids', 'built_in_tools'];
  for (const key of Object.keys(prompt)) {
    if (key === 'knowledge_base' && prompt.knowledge_base?.length) losses.push({ path: 'knowledge_base', message: 'Knowledge-base documents attached by id live in the ElevenLabs workspace and are not imported.' });
    else if (!keptPrompt.includes(key) && key !== 'knowledge_base') losses.push({ path: '', message: `conversation_config.agent.prompt.${key} is not kept.` });
  }
  if (config.tts) {
    if (config.tts.voice_id && config.tts.voice_id !== ELEVENLABS_DEFAULT_VOICE_ID && config.tts.voice_id !== defaultVoiceId(agent.language ?? 'en')) spec.voice_id = field(config.tts.voice_id);
    for (const key of Object.keys(config.tts)) {
      if (key === 'model_id' && config.tts.model_id && ![TTS_MODEL_ENGLISH, TTS_MODEL_MULTILINGUAL].includes(config.tts.model_id)) {
        losses.push({ path: '', message: `TTS model "${config.tts.model_id}" is not kept; exports choose ${TTS_MODEL_ENGLISH} for English and ${TTS_MODEL_MULTILINGUAL} for other languages.` });
      } else if (key !== 'model_id' && key !== 'voice_id') losses.push({ path: '', message: `conversation_config.tts.${key} (voice settings) is not kept.` });
    }
  }
  const presets = Object.keys(config.language_presets ?? {});
  if (presets.length) {
    spec.additional_languages = field(presets.map((code) => toLanguageTag(code) ?? code));
    losses.push({ path: 'additional_languages', message: 'The greetings of the language presets are not kept; exports write Parley\'s default greeting for each extra language.' });
  }
  if (data.platform_settings) importPlatformSettings(data.platform_settings, spec, losses);
  if (data.workflow) losses.push({ path: '', message: 'The ElevenLabs workflow graph is not kept.' });
  losses.push({ path: 'goals', message: 'ElevenLabs files have no separate goals or tone; they are inside the prompt. Fill them in during the review.' });

  if (agent.language) spec.language = field(agent.language);
  if (prompt.llm) spec.llm = field(prompt.llm);
  if (typeof prompt.temperature === 'number') spec.temperature = field(prompt.temperature);
  if (prompt.timezone) spec.timezone = field(prompt.timezone);
  if (prompt.prompt) spec.system_prompt = field(prompt.prompt);
  if (agent.first_message) spec.first_message = field(agent.first_message);
  if (knowledge.length) spec.knowledge_base = knowledge.map(field);
  const parsed = AgentSpec.safeParse(spec);
  if (!parsed.success) {
    // Beyond Parley's limits (shared/limits): the caller says which limit.
    if (parsed.error.issues.some(isLimitIssue)) throw parsed.error;
    invalid(`This ElevenLabs agent cannot be read: ${describeIssues(parsed.error)}`);
  }
  return { kind: 'elevenlabs', title, stage: IMPORT_STAGE, spec: parsed.data, ...(prompt.llm ? { llm: prompt.llm } : {}), losses };
}

/** Measured before anything walks it recursively: nesting thousands deep would overflow the stack. */
function checkBounds(data: unknown, label: string): void {
  const beyond = jsonBoundsProblem(data, FILE_BOUNDS);
  if (beyond) invalid(`${label} is beyond what Parley can keep: ${beyond.path.length ? `${beyond.path.slice(0, 8).join('.')} ` : 'it '}${beyond.message}.`);
}

export function parseAgentFile(text: string, label: string): ElAgentFile {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    invalid(`${label} is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`);
  }
  checkBounds(data, label);
  const parsed = ElAgentFile.safeParse(data);
  if (!parsed.success) invalid(`${label} is not an ElevenLabs agent config: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function knowledgeSources(files: ExistingFiles, losses: Loss[]): KnowledgeSource[] {
  const text = files.get(KNOWLEDGE_BASE_FILE);
  if (text === undefined) return [];
  try {
    const data = JSON.parse(text) as { documents?: unknown };
    const list = Array.isArray(data.documents) ? data.documents : [];
    return list.flatMap((raw, i) => {
      const source = KnowledgeSource.safeParse(raw);
      if (!source.success) losses.push({ path: 'knowledge_base', message: `Document ${i + 1} of ${KNOWLEDGE_BASE_FILE} is not kept (${describeIssues(source.error)}).` });
      return source.success ? [source.data] : [];
    });
  } catch {
    losses.push({ path: 'knowledge_base', message: `${KNOWLEDGE_BASE_FILE} is not valid JSON; its documents are not imported.` });
    return [];
  }
}

/**
 * An agents-as-code project (a folder or .zip, or an agent file with tool configs beside it) →
 * spec. `agent` picks the agent config; by default the first in agents.json, or the only one.
 */
export function importElevenLabsProject(files: ExistingFiles, agent?: string): ElevenLabsImport {
  const losses: Loss[] = [];
  const agents = files.has('agents.json') ? (projectEntries(files, 'agents.json') ?? []) : [];
  const configs = [...files.keys()].filter((p) => p.startsWith('agent_configs/') && p.endsWith('.json'));
  const chosen = agent ? normalizeConfigPath(agent) : (agents[0]?.config ?? (configs.length === 1 ? configs[0] : undefined));
  if (!chosen) invalid(agents.length || configs.length ? 'The project has several agents; choose one agent config to import.' : 'The project has no agent: agents.json lists none.');
  const text = files.get(chosen);
  if (text === undefined) invalid(`The agent config ${chosen} is missing from the project.`);
  const others = agents.filter((a) => a.config !== chosen);
  if (others.length) losses.push({ path: '', message: `The project has ${others.length + 1} agents; only ${chosen} is imported.` });

  // Tool configs by the id tools.json gives them and by their name (how Parley lists unpushed tools).
  const byRef = new Map<string, ElWebhook | 'unknown'>();
  const tools = files.has('tools.json') ? (projectEntries(files, 'tools.json') ?? []) : [];
  const toolConfigs = tools.length ? tools.map((t) => ({ config: t.config, id: t.id })) : [...files.keys()].filter((p) => p.startsWith('tool_configs/') && p.endsWith('.json')).map((config) => ({ config, id: undefined }));
  for (const { config, id } of toolConfigs) {
    const raw = files.get(config);
    if (raw === undefined) continue;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      invalid(`${config} is not valid JSON.`);
    }
    checkBounds(data, config);
    const webhook = ElWebhook.safeParse(data);
    if (!webhook.success && isObject(data) && data.type === 'webhook') invalid(`${config} is a malformed webhook tool: ${describeIssues(webhook.error)}`);
    const entry = webhook.success ? webhook.data : 'unknown';
    const name = isObject(data) && typeof data.name === 'string' ? data.name : null;
    if (id) byRef.set(id, entry);
    if (name && !byRef.has(name)) byRef.set(name, entry);
  }
  let imported: ElevenLabsImport;
  try {
    imported = fromElevenLabs(parseAgentFile(text, chosen), (ref) => byRef.get(ref) ?? null, knowledgeSources(files, losses));
  } catch (error) {
    if (error instanceof z.ZodError) invalid(`This project is beyond what Parley can keep: ${describeIssues(new z.ZodError(error.issues.filter(isLimitIssue)))}.`);
    throw error;
  }
  return { ...imported, losses: [...losses, ...imported.losses] };
}
