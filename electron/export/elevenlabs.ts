import type * as EL from '@elevenlabs/elevenlabs-js/serialization';
import type { AuthSpec, HttpMethod, JsonSchemaDoc } from '../../shared/spec';
import type { Session } from '../../shared/session';
import type { BuiltExport, ExportOptions, Loss } from './types';
import { elevenLabsLlm } from './llm-map';
import { languageCode } from './language';
import { namedTools, type NamedTool } from './naming';
import { composeToolDescription, resolvePrompt, withToolUseSection } from './prompt';
import { describeFromName, descriptionOf, isObject, objectParts, pathPlaceholders, schemaType, type JsonObject } from './schema';

/**
 * ElevenLabs' create-agent request body (POST /v1/convai/agents/create), typed with the
 * official SDK's own wire ("Raw") types so a shape mistake fails type-checking; tests also
 * parse every file with the SDK's runtime schema.
 */
export type ElevenLabsAgentBody = EL.conversationalAi.agents.BodyCreateAgentV1ConvaiAgentsCreatePost.Raw;
export type ElevenLabsWebhookTool = EL.WebhookToolConfigOutput.Raw & { type: 'webhook' };
type Literal = EL.LiteralJsonSchemaProperty.Raw;
type ObjectProp = EL.ObjectJsonSchemaPropertyOutput.Raw;
type AnyProp = EL.ObjectJsonSchemaPropertyOutputPropertiesValue.Raw;
type Header = EL.WebhookToolApiSchemaConfigOutputRequestHeadersValue.Raw;

/** ElevenLabs' own default wait for a webhook (allowed 5–300 s). */
export const ELEVENLABS_TOOL_TIMEOUT_SECS = 20;
/** ElevenLabs' agent default: deterministic answers suit tool-calling voice agents. */
export const ELEVENLABS_DEFAULT_TEMPERATURE = 0;
export const PARLEY_TAG = 'parley';

/** Keywords the ElevenLabs property schema has room for; anything else is reported as lost. */
const KEPT = new Set(['type', 'description', 'enum', 'properties', 'required', 'items']);
/** Annotations with no effect on what the model sends; dropped silently. */
const IGNORED = new Set(['title', '$schema', '$id', 'additionalProperties', '$comment']);

class PropertyConverter {
  constructor(private readonly losses: Loss[]) {}

  private describe(schema: JsonObject, name: string, path: string): string {
    const given = descriptionOf(schema);
    if (given) return given;
    const made = describeFromName(name);
    this.losses.push({ path, message: `Parameter "${name}" has no description; ElevenLabs requires one, so "${made}" was written.` });
    return made;
  }

  private reportDropped(schema: JsonObject, name: string, path: string): void {
    const dropped = Object.keys(schema).filter((k) => !KEPT.has(k) && !IGNORED.has(k));
    if (dropped.length) {
      this.losses.push({ path, message: `ElevenLabs cannot express ${dropped.join(', ')} on "${name}"; the model is not held to ${dropped.length > 1 ? 'them' : 'it'}.` });
    }
  }

  /** A scalar parameter (path and query parameters can only be scalars on ElevenLabs). */
  literal(schema: JsonObject, name: string, path: string): Literal {
    const { type, exact } = schemaType(schema);
    const description = this.describe(schema, name, path);
    this.reportDropped(schema, name, path);
    if (type === 'object' || type === 'array') {
      this.losses.push({ path, message: `"${name}" is ${type === 'object' ? 'an object' : 'an array'}, but this kind of parameter can only be a scalar on ElevenLabs; it is sent as a JSON-encoded string.` });
      return { type: 'string', description: `${description} (JSON-encoded ${type})` };
    }
    if (!exact && schema.type !== undefined) {
      this.losses.push({ path, message: `"${name}" has type ${JSON.stringify(schema.type)}; ElevenLabs takes one type, so it is "${type}".` });
    }
    const out: Literal = { type, description };
    const values = Array.isArray(schema.enum) ? schema.enum : undefined;
    if (values?.length) {
      if (values.every((v): v is string => typeof v === 'string')) out.enum = values;
      else this.losses.push({ path, message: `ElevenLabs enums hold only strings; the allowed values of "${name}" are not enforced.` });
    }
    return out;
  }

