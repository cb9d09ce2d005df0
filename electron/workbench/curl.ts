import { isIP } from 'node:net';
import { parse as parseShell } from 'shell-quote';
import { ParleyError } from '../../shared/errors';
import { HTTP_METHODS, type AuthSpec, type HttpMethod } from '../../shared/spec';
import { inferSchema } from './infer';
import { isObject, secretNameFor, type JsonObject, type OperationDef, type ParamDef, type ParsedDescription } from './operations';

/**
 * A curl command (as copied from API docs or a browser's network panel) as one operation. The
 * command line is split by shell-quote; the values it carries become examples, and a credential
 * in it becomes a secret reference: its value is dropped, never stored.
 */

export function looksLikeCurl(text: string): boolean {
  return /^\s*curl\s/i.test(text);
}

const DATA_FLAGS = new Set(['-d', '--data', '--data-raw', '--data-binary', '--data-ascii', '--json']);
const VALUE_FLAGS = new Set(['-A', '--user-agent', '-e', '--referer', '-o', '--output', '-m', '--max-time', '--connect-timeout', '--retry', '-w', '--write-out', '-x', '--proxy', '--cacert', '--cert', '--key', '-c', '--cookie-jar']);
const AUTH_HEADER = /^(authorization|proxy-authorization)$/i;
const KEY_HEADER = /^(x-)?(api[-_]?key|api[-_]?token|auth[-_]?token|access[-_]?token|x-auth)$/i;

function example(value: string): JsonObject {
  const n = Number(value);
  if (value !== '' && Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(value)) return { type: Number.isInteger(n) ? 'integer' : 'number', examples: [n] };
  if (value === 'true' || value === 'false') return { type: 'boolean', examples: [value === 'true'] };
  return { type: 'string', examples: [value] };
}

/** Example values kept on an inferred body schema, so a test-fire starts from what the command sent. */
function withExamples(schema: JsonObject, value: unknown): JsonObject {
  if (isObject(value) && isObject(schema.properties)) {
    const props = schema.properties as Record<string, JsonObject>;
    return { ...schema, properties: Object.fromEntries(Object.entries(props).map(([k, s]) => [k, withExamples(s, value[k])])) };
  }
  if (value !== null && typeof value !== 'object') return { ...schema, examples: [value] };
  return schema;
}

