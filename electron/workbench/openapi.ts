import SwaggerParser from '@apidevtools/swagger-parser';
import { load as loadYaml } from 'js-yaml';
import { ParleyError } from '../../shared/errors';
import { HTTP_METHODS, type AuthSpec, type HttpMethod, type ParamLocation } from '../../shared/spec';
import { cleanSchema, isObject, secretNameFor, type JsonObject, type OperationDef, type ParamDef, type ParsedDescription } from './operations';

/**
 * OpenAPI 3.0/3.1 and Swagger 2 documents, dereferenced by @apidevtools/swagger-parser. Only
 * internal $refs are followed: a description read from a file or pasted never makes Parley
 * open other files or fetch addresses it names.
 */

/** JSON or YAML text as a document; null when it is neither an object in JSON nor in YAML. */
export function parseStructured(text: string): JsonObject | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      return isObject(value) ? value : null;
    } catch {
      return null;
    }
  }
  try {
    const value = loadYaml(trimmed, { json: true });
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function isOpenApi(doc: JsonObject): 'openapi' | 'swagger' | null {
  if (typeof doc.openapi === 'string' && /^3\./.test(doc.openapi)) return 'openapi';
  if (doc.swagger === '2.0' || doc.swagger === 2) return 'swagger';
  return null;
}

async function dereference(doc: JsonObject): Promise<JsonObject> {
  try {
    const api = await SwaggerParser.dereference(structuredClone(doc) as never, {
      resolve: { external: false },
      dereference: { circular: true },
    } as never);
    return api as unknown as JsonObject;
  } catch (error) {
    throw new ParleyError('INVALID_INPUT', `The API description could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

function authFrom(scheme: JsonObject | undefined, name: string, title: string, warnings: string[]): AuthSpec | null {
  if (!scheme) return null;
  const type = scheme.type;
  if (type === 'http' && typeof scheme.scheme === 'string' && scheme.scheme.toLowerCase() === 'basic') {
    return { type: 'basic', header: 'Authorization', secret_name: secretNameFor(title, 'basic') };
  }
  if (type === 'basic') return { type: 'basic', header: 'Authorization', secret_name: secretNameFor(title, 'basic') };
  if (type === 'http') return { type: 'bearer', header: 'Authorization', secret_name: secretNameFor(title, 'bearer') };
  if (type === 'oauth2' || type === 'openIdConnect') return { type: 'oauth2', header: 'Authorization', secret_name: secretNameFor(title, 'oauth2') };
  if (type === 'apiKey') {
    const header = text(scheme.name) || 'X-API-Key';
    if (scheme.in !== 'header') {
      warnings.push(`The API key "${name}" goes in the ${String(scheme.in)}; Parley sends keys as a header only, so it is written as the ${header} header: check the tool's auth.`);
    }
    return { type: 'api_key', header, secret_name: secretNameFor(title, 'api_key') };
  }
  warnings.push(`The security scheme "${name}" (${String(type)}) is not understood; the tool has no auth.`);
  return null;
}

function securityOf(doc: JsonObject, op: JsonObject, schemes: JsonObject, title: string, warnings: string[]): AuthSpec | null {
  const requirements = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : [];
  // The first requirement that names a scheme; an empty one ({}) means "no auth" is accepted too.
  for (const requirement of requirements) {
    if (!isObject(requirement)) continue;
    const names = Object.keys(requirement);
    if (names.length === 0) continue;
    if (names.length > 1) warnings.push(`Several security schemes are needed together (${names.join(', ')}); only "${names[0]}" is kept.`);
    const scheme = schemes[names[0]!];
    return authFrom(isObject(scheme) ? scheme : undefined, names[0]!, title, warnings);
  }
  return null;
}

function jsonContent(content: unknown): JsonObject | null {
  if (!isObject(content)) return null;
  const key = Object.keys(content).find((k) => /json/i.test(k)) ?? (content['*/*'] ? '*/*' : undefined);
  const media = key ? content[key] : undefined;
  return isObject(media) && isObject(media.schema) ? media.schema : null;
}

function successKey(responses: JsonObject): string | undefined {
  return Object.keys(responses)
    .filter((k) => /^2(\d\d|XX)$/i.test(k))
    .sort()[0];
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function serverUrl(doc: JsonObject, op: JsonObject, pathItem: JsonObject, warnings: string[]): string {
  const servers = [op.servers, pathItem.servers, doc.servers].find((s) => Array.isArray(s) && s.length > 0) as unknown[] | undefined;
  const server = servers?.[0];
  if (!isObject(server) || typeof server.url !== 'string') {
    warnings.push('The description names no server; the endpoint is a path only: add the address before test-firing.');
    return '';
  }
  // Server variables take their defaults ("https://{region}.api.example.com" → the default region).
  const variables = isObject(server.variables) ? server.variables : {};
  return server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const v = variables[name];
    return isObject(v) && v.default !== undefined ? String(v.default) : whole;
  });
}