  property(schema: JsonObject, name: string, path: string): AnyProp {
    const { type } = schemaType(schema);
    if (type === 'object') return this.object(schema, name, path);
    if (type === 'array') {
      const description = this.describe(schema, name, path);
      this.reportDropped(schema, name, path);
      const items = isObject(schema.items) ? schema.items : {};
      if (!isObject(schema.items)) {
        this.losses.push({ path, message: `Array "${name}" does not say what its items are; they are exported as strings.` });
      }
      const itemSchema = descriptionOf(items) ? items : { ...items, description: `One item of ${name.replace(/_/g, ' ')}.` };
      return { type: 'array', description, items: this.property(itemSchema, `${name} item`, `${path}.items`) };
    }
    return this.literal(schema, name, path);
  }

  object(schema: JsonObject, name: string, path: string): ObjectProp {
    const description = this.describe(schema, name, path);
    this.reportDropped(schema, name, path);
    const { properties, required } = objectParts(schema);
    const out: ObjectProp = { type: 'object', description, properties: {} };
    for (const [key, prop] of Object.entries(properties)) {
      out.properties![key] = this.property(prop, key, `${path}.properties.${key}`);
    }
    if (required.length) out.required = required;
    return out;
  }
}

function secretNameFor(toolName: string, auth: AuthSpec): string {
  const given = auth.secret_name?.trim();
  return given || `${toolName}_${auth.type === 'api_key' ? 'api_key' : auth.type === 'basic' ? 'basic_auth' : 'token'}`;
}

function authHeaders(named: NamedTool, losses: Loss[]): Record<string, Header> | undefined {
  const auth = named.tool.auth?.value;
  if (!auth || auth.type === 'none') return undefined;
  const path = `tools[${named.index}].auth`;
  const secret = secretNameFor(named.name, auth);
  const header = auth.header?.trim() || (auth.type === 'api_key' ? 'X-API-Key' : 'Authorization');
  const holds =
    auth.type === 'api_key'
      ? 'the API key'
      : auth.type === 'basic'
        ? '"Basic " followed by base64 of user:password'
        : '"Bearer " followed by the access token';
  losses.push({
    path,
    message: `Create a secret named "${secret}" in ElevenLabs (workspace secrets) holding ${holds}, then put its id in ${named.name}'s ${header} header, which now says {secret_id: "${secret}"}.`,
  });
  if (auth.type === 'oauth2') {
    losses.push({ path, message: `OAuth2 token refresh for ${named.name} is not exported; the header carries a fixed token (or set up an OAuth2 auth connection in ElevenLabs).` });
  }
  return { [header]: { secret_id: secret } };
}

