import type { JsonSchemaDoc } from '../../shared/spec';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{order_id}` placeholders in an endpoint URL, in order of appearance, without duplicates. */
export function pathPlaceholders(url: string): string[] {
  const names: string[] = [];
  for (const match of url.matchAll(/\{([^{}/?#]+)\}/g)) {
    const name = match[1]?.trim();
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** "orderId" / "order_id" / "order-id" → "The order id." — a readable description when a spec has none. */
export function describeFromName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.\s]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? `The ${words}.` : 'A value.';
}

/** The properties and required list of an input schema, tolerating the shapes people type. */
export function objectParts(schema: JsonSchemaDoc | undefined): { properties: Record<string, JsonObject>; required: string[] } {
  const properties: Record<string, JsonObject> = {};
  const raw = schema && isObject(schema.properties) ? schema.properties : {};
  for (const [key, value] of Object.entries(raw)) properties[key] = isObject(value) ? value : {};
  const required = Array.isArray(schema?.required)
    ? schema.required.filter((r): r is string => typeof r === 'string' && r in properties)
    : [];
  return { properties, required };
}

export const LITERAL_TYPES = ['string', 'number', 'integer', 'boolean'] as const;
export type LiteralType = (typeof LITERAL_TYPES)[number];

export function isLiteralType(value: unknown): value is LiteralType {
  return typeof value === 'string' && (LITERAL_TYPES as readonly string[]).includes(value);
}

/** The one JSON type a property schema stands for, inferring it when `type` is absent or a list. */
export function schemaType(schema: JsonObject): { type: LiteralType | 'object' | 'array'; exact: boolean } {
  const t = schema.type;
  if (isLiteralType(t) || t === 'object' || t === 'array') return { type: t, exact: true };
  if (Array.isArray(t)) {
    const concrete = t.filter((x) => x !== 'null');
    const first = concrete[0];
    if (concrete.length === 1 && (isLiteralType(first) || first === 'object' || first === 'array')) {
      return { type: first, exact: false };
    }
  }
  if (isObject(schema.properties)) return { type: 'object', exact: false };
  if (schema.items !== undefined) return { type: 'array', exact: false };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const kinds = new Set(schema.enum.map((v) => typeof v));
    if (kinds.size === 1 && kinds.has('number')) {
      return { type: schema.enum.every((v) => Number.isInteger(v)) ? 'integer' : 'number', exact: false };
    }
    if (kinds.size === 1 && kinds.has('boolean')) return { type: 'boolean', exact: false };
  }
  return { type: 'string', exact: false };
}

export function descriptionOf(schema: JsonObject): string | undefined {
  return typeof schema.description === 'string' && schema.description.trim() ? schema.description.trim() : undefined;
}
