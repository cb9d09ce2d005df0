import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentSpec } from '../../shared/spec';
import { Session } from '../../shared/session';
import { newSession } from '../interview/session-steps';
import { importIntoSession, parseDescription, pickOperations, previewOf } from './import';
import { snakeName } from './operations';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/workbench');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const AT = '2026-01-01T00:00:00.000Z';
let n = 0;
const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

describe('snake_case tool names', () => {
  it.each([
    ['getOrder', 'get_order'],
    ['listGiftCards', 'list_gift_cards'],
    ['GET /orders/{id}', 'get_orders_id'],
    ['Tables / Check availability', 'tables_check_availability'],
    ['HTTPStatus', 'http_status'],
    ['2fa-reset', 'op_2fa_reset'],
  ])('%s → %s', (raw, name) => expect(snakeName(raw)).toBe(name));
});

describe('OpenAPI 3.1 import (40 operations, 3 picked)', async () => {
  const parsed = await parseDescription(fixture('shop-openapi-3.1.yaml'));

  it('lists all 40 operations with snake_case names', () => {
    const preview = previewOf(parsed);
    expect(preview.kind).toBe('openapi');
    expect(preview.title).toBe('Shop API');
    expect(preview.operations).toHaveLength(40);
    expect(preview.operations.map((o) => o.name)).toContain('list_gift_cards');
  });

  it('turns the 3 picked operations into tools with methods, URLs, placed params, required flags, auth and output', () => {
    const ops = pickOperations(parsed, ['getOrder', 'createOrder', 'cancel_order']);
    const session = { ...newSession(AT, newId), stage: 'CONFIGURING_TOOLS' as const };
    const { session: next, tools } = importIntoSession(session, parsed, ops, AT, newId);
    expect(tools).toEqual(['get_order', 'create_order', 'cancel_order']);
    expect(() => Session.parse(next)).not.toThrow();
    const [get, post, del] = next.spec.tools;

    expect(get!.method!.value).toBe('GET');
    expect(get!.endpoint!.value).toBe('https://api.shop.test/v1/orders/{order_id}');
    expect(get!.purpose!.value).toContain('Look up an order');
    expect(get!.workbench!.locations).toEqual({ order_id: 'path', include: 'query', 'X-Request-Id': 'header' });
    expect(get!.input_schema!.value).toMatchObject({
      type: 'object',
      required: ['order_id'],
      properties: { order_id: { type: 'string', description: "The order's number, as on the receipt." }, include: { enum: ['items', 'none'] } },
    });
    expect(get!.auth!.value).toEqual({ type: 'bearer', header: 'Authorization', secret_name: 'SHOP_API_TOKEN' });
    // The Order schema, $refs resolved (Money inside).
    expect(get!.output_schema!.value).toMatchObject({
      type: 'object',
      required: ['id', 'status', 'total'],
      properties: { total: { type: 'object', required: ['amount', 'currency'] }, items: { type: 'array', items: { required: ['sku', 'quantity'] } } },
    });

    expect(post!.method!.value).toBe('POST');
    expect(post!.endpoint!.value).toBe('https://api.shop.test/v1/orders');
    expect(post!.auth!.value).toEqual({ type: 'api_key', header: 'X-Partner-Key', secret_name: 'SHOP_API_API_KEY' });
    expect(post!.workbench!.locations).toEqual({ customer: 'body', items: 'body', delivery: 'body', note: 'body' });
    expect(post!.input_schema!.value.required).toEqual(['customer', 'items']);
    expect(post!.input_schema!.value.properties).toMatchObject({ customer: { type: 'object', required: ['name', 'phone'] } });

    expect(del!.method!.value).toBe('DELETE');
    expect(del!.input_schema!.value.required).toEqual(['order_id', 'reason']);
    expect(del!.output_schema!.value).toEqual({ type: 'object', description: 'The API answers with no body.', properties: {} });

    // Only what the description cannot say is left, and the interview asks it next.
    for (const tool of next.spec.tools) {
      expect(tool.trigger).toBeUndefined();
      expect(tool.error_handling).toBeUndefined();
    }
    expect(next.awaiting).toBe('tools[0].trigger');
    const summary = next.messages.at(-1)!.text;
    expect(summary).toMatch(/Imported 3 tools from Shop API/);
    expect(summary).toContain('get_order: GET https://api.shop.test/v1/orders/{order_id}');
    expect(summary).toMatch(/when the agent should use it/);
  });

  it('names an unknown operation and what there is', () => {
    expect(() => pickOperations(parsed, ['nope'])).toThrow(/No operation "nope".*getOrder/);
  });

  it('moves a design still exploring tools on to configuring them', () => {
    const session = { ...newSession(AT, newId), stage: 'EXPLORING_TOOLS' as const };
    const { session: next } = importIntoSession(session, parsed, pickOperations(parsed, ['getOrder']), AT, newId);
    expect(next.stage).toBe('CONFIGURING_TOOLS');
    expect(next.spec.use_tools?.value).toBe(true);
    expect(next.awaiting).toBe('tools[0].trigger');
  });

  it('a re-import updates the tool and keeps what the user settled', () => {
    const session = { ...newSession(AT, newId), stage: 'CONFIGURING_TOOLS' as const };
    const first = importIntoSession(session, parsed, pickOperations(parsed, ['getOrder']), AT, newId).session;
    first.spec.tools[0]!.trigger = { value: 'the caller asks about an order', confidence: 1, source: 'user-edit', locked: true };
    const again = importIntoSession(first, parsed, pickOperations(parsed, ['getOrder']), AT, newId).session;
    expect(again.spec.tools).toHaveLength(1);
    expect(again.spec.tools[0]!.trigger!.value).toBe('the caller asks about an order');
  });
});

