import { z } from 'zod';
import { describeIssues, ParleyError } from '../../shared/errors';
import type { Message } from '../../shared/session';
import { decodeSessionDocument } from '../store/migrations';
import { AgentSpec, HttpMethod, type AuthSpec, type JsonSchemaDoc, type ToolSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import { MAX_FILE_BYTES, MAX_FILE_MB } from '../../shared/limits';
import type { Loss } from './types';
import { IMPORT_SOURCE, mentions, parseToolDescription } from './prompt';
import { findSecretKind } from './secrets';
import { isObject, type JsonObject } from './schema';
import { FILE_BOUNDS, isLimitIssue, jsonBoundsProblem } from '../../shared/limits';
import { Session as SessionSchema } from '../../shared/session';

export const IMPORT_STAGE = 'REVIEWING_WORKFLOW' satisfies Stage;

export interface ImportResult {
  kind: 'elevenlabs' | 'parley';
  /** Title for the new session (the agent's name). */
  title: string;
  /** Imported agents resume at the workflow review so the user can rework them. */
  stage: typeof IMPORT_STAGE;
  /** Every field sourced "import". */
  spec: AgentSpec;
  /** The target LLM id the file named (ElevenLabs `llm`), to pass back as ExportOptions.model. */
  llm?: string;
  temperature?: number;
  /** The original chat (Parley files only), so the history stays readable. */
  messages: Message[];
  /** What the file held that Parley does not keep. */
  losses: Loss[];
}

function invalid(message: string): never {
  throw new ParleyError('INVALID_INPUT', message);
}

// The part of ElevenLabs' create-agent body Parley reads; other keys are reported, not rejected.
const ElProperty: z.ZodType<JsonObject> = z.record(z.string(), z.unknown());
const ElWebhook = z.object({
  type: z.literal('webhook'),
  name: z.string().min(1),
  description: z.string().default(''),
  response_timeout_secs: z.number().optional(),
  api_schema: z.object({
    url: z.string().min(1),
    method: HttpMethod.optional(),
    path_params_schema: z.record(z.string(), ElProperty).nullish(),
    query_params_schema: z.object({ properties: z.record(z.string(), ElProperty), required: z.array(z.string()).nullish() }).nullish(),
    request_body_schema: ElProperty.nullish(),
    response_body_schema: ElProperty.nullish(),
    request_headers: z.record(z.string(), z.unknown()).nullish(),
  }),
});
const ElAgentFile = z.object({
  name: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  conversation_config: z.object({
    agent: z
      .object({
        first_message: z.string().nullish(),
        language: z.string().nullish(),
        prompt: z
          .object({
            prompt: z.string().nullish(),
            llm: z.string().nullish(),
            temperature: z.number().nullish(),
            tools: z.array(z.record(z.string(), z.unknown())).nullish(),
            tool_ids: z.array(z.string()).nullish(),
          })
          .nullish(),
      })
      .nullish(),
  }).loose(),
  platform_settings: z.unknown().optional(),
  workflow: z.unknown().optional(),
});

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
    if (isObject(value) && typeof value.secret_id === 'string' && !auth) {
      const bearer = header.toLowerCase() === 'authorization';
      auth = { type: bearer ? 'bearer' : 'api_key', header, secret_name: value.secret_id };
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
function splitDescription(description: string, prompt: string): { purpose: string; trigger?: string; error_handling?: string } {
  const parts = parseToolDescription(description);
  const stated = (!parts.trigger || mentions(prompt, parts.trigger)) && (!parts.error_handling || mentions(prompt, parts.error_handling));
  return stated ? parts : { purpose: description.trim() };
}

function importWebhook(raw: z.infer<typeof ElWebhook>, index: number, prompt: string, losses: Loss[]): ToolSpec {
  const path = `tools[${index}]`;
  const api = raw.api_schema;
  const { purpose, trigger, error_handling } = splitDescription(raw.description, prompt);
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
  if (raw.response_timeout_secs !== undefined && raw.response_timeout_secs !== 20) {
    losses.push({ path, message: `The ${raw.response_timeout_secs}s response timeout of ${raw.name} is not kept (exports use 20s).` });
  }
  return tool;
}

function fromElevenLabs(data: z.infer<typeof ElAgentFile>): ImportResult {
  const losses: Loss[] = [];
  const agent = data.conversation_config.agent ?? {};
  const prompt = agent.prompt ?? {};
  const title = data.name?.trim() || 'Imported agent';
  const tools: ToolSpec[] = [];
  (prompt.tools ?? []).forEach((raw, i) => {
    const webhook = ElWebhook.safeParse(raw);
    if (webhook.success) tools.push(importWebhook(webhook.data, tools.length, prompt.prompt ?? '', losses));
    else if (raw.type === 'webhook') invalid(`Tool ${i + 1} of the ElevenLabs file is malformed: ${describeIssues(webhook.error)}`);
    else losses.push({ path: 'tools', message: `The ${String(raw.type ?? 'unknown')} tool "${String(raw.name ?? i + 1)}" is not a webhook; Parley keeps only webhook tools.` });
  });
  if (prompt.tool_ids?.length) losses.push({ path: 'tools', message: 'Tools referenced by id (tool_ids) live in the ElevenLabs workspace and are not imported.' });
  for (const key of Object.keys(data.conversation_config)) {
    if (key !== 'agent') losses.push({ path: '', message: `conversation_config.${key} (voice, turn taking and similar settings) is not kept.` });
  }
  if (data.platform_settings) losses.push({ path: '', message: 'platform_settings are not kept.' });
  if (data.workflow) losses.push({ path: '', message: 'The ElevenLabs workflow graph is not kept.' });
  losses.push({ path: 'goals', message: 'ElevenLabs files have no separate goals or tone; they are inside the prompt. Fill them in during the review.' });

  const spec: AgentSpec = {
    agent_type: field(title),
    use_tools: field(tools.length > 0),
    tools,
    tools_done: field(true),
    candidates: {},
  };
  if (agent.language) spec.language = field(agent.language);
  if (prompt.llm) spec.llm = field(prompt.llm);
  if (prompt.prompt) spec.system_prompt = field(prompt.prompt);
  if (agent.first_message) spec.first_message = field(agent.first_message);
  return {
    kind: 'elevenlabs',
    title,
    stage: IMPORT_STAGE,
    spec: AgentSpec.parse(spec),
    ...(prompt.llm ? { llm: prompt.llm } : {}),
    ...(typeof prompt.temperature === 'number' ? { temperature: prompt.temperature } : {}),
    messages: [],
    losses,
  };
}

/** Re-sources every field of a spec as "import", keeping values, confidence and locks. */
function resource(spec: AgentSpec): AgentSpec {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isObject(value)) return value;
    if ('value' in value && 'confidence' in value && 'source' in value) return { ...value, source: IMPORT_SOURCE };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'candidates' ? v : walk(v)]));
  };
  return AgentSpec.parse(walk(spec));
}

