import { ParleyError } from '../../shared/errors';
import { HTTP_METHODS, type AuthSpec, type HttpMethod } from '../../shared/spec';
import { inferSchema } from './infer';
import { isObject, secretNameFor, type JsonObject, type OperationDef, type ParamDef, type ParsedDescription } from './operations';

/**
 * A Postman v2.1 collection: each request (in folders too) is one operation. `{{variables}}`
 * take the collection's values; `:name` path segments become {name} path inputs; a credential
 * (auth block or Authorization header) becomes a secret reference, its value dropped.
 */

const SCHEMA_ID = /schema\.getpostman\.com\/json\/collection\/v2\.[01]/;

export function isPostman(doc: JsonObject): boolean {
  const info = doc.info;
  return isObject(info) && typeof info.schema === 'string' && SCHEMA_ID.test(info.schema) && Array.isArray(doc.item);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function example(value: string): JsonObject {
  if (/^-?\d+$/.test(value)) return { type: 'integer', examples: [Number(value)] };
  if (/^-?\d+\.\d+$/.test(value)) return { type: 'number', examples: [Number(value)] };
  return value ? { type: 'string', examples: [value] } : { type: 'string' };
}

function authOf(auth: unknown, title: string, inherited: AuthSpec | null): AuthSpec | null {
  if (!isObject(auth)) return inherited;
  const type = str(auth.type);
  if (type === 'noauth') return null;
  if (type === 'bearer' || type === 'oauth2' || type === 'jwt') return { type: type === 'oauth2' ? 'oauth2' : 'bearer', header: 'Authorization', secret_name: secretNameFor(title, 'bearer') };
  if (type === 'basic') return { type: 'basic', header: 'Authorization', secret_name: secretNameFor(title, 'basic') };
  if (type === 'apikey') {
    const entries = Array.isArray(auth.apikey) ? auth.apikey.filter(isObject) : [];
    const key = entries.find((e) => e.key === 'key');
    return { type: 'api_key', header: str(key?.value) || 'X-API-Key', secret_name: secretNameFor(title, 'api_key') };
  }
  return inherited;
}

function resolveVars(text: string, vars: Map<string, string>): string {
  return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (whole, name: string) => vars.get(name) ?? whole);
}

function urlOf(raw: unknown, vars: Map<string, string>): { url: string; query: Array<[string, string]> } {
  const text = isObject(raw) ? str(raw.raw) : str(raw);
  const resolved = resolveVars(text, vars).trim();
  const [base, search = ''] = resolved.split('?', 2) as [string, string?];
  const query: Array<[string, string]> = [];
  if (isObject(raw) && Array.isArray(raw.query)) {
    for (const q of raw.query) if (isObject(q) && q.disabled !== true && typeof q.key === 'string') query.push([q.key, resolveVars(str(q.value), vars)]);
  } else if (search) for (const [k, v] of new URLSearchParams(search)) query.push([k, v]);
  return { url: base.replace(/\/:([A-Za-z_][A-Za-z0-9_]*)/g, '/{$1}'), query };
}

function operationOf(item: JsonObject, folder: string[], title: string, vars: Map<string, string>, inherited: AuthSpec | null): OperationDef {
  const request = isObject(item.request) ? item.request : { url: item.request };
  const name = str(item.name) || 'request';
  const warnings: string[] = [];
  const method = (str(request.method) || 'GET').toUpperCase() as HttpMethod;
  if (!(HTTP_METHODS as readonly string[]).includes(method)) warnings.push(`${method} is not a method a tool can use; imported as GET.`);
  const { url, query } = urlOf(request.url, vars);
  if (/\{\{/.test(url)) warnings.push(`The URL uses a variable the collection does not define (${url}); fill it in before test-firing.`);
  const params: ParamDef[] = [];
  for (const m of url.matchAll(/\{([^{}/]+)\}/g)) if (!m[1]!.startsWith('{')) params.push({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } });
  for (const [key, value] of query) params.push({ name: key, in: 'query', required: false, schema: example(value) });
  let auth = authOf(request.auth, title, inherited);
  for (const h of Array.isArray(request.header) ? request.header : []) {
    if (!isObject(h) || h.disabled === true || typeof h.key !== 'string') continue;
    if (/^authorization$/i.test(h.key)) {
      auth ??= { type: /^basic\s/i.test(str(h.value)) ? 'basic' : 'bearer', header: 'Authorization', secret_name: secretNameFor(title, 'bearer') };
    } else if (!/^(content-type|accept|user-agent)$/i.test(h.key)) params.push({ name: h.key, in: 'header', required: true, schema: example(resolveVars(str(h.value), vars)) });
  }
  const body = isObject(request.body) ? request.body : null;
  if (body && body.mode === 'raw') {
    let value: unknown;
    try {
      value = JSON.parse(resolveVars(str(body.raw), vars));
    } catch {
      value = undefined;
    }
    if (isObject(value)) {
      const schema = inferSchema(value);
      const req = new Set((schema.required ?? []) as string[]);
      for (const [key, s] of Object.entries((schema.properties ?? {}) as Record<string, JsonObject>)) {
        const v = value[key];
        params.push({ name: key, in: 'body', required: req.has(key), schema: v !== null && typeof v !== 'object' ? { ...s, examples: [v] } : s });
      }
    } else warnings.push('The body is not a JSON object; left out.');
  } else if (body && body.mode) warnings.push(`${str(body.mode)} bodies are not JSON; left out.`);
  const description = isObject(request.description) ? str(request.description.content) : str(request.description);
  return {
    id: [...folder, name].join(' / '),
    method: (HTTP_METHODS as readonly string[]).includes(method) ? method : 'GET',
    url,
    summary: name,
    description: description.trim(),
    params,
    auth,
    output: responseSchema(item),
    warnings,
  };
}

/** A saved example response's JSON body, as the output schema. */
function responseSchema(item: JsonObject): JsonObject | null {
  for (const r of Array.isArray(item.response) ? item.response : []) {
    if (!isObject(r) || typeof r.code !== 'number' || r.code < 200 || r.code > 299) continue;
    try {
      const value: unknown = JSON.parse(str(r.body));
      if (value !== null && typeof value === 'object') return inferSchema(value);
    } catch {
      // not JSON: no schema from this example
    }
  }
  return null;
}

export function parsePostman(doc: JsonObject): ParsedDescription {
  if (!isPostman(doc)) throw new ParleyError('INVALID_INPUT', 'This is not a Postman v2.1 collection (info.schema names no collection v2 schema).');
  const info = doc.info as JsonObject;
  const title = str(info.name) || 'API';
  const vars = new Map<string, string>();
  for (const v of Array.isArray(doc.variable) ? doc.variable : []) if (isObject(v) && typeof v.key === 'string') vars.set(v.key, str(v.value));
  const operations: OperationDef[] = [];
  const walk = (items: unknown[], folder: string[], auth: AuthSpec | null) => {
    for (const item of items) {
      if (!isObject(item)) continue;
      if (Array.isArray(item.item)) walk(item.item, [...folder, str(item.name)], authOf(item.auth, title, auth));
      else if (item.request !== undefined) operations.push(operationOf(item, folder, title, vars, auth));
    }
  };
  walk(doc.item as unknown[], [], authOf(doc.auth, title, null));
  return { kind: 'postman', title, operations, warnings: [] };
}
