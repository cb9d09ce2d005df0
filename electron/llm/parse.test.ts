import { describe, it, expect } from 'vitest';
import { parseTurnText, rawTurn, salvageReply, jsonCandidates } from './parse';
import { turnJsonSchema } from './schema';

const wire = {
  reply: 'Great, a booking agent. What tone should it use?',
  extracted: [
    { field: 'agent_type', value: 'booking', confidence: 0.9 },
    { field: 'tools[0].auth', value: '{"type":"bearer","header":"Authorization"}', confidence: 0.8 },
  ],
  stage_complete: null,
  awaiting: 'tone',
  intent: { approve: null, no_more_tools: null, go_back_to: null },
};

describe('parseTurnText', () => {
  it('reads bare wire-format JSON and turns the list into the record TurnResult expects', () => {
    const r = parseTurnText(JSON.stringify(wire));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.result.reply).toBe(wire.reply);
    expect(r.result.extracted.agent_type).toEqual({ value: 'booking', confidence: 0.9 });
    // object values travel as JSON text under strict schemas and come back as objects
    expect(r.result.extracted['tools[0].auth']?.value).toEqual({ type: 'bearer', header: 'Authorization' });
    expect(r.result.awaiting).toBe('tone');
    expect(r.result.stage_complete).toBeUndefined();
    expect(r.result.intent).toEqual({});
  });

  it('reads JSON in a markdown fence', () => {
    const r = parseTurnText('```json\n' + JSON.stringify(wire, null, 2) + '\n```');
    expect(r.ok && r.result.reply).toBe(wire.reply);
  });

  it('reads JSON wrapped in prose, including braces inside strings', () => {
    const body = { ...wire, reply: 'Use {curly} braces like "{" freely' };
    const r = parseTurnText(`Sure thing! Here it is: ${JSON.stringify(body)} Hope that helps {:}`);
    expect(r.ok && r.result.reply).toBe(body.reply);
  });

  it('also accepts the TurnResult record shape', () => {
    const r = parseTurnText(JSON.stringify({ reply: 'ok', extracted: { goals: { value: 'x', confidence: 0.7 } }, awaiting: null }));
    expect(r.ok && r.result.extracted.goals?.value).toBe('x');
  });

  it('reports validation errors with their paths', () => {
    const r = parseTurnText(JSON.stringify({ ...wire, extracted: [{ field: 'goals', value: 'x', confidence: 7 }] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toMatch(/extracted\.goals\.confidence/);
    const empty = parseTurnText('   ');
    expect(empty.ok).toBe(false);
    const none = parseTurnText('Just words.');
    expect(!none.ok && none.errors).toMatch(/no JSON/);
  });
});

describe('salvage', () => {
  it('keeps the reply text of an invalid object', () => {
    expect(salvageReply('{"reply": "Hello \\"you\\"", "extracted": 5}')).toBe('Hello "you"');
  });
  it('keeps plain text as it is', () => {
    const t = rawTurn('What tone should your agent have?');
    expect(t).toEqual({ reply: 'What tone should your agent have?', extracted: {}, awaiting: null, intent: {} });
  });
  it('finds every candidate once', () => {
    expect(jsonCandidates('{"a":1} and {"b":{"c":2}}')).toEqual([{ a: 1 }, { b: { c: 2 } }]);
  });
});

describe('turnJsonSchema', () => {
  it('is strict-mode compatible: closed objects, all properties required, reply first', () => {
    const check = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object') {
        expect(n.additionalProperties).toBe(false);
        expect(n.required).toEqual(Object.keys(n.properties as object));
      }
      expect(n).not.toHaveProperty('$schema');
      Object.values(n).forEach(check);
    };
    const schema = turnJsonSchema();
    check(schema);
    expect(Object.keys(schema.properties as object)[0]).toBe('reply');
  });
});