describe('Swagger 2 import', async () => {
  const parsed = await parseDescription(fixture('petstore-swagger-2.json'));
  it('reads host, basePath, body parameters, apiKey and the response schema', () => {
    expect(parsed.kind).toBe('swagger');
    const { session } = importIntoSession(newSession(AT, newId), parsed, parsed.operations, AT, newId);
    const [get, book] = session.spec.tools;
    expect(get!.name!.value).toBe('get_appointment');
    expect(get!.endpoint!.value).toBe('https://clinic.example.com/api/appointments/{appointment_id}');
    expect(get!.input_schema!.value).toMatchObject({ required: ['appointment_id'], properties: { appointment_id: { type: 'integer' }, verbose: { type: 'boolean' } } });
    expect(get!.auth!.value).toEqual({ type: 'api_key', header: 'X-Clinic-Key', secret_name: 'PET_CLINIC_API_KEY' });
    expect(get!.output_schema!.value).toMatchObject({ required: ['id', 'pet_name', 'starts_at'], properties: { vet: { properties: { name: { type: 'string' } } } } });
    expect(book!.method!.value).toBe('POST');
    expect(book!.workbench!.locations).toEqual({ pet_name: 'body', starts_at: 'body', owner: 'body' });
    expect(book!.input_schema!.value.required).toEqual(['pet_name', 'starts_at']);
  });
});

describe('curl import', async () => {
  const text = fixture('create-ticket.curl');
  const parsed = await parseDescription(text);
  it('reads method, URL, query, header and JSON body inputs; the token becomes a secret reference', () => {
    expect(parsed.kind).toBe('curl');
    const { session } = importIntoSession(newSession(AT, newId), parsed, parsed.operations, AT, newId);
    const tool = session.spec.tools[0]!;
    expect(tool.name!.value).toBe('post_v2_tickets');
    expect(tool.method!.value).toBe('POST');
    expect(tool.endpoint!.value).toBe('https://api.helpdesk.example.com/v2/tickets');
    expect(tool.workbench!.locations).toEqual({ notify: 'query', 'X-Tenant': 'header', subject: 'body', priority: 'body', requester: 'body', tags: 'body' });
    expect(tool.input_schema!.value.properties).toMatchObject({ priority: { type: 'integer', examples: [2] }, requester: { type: 'object', properties: { email: { format: 'email' } } } });
    expect(tool.auth!.value).toEqual({ type: 'bearer', header: 'Authorization', secret_name: 'HELPDESK_TOKEN' });
    expect(JSON.stringify(session)).not.toContain('sk_live_planted_do_not_keep');
  });
});

