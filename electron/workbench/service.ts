import { ParleyError } from '../../shared/errors';
import type { Session } from '../../shared/session';
import { MAX_EXAMPLE_BODY_CHARS, MAX_FIXTURES_JSON_CHARS, MAX_TOOL_EXAMPLES, type ToolExample, type ToolSpec } from '../../shared/spec';
import { MAX_SHOWN_BODY_BYTES, type ImportPreview, type ImportResult, type ImportSource, type TryRequestShown, type TryResult, type TrySecret } from '../../shared/workbench';
import type { SecretStore } from '../secrets/types';
import type { SessionService } from '../services/sessions';
import { exampleInput } from './example-input';
import { fire, type FireOptions, type FireOutcome, type FireRequest, type FireResponse } from './http';
import type { ParsedDescription } from './operations';
import { proposeSchema } from './infer';
import { authValue, buildRequest, credentialOf, redact, secretForms } from './request';

/**
 * The tool workbench: imports API descriptions into a session's tools, and test-fires a tool's
 * real request from this process. The tool's secret is read from the key store here, put on the
 * request, and nowhere else: what is returned, saved or shown names the secret, never its value,
 * and a response that echoes it has it replaced by the name.
 */
export interface WorkbenchService {
  parse(source: ImportSource): Promise<ImportPreview>;
  import(sessionId: string, source: ImportSource, operations?: string[]): Promise<ImportResult>;
  exampleInput(sessionId: string, tool: number): Promise<{ input: Record<string, unknown>; secret: TrySecret | null }>;
  try(request: TryInput): Promise<TryResult>;
  cancel(tryId: string): { cancelled: boolean };
  saveExample(sessionId: string, tool: number, tryId: string): Promise<Session>;
}

export interface TryInput {
  sessionId: string;
  tool: number;
  tryId: string;
  input: Record<string, unknown>;
  confirmHost?: boolean;
  allowPrivate?: boolean;
  /** A value typed for the tool's secret: stored in the key store before the request. */
  secret?: string;
}

export interface WorkbenchDeps {
  sessions: Pick<SessionService, 'get' | 'update'>;
  secrets: Pick<SecretStore, 'getToolSecret' | 'setToolSecret'>;
  clock: () => Date;
  newId: () => string;
  /** Network settings for tests (an extra CA, a hand-fired timer); the system's otherwise. */
  network?: Pick<FireOptions, 'ca' | 'lookup' | 'setTimer' | 'now' | 'timeoutMs'>;
}

/** Test-fire results kept for "save as fixture" (the newest few; memory only). */
const KEPT_RESULTS = 20;
/** An API description fetched from an address may be this large. */
const MAX_DESCRIPTION_BYTES = 16 * 1024 * 1024;

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function toolAt(session: Session, index: number): ToolSpec {
  const tool = session.spec.tools[index];
  if (!tool) throw new ParleyError('NOT_FOUND', `This design has no tool ${index + 1} (it has ${session.spec.tools.length}).`);
  return tool;
}

function updateTool(session: Session, index: number, change: (tool: ToolSpec) => ToolSpec, at: string): Session {
  const tools = session.spec.tools.map((t, i) => (i === index ? change(t) : t));
  return { ...session, spec: { ...session.spec, tools }, updatedAt: at };
}

function problemFor(status: number, request: FireRequest, secretLabel: string | null, sentSecret: boolean): string | null {
  if (status === 401 || status === 403) {
    if (!secretLabel) return `${status}: the server refused the request without credentials. This tool has no auth: set its auth (and the secret to send).`;
    return sentSecret
      ? `${status}: the server refused the credentials. Check the secret ${secretLabel}: its value may be wrong, expired or lack permission for this call.`
      : `${status}: no value is stored for the secret ${secretLabel}, so the request went without it. Type it in the test-fire's secret field (the CLI: --secrets-from-stdin) and fire again.`;
  }
  if (status === 404) return `404 Not Found: nothing at ${request.method} ${request.url}. Check the endpoint and the path inputs.`;
  if (status === 405) return `405: the server does not accept ${request.method} at ${request.url}. Check the tool's method.`;
  if (status >= 500) return `${status}: the server failed to answer. Try again later, or check its logs.`;
  if (status >= 400) return `${status}: the server refused the request; the body below usually says why.`;
  return null;
}

interface TryState {
  running: Map<string, AbortController>;
  results: Map<string, { sessionId: string; tool: number; example: ToolExample }>;
}

