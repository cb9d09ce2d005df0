import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channels } from './ipc';
import { SESSION_SCHEMA_VERSION, Session } from './session';
import {
  MAX_CANDIDATES,
  MAX_FIELD_CHARS,
  MAX_FILE_BYTES,
  MAX_MESSAGES_TOTAL_CHARS,
  MAX_JSON_DEPTH,
  MAX_MESSAGE_CHARS,
  MAX_PREVIEW_FRAME_BYTES,
  MAX_REPLY_TOKENS,
  MAX_TOOLS,
  VALUE_BOUNDS,
  jsonBoundsProblem,
  replyCharCap,
} from './limits';

/** A value nested `depth` objects deep, built without recursion (as JSON.parse would build it). */
export function nested(depth: number, leaf: unknown = 'x'): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { type: 'object', properties: { child: v } };
  return v;
}

const at = '2026-01-01T00:00:00.000Z';
const field = (value: unknown) => ({ value, confidence: 1, source: 'user-edit', locked: false });
function session(spec: Record<string, unknown> = {}, messages: Array<{ text: string }> = []) {
  return {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id: '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f',
    title: 't',
    createdAt: at,
    updatedAt: at,
    provider: 'auto',
    stage: 'REVIEWING_WORKFLOW',
    stageHistory: [],
    awaiting: null,
    spec: { tools: [], candidates: {}, ...spec },
    messages: messages.map((m, i) => ({ id: `m${i}`, role: 'user', createdAt: at, ...m })),
  };
}
const issues = (value: unknown) => {
  const r = Session.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('limits', () => {
  it('the preview frame holds a request importing the largest file Parley reads', () => {
    expect(channels['sessions:import'].input.options[0].shape.text.maxLength).toBe(MAX_FILE_BYTES);
    // Escaped as a JSON string, a JSON text (compact or indented, any characters) takes at most twice its UTF-8 bytes.
    const escapedAtMostTwice = (text: string) => Buffer.byteLength(JSON.stringify(text)) <= 2 * Buffer.byteLength(text) + 2;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, pretty) => escapedAtMostTwice(JSON.stringify(value, null, pretty ? 2 : undefined))),
      { numRuns: 500, seed: 1711 },
    );
    for (const worst of [`"${'\\\\'.repeat(1000)}"`, `"${'\\"'.repeat(1000)}"`, `[${'\n'.repeat(1000)}]`, '"\\u0001"', JSON.stringify('\ud800'), '"😀€"']) {
      expect(escapedAtMostTwice(worst), worst.slice(0, 10)).toBe(true);
    }
    const envelope = Buffer.byteLength(JSON.stringify({ id: Number.MAX_SAFE_INTEGER, channel: 'sessions:import', input: { text: '' } }));
    expect(2 * MAX_FILE_BYTES + envelope).toBeLessThanOrEqual(MAX_PREVIEW_FRAME_BYTES);
  });

  it('a message holds the longest reply a provider may send at the largest maxTokens', () => {
    expect(replyCharCap(MAX_REPLY_TOKENS)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(channels['settings:set'].input.shape.maxTokens.unwrap().maxValue).toBe(MAX_REPLY_TOKENS);
  });

  it('measures depth, string length, size and JSON-ness without recursion', () => {
    expect(jsonBoundsProblem(nested(15), VALUE_BOUNDS)).toBeNull(); // 30 levels
    expect(jsonBoundsProblem(nested(17), VALUE_BOUNDS)?.message).toMatch(/more than 32 levels/);
    // 1,000,000 levels: iterative, and it stops at the bound.
    expect(jsonBoundsProblem(JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000)), VALUE_BOUNDS)?.message).toMatch(/more than 32 levels/);
    expect(jsonBoundsProblem({ a: 'x'.repeat(MAX_FIELD_CHARS) }, VALUE_BOUNDS)).toBeNull();
    expect(jsonBoundsProblem({ a: ['x'.repeat(MAX_FIELD_CHARS + 1)] }, VALUE_BOUNDS)).toEqual({ path: ['a', 0], message: expect.stringMatching(/100,001 characters long; Parley keeps at most 100,000/) });
    expect(jsonBoundsProblem({ ['k'.repeat(MAX_FIELD_CHARS + 1)]: 1 }, VALUE_BOUNDS)?.message).toMatch(/key of 100,001/);
    expect(jsonBoundsProblem(Array.from({ length: 20 }, () => 'x'.repeat(60_000)), VALUE_BOUNDS)?.message).toMatch(/over 1,000,000 characters as JSON/);
    expect(jsonBoundsProblem({ n: 10n }, VALUE_BOUNDS)).toEqual({ path: ['n'], message: 'is a bigint, which JSON cannot hold' });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(jsonBoundsProblem(cycle, VALUE_BOUNDS)?.message).toMatch(/levels deep/);
  });

  // Issue 17.7: a schema 3,000 levels deep (170 KB) passed validation, then the save overflowed the stack.
  it('refuses the 3,000-level schema, and names the limit', () => {
    const deep = nested(1500, { type: 'string', description: 'd'.repeat(60) }); // 3,000 levels
    const s = session({ tools: [{ name: field('lookup'), input_schema: field(deep) }] });
    expect(JSON.parse(JSON.stringify({ ...s, spec: {} })).spec).toEqual({}); // the rest of it is fine
    expect(issues(s)).toEqual([expect.stringMatching(/^spec\.tools\.0\.input_schema\.value\.properties\.child\..*…: nests more than 32 levels deep/)]);
    expect(issues(session({ tools: [{ input_schema: field(nested(MAX_JSON_DEPTH / 2 - 1)) }] }))).toEqual([]);
  });

  it('refuses too many tools or candidates, over-long texts and messages, anywhere in the session', () => {
    const tool = { name: field('t') };
    expect(issues(session({ tools: Array.from({ length: MAX_TOOLS }, () => tool) }))).toEqual([]);
    expect(issues(session({ tools: Array.from({ length: MAX_TOOLS + 1 }, () => tool) }))).toEqual(['spec.tools: has 201 tools; Parley keeps at most 200']);
    const candidates = Object.fromEntries(Array.from({ length: MAX_CANDIDATES + 1 }, (_, i) => [`c${i}`, { value: 1, confidence: 0.1, source: 's' }]));
    expect(issues(session({ candidates }))).toEqual(['spec.candidates: has 2,001 candidates; Parley keeps at most 2,000']);
    expect(issues(session({ candidates: { goals: { value: nested(40), confidence: 0.1, source: 's' } } }))[0]).toMatch(/^spec\.candidates\.goals\.value\..*levels deep/);
    expect(issues(session({ system_prompt: field('p'.repeat(MAX_FIELD_CHARS + 1)) }))).toEqual([expect.stringMatching(/^spec\.system_prompt\.value: is 100,001 characters long/)]);
    expect(issues(session({ goals: { ...field('g'), source: 's'.repeat(MAX_FIELD_CHARS + 1) } }))).toEqual([expect.stringMatching(/^spec\.goals\.source: is 100,001/)]);
    expect(issues(session({}, [{ text: 'm'.repeat(MAX_MESSAGE_CHARS + 1) }]))).toEqual([expect.stringMatching(/^messages\.0\.text: Too big/)]);
    const many = Math.ceil(MAX_MESSAGES_TOTAL_CHARS / MAX_MESSAGE_CHARS);
    expect(issues(session({}, Array.from({ length: many - 1 }, () => ({ text: 'm'.repeat(MAX_MESSAGE_CHARS) }))))).toEqual([]);
    expect(issues(session({}, Array.from({ length: many }, () => ({ text: 'm'.repeat(MAX_MESSAGE_CHARS) }))))).toEqual([expect.stringMatching(/^messages: hold 13,003,328 characters together \(counting 256 a message\)/)]);
  });

  it('nothing that validates fails to serialize', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.string(), fc.double(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 3 }),
      object: fc.dictionary(fc.string({ maxLength: 5 }), tie('value'), { maxKeys: 3 }),
    })).value;
    // Deep chains around the limit, with generated leaves.
    const chain = fc.tuple(fc.integer({ min: 0, max: 3 * MAX_JSON_DEPTH }), json).map(([depth, leaf]) => {
      let v = leaf;
      for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { p: v };
      return v;
    });
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(json, chain), (value) => {
        const parsed = Session.safeParse(session({ tools: [{ input_schema: field(value), output_schema: field(value) }], candidates: { goals: { value, confidence: 0.2, source: 's' } } }));
        if (!parsed.success) return;
        accepted++;
        expect(() => JSON.parse(JSON.stringify(parsed.data))).not.toThrow();
        expect(() => structuredClone(parsed.data)).not.toThrow();
      }),
      { numRuns: 500, seed: 1707 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