describe('Postman v2.1 import', async () => {
  const parsed = await parseDescription(fixture('bookings.postman_collection.json'));
  it('reads folders, variables, :path params, query, JSON bodies, collection auth and saved responses', () => {
    expect(parsed.kind).toBe('postman');
    const { session } = importIntoSession(newSession(AT, newId), parsed, parsed.operations, AT, newId);
    const [check, book] = session.spec.tools;
    expect(check!.name!.value).toBe('tables_check_availability');
    expect(check!.endpoint!.value).toBe('https://bookings.example.com/api/restaurants/{restaurant_id}/availability');
    expect(check!.workbench!.locations).toEqual({ restaurant_id: 'path', date: 'query', party_size: 'query' });
    expect(check!.input_schema!.value).toMatchObject({ required: ['restaurant_id'], properties: { party_size: { type: 'integer', examples: [4] } } });
    expect(check!.auth!.value).toEqual({ type: 'bearer', header: 'Authorization', secret_name: 'BOOKINGS_TOKEN' });
    expect(check!.output_schema!.value).toMatchObject({ properties: { slots: { type: 'array', items: { properties: { table: { type: 'integer' } } } } } });
    expect(book!.method!.value).toBe('POST');
    expect(book!.workbench!.locations).toEqual({ name: 'body', party_size: 'body', time: 'body' });
    expect(JSON.stringify(session)).not.toContain('tok_planted_do_not_keep');
    expect(() => AgentSpec.parse(session.spec)).not.toThrow();
  });
});

describe('schemas as plain JSON Schema', () => {
  const doc = (schema: unknown) =>
    JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'X', version: '1' },
      servers: [{ url: 'https://x.test' }],
      components: {
        schemas: {
          Node: { type: 'object', nullable: true, example: { name: 'a' }, 'x-internal': true, properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } },
          Base: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        },
      },
      paths: { '/a': { get: { operationId: 'a', responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } } } },
    });

  it('nullable, example and x- extensions; a recursive reference is cut', async () => {
    const parsed = await parseDescription(doc({ $ref: '#/components/schemas/Node' }));
    expect(parsed.operations[0]!.output).toEqual({
      type: ['object', 'null'],
      examples: [{ name: 'a' }],
      properties: { name: { type: 'string' }, children: { type: 'array', items: { type: 'object', description: 'A nested value (recursive; not expanded).' } } },
    });
  });

  it('allOf of objects is merged; a reference outside the document is not read', async () => {
    const merged = await parseDescription(doc({ allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', properties: { extra: { type: 'integer' } } }] }));
    expect(merged.operations[0]!.output).toEqual({ type: 'object', required: ['id'], properties: { id: { type: 'string' }, extra: { type: 'integer' } } });
    const outside = await parseDescription(doc({ $ref: '/etc/hostname' }));
    expect(outside.operations[0]!.output).toEqual({ description: 'Not expanded: /etc/hostname is outside this document.' });
  });
});

describe('what is not a description', () => {
  it('says what it expected', async () => {
    await expect(parseDescription('hello')).rejects.toThrow(/neither an OpenAPI/);
    await expect(parseDescription('{"openapi":"3.1.0","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"$ref":"#/nope"}}}}}}')).rejects.toThrow(/could not be read/);
  });
});
