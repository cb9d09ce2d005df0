import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { startElevenLabsMock, type ElevenLabsMock } from '../../tests/helpers/elevenlabs-mock';
import { agentBodies, commandProblems, deployProblems, deployProject, killDeployProcesses, removeCliHome } from '../../tests/helpers/elevenlabs-deploy';
import { readExistingProject, writeProject } from '../fs/project';
import { exportSession } from './index';
import { parseWithElevenLabsSdk } from '../../tests/support/export/elevenlabs-schema';
import { f, finalize, sessionWith } from '../../tests/support/export/sessions';
import { safeToolName } from './naming';
import { SECRET_PATTERNS } from './secrets';
import { isFunctionWord } from './lint';
import { DATA_ITEM_TYPES, HTTP_METHODS, TRANSFER_TYPES, USER_EDIT, type AgentSpec, type ToolSpec } from '../../shared/spec';
import type { ElevenLabsAgentBody, ElevenLabsWebhookTool } from './elevenlabs';

type Schema = Record<string, unknown>;

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,14}$/).filter((name) => !isFunctionWord(name));
/** Parameter names: identifiers, or any text that is not an English function word (lint refuses those unless confirmed). */
const paramName = fc.oneof(ident, text.filter((name) => !isFunctionWord(name.trim())));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Property schemas: scalars with optional enum/format/limits, nested objects and arrays. */
const { schema } = fc.letrec<{ schema: Schema; literal: Schema; object: Schema; array: Schema }>((tie) => ({
  schema: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('literal'), tie('object'), tie('array')),
  literal: fc
    .record(
      {
        type: fc.constantFrom('string', 'number', 'integer', 'boolean', undefined),
        description: optional(text),
        enum: optional(fc.array(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 4 })),
        format: optional(fc.constantFrom('date-time', 'email', 'uuid')),
        minimum: optional(fc.integer()),
      },
      { requiredKeys: [] },
    )
    .map(dropUndefined),
  object: fc
    .record({ description: optional(text), properties: fc.dictionary(paramName, tie('schema'), { maxKeys: 4 }), pickRequired: fc.boolean() })
    .map(({ description, properties, pickRequired }) =>
      dropUndefined({ type: 'object', description, properties, required: pickRequired ? Object.keys(properties).slice(0, 2) : undefined }),
    ),
  array: fc.record({ description: optional(text), items: optional(tie('schema')) }).map((a) => dropUndefined({ type: 'array', ...a })),
}));

function dropUndefined(o: Record<string, unknown>): Schema {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const auth = fc.record(
  {
    type: fc.constantFrom('none', 'api_key', 'bearer', 'basic', 'oauth2' as const),
    header: optional(fc.constantFrom('Authorization', 'X-API-Key', 'X-Token')),
    secret_name: optional(fc.stringMatching(/^[A-Z][A-Z0-9_]{2,20}$/)),
  },
  { requiredKeys: ['type'] },
);

const tool: fc.Arbitrary<ToolSpec> = fc
  .record({
    name: fc.oneof(ident, text),
    purpose: optional(text),
    segments: fc.array(fc.oneof(ident, ident.map((p) => `{${p}}`)), { minLength: 1, maxLength: 4 }),
    method: optional(fc.constantFrom(...HTTP_METHODS)),
    auth: optional(auth),
    params: fc.dictionary(paramName, schema, { maxKeys: 5 }),
    pathParamsDefined: fc.boolean(),
    output: optional(schema),
    trigger: optional(text),
    error_handling: optional(text),
  })
  .map((t) => {
    const endpoint = `https://api.example.com/${t.segments.join('/')}`;
    const properties: Schema = { ...t.params };
    if (t.pathParamsDefined) {
      for (const seg of t.segments) if (seg.startsWith('{')) properties[seg.slice(1, -1)] = { type: 'string', description: 'Path value.' };
    }
    const spec: ToolSpec = {
      name: f(t.name),
      endpoint: f(endpoint),
      input_schema: f({ type: 'object', properties, required: Object.keys(properties).slice(0, 2) }),
    };
    if (t.purpose) spec.purpose = f(t.purpose);
    if (t.method) spec.method = f(t.method);
    if (t.auth) spec.auth = f(t.auth);
    if (t.output) spec.output_schema = f(t.output);
    if (t.trigger) spec.trigger = f(t.trigger);
    if (t.error_handling) spec.error_handling = f(t.error_handling);
    return spec;
  });

const e164 = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^[0-9]{7,12}$/)).map(([cc, rest]) => `+${cc}${rest}`);
const transfer = fc.record({ phone_number: e164, condition: optional(text), transfer_type: optional(fc.constantFrom(...TRANSFER_TYPES)) }).map((t) => ({
  phone_number: f(t.phone_number),
  ...(t.condition ? { condition: f(t.condition) } : {}),
  ...(t.transfer_type ? { transfer_type: f(t.transfer_type) } : {}),
}));
const dataItem = fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/), type: fc.constantFrom(...DATA_ITEM_TYPES), description: text.filter((t) => t.trim().length > 0) });
const criterion = fc.record({ name: text.filter((t) => t.trim().length > 0), goal: text.filter((t) => t.trim().length > 0) });

