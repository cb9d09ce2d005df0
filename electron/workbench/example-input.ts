import type { JsonSchemaDoc } from '../../shared/spec';
import { isObject, type JsonObject } from './operations';

/**
 * Example inputs for a test-fire, from the input schema: a given example or default first, then
 * the first enum value, then a value of the format, then one of the type. The user edits them.
 */

const FORMATS: Record<string, string> = {
  'date-time': '2026-01-15T10:30:00Z',
  date: '2026-01-15',
  time: '10:30:00',
  email: 'jane@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  phone: '+14155550123',
};

export function exampleValue(schema: JsonObject, name = '', depth = 0): unknown {
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const variants = (schema.oneOf ?? schema.anyOf) as unknown;
  if (Array.isArray(variants) && isObject(variants[0])) return exampleValue(variants[0], name, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (depth > 8) return null;
  switch (type ?? (isObject(schema.properties) ? 'object' : schema.items ? 'array' : 'string')) {
    case 'object': {
      const props = isObject(schema.properties) ? schema.properties : {};
      return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, exampleValue(isObject(s) ? s : {}, k, depth + 1)]));
    }
    case 'array':
      return [exampleValue(isObject(schema.items) ? schema.items : {}, name, depth + 1)];
    case 'integer':
      return typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 1;
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1.5;
    case 'boolean':
      return true;
    default: {
      const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
      if (format) return format;
      if (/phone/i.test(name)) return FORMATS.phone;
      if (/e-?mail/i.test(name)) return FORMATS.email;
      if (/(^|_)id$|Id$/.test(name)) return '123';
      return name ? `example ${name.replace(/[_-]+/g, ' ')}` : 'example';
    }
  }
}

/** One value for each input the schema names. */
export function exampleInput(schema: JsonSchemaDoc | undefined): Record<string, unknown> {
  const value = exampleValue({ type: 'object', ...(schema ?? {}) });
  return isObject(value) ? value : {};
}
