import type { AuthSpec, HttpMethod, JsonSchemaDoc, ParamLocation, ToolSpec } from '../../shared/spec';
import type { ImportKind, ImportedOperation } from '../../shared/workbench';

/**
 * What every importer (OpenAPI, Swagger 2, curl, Postman) reduces an operation to, and how such an
 * operation becomes a tool: the nine details the interview would otherwise ask one by one, plus
 * where each input goes in the request.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ParamDef {
  name: string;
  in: ParamLocation;
  required: boolean;
  schema: JsonObject;
}

export interface OperationDef {
  id: string;
  method: HttpMethod;
  /** Absolute, with {name} placeholders for path parameters. */
  url: string;
  summary: string;
  description: string;
  params: ParamDef[];
  auth: AuthSpec | null;
  /** The 2xx JSON response's schema. */
  output: JsonObject | null;
  warnings: string[];
}

export interface ParsedDescription {
  kind: ImportKind;
  title: string;
  operations: OperationDef[];
  warnings: string[];
}

/** "getOrderById" / "GET /orders/{id}" / "Create order" → "get_order_by_id", "get_orders_id", "create_order" (≤ 64). */
export function snakeName(raw: string): string {
  const name = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64)
    .replace(/_+$/, '');
  return /^[a-z]/.test(name) ? name : `op_${name}`.slice(0, 64);
}

/** The secret's name for an API: "Orders API" + bearer → "ORDERS_API_TOKEN". */
export function secretNameFor(title: string, type: AuthSpec['type']): string {
  const base = snakeName(title || 'api').toUpperCase().slice(0, 40);
  const suffix = type === 'api_key' ? 'API_KEY' : type === 'basic' ? 'BASIC_AUTH' : 'TOKEN';
  return base.endsWith(suffix) ? base : `${base}_${suffix}`;
}

/** Keywords of an OpenAPI schema object that are no JSON Schema, or that no target reads. */
const DROPPED = new Set(['xml', 'externalDocs', 'discriminator', 'nullable', 'example']);

/**
 * A dereferenced OpenAPI schema as plain JSON Schema: no cycles (a recursive reference becomes an
 * open object), `nullable` as a "null" type, `example` as `examples`, no x- extensions.
 */
export function cleanSchema(schema: unknown, seen: Set<unknown> = new Set(), depth = 0): JsonObject {
  if (!isObject(schema)) return {};
  if (seen.has(schema) || depth > 12) return { type: 'object', description: 'A nested value (recursive; not expanded).' };
  // Only references inside the document are followed; one to a file or an address is left out, unread.
  if (typeof schema.$ref === 'string') return { description: `Not expanded: ${schema.$ref} is outside this document.` };
  seen.add(schema);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanSchema(v, seen, depth + 1)]));
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) {
      out[key] = cleanSchema(value, seen, depth + 1);
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map((v) => cleanSchema(v, seen, depth + 1));
    } else {
      out[key] = structuredCloneJson(value);
    }
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (schema.example !== undefined && out.examples === undefined) out.examples = [structuredCloneJson(schema.example)];
  // allOf of objects (the usual way to extend a schema) merged, so targets that know no allOf see the properties.
  if (Array.isArray(out.allOf) && out.allOf.every((s) => isObject(s) && (s.type === 'object' || isObject(s.properties)))) {
    const parts = out.allOf as JsonObject[];
    delete out.allOf;
    out.type = 'object';
    out.properties = Object.assign({}, ...parts.map((p) => (isObject(p.properties) ? p.properties : {})), out.properties ?? {});
    const required = [...new Set(parts.flatMap((p) => (Array.isArray(p.required) ? p.required : [])).concat(Array.isArray(out.required) ? out.required : []))];
    if (required.length) out.required = required;
  }
  seen.delete(schema);
  return out;
}

function structuredCloneJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return undefined;
  }
}

/** The tool's input schema and where each input goes. */
export function inputsOf(op: OperationDef): { schema: JsonSchemaDoc; locations: Record<string, ParamLocation> } {
  const properties: Record<string, JsonObject> = {};
  const required: string[] = [];
  const locations: Record<string, ParamLocation> = {};
  for (const param of op.params) {
    if (param.name in properties) {
      op.warnings.push(`"${param.name}" is both a ${locations[param.name]} and a ${param.in} input; only the ${locations[param.name]} one is kept.`);
      continue;
    }
    properties[param.name] = { ...param.schema };
    locations[param.name] = param.in;
    if (param.required || param.in === 'path') required.push(param.name);
  }
  const schema: JsonSchemaDoc = { type: 'object', properties };
  if (required.length) schema.required = required;
  return { schema, locations };
}

export function listed(op: OperationDef): ImportedOperation {
  return { id: op.id, name: snakeName(op.id), method: op.method, url: op.url, summary: op.summary || op.description.split('\n')[0] || '', warnings: op.warnings };
}

/** The tool an operation becomes; every detail stored at full confidence, unlocked, with the import as its source. */
export function toolFromOperation(op: OperationDef, kind: ImportKind, source: string): ToolSpec {
  const at = (value: unknown) => ({ value, confidence: 1, source, locked: false });
  const { schema, locations } = inputsOf(op);
  const purpose = [op.summary, op.description].map((s) => s.trim()).filter(Boolean);
  const tool: ToolSpec = {
    name: at(snakeName(op.id)) as ToolSpec['name'],
    endpoint: at(op.url) as ToolSpec['endpoint'],
    method: at(op.method) as ToolSpec['method'],
    auth: at(op.auth ?? { type: 'none' }) as ToolSpec['auth'],
    input_schema: at(schema) as ToolSpec['input_schema'],
    workbench: { locations, imported_from: { kind, operation: op.id } },
  };
  // Two lines of a summary and a description that repeat each other are one.
  if (purpose.length) tool.purpose = at(purpose[1]?.startsWith(purpose[0]!) ? purpose[1] : purpose.join('. ').replace(/\.\. /g, '. ')) as ToolSpec['purpose'];
  if (op.output) tool.output_schema = at(op.output) as ToolSpec['output_schema'];
  return tool;
}
