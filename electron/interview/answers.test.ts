import { describe, expect, it } from 'vitest';
import { emptySpec } from '../../shared/spec';
import {
  isApproval,
  isNoMoreTools,
  parseAgentType,
  parseAuth,
  parseFieldEdit,
  parseGoBack,
  parseSchemaText,
  parseToolName,
  resolveStageTarget,
} from './answers';
import { f } from '../../tests/support/spec-fixtures';

describe('answer readers', () => {
  it.each([
    ['I want to build a customer support agent', 'customer support agent'],
    ["I'd like to create an appointment booking voice agent.", 'appointment booking agent'],
    ['Restaurant reservations assistant', 'restaurant reservations assistant'],
    ['yes', null],
    ['a voice agent', null],
  ])('agent type from %j', (text, expected) => {
    expect(parseAgentType(text)).toBe(expected);
  });

  it('reads approval only without a change request', () => {
    expect(isApproval('Looks good, approve')).toBe(true);
    expect(isApproval('LGTM')).toBe(true);
    expect(isApproval('looks good but change the tone')).toBe(false);
    expect(isApproval("I don't approve")).toBe(false);
    expect(isApproval('tell me more')).toBe(false);
  });

  it('reads "no more tools" variants', () => {
    for (const t of ['no more tools', "That's all", 'nope', 'no other tools needed']) expect(isNoMoreTools(t)).toBe(true);
    expect(isNoMoreTools('one more: create_return')).toBe(false);
  });

  it('reads jump requests and maps them to stages', () => {
    expect(parseGoBack('Can we go back to the tools?')).toBe('tools');
    expect(parseGoBack('back to basics')).toBe('basics');
    expect(parseGoBack('the tone should be calm')).toBeNull();
    const spec = { ...emptySpec(), use_tools: f(true) };
    expect(resolveStageTarget('tools', spec)).toBe('CONFIGURING_TOOLS');
    expect(resolveStageTarget('tools', emptySpec())).toBe('EXPLORING_TOOLS');
    expect(resolveStageTarget('the goals', spec)).toBe('COLLECTING_BASICS');
    expect(resolveStageTarget('REVIEWING_WORKFLOW', spec)).toBe('REVIEWING_WORKFLOW');
    expect(resolveStageTarget('lunch', spec)).toBeNull();
  });

  it('reads auth descriptions', () => {
    expect(parseAuth('none, it is public')).toEqual({ type: 'none' });
    expect(parseAuth('Bearer token in the Authorization header', 'get_order')).toEqual({ type: 'bearer', header: 'Authorization', secret_name: 'GET_ORDER_TOKEN' });
    expect(parseAuth('basic auth')?.type).toBe('basic');
    expect(parseAuth('OAuth2 client credentials')?.type).toBe('oauth2');
    expect(parseAuth('pineapple')).toBeNull();
  });

  it('reads tool names', () => {
    expect(parseToolName('call it get_order_status')).toBe('get_order_status');
    expect(parseToolName('Get order status')).toBe('get_order_status');
    expect(parseToolName('getOrderStatus')).toBe('get_order_status');
  });

  it('reads schemas as JSON or simple lists, and explains bad JSON', () => {
    expect(parseSchemaText('```json\n{"type":"object"}\n```')).toEqual({ ok: true, schema: { type: 'object' } });
    expect(parseSchemaText('none')).toEqual({ ok: true, schema: { type: 'object', properties: {} } });
    expect(parseSchemaText('order_id (string), qty: int optional - how many, at most 5')).toEqual({
      ok: true,
      schema: {
        type: 'object',
        properties: { order_id: { type: 'string' }, qty: { type: 'integer', description: 'how many, at most 5' } },
        required: ['order_id'],
      },
    });
    const bad = parseSchemaText('{"type": "object",}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^That isn't valid JSON \(/);
    expect(parseSchemaText('123 !!').ok).toBe(false);
  });

  it('reads field edits', () => {
    expect(parseFieldEdit('tone: formal and concise')).toEqual({ kind: 'top', key: 'tone', value: 'formal and concise' });
    expect(parseFieldEdit('change the HTTP method to POST')).toEqual({ kind: 'tool', key: 'method', value: 'POST' });
    expect(parseFieldEdit('order_id: string')).toBeNull();
    expect(parseFieldEdit('Help customers track orders')).toBeNull();
  });
});