function swaggerBase(doc: JsonObject, warnings: string[]): string {
  const schemes = Array.isArray(doc.schemes) ? doc.schemes : [];
  const scheme = schemes.includes('https') ? 'https' : (schemes[0] as string | undefined) ?? 'https';
  if (typeof doc.host !== 'string') {
    warnings.push('The description names no host; the endpoint is a path only: add the address before test-firing.');
    return typeof doc.basePath === 'string' ? doc.basePath : '';
  }
  return `${scheme}://${doc.host}${typeof doc.basePath === 'string' ? doc.basePath : ''}`;
}

function paramSchema(param: JsonObject, swagger: boolean): JsonObject {
  const schema = swagger ? cleanSchema(Object.fromEntries(Object.entries(param).filter(([k]) => !['name', 'in', 'required', 'description', 'collectionFormat', 'allowEmptyValue'].includes(k)))) : cleanSchema(param.schema);
  const description = text(param.description) || text(schema.description);
  return description ? { ...schema, description } : schema;
}

function bodyParams(schema: JsonObject | null, required: boolean, op: OperationDef): ParamDef[] {
  if (!schema) return [];
  const clean = cleanSchema(schema);
  if (clean.type !== undefined && clean.type !== 'object') {
    op.warnings.push(`The request body is ${String(clean.type)}, not a JSON object; a tool's body is an object of named inputs, so it is left out.`);
    return [];
  }
  const props = isObject(clean.properties) ? clean.properties : {};
  const req = Array.isArray(clean.required) ? clean.required : [];
  return Object.entries(props).map(([name, s]) => ({ name, in: 'body' as const, required: required && req.includes(name), schema: isObject(s) ? s : {} }));
}

/** The operations of an OpenAPI 3.x or Swagger 2 document. */
export async function parseOpenApi(raw: JsonObject): Promise<ParsedDescription> {
  const kind = isOpenApi(raw);
  if (!kind) throw new ParleyError('INVALID_INPUT', 'This is not an OpenAPI 3 or Swagger 2 document (no "openapi: 3.x" or "swagger: 2.0").');
  const doc = await dereference(raw);
  const swagger = kind === 'swagger';
  const info = isObject(doc.info) ? doc.info : {};
  const title = text(info.title) || 'API';
  const warnings: string[] = [];
  const components = isObject(doc.components) ? doc.components : {};
  const schemes = (swagger ? doc.securityDefinitions : components.securitySchemes) ?? {};
  const paths = isObject(doc.paths) ? doc.paths : {};
  const operations: OperationDef[] = [];
  const base = swagger ? swaggerBase(doc, warnings) : '';
  for (const [path, rawItem] of Object.entries(paths)) {
    if (!isObject(rawItem)) continue;
    const pathItem = rawItem;
    for (const lower of ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace']) {
      const op = pathItem[lower];
      if (!isObject(op)) continue;
      const method = lower.toUpperCase() as HttpMethod;
      const opWarnings: string[] = [];
      const id = text(op.operationId) || `${method} ${path}`;
      if (!(HTTP_METHODS as readonly string[]).includes(method)) {
        warnings.push(`${id}: ${method} is not a method a voice agent's tool can use; left out.`);
        continue;
      }
      const url = joinUrl(swagger ? base : serverUrl(doc, op, pathItem, opWarnings), path);
      const def: OperationDef = {
        id,
        method,
        url,
        summary: text(op.summary),
        description: text(op.description),
        params: [],
        auth: securityOf(doc, op, isObject(schemes) ? schemes : {}, title, opWarnings),
        output: null,
        warnings: opWarnings,
      };
      // Path-level parameters, overridden by the operation's own of the same name and place.
      const params = new Map<string, JsonObject>();
      for (const p of [...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        if (isObject(p) && typeof p.name === 'string') params.set(`${String(p.in)}:${p.name}`, p);
      }
      for (const p of params.values()) {
        const where = p.in as string;
        if (swagger && where === 'body') {
          def.params.push(...bodyParams(isObject(p.schema) ? p.schema : null, p.required === true, def));
        } else if (where === 'path' || where === 'query' || where === 'header') {
          def.params.push({ name: p.name as string, in: where as ParamLocation, required: where === 'path' || p.required === true, schema: paramSchema(p, swagger) });
        } else {
          opWarnings.push(`The ${where} parameter "${String(p.name)}" cannot be sent by a tool; left out.`);
        }
      }
      if (!swagger && isObject(op.requestBody)) {
        const schema = jsonContent(op.requestBody.content);
        if (!schema) opWarnings.push('The request body is not JSON; left out.');
        def.params.push(...bodyParams(schema, op.requestBody.required === true, def));
      }
      const responses = isObject(op.responses) ? op.responses : {};
      const ok = successKey(responses);
      const response = ok ? responses[ok] : undefined;
      if (isObject(response)) {
        const schema = swagger ? (isObject(response.schema) ? response.schema : null) : jsonContent(response.content);
        if (schema) def.output = cleanSchema(schema);
        // A success with no body (204) says all there is to say about the output.
        else if (swagger ? response.schema === undefined : response.content === undefined) def.output = { type: 'object', description: 'The API answers with no body.', properties: {} };
        else opWarnings.push('The success response is not JSON; its output schema is left for you to give.');
      }
      operations.push(def);
    }
  }
  return { kind, title, operations, warnings };
}
