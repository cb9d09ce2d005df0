import type { JsonSchemaDoc } from '../../shared/spec';
import type { SchemaProposal } from '../../shared/workbench';
import { isObject, type JsonObject } from './operations';

/**
 * A JSON Schema learned from one JSON value, and how a value compares with a schema: what the
 * test-fire proposes as the tool's output schema.
 */

/** Items of an array looked at to learn its item schema. */
const SAMPLED_ITEMS = 50;
const MAX_DEPTH = 12;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function stringFormat(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) return 'date-time';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'date';
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return 'email';
  if (/^https?:\/\/\S+$/.test(value)) return 'uri';
  return undefined;
}

/** Two schemas learned from values as one (array items of different shapes). */
function mergeInferred(a: JsonObject, b: JsonObject): JsonObject {
  if (a.type === 'object' && b.type === 'object') {
    const pa = (a.properties ?? {}) as Record<string, JsonObject>;
    const pb = (b.properties ?? {}) as Record<string, JsonObject>;
    const properties: Record<string, JsonObject> = { ...pa };
    for (const [k, v] of Object.entries(pb)) properties[k] = pa[k] ? mergeInferred(pa[k], v) : v;
    const ra = (a.required ?? []) as string[];
    const rb = new Set((b.required ?? []) as string[]);
    const out: JsonObject = { type: 'object', properties };
    const required = ra.filter((k) => rb.has(k));
    if (required.length) out.required = required;
    return out;
  }
  if (a.type === b.type) {
    if (a.type === 'array' && isObject(a.items) && isObject(b.items)) return { type: 'array', items: mergeInferred(a.items, b.items) };
    return a.format === b.format ? a : { type: a.type };
  }
  if ((a.type === 'integer' && b.type === 'number') || (a.type === 'number' && b.type === 'integer')) return { type: 'number' };
  const types = [...new Set([a.type, b.type].flat())].filter((t): t is string => typeof t === 'string');
  return { type: types };
}

export function inferSchema(value: unknown, depth = 0): JsonObject {
  const type = typeOf(value);
  if (depth > MAX_DEPTH) return {};
  if (type === 'object') {
    const obj = value as JsonObject;
    const properties = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, inferSchema(v, depth + 1)]));
    const out: JsonObject = { type: 'object', properties };
    // Keys whose value is null are kept but not required: a null often means "absent" in practice.
    const required = Object.keys(obj).filter((k) => obj[k] !== null);
    if (required.length) out.required = required;
    return out;
  }
  if (type === 'array') {
    const items = (value as unknown[]).slice(0, SAMPLED_ITEMS).map((v) => inferSchema(v, depth + 1));
    if (items.length === 0) return { type: 'array' };
    return { type: 'array', items: items.reduce(mergeInferred) };
  }
  if (type === 'string') {
    const format = stringFormat(value as string);
    return format ? { type: 'string', format } : { type: 'string' };
  }
  return { type };
}

function declaredTypes(schema: JsonObject): string[] | null {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  if (isObject(schema.properties)) return ['object'];
  if (schema.items !== undefined) return ['array'];
  return null;
}

function fits(types: string[], actual: string): boolean {
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

/**
 * Walks the body against the schema, recording differences and building the schema with the
 * additions: new properties, a widened type, a required property the body lacks made optional.
 */
function compareInto(schema: JsonObject, value: unknown, path: string, changes: string[], depth: number): JsonObject {
  if (depth > MAX_DEPTH) return schema;
  const actual = typeOf(value);
  const types = declaredTypes(schema);
  const where = path || 'the response';
  if (schema.oneOf || schema.anyOf || schema.allOf) return schema;
  if (types && !fits(types, actual)) {
    changes.push(`${where}: the schema says ${types.join(' or ')}, the body has ${actual}`);
    return actual === 'null' ? { ...schema, type: [...types, 'null'] } : inferSchema(value, depth);
  }
  if (!types) {
    changes.push(`${where}: no type in the schema; the body has ${actual}`);
    return { ...schema, ...inferSchema(value, depth) };
  }
  if (actual === 'object') {
    const obj = value as JsonObject;
    const props = isObject(schema.properties) ? (schema.properties as Record<string, JsonObject>) : {};
    const properties: Record<string, unknown> = { ...props };
    for (const [key, v] of Object.entries(obj)) {
      const child = path ? `${path}.${key}` : key;
      if (!props[key]) {
        const inferred = inferSchema(v, depth + 1);
        changes.push(`new field: ${child} (${String(inferred.type ?? 'any')})`);
        properties[key] = inferred;
      } else {
        properties[key] = compareInto(props[key], v, child, changes, depth + 1);
      }
    }
    const required = Array.isArray(schema.required) ? (schema.required as unknown[]).filter((r): r is string => typeof r === 'string') : [];
    const missing = required.filter((k) => !(k in obj));
    for (const key of missing) changes.push(`${path ? `${path}.${key}` : key} is required by the schema but missing from the body; made optional`);
    const out: JsonObject = { ...schema, properties };
    const kept = required.filter((k) => k in obj);
    if (kept.length) out.required = kept;
    else delete out.required;
    return out;
  }
  if (actual === 'array' && isObject(schema.items)) {
    let items = schema.items;
    for (const [i, v] of (value as unknown[]).slice(0, SAMPLED_ITEMS).entries()) items = compareInto(items, v, `${path}[${i}]`, changes, depth + 1);
    return { ...schema, items };
  }
  if (actual === 'array' && schema.items === undefined && (value as unknown[]).length) {
    const inferred = inferSchema(value, depth);
    changes.push(`${path || 'the response'}: item type learned from the body (${String((inferred.items as JsonObject | undefined)?.type ?? 'any')})`);
    return { ...schema, items: inferred.items };
  }
  return schema;
}

/** Changes repeated for every item of an array are reported once. */
function dedupe(changes: string[]): string[] {
  return [...new Set(changes.map((c) => c.replace(/\[\d+\]/g, '[]')))];
}

/** What to propose as the output schema after a test-fire. */
export function proposeSchema(current: JsonSchemaDoc | undefined, body: string, json: boolean): SchemaProposal {
  if (body.trim() === '') {
    // "No body" is an object schema without properties (what a 204 imports as), or no schema at all.
    const declaresFields = current !== undefined && isObject(current.properties) && Object.keys(current.properties).length > 0;
    return declaresFields ? { matches: false, changes: ['The response has no body, but the output schema declares fields.'], proposed: null } : { matches: true, changes: [], proposed: null };
  }
  if (!json) return { matches: false, changes: ['The body is not JSON; no schema can be learned from it.'], proposed: null };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { matches: false, changes: ['The body was cut before its end, so it is not whole JSON; no schema is proposed.'], proposed: null };
  }
  if (!current || Object.keys(current).length === 0) {
    return { matches: false, changes: ['The tool has no output schema; this one is learned from the body.'], proposed: inferSchema(value) };
  }
  const changes: string[] = [];
  const proposed = compareInto(current, value, '', changes, 0);
  const unique = dedupe(changes);
  return unique.length ? { matches: false, changes: unique, proposed } : { matches: true, changes: [], proposed: null };
}