/** Designs as the interview leaves them, with everything a deployable agent may carry. */
export const spec: fc.Arbitrary<AgentSpec> = fc
  .record({
    agent_type: text,
    business_name: optional(text),
    goals: text,
    tone: text,
    language: optional(fc.constantFrom('English', 'en', 'es', 'de-DE', 'pt_BR', 'Klingon', 'Français', 'ja', 'nl')),
    additional: optional(fc.uniqueArray(fc.constantFrom('es', 'fr', 'de', 'pt-BR', 'it'), { minLength: 1, maxLength: 3 })),
    direction: optional(fc.constantFrom('inbound' as const, 'outbound' as const)),
    timezone: optional(fc.constantFrom('Europe/Madrid', 'America/New_York', 'Asia/Tokyo')),
    transfers: fc.array(transfer, { maxLength: 2 }),
    endWhen: optional(text),
    voicemail: optional(fc.oneof(fc.constant({ action: 'hang_up' as const }), text.map((message) => ({ action: 'leave_message' as const, message })))),
    data: fc.uniqueArray(dataItem, { maxLength: 3, selector: (d) => d.name }),
    criteria: fc.array(criterion, { maxLength: 2 }),
    temperature: optional(fc.double({ min: 0, max: 1, noNaN: true })),
    tools: fc.uniqueArray(tool, { maxLength: 6, selector: (t) => safeToolName(t.name?.value ?? '').toLowerCase() || Math.random() }),
    handWritten: optional(fc.string({ unit: 'grapheme', minLength: 25, maxLength: 200 })),
    greeting: optional(text),
  })
  .map((s) => {
    const base: AgentSpec = {
      agent_type: f(s.agent_type),
      goals: f(s.goals),
      tone: f(s.tone),
      use_tools: f(s.tools.length > 0),
      tools: s.tools,
      transfers: s.transfers,
      data_collection: s.data.map((d) => f(d)),
      success_criteria: s.criteria.map((c) => f(c)),
      candidates: {},
    };
    if (s.business_name) base.business_name = f(s.business_name);
    if (s.language) base.language = f(s.language);
    if (s.additional) base.additional_languages = f(s.additional);
    if (s.direction) base.call_direction = f(s.direction);
    if (s.timezone) base.timezone = f(s.timezone);
    if (s.endWhen) base.end_call_conditions = f(s.endWhen);
    if (s.voicemail) base.voicemail = f(s.voicemail);
    if (s.temperature !== undefined) base.temperature = f(s.temperature);
    const done = finalize(base);
    if (s.handWritten && s.handWritten.trim().length >= 20) done.system_prompt = f(s.handWritten, USER_EDIT);
    if (s.greeting) done.first_message = f(s.greeting, USER_EDIT);
    return done;
  });

const secret = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{40}$/).map((s) => `sk-${s}`),
  fc.stringMatching(/^[A-Z0-9]{16}$/).map((s) => `AKIA${s}`),
  fc.stringMatching(/^[a-f0-9]{48}$/).map((s) => `sk_${s}`),
);

function anyKeyShaped(content: string): boolean {
  return SECRET_PATTERNS.some(({ pattern }) => pattern.test(content));
}