function fromParley(data: unknown): ImportResult {
  // Files from older Parleys are upgraded exactly as the session store upgrades its own.
  const decoded = decodeSessionDocument(data);
  if (decoded.kind === 'future') invalid(`This Parley session file was written by a newer Parley (format ${decoded.version}); update Parley to import it.`);
  if (decoded.kind === 'invalid') invalid(`This Parley session file is damaged: ${decoded.reason}`);
  const { session } = decoded;
  return {
    kind: 'parley',
    title: session.title,
    stage: IMPORT_STAGE,
    spec: resource(session.spec),
    messages: session.messages,
    losses: [],
  };
}

/** Refuses, naming the limit, what Parley could not keep (shared/limits); anything else goes on to the usual checks. */
function refuseBeyondLimits(checked: { success: boolean; error?: z.ZodError }): void {
  const issues = checked.error?.issues.filter(isLimitIssue) ?? [];
  if (issues.length) invalid(`This file is beyond what Parley can keep: ${describeIssues(new z.ZodError(issues))}.`);
}

/** Parses an import file's text (ElevenLabs create-agent JSON or a Parley session file). */
export function importAgentText(text: string): ImportResult {
  if (text.length > MAX_FILE_BYTES) invalid(`The file is larger than ${MAX_FILE_MB} MB; it is not an agent file.`);
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) invalid('The file is empty; choose an ElevenLabs agent JSON file or a Parley session file.');
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    invalid(`The file is not valid JSON (${error instanceof Error ? error.message : 'parse error'}); it may be truncated. Choose an ElevenLabs agent JSON file or a Parley session file.`);
  }
  if (!isObject(data)) invalid('The file holds JSON but not an object; expected an ElevenLabs agent or a Parley session.');
  // Measured before anything walks it recursively: nesting thousands deep would overflow the stack.
  const beyond = jsonBoundsProblem(data, FILE_BOUNDS);
  if (beyond) invalid(`This file is beyond what Parley can keep: ${beyond.path.length ? `${beyond.path.slice(0, 8).join('.')}${beyond.path.length > 8 ? '.…' : ''} ` : 'it '}${beyond.message}.`);
  if ('schemaVersion' in data && 'spec' in data) {
    refuseBeyondLimits(SessionSchema.safeParse(data));
    return fromParley(data);
  }
  if ('conversation_config' in data) {
    const parsed = ElAgentFile.safeParse(data);
    if (!parsed.success) invalid(`This ElevenLabs agent file has an unexpected shape: ${describeIssues(parsed.error)}`);
    let result: ImportResult;
    try {
      result = fromElevenLabs(parsed.data);
    } catch (error) {
      if (error instanceof z.ZodError) refuseBeyondLimits({ success: false, error });
      throw error;
    }
    refuseBeyondLimits(SessionSchema.shape.spec.safeParse(result.spec));
    return result;
  }
  return invalid('This JSON is neither an ElevenLabs agent (no conversation_config) nor a Parley session file (no schemaVersion and spec).');
}