/** What the user agreed to (a new host, private addresses) is remembered on the tool, before the call. */
async function rememberConsent(deps: WorkbenchDeps, input: TryInput, tool: ToolSpec, host: string, allowPrivate: boolean): Promise<ToolSpec> {
  const known = tool.workbench?.confirmed_hosts ?? [];
  if (known.includes(host) && (!allowPrivate || tool.workbench?.allow_private_network)) return tool;
  const updated = await deps.sessions.update(input.sessionId, (latest) =>
    updateTool(
      latest,
      input.tool,
      (t) => ({
        ...t,
        workbench: {
          ...t.workbench,
          confirmed_hosts: [...new Set([...(t.workbench?.confirmed_hosts ?? []), host])].slice(-50),
          ...(allowPrivate ? { allow_private_network: true } : {}),
        },
      }),
      deps.clock().toISOString(),
    ),
  );
  return toolAt(updated, input.tool);
}

/** The request as sent (secret added) and how to scrub the secret from what comes back. */
async function withSecret(deps: WorkbenchDeps, tool: ToolSpec, index: number, request: FireRequest) {
  const credential = credentialOf(tool, index);
  const sent: FireRequest = { ...request, headers: { ...request.headers } };
  let forms: string[] = [];
  let sentSecret = false;
  if (credential) {
    const secret = await deps.secrets.getToolSecret(credential.label);
    if (secret) {
      const value = authValue(credential, tool, secret);
      sent.headers[credential.header] = value;
      forms = secretForms(secret, value);
      sentSecret = true;
    }
  }
  const clean = (text: string) => (credential ? redact(text, forms, credential.label) : text);
  return { sent, clean, sentSecret, label: credential?.label ?? null };
}

function prettyBody(raw: string, truncated: boolean, contentType: string): { body: string; json: boolean } {
  let json = /json/i.test(contentType);
  if (truncated) return { body: raw, json };
  try {
    const body = JSON.stringify(JSON.parse(raw), null, 2);
    json = true;
    return { body, json };
  } catch {
    return { body: raw, json };
  }
}

function exampleOf(input: TryInput, shown: TryRequestShown, outcome: FireResponse, raw: string, headers: Record<string, string>, at: string): ToolExample {
  return {
    at,
    input: structuredClone(input.input),
    request: { method: shown.method, url: outcome.url, headers: shown.headers, ...(shown.body !== undefined ? { body: shown.body.slice(0, MAX_EXAMPLE_BODY_CHARS) } : {}) },
    response: {
      status: outcome.status,
      headers,
      body: raw.slice(0, MAX_EXAMPLE_BODY_CHARS),
      truncated: raw.length > MAX_EXAMPLE_BODY_CHARS || outcome.truncated,
      latency_ms: Math.round(outcome.latencyMs),
    },
  };
}

async function tryTool(deps: WorkbenchDeps, state: TryState, input: TryInput): Promise<TryResult> {
  const session = await deps.sessions.get(input.sessionId);
  let tool = toolAt(session, input.tool);
  const request = buildRequest(tool, input.input);
  const host = new URL(request.url).host;
  const credential = credentialOf(tool, input.tool);
  const shown: TryRequestShown = { method: request.method, url: request.url, headers: { ...request.headers }, body: request.body };
  if (credential) shown.headers[credential.header.toLowerCase()] = `<secret ${credential.label}>`;
  if (!(tool.workbench?.confirmed_hosts ?? []).includes(host) && !input.confirmHost) {
    return { kind: 'confirm-host', host, message: `${tool.name?.value ?? 'This tool'} has never called ${host}. Send a real request there${credential ? ` with the secret ${credential.label}` : ''}?` };
  }
  const allowPrivate = input.allowPrivate === true || tool.workbench?.allow_private_network === true;
  tool = await rememberConsent(deps, input, tool, host, input.allowPrivate === true);
  if (input.secret !== undefined) {
    if (!credential) throw new ParleyError('INVALID_INPUT', `${tool.name?.value ?? 'This tool'} has no auth, so it sends no secret. Set its auth in the spec panel first.`);
    // Kept like a secret typed at Publish: the next test-fire and the next Publish find it.
    await deps.secrets.setToolSecret(credential.label, input.secret);
  }
  const { sent, clean, sentSecret, label } = await withSecret(deps, tool, input.tool, request);

  if (state.running.has(input.tryId)) throw new ParleyError('CONFLICT', 'A test-fire with this id is already running.');
  const controller = new AbortController();
  state.running.set(input.tryId, controller);
  let outcome: FireOutcome;
  try {
    outcome = await fire(sent, { ...deps.network, allowPrivate, signal: controller.signal, carriesSecret: sentSecret });
  } finally {
    state.running.delete(input.tryId);
  }
  if (outcome.kind === 'error') return { kind: 'error', reason: outcome.reason, message: clean(outcome.message), request: shown };

  const raw = clean(outcome.body.toString('utf8'));
  const { body, json } = prettyBody(raw, outcome.truncated, outcome.headers['content-type'] ?? '');
  const headers = Object.fromEntries(Object.entries(outcome.headers).map(([k, v]) => [k, clean(v)]));
  const ok = outcome.status >= 200 && outcome.status < 300;
  state.results.set(input.tryId, { sessionId: input.sessionId, tool: input.tool, example: exampleOf(input, shown, outcome, raw, headers, deps.clock().toISOString()) });
  while (state.results.size > KEPT_RESULTS) state.results.delete(state.results.keys().next().value!);
  return {
    kind: 'response',
    tryId: input.tryId,
    request: { ...shown, url: outcome.url },
    status: outcome.status,
    statusText: outcome.statusText,
    latencyMs: Math.round(outcome.latencyMs),
    headers,
    body,
    json,
    size: outcome.size,
    truncated: outcome.truncated,
    notice: outcome.truncated ? `The response is ${mb(outcome.size)}; only the first ${mb(MAX_SHOWN_BODY_BYTES)} is shown, and the rest was not downloaded.` : null,
    problem: problemFor(outcome.status, { ...request, url: outcome.url }, label, sentSecret),
    schema: ok ? proposeSchema(tool.output_schema?.value, raw, json) : { matches: false, changes: [`Not a success (${outcome.status}); no schema is proposed from an error body.`], proposed: null },
  };
}

