import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBodyValidator, type BodyValidator } from './elevenlabs-openapi';

/**
 * A local stand-in for the ElevenLabs API (plain node:http), answering the routes the official
 * CLI (`tools push`, `agents push`, secrets, environment variables) and the SDK (Publish) call.
 * It records every request, checks every JSON body against the CLI's embedded OpenAPI spec, and
 * refuses what the real API refuses: a body the spec rejects (422), inline `prompt.tools`
 * (rejected since July 2025), `tool_ids` naming no tool of the workspace, an unknown id (404), a
 * request without an API key (401). Failures can be injected per route.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** The OpenAPI path template it matched, or null (then it was answered 404). */
  route: string | null;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, the raw text for other bodies, undefined without one. */
  body: unknown;
  contentType: string;
  /** Errors against the OpenAPI schema: [] valid, null when the route has no JSON body schema. */
  schemaErrors: string[] | null;
  status: number;
  /** The JSON the mock answered with. */
  response: unknown;
}

export interface InjectedFailure {
  method: string;
  /** Matched against the OpenAPI route template ("/v1/convai/tools/{tool_id}") or the path. */
  route: string;
  status: number;
  detail?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** How many matching requests pass before the failures start (default 0). */
  after?: number;
}

export interface MockState {
  tools: Map<string, { tool_config: Record<string, unknown> }>;
  agents: Map<string, Record<string, unknown>>;
  secrets: Map<string, { name: string; value: string }>;
  envVars: Map<string, { label: string; type: string; values: Record<string, unknown> }>;
  documents: Map<string, { name: string; type: 'url' | 'text' | 'file'; source: string }>;
  /** Agent tests (`elevenlabs tests push`), by id. */
  tests: Map<string, Record<string, unknown>>;
}

export interface ElevenLabsMock {
  url: string;
  requests: RecordedRequest[];
  state: MockState;
  /** Ids returned by successful tool creates, in order. */
  createdToolIds(): string[];
  inject(failure: InjectedFailure): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
  }
}

const ACCESS_INFO = { is_creator: true, creator_name: 'Mock', creator_email: 'mock@example.com', role: 'admin' };