function webhookTool(named: NamedTool, converter: PropertyConverter, losses: Loss[]): ElevenLabsWebhookTool {
  const { tool, index, name } = named;
  const base = `tools[${index}]`;
  const url = tool.endpoint?.value.trim() ?? '';
  const method: HttpMethod = tool.method?.value ?? 'GET';
  if (!tool.method) losses.push({ path: `${base}.method`, message: `${name} has no HTTP method; it is exported as GET.` });

  const input: JsonSchemaDoc | undefined = tool.input_schema?.value;
  if (input && input.type !== undefined && input.type !== 'object') {
    losses.push({ path: `${base}.input_schema`, message: `${name}'s input schema is not an object; its parameters are not exported.` });
  }
  const { properties, required } = objectParts(input && (input.type === undefined || input.type === 'object') ? input : undefined);
  const placeholders = pathPlaceholders(url);

  const pathParams: Record<string, Literal> = {};
  for (const param of placeholders) {
    const propPath = `${base}.input_schema.properties.${param}`;
    const schema = properties[param];
    if (!schema) {
      losses.push({ path: `${base}.endpoint`, message: `The URL of ${name} has {${param}} but the input schema does not define it; it is exported as a string parameter.` });
    }
    pathParams[param] = converter.literal(schema ?? {}, param, propPath);
  }

  const rest = Object.entries(properties).filter(([key]) => !placeholders.includes(key));
  const restRequired = required.filter((key) => !placeholders.includes(key));
  const api: ElevenLabsWebhookTool['api_schema'] = { url, method };
  if (placeholders.length) api.path_params_schema = pathParams;
  if (rest.length) {
    if (method === 'GET' || method === 'DELETE') {
      const query: EL.QueryParamsJsonSchemaOutput.Raw = { properties: {} };
      for (const [key, schema] of rest) query.properties[key] = converter.literal(schema, key, `${base}.input_schema.properties.${key}`);
      if (restRequired.length) query.required = restRequired;
      api.query_params_schema = query;
    } else {
      const body: ObjectProp = {
        type: 'object',
        description: descriptionOf(input ?? {}) ?? `The JSON body of the ${name} request.`,
        properties: {},
      };
      for (const [key, schema] of rest) body.properties![key] = converter.property(schema, key, `${base}.input_schema.properties.${key}`);
      if (restRequired.length) body.required = restRequired;
      api.request_body_schema = body;
    }
  }
  const output = tool.output_schema?.value;
  if (output && isObject(output.properties)) {
    api.response_body_schema = converter.object(
      { ...output, description: descriptionOf(output) ?? `What ${name} returns.` },
      'response',
      `${base}.output_schema`,
    );
  }
  const headers = authHeaders(named, losses);
  if (headers) api.request_headers = headers;

  return {
    type: 'webhook',
    name,
    description: composeToolDescription(
      { purpose: tool.purpose?.value, trigger: tool.trigger?.value, error_handling: tool.error_handling?.value },
      `Calls ${method} ${url}.`,
    ),
    response_timeout_secs: ELEVENLABS_TOOL_TIMEOUT_SECS,
    api_schema: api,
  };
}

/** The agent's display name: the session title, else its type. */
export function agentName(session: Pick<Session, 'title' | 'spec'>): string {
  return session.title.trim() || session.spec.agent_type?.value.trim() || 'Voice agent';
}

export function buildElevenLabsAgent(session: Pick<Session, 'title' | 'spec'>, options: ExportOptions = {}): BuiltExport & { document: ElevenLabsAgentBody } {
  const losses: Loss[] = [];
  const { spec } = session;
  const converter = new PropertyConverter(losses);
  const tools = namedTools(spec, losses);
  const webhooks = tools.map((t) => webhookTool(t, converter, losses));
  const resolved = resolvePrompt(session);
  const llm = elevenLabsLlm(spec.llm?.value ?? options.model);
  if (llm.loss) losses.push({ path: '', message: llm.loss });
  const language = languageCode(spec.language?.value);
  if (language.loss) losses.push({ path: 'language', message: language.loss });

  const prompt: EL.PromptAgentApiModelOutput.Raw = {
    prompt: withToolUseSection(resolved.systemPrompt, tools),
    llm: llm.llm as EL.Llm.Raw,
    temperature: options.temperature ?? ELEVENLABS_DEFAULT_TEMPERATURE,
  };
  if (webhooks.length) prompt.tools = webhooks;

  const document: ElevenLabsAgentBody = {
    name: agentName(session),
    conversation_config: {
      agent: {
        first_message: resolved.firstMessage,
        language: language.code,
        prompt,
      },
    },
    tags: [PARLEY_TAG],
  };
  losses.push({ path: '', message: 'No voice is chosen in Parley; ElevenLabs uses its default voice until you pick one (conversation_config.tts.voice_id).' });
  return { document, losses };
}