export function parseCurl(command: string): ParsedDescription {
  // Line continuations (backslash-newline, or a caret in Windows cmd copies) joined first.
  const joined = command.replace(/\\\r?\n/g, ' ').replace(/\^\r?\n/g, ' ');
  const tokens = parseShell(joined).map((t) => (typeof t === 'string' ? t : 'op' in t && t.op === 'glob' ? t.pattern : null));
  if (tokens[0] !== 'curl') throw new ParleyError('INVALID_INPUT', 'This is not a curl command (it does not start with "curl").');
  const warnings: string[] = [];
  let method: string | null = null;
  let url: string | null = null;
  let forceGet = false;
  const headers: Array<[string, string]> = [];
  const data: string[] = [];
  let jsonFlag = false;
  let user: string | null = null;
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === null || token === undefined) break; // a pipe or redirection ends the command
    const next = () => {
      const value = tokens[++i];
      if (typeof value !== 'string') throw new ParleyError('INVALID_INPUT', `curl option ${token} has no value.`);
      return value;
    };
    if (token === '-X' || token === '--request') method = next().toUpperCase();
    else if (token.startsWith('-X') && token.length > 2) method = token.slice(2).toUpperCase();
    else if (token === '-H' || token === '--header') {
      const h = next();
      const colon = h.indexOf(':');
      if (colon > 0) headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
    } else if (DATA_FLAGS.has(token)) {
      if (token === '--json') jsonFlag = true;
      data.push(next());
    } else if (token === '--data-urlencode' || token === '-F' || token === '--form') {
      next();
      warnings.push(`${token} bodies (form fields) are not JSON; left out.`);
    } else if (token === '-u' || token === '--user') user = next();
    else if (token === '-G' || token === '--get') forceGet = true;
    else if (token === '-I' || token === '--head') warnings.push('HEAD requests have no body to return; imported as GET.');
    else if (token === '--url') url = next();
    else if (token === '-b' || token === '--cookie') {
      next();
      warnings.push('Cookies are not sent by tools; left out.');
    } else if (VALUE_FLAGS.has(token)) next();
    else if (!token.startsWith('-') && url === null) url = token;
  }
  if (!url) throw new ParleyError('INVALID_INPUT', 'The curl command has no URL.');
  if (!/^https?:\/\//i.test(url)) url = `https://${url}`;
  let parsed: URL;
  try {
    // ":id" segments (a common placeholder in docs) written as {id} first; URL() would keep them anyway.
    parsed = new URL(url.replace(/\/:([A-Za-z_][A-Za-z0-9_]*)/g, '/{$1}'));
  } catch {
    throw new ParleyError('INVALID_INPUT', `The curl command's URL "${url}" is not a valid address.`);
  }
  const finalMethod = (forceGet ? 'GET' : method ?? (data.length ? 'POST' : 'GET')) as HttpMethod;
  if (!(HTTP_METHODS as readonly string[]).includes(finalMethod)) throw new ParleyError('INVALID_INPUT', `${finalMethod} is not a method a tool can use (${HTTP_METHODS.join(', ')}).`);

  const params: ParamDef[] = [];
  const path = decodeURI(parsed.pathname);
  for (const m of path.matchAll(/\{([^{}/]+)\}/g)) params.push({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } });
  for (const [name, value] of parsed.searchParams) params.push({ name, in: 'query', required: false, schema: example(value) });
  if (forceGet) for (const d of data) for (const [name, value] of new URLSearchParams(d)) params.push({ name, in: 'query', required: false, schema: example(value) });

  // The API's name for its secret: "api.helpdesk.example.com" → "helpdesk"; an address or localhost → "api".
  const title = isIP(parsed.hostname.replace(/^\[|\]$/g, '')) || parsed.hostname === 'localhost' ? 'api' : (parsed.hostname.replace(/^(www|api)\./, '').split('.')[0] ?? 'api');
  let auth: AuthSpec | null = null;
  for (const [name, value] of headers) {
    if (AUTH_HEADER.test(name)) {
      const type = /^basic\s/i.test(value) ? 'basic' : 'bearer';
      auth = { type, header: name, secret_name: secretNameFor(title, type) };
    } else if (KEY_HEADER.test(name)) {
      auth = { type: 'api_key', header: name, secret_name: secretNameFor(title, 'api_key') };
    } else if (!/^(content-type|accept|user-agent|content-length|accept-encoding|connection|host)$/i.test(name)) {
      params.push({ name, in: 'header', required: true, schema: example(value) });
    }
  }
  if (user !== null && !auth) auth = { type: 'basic', header: 'Authorization', secret_name: secretNameFor(title, 'basic') };
  if (auth) warnings.push(`The credential in the command was not kept: the tool reads it from the secret ${auth.secret_name}.`);

  if (data.length && !forceGet) {
    const text = data.join('&');
    const contentType = headers.find(([n]) => /^content-type$/i.test(n))?.[1] ?? (jsonFlag ? 'application/json' : '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (isObject(body)) {
      const schema = withExamples(inferSchema(body), body);
      const req = new Set((schema.required ?? []) as string[]);
      for (const [name, s] of Object.entries((schema.properties ?? {}) as Record<string, JsonObject>)) params.push({ name, in: 'body', required: req.has(name), schema: s });
    } else {
      warnings.push(`The body is not a JSON object${contentType ? ` (${contentType})` : ''}; left out.`);
    }
  }
  const op: OperationDef = {
    id: `${finalMethod} ${path}`,
    method: finalMethod,
    url: `${parsed.origin}${path}`,
    summary: '',
    description: '',
    params,
    auth,
    output: null,
    warnings,
  };
  return { kind: 'curl', title, operations: [op], warnings: [] };
}
