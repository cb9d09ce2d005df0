import { ParleyError } from '../../shared/errors';
import type { ParamLocation, ToolSpec } from '../../shared/spec';
import { toolCredential, type ToolCredential } from '../export/elevenlabs-tools';
import type { FireRequest } from './http';
import { isObject } from './operations';

/** A tool and its inputs as the HTTP request a test-fire sends (without the secret, which is added last). */

const PLACEHOLDER = /\{([^{}/?#]+)\}/g;

export function locationsOf(tool: ToolSpec): Record<string, ParamLocation> {
  const method = tool.method?.value ?? 'GET';
  const given = tool.workbench?.locations ?? {};
  const props = tool.input_schema?.value.properties;
  const names = isObject(props) ? Object.keys(props) : [];
  const placeholders = [...(tool.endpoint?.value ?? '').matchAll(PLACEHOLDER)].map((m) => m[1]!.trim());
  const out: Record<string, ParamLocation> = {};
  for (const name of names) out[name] = given[name] ?? (placeholders.includes(name) ? 'path' : method === 'GET' || method === 'DELETE' ? 'query' : 'body');
  for (const name of placeholders) out[name] ??= 'path';
  return out;
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function buildRequest(tool: ToolSpec, input: Record<string, unknown>): FireRequest {
  const name = tool.name?.value ?? 'this tool';
  const endpoint = tool.endpoint?.value.trim();
  if (!endpoint) throw new ParleyError('INVALID_INPUT', `${name} has no endpoint yet; set its URL first.`);
  const method = tool.method?.value ?? 'GET';
  const locations = locationsOf(tool);
  const missing: string[] = [];
  const filled = endpoint.replace(PLACEHOLDER, (_whole, raw: string) => {
    const key = raw.trim();
    const value = input[key];
    if (value === undefined || value === null || value === '') {
      missing.push(key);
      return `{${key}}`;
    }
    return encodeURIComponent(scalar(value));
  });
  if (missing.length) throw new ParleyError('INVALID_INPUT', `Fill in the path input${missing.length > 1 ? 's' : ''} ${missing.join(', ')} before firing.`);
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    throw new ParleyError('INVALID_INPUT', `${name}'s endpoint "${endpoint}" is not a complete address (it needs https:// and a host).`);
  }
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'Parley tool workbench' };
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const where = locations[key] ?? (method === 'GET' || method === 'DELETE' ? 'query' : 'body');
    if (where === 'query') {
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, scalar(v));
      else url.searchParams.append(key, scalar(value));
    } else if (where === 'header') headers[key.toLowerCase()] = scalar(value);
    else if (where === 'body') body[key] = value;
  }
  const request: FireRequest = { method, url: url.href, headers };
  if (Object.keys(body).length || (method !== 'GET' && method !== 'DELETE' && Object.values(locations).includes('body'))) {
    request.headers['content-type'] = 'application/json';
    request.body = JSON.stringify(body);
  }
  return request;
}

export function credentialOf(tool: ToolSpec, index: number): ToolCredential | null {
  return toolCredential({ index, name: tool.name?.value ?? `tool_${index + 1}`, tool });
}

/** The header value to send: the stored value, with the scheme's prefix when the store holds only the token. */
export function authValue(credential: ToolCredential, tool: ToolSpec, secret: string): string {
  const type = tool.auth?.value.type;
  if ((type === 'bearer' || type === 'oauth2') && !/^bearer\s/i.test(secret)) return `Bearer ${secret}`;
  if (type === 'basic' && !/^basic\s/i.test(secret)) return `Basic ${secret.includes(':') ? Buffer.from(secret).toString('base64') : secret}`;
  return secret;
}

/** Every form of a secret that could come back (the whole header value, the bare token), longest first. */
export function secretForms(secret: string, headerValue: string): string[] {
  const bare = headerValue.replace(/^(bearer|basic)\s+/i, '');
  return [...new Set([headerValue, secret, bare])].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

export function redact(text: string, forms: string[], label: string): string {
  let out = text;
  for (const form of forms) out = out.split(form).join(`<secret ${label}>`);
  return out;
}