export function createWorkbenchService(deps: WorkbenchDeps): WorkbenchService {
  const state: TryState = { running: new Map(), results: new Map() };
  const now = () => deps.clock().toISOString();
  // The parsers (swagger-parser, js-yaml, shell-quote) load on the first import, not at start-up.
  const importer = () => import('./import');

  async function describe(source: ImportSource): Promise<ParsedDescription> {
    const { parseDescription } = await importer();
    if ('text' in source) return parseDescription(source.text);
    const outcome = await fire(
      { method: 'GET', url: source.url, headers: { accept: 'application/json, application/yaml, text/yaml, */*' } },
      { ...deps.network, allowPrivate: source.allowPrivate === true, maxBodyBytes: MAX_DESCRIPTION_BYTES },
    );
    if (outcome.kind === 'error') throw new ParleyError(outcome.reason === 'invalid' || outcome.reason === 'private-address' ? 'INVALID_INPUT' : 'PROVIDER_UNAVAILABLE', outcome.message);
    if (outcome.status < 200 || outcome.status > 299) throw new ParleyError('NOT_FOUND', `${source.url} answered ${outcome.status}; no API description was read.`);
    if (outcome.truncated) throw new ParleyError('INVALID_INPUT', `The description at ${source.url} is larger than ${mb(MAX_DESCRIPTION_BYTES)}.`);
    return parseDescription(outcome.body.toString('utf8'));
  }

  return {
    async parse(source) {
      const parsed = await describe(source);
      return (await importer()).previewOf(parsed);
    },

    async import(sessionId, source, operations) {
      const parsed = await describe(source);
      const { importIntoSession, pickOperations } = await importer();
      const ops = pickOperations(parsed, operations);
      let result: ImportResult | undefined;
      await deps.sessions.update(sessionId, (latest) => {
        const imported = importIntoSession(latest, parsed, ops, now(), deps.newId);
        result = imported;
        return imported.session;
      });
      return result!;
    },

    async exampleInput(sessionId, index) {
      const tool = toolAt(await deps.sessions.get(sessionId), index);
      const credential = credentialOf(tool, index);
      const secret = credential ? { label: credential.label, holds: credential.holds, stored: (await deps.secrets.getToolSecret(credential.label)) !== null } : null;
      return { input: exampleInput(tool.input_schema?.value), secret };
    },

    try: (input) => tryTool(deps, state, input),

    cancel(tryId) {
      const controller = state.running.get(tryId);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },

    async saveExample(sessionId, index, tryId) {
      const kept = state.results.get(tryId);
      if (!kept || kept.sessionId !== sessionId || kept.tool !== index) throw new ParleyError('NOT_FOUND', 'That test-fire is no longer kept; fire the tool again, then save it.');
      return deps.sessions.update(sessionId, (latest) => {
        toolAt(latest, index);
        const next = updateTool(latest, index, (t) => ({ ...t, workbench: { ...t.workbench, examples: [...(t.workbench?.examples ?? []), kept.example].slice(-MAX_TOOL_EXAMPLES) } }), now());
        const size = next.spec.tools.reduce((n, t) => n + JSON.stringify(t.workbench?.examples ?? []).length, 0);
        if (size > MAX_FIXTURES_JSON_CHARS) {
          throw new ParleyError('INVALID_INPUT', `The saved fixtures would take ${mb(size)}, more than the ${mb(MAX_FIXTURES_JSON_CHARS)} a design keeps; remove some tools' fixtures (or save a smaller response) first.`);
        }
        return next;
      });
    },
  };
}
