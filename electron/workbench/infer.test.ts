import { describe, expect, it } from 'vitest';
import { inferSchema, proposeSchema } from './infer';
import { exampleInput } from './example-input';

describe('schema inference', () => {
  it('learns objects, arrays of mixed items, formats and integers', () => {
    expect(inferSchema({ id: 7, at: '2026-01-15T10:30:00Z', email: 'a@b.co', price: 4.5, note: null, items: [{ sku: 'A', qty: 1 }, { sku: 'B' }] })).toEqual({
      type: 'object',
      properties: {
        id: { type: 'integer' },
        at: { type: 'string', format: 'date-time' },
        email: { type: 'string', format: 'email' },
        price: { type: 'number' },
        note: { type: 'null' },
        items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } }, required: ['sku'] } },
      },
      required: ['id', 'at', 'email', 'price', 'items'],
    });
  });

  it('an integer and a number in one array are numbers', () => {
    expect(inferSchema([1, 2.5])).toEqual({ type: 'array', items: { type: 'number' } });
  });
});

describe('comparing a body with the output schema', () => {
  const schema = { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: { type: 'string' }, total: { type: 'number' } } };

  it('proposes new fields, widened types and optional required fields', () => {
    const proposal = proposeSchema(schema, JSON.stringify({ id: 5, total: 3, extra: { a: true } }), true);
    expect(proposal.matches).toBe(false);
    expect(proposal.changes).toEqual([
      'id: the schema says string, the body has integer',
      'new field: extra (object)',
      'status is required by the schema but missing from the body; made optional',
    ]);
    expect(proposal.proposed).toEqual({
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'integer' }, status: { type: 'string' }, total: { type: 'number' }, extra: { type: 'object', properties: { a: { type: 'boolean' } }, required: ['a'] } },
    });
  });

  it('a body that fits proposes nothing; no schema yet means one learned from the body', () => {
    expect(proposeSchema(schema, '{"id":"x","status":"ok"}', true)).toEqual({ matches: true, changes: [], proposed: null });
    expect(proposeSchema(undefined, '{"ok":true}', true).proposed).toEqual({ type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] });
  });

  it('a null where the schema has a type widens it; array item changes are reported once', () => {
    const list = { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } };
    const proposal = proposeSchema(list, JSON.stringify([{ n: 1, m: 'a' }, { n: 2, m: 'b' }]), true);
    expect(proposal.changes).toEqual(['new field: [].m (string)']);
    expect(proposeSchema({ type: 'object', properties: { a: { type: 'string' } } }, '{"a":null}', true).proposed).toEqual({ type: 'object', properties: { a: { type: ['string', 'null'] } } });
  });

  it('cut or non-JSON bodies propose nothing, and say why', () => {
    expect(proposeSchema(schema, '{"id": "x", "sta', true)).toMatchObject({ proposed: null, changes: [expect.stringMatching(/cut before its end/)] });
    expect(proposeSchema(schema, '<html>', false)).toMatchObject({ proposed: null, changes: [expect.stringMatching(/not JSON/)] });
  });
});

describe('example inputs from a schema', () => {
  it('prefers examples, then defaults, enums, formats and types', () => {
    expect(
      exampleInput({
        type: 'object',
        properties: {
          a: { type: 'string', examples: ['given'] },
          b: { type: 'integer', default: 5 },
          c: { type: 'string', enum: ['x', 'y'] },
          d: { type: 'string', format: 'date' },
          order_id: { type: 'string' },
          phone: { type: 'string' },
          nested: { type: 'object', properties: { n: { type: 'number', minimum: 2 } } },
          list: { type: 'array', items: { type: 'boolean' } },
        },
      }),
    ).toEqual({ a: 'given', b: 5, c: 'x', d: '2026-01-15', order_id: '123', phone: '+14155550123', nested: { n: 2 }, list: [true] });
  });
});
