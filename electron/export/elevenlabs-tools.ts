import type * as EL from '@elevenlabs/elevenlabs-js/serialization';
import type { HttpMethod, JsonSchemaDoc } from '../../shared/spec';
import type { Loss } from './types';
import type { NamedTool } from './naming';
import { composeToolDescription } from './prompt';
import { describeFromName, descriptionOf, isObject, objectParts, pathPlaceholders, schemaType, type JsonObject } from './schema';

/**
 * A standalone webhook tool (the `tool_config` of POST /v1/convai/tools, and the content of a
 * project's tool_configs/<name>.json), typed with the official SDK's wire ("Raw") types so a
 * shape mistake fails type-checking.
 */
export type ElevenLabsWebhookTool = EL.WebhookToolConfigOutput.Raw & { type: 'webhook' };
type Literal = EL.LiteralJsonSchemaProperty.Raw;
type ObjectProp = EL.ObjectJsonSchemaPropertyOutput.Raw;
type AnyProp = EL.ObjectJsonSchemaPropertyOutputPropertiesValue.Raw;
type Header = EL.WebhookToolApiSchemaConfigOutputRequestHeadersValue.Raw;

/** ElevenLabs' own default wait for a webhook (allowed 5–300 s). */
export const ELEVENLABS_TOOL_TIMEOUT_SECS = 20;

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

/** What a tool's auth needs on ElevenLabs: a header filled from a workspace environment variable. */
export interface ToolCredential {
  tool: string;
  /** Spec path of the auth field. */
  path: string;
  header: string;
  /** The environment variable's label, e.g. "ORDERS_API_TOKEN". */
  label: string;
  /** What the variable must hold: the whole header value. */
  holds: string;
  /** An example of the value's shape, with the secret part as a placeholder. */
  example: string;
}

/** An environment-variable label: letters, digits and underscores (a label the user gave keeps its case). */
export function envVarLabel(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}

export function toolCredential(named: NamedTool): ToolCredential | null {
  const auth = named.tool.auth?.value;
  if (!auth || auth.type === 'none') return null;
  const suffix = auth.type === 'api_key' ? 'API_KEY' : auth.type === 'basic' ? 'BASIC_AUTH' : 'TOKEN';
  const label = envVarLabel(auth.secret_name?.trim() ?? '') || envVarLabel(`${named.name}_${suffix}`).toUpperCase();
  const header = auth.header?.trim() || (auth.type === 'api_key' ? 'X-API-Key' : 'Authorization');
  // A locator supplies the whole header value, so any scheme prefix is part of the stored value.
  const [holds, example] =
    auth.type === 'api_key'
      ? ['the API key', '<your API key>']
      : auth.type === 'basic'
        ? ['"Basic " followed by base64 of user:password', 'Basic <base64 of user:password>']
        : ['"Bearer " followed by the access token', 'Bearer <your access token>'];
  return { tool: named.name, path: `tools[${named.index}].auth`, header, label, holds, example };
}

function authHeaders(named: NamedTool, losses: Loss[]): Record<string, Header> | undefined {
  const credential = toolCredential(named);
  if (!credential) return undefined;
  losses.push({
    path: credential.path,
    message: `Create a secret environment variable labelled "${credential.label}" in ElevenLabs holding ${credential.holds}: ${named.name}'s ${credential.header} header is {"env_var_label": "${credential.label}"} and takes its whole value from it.`,
  });
  if (named.tool.auth?.value.type === 'oauth2') {
    losses.push({
      path: credential.path,
      message: `OAuth2 is not refreshed by ElevenLabs webhooks: ${named.name}'s ${credential.header} header carries the fixed token stored in ${credential.label}, which stops working when it expires. Use a long-lived token, or set up an OAuth2 auth connection in ElevenLabs.`,
    });
  }
  return { [credential.header]: { env_var_label: credential.label } };
}

export function webhookTool(named: NamedTool, losses: Loss[]): ElevenLabsWebhookTool {
  const converter = new PropertyConverter(losses);
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
  const api: ElevenLabsWebhookTool['api_schema'] = { url, method };
  if (placeholders.length) api.path_params_schema = pathParams;
  // Where each input goes: as the tool workbench imported it, else query for GET/DELETE and body otherwise.
  const locations = tool.workbench?.locations ?? {};
  const fallback = method === 'GET' || method === 'DELETE' ? 'query' : 'body';
  const placed = (where: string) => rest.filter(([key]) => (locations[key] ?? fallback) === where);
  const requiredOf = (entries: Array<[string, unknown]>) => required.filter((key) => entries.some(([k]) => k === key));
  for (const [key] of placed('header')) {
    losses.push({ path: `${base}.input_schema.properties.${key}`, message: `"${key}" is a request header filled by the model; ElevenLabs webhook headers are fixed values or secrets, so it is not sent.` });
  }
  const queryParams = placed('query');
  if (queryParams.length) {
    const query: EL.QueryParamsJsonSchemaOutput.Raw = { properties: {} };
    for (const [key, schema] of queryParams) query.properties[key] = converter.literal(schema, key, `${base}.input_schema.properties.${key}`);
    const queryRequired = requiredOf(queryParams);
    if (queryRequired.length) query.required = queryRequired;
    api.query_params_schema = query;
  }
  const bodyParams = placed('body');
  if (bodyParams.length) {
    const body: ObjectProp = {
      type: 'object',
      description: descriptionOf(input ?? {}) ?? `The JSON body of the ${name} request.`,
      properties: {},
    };
    for (const [key, schema] of bodyParams) body.properties![key] = converter.property(schema, key, `${base}.input_schema.properties.${key}`);
    const bodyRequired = requiredOf(bodyParams);
    if (bodyRequired.length) body.required = bodyRequired;
    api.request_body_schema = body;
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