describe('property: random valid specs', () => {
  it('every ElevenLabs project of 500 random specs has an agent the SDK schema accepts, standalone tools, and no secret', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const result = exportSession(sessionWith(s, s.agent_type?.value ?? 'agent'), 'elevenlabs', { model: 'gpt-5.5' });
        const files = new Map((result.files ?? []).map((x) => [x.path, x.content]));
        const json = JSON.parse(result.content) as ElevenLabsAgentBody;
        const parsed = parseWithElevenLabsSdk(json);
        expect(parsed.errors ?? []).toEqual([]);
        for (const content of files.values()) expect(anyKeyShaped(content)).toBe(false);
        const prompt = json.conversation_config.agent?.prompt;
        expect(prompt).not.toHaveProperty('tools');
        expect(prompt?.built_in_tools?.end_call).toBeDefined();
        expect(!!prompt?.built_in_tools?.voicemail_detection).toBe(s.call_direction?.value === 'outbound');
        const list = (JSON.parse(files.get('tools.json')!) as { tools: Array<{ config: string; type: string }> }).tools;
        expect(list).toHaveLength(s.tools.length);
        expect(prompt?.tool_ids).toHaveLength(s.tools.length);
        for (const entry of list) {
          const t = JSON.parse(files.get(entry.config)!) as ElevenLabsWebhookTool;
          expect(t.type).toBe('webhook');
          expect(t.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
          expect(prompt?.tool_ids).toContain(t.name);
          const placeholders = [...t.api_schema.url.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
          expect(Object.keys(t.api_schema.path_params_schema ?? {}).sort()).toEqual([...new Set(placeholders)].sort());
          for (const header of Object.values(t.api_schema.request_headers ?? {})) expect(header).toEqual({ env_var_label: expect.stringMatching(/^[A-Za-z0-9_]+$/) });
        }
      }),
      { numRuns: 500 },
    );
  }, 120_000);

  it('a secret typed into any text field is refused, in every format', () => {
    fc.assert(
      fc.property(spec, secret, fc.nat(), (s, key, pick) => {
        const slots: Array<(value: string) => void> = [
          (v) => (s.goals = f(`${s.goals?.value} ${v}`)),
          (v) => (s.tone = f(v)),
          ...s.tools.flatMap((t) => [
            (v: string) => (t.purpose = f(`use ${v}`)),
            (v: string) => (t.auth = f({ type: 'bearer' as const, secret_name: v })),
            (v: string) => (t.input_schema = f({ type: 'object', properties: { a: { type: 'string', description: v } } })),
          ]),
        ];
        slots[pick % slots.length]!(key);
        const session = sessionWith(s, 'agent');
        for (const format of ['elevenlabs', 'elevenlabs-agent', 'vapi', 'openai-realtime', 'markdown', 'parley'] as const) {
          expect(() => exportSession(session, format)).toThrow(/secret/);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('property: random designs deploy', () => {
  let mock: ElevenLabsMock | undefined;
  const dirs: string[] = [];
  afterAll(async () => {
    killDeployProcesses();
    await mock?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    await removeCliHome();
  });

  /** Tool names unique across the batch: the agents of one project share its tool_configs/ folder. */
  function distinct(specs: AgentSpec[]): AgentSpec[] {
    return specs.map((s, i) => ({ ...s, tools: s.tools.map((t, j) => ({ ...t, name: f(`a${i}_${safeToolName(t.name?.value ?? '') || 'tool'}_${j}`.slice(0, 60)) })) }));
  }

  it('every generated project is pushed by the official CLI to the mock: tools push → link → agents push', async () => {
    mock ??= await startElevenLabsMock();
    const api = mock;
    let runs = 0;
    let agents = 0;
    let tools = 0;
    // The CLI takes about a second per command: a few projects of several agents each, one deploy per project.
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 6, maxLength: 6 }), async (batch) => {
        const dir = await mkdtemp(path.join(tmpdir(), 'parley-prop-deploy-'));
        dirs.push(dir);
        const project = path.join(dir, 'project');
        for (const [i, s] of distinct(batch).entries()) {
          const result = exportSession(sessionWith(s, `Agent ${i} ${s.agent_type?.value ?? ''}`), 'elevenlabs', { model: 'gpt-5.5' }, await readExistingProject(project));
          await writeProject(project, result.files!);
        }
        const deploy = await deployProject(project, api, 'script');
        expect(commandProblems(deploy.runs)).toEqual([]);
        expect(deployProblems(deploy.requests)).toEqual([]);
        expect(agentBodies(deploy.requests)).toHaveLength(batch.length);
        runs++;
        agents += batch.length;
        tools += batch.reduce((n, s) => n + s.tools.length, 0);
      }),
      // A failing batch is reported as found: shrinking would spawn the CLI hundreds of times.
      { numRuns: 4, endOnFailure: true },
    );
    expect({ runs, agents }).toEqual({ runs: 4, agents: 24 });
    expect(tools).toBeGreaterThan(0);
  }, 300_000);
});
