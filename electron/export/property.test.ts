import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportSession } from './index';
import { parseWithElevenLabsSdk } from '../../tests/support/export/elevenlabs-schema';
import { f, finalize, sessionWith } from '../../tests/support/export/sessions';
import { safeToolName } from './naming';
import { SECRET_PATTERNS } from './secrets';
import { HTTP_METHODS, USER_EDIT, type AgentSpec, type ToolSpec } from '../../shared/spec';
import type { ElevenLabsAgentBody } from './elevenlabs';

type Schema = Record<string, unknown>;

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,14}$/);
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
    .record({ description: optional(text), properties: fc.dictionary(fc.oneof(ident, text), tie('schema'), { maxKeys: 4 }), pickRequired: fc.boolean() })
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
    params: fc.dictionary(fc.oneof(ident, text), schema, { maxKeys: 5 }),
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

const spec: fc.Arbitrary<AgentSpec> = fc
  .record({
    agent_type: text,
    goals: text,
    tone: text,
    language: optional(fc.constantFrom('English', 'es', 'de-DE', 'pt_BR', 'Klingon', 'Français')),
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
      candidates: {},
    };
    if (s.language) base.language = f(s.language);
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
  it('every ElevenLabs export of 500 random specs is accepted by the SDK schema and holds no secret', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const result = exportSession(sessionWith(s, s.agent_type?.value ?? 'agent'), 'elevenlabs', { model: 'gpt-5.5' });
        const json = JSON.parse(result.content) as ElevenLabsAgentBody;
        const parsed = parseWithElevenLabsSdk(json);
        expect(parsed.errors ?? []).toEqual([]);
        expect(anyKeyShaped(result.content)).toBe(false);
        const tools = json.conversation_config.agent?.prompt?.tools ?? [];
        expect(tools).toHaveLength(s.tools.length);
        for (const t of tools) {
          if (t.type !== 'webhook') continue;
          expect(t.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
          const placeholders = [...t.api_schema.url.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
          expect(Object.keys(t.api_schema.path_params_schema ?? {}).sort()).toEqual([...new Set(placeholders)].sort());
          for (const header of Object.values(t.api_schema.request_headers ?? {})) expect(header).toEqual({ secret_id: expect.any(String) });
        }
      }),
      { numRuns: 500 },
    );
  });

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
        for (const format of ['elevenlabs', 'vapi', 'openai-realtime', 'markdown', 'parley'] as const) {
          expect(() => exportSession(session, format)).toThrow(/secret/);
        }
      }),
      { numRuns: 100 },
    );
  });
});
