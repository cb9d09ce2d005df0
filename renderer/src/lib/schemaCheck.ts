import type { JsonSchemaDoc } from '../../../shared/spec';

export interface SchemaProblem {
  severity: 'error' | 'warning';
  /** Where in the schema, e.g. "properties.order_id.type" ("" for the root). */
  at: string;
  message: string;
}

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

/**
 * The structural checks a tool's parameter schema must pass to be exported: a small, eval-free
 * subset (the renderer's CSP forbids Ajv's compiled validators). Deeper validation happens in
 * the main process; this gives inline feedback while reading or editing.
 */
export function checkToolSchema(schema: unknown, options: { placeholders?: string[]; kind: 'input' | 'output' }): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  if (!isObject(schema)) return [{ severity: 'error', at: '', message: 'The schema must be a JSON object.' }];
  if (schema.type !== 'object') out.push({ severity: 'error', at: 'type', message: 'The top level must be "type": "object".' });
  walk(schema, '', out, options.kind === 'input');
  const props = isObject(schema.properties) ? schema.properties : {};
  for (const p of options.placeholders ?? []) {
    if (!(p in props)) out.push({ severity: 'error', at: 'properties', message: `The endpoint uses {${p}}, but there is no "${p}" property.` });
  }
  return out;
}

function walk(node: Record<string, unknown>, at: string, out: SchemaProblem[], needDescriptions: boolean): void {
  if ('type' in node) {
    const t = node.type;
    const list = Array.isArray(t) ? t : [t];
    if (list.length === 0 || list.some((x) => typeof x !== 'string' || !TYPES.has(x))) {
      out.push({ severity: 'error', at: join(at, 'type'), message: `"${String(t)}" is not a JSON Schema type (use string, number, integer, boolean, object, array or null).` });
    }
  }
  if ('properties' in node) {
    if (!isObject(node.properties)) out.push({ severity: 'error', at: join(at, 'properties'), message: '"properties" must be an object of property schemas.' });
    else {
      for (const [name, child] of Object.entries(node.properties)) {
        const where = join(join(at, 'properties'), name);
        if (!isObject(child)) {
          out.push({ severity: 'error', at: where, message: `Property "${name}" must be a schema object, e.g. {"type": "string"}.` });
          continue;
        }
        if (!('type' in child) && !('enum' in child) && !('$ref' in child) && !('anyOf' in child) && !('oneOf' in child)) {
          out.push({ severity: 'warning', at: where, message: `Property "${name}" has no type.` });
        }
        if (needDescriptions && typeof child.description !== 'string') {
          out.push({ severity: 'warning', at: where, message: `Property "${name}" has no description; voice platforms show it to the model.` });
        }
        walk(child, where, out, needDescriptions);
      }
    }
  }
  if ('required' in node) {
    const req = node.required;
    if (!Array.isArray(req) || req.some((r) => typeof r !== 'string')) {
      out.push({ severity: 'error', at: join(at, 'required'), message: '"required" must be a list of property names.' });
    } else {
      const props = isObject(node.properties) ? node.properties : {};
      for (const r of req as string[]) {
        if (!(r in props)) out.push({ severity: 'error', at: join(at, 'required'), message: `"${r}" is required but is not one of the properties.` });
      }
    }
  }
  if ('items' in node) {
    if (!isObject(node.items)) out.push({ severity: 'error', at: join(at, 'items'), message: '"items" must be a schema object.' });
    else walk(node.items, join(at, 'items'), out, needDescriptions);
  } else if (node.type === 'array') {
    out.push({ severity: 'warning', at, message: 'An array without "items" accepts anything.' });
  }
}

/** Names of the `{param}` placeholders in an endpoint URL. */
export function placeholdersOf(endpoint: string | undefined): string[] {
  return endpoint ? [...endpoint.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!) : [];
}

export type { JsonSchemaDoc };