export async function startElevenLabsMock(options: { validator?: BodyValidator } = {}): Promise<ElevenLabsMock> {
  const validator = options.validator ?? createBodyValidator();
  const requests: RecordedRequest[] = [];
  const failures: InjectedFailure[] = [];
  const state: MockState = { tools: new Map(), agents: new Map(), secrets: new Map(), envVars: new Map(), documents: new Map(), tests: new Map() };
  const created: string[] = [];
  let counter = 0;
  const newId = (prefix: string) => `${prefix}_${String(++counter).padStart(4, '0')}mock`;
  const now = () => 1_764_400_000 + counter;

  const toolResponse = (id: string) => ({ id, tool_config: state.tools.get(id)!.tool_config, access_info: ACCESS_INFO, usage_stats: { total_calls: 0, avg_latency_secs: 0 } });
  const agentResponse = (id: string) => {
    const agent = state.agents.get(id)!;
    return {
      agent_id: id,
      name: agent.name ?? '',
      conversation_config: agent.conversation_config ?? {},
      platform_settings: agent.platform_settings ?? {},
      metadata: { created_at_unix_secs: now(), updated_at_unix_secs: now() },
      tags: agent.tags ?? [],
      access_info: ACCESS_INFO,
    };
  };
  const secretResponse = (id: string) => ({ type: 'stored', secret_id: id, name: state.secrets.get(id)!.name, used_by: { tools: [], agents: [], others: [], phone_numbers: [] } });
  const envVarResponse = (id: string) => {
    const v = state.envVars.get(id)!;
    return { id, label: v.label, type: v.type, values: v.values, workspace_id: 'ws_mock', created_at_unix_secs: now(), updated_at_unix_secs: now() };
  };

  /** What the real API checks beyond the schema for an agent body. */
  const checkAgent = (body: Json) => {
    const prompt = isObject(body.conversation_config) && isObject(body.conversation_config.agent) ? body.conversation_config.agent.prompt : undefined;
    if (isObject(prompt) && 'tools' in prompt) {
      throw new HttpError(422, { status: 'invalid_request', message: 'conversation_config.agent.prompt.tools is no longer supported; create tools and reference them in prompt.tool_ids' });
    }
    const ids = isObject(prompt) && Array.isArray(prompt.tool_ids) ? prompt.tool_ids : [];
    const unknown = ids.filter((id) => typeof id !== 'string' || !state.tools.has(id));
    if (unknown.length) throw new HttpError(422, { status: 'tool_not_found', message: `Tools not found: ${unknown.join(', ')}` });
  };

  function handle(method: string, route: string, params: string[], body: unknown, query: Record<string, string>): unknown {
    const json = isObject(body) ? body : {};
    const need = <T>(map: Map<string, T>, id: string | undefined, what: string): T => {
      const found = id === undefined ? undefined : map.get(id);
      if (!found) throw new HttpError(404, { status: 'not_found', message: `${what} ${id} not found` });
      return found;
    };
    switch (`${method} ${route}`) {
      case 'POST /v1/convai/tools': {
        const id = newId('tool');
        state.tools.set(id, { tool_config: json.tool_config as Json });
        created.push(id);
        return toolResponse(id);
      }
      case 'GET /v1/convai/tools':
        return { tools: [...state.tools.keys()].map(toolResponse), has_more: false };
      case 'GET /v1/convai/tools/{tool_id}':
        need(state.tools, params[0], 'Tool');
        return toolResponse(params[0]!);
      case 'PATCH /v1/convai/tools/{tool_id}':
        need(state.tools, params[0], 'Tool');
        state.tools.set(params[0]!, { tool_config: json.tool_config as Json });
        return toolResponse(params[0]!);
      case 'DELETE /v1/convai/tools/{tool_id}':
        need(state.tools, params[0], 'Tool');
        state.tools.delete(params[0]!);
        return {};
      case 'POST /v1/convai/agents/create': {
        checkAgent(json);
        const id = newId('agent');
        state.agents.set(id, json);
        return { agent_id: id };
      }
      case 'GET /v1/convai/agents':
        return {
          agents: [...state.agents.keys()].map((id) => ({ agent_id: id, name: String(state.agents.get(id)!.name ?? ''), voice_id: '', tags: [], created_at_unix_secs: now(), access_info: ACCESS_INFO })),
          has_more: false,
        };
      case 'GET /v1/convai/agents/{agent_id}':
        need(state.agents, params[0], 'Agent');
        return agentResponse(params[0]!);
      case 'PATCH /v1/convai/agents/{agent_id}': {
        const agent = need(state.agents, params[0], 'Agent');
        checkAgent(json);
        state.agents.set(params[0]!, { ...agent, ...json });
        return agentResponse(params[0]!);
      }
      case 'POST /v1/convai/secrets': {
        if ([...state.secrets.values()].some((s) => s.name === json.name)) throw new HttpError(409, { status: 'conflict', message: `A secret named ${String(json.name)} exists` });
        const id = newId('secret');
        state.secrets.set(id, { name: String(json.name), value: String(json.value) });
        return secretResponse(id);
      }
      case 'GET /v1/convai/secrets':
        return { secrets: [...state.secrets.keys()].map(secretResponse) };
      case 'PATCH /v1/convai/secrets/{secret_id}': {
        need(state.secrets, params[0], 'Secret');
        state.secrets.set(params[0]!, { name: String(json.name), value: String(json.value) });
        return secretResponse(params[0]!);
      }
      case 'POST /v1/convai/environment-variables': {
        if ([...state.envVars.values()].some((v) => v.label === json.label)) throw new HttpError(409, { status: 'conflict', message: `An environment variable labelled ${String(json.label)} exists` });
        const values = isObject(json.values) ? json.values : {};
        for (const v of Object.values(values)) if (isObject(v) && typeof v.secret_id === 'string') need(state.secrets, v.secret_id, 'Secret');
        const id = newId('env');
        state.envVars.set(id, { label: String(json.label), type: String(json.type), values });
        return envVarResponse(id);
      }
      case 'GET /v1/convai/environment-variables': {
        const list = [...state.envVars.keys()].filter((id) => !query.label || state.envVars.get(id)!.label === query.label);
        return { environment_variables: list.map(envVarResponse), has_more: false };
      }
      case 'PATCH /v1/convai/environment-variables/{env_var_id}': {
        const v = need(state.envVars, params[0], 'Environment variable');
        v.values = isObject(json.values) ? json.values : v.values;
        return envVarResponse(params[0]!);
      }
      case 'POST /v1/convai/knowledge-base/url':
      case 'POST /v1/convai/knowledge-base/text':
      case 'POST /v1/convai/knowledge-base/file': {
        const type = route.split('/').pop() as 'url' | 'text' | 'file';
        const id = newId('doc');
        const name = typeof json.name === 'string' && json.name ? json.name : type === 'url' ? String(json.url) : `document ${id}`;
        state.documents.set(id, { name, type, source: type === 'url' ? String(json.url) : type === 'text' ? String(json.text) : typeof body === 'string' ? body : '' });
        return { id, name };
      }
      case 'POST /v1/convai/agent-testing/create':
      case 'PUT /v1/convai/agent-testing/{test_id}': {
        // A tool test must name a tool of the workspace (a webhook tool by its id).
        const toolCall = isObject(json.tool_call_parameters) ? json.tool_call_parameters : undefined;
        const ref = toolCall && isObject(toolCall.referenced_tool) ? toolCall.referenced_tool : undefined;
        if (ref?.type === 'webhook' && (typeof ref.id !== 'string' || !state.tools.has(ref.id))) {
          throw new HttpError(422, { status: 'tool_not_found', message: `Tool ${String(ref.id)} not found` });
        }
        const id = method === 'POST' ? newId('test') : params[0]!;
        if (method === 'PUT') need(state.tests, id, 'Test');
        state.tests.set(id, json);
        return { id };
      }
      case 'GET /v1/convai/agent-testing/{test_id}':
        return { id: params[0], ...need(state.tests, params[0], 'Test') };
      default:
        throw new HttpError(404, { status: 'not_mocked', message: `${method} ${route} is not answered by the mock` });
    }
  }

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  /** The text fields of a multipart/form-data body (the file part's content under its field name). */
  const formFields = (raw: string, contentType: string): Json => {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
    const mark = boundary?.[1] ?? boundary?.[2];
    if (!mark) return {};
    const fields: Json = {};
    for (const part of raw.split(`--${mark}`)) {
      const name = /name="([^"]+)"/.exec(part)?.[1];
      const split = part.indexOf('\r\n\r\n');
      if (name && split >= 0) fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
    }
    return fields;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://mock');
      const raw = await readBody(req);
      const contentType = String(req.headers['content-type'] ?? '');
      let body: unknown = raw === '' ? undefined : raw;
      if (contentType.includes('application/json') && raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      } else if (contentType.includes('multipart/form-data')) body = formFields(raw, contentType);
      const method = (req.method ?? 'GET').toUpperCase();
      const route = validator.route(method, url.pathname);
      const schemaErrors = route && contentType.includes('application/json') ? validator.validate(method, route, body) : null;
      const record: RecordedRequest = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        route,
        headers: req.headers,
        body,
        contentType,
        schemaErrors,
        status: 0,
        response: undefined,
      };
      requests.push(record);
      let status = 200;
      let response: unknown;
      try {
        if (!req.headers['xi-api-key']) throw new HttpError(401, { status: 'invalid_api_key', message: 'No API key' });
        const failure = failures.find((f) => f.method === method && (f.route === route || f.route === url.pathname));
        if (failure && (failure.after ?? 0) > 0) failure.after! -= 1;
        else if (failure) {
          failure.times = (failure.times ?? 1) - 1;
          if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
          throw new HttpError(failure.status, { status: 'injected', message: failure.detail ?? `Injected failure for ${method} ${route}` });
        }
        if (schemaErrors?.length) throw new HttpError(422, schemaErrors.map((msg) => ({ loc: ['body'], msg, type: 'value_error' })));
        const params = route ? (url.pathname.match(new RegExp(`^${route.replace(/\{[^}]+\}/g, '([^/]+)')}$`))?.slice(1) ?? []).map(decodeURIComponent) : [];
        response = handle(method, route ?? url.pathname, params, body, record.query);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        status = error.status;
        response = { detail: error.detail };
      }
      record.status = status;
      record.response = response;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(response));
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    createdToolIds: () => [...created],
    inject: (failure) => failures.push({ ...failure }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
