import { describe, expect, it } from 'vitest';
import { exportSession } from './index';
import { buildElevenLabsAgent, type ElevenLabsAgentBody, type ElevenLabsWebhookTool } from './elevenlabs';
import { parseWithElevenLabsSdk } from '../../tests/support/export/elevenlabs-schema';
import { customerSupportSession, f, restaurantSession, sessionWith } from '../../tests/support/export/sessions';
import { USER_EDIT } from '../../shared/spec';
import type { Session } from '../../shared/session';

function exportEl(session: Session, model = 'gpt-5.5') {
  const result = exportSession(session, 'elevenlabs', { model });
  const json = JSON.parse(result.content) as ElevenLabsAgentBody;
  return { result, json };
}

function tools(json: ElevenLabsAgentBody): ElevenLabsWebhookTool[] {
  return (json.conversation_config.agent?.prompt?.tools ?? []) as ElevenLabsWebhookTool[];
}

describe('ElevenLabs export: the product brief example', () => {
  const { result, json } = exportEl(customerSupportSession());

  it('is accepted by the official SDK schema with unknown keys rejected', () => {
    const parsed = parseWithElevenLabsSdk(json);
    expect(parsed.errors ?? []).toEqual([]);
    expect(parsed.ok).toBe(true);
  });

  it('makes get_order_status a GET webhook with order_id as a path parameter', () => {
    const [tool] = tools(json);
    expect(tool?.type).toBe('webhook');
    expect(tool?.name).toBe('get_order_status');
    expect(tool?.api_schema.method).toBe('GET');
    expect(tool?.api_schema.url).toBe('https://api.example.com/orders/{order_id}');
    expect(Object.keys(tool?.api_schema.path_params_schema ?? {})).toEqual(['order_id']);
    expect(tool?.api_schema.path_params_schema?.order_id?.description).toMatch(/order number/);
    expect(tool?.api_schema.query_params_schema).toBeUndefined();
    expect(tool?.api_schema.request_body_schema).toBeUndefined();
  });

  it('writes a prompt naming the goals, tone, trigger and error handling', () => {
    const prompt = json.conversation_config.agent?.prompt?.prompt ?? '';
    expect(prompt).toContain('Help customers track orders and handle returns');
    expect(prompt.toLowerCase()).toContain('friendly and empathetic');
    expect(prompt).toContain('The customer asks where their order is or wants its delivery status');
    expect(prompt).toContain('offer to transfer the caller to a human agent');
  });

  it('repeats trigger and error handling in the tool description', () => {
    const description = tools(json)[0]?.description ?? '';
    expect(description).toContain('Looks up the current status of an order.');
    expect(description).toContain('When to use: The customer asks where their order is');
    expect(description).toContain('On failure: Apologise');
  });

  it('puts a secret reference in the auth header, never a value, and says to create the secret', () => {
    expect(tools(json)[0]?.api_schema.request_headers).toEqual({ Authorization: { secret_id: 'ORDERS_API_TOKEN' } });
    expect(result.losses.some((l) => l.path === 'tools[0].auth' && /Create a secret named "ORDERS_API_TOKEN"/.test(l.message))).toBe(true);
  });

  it('carries name, language code, llm, first message and the parley tag', () => {
    expect(json.name).toBe('Customer support agent');
    expect(json.conversation_config.agent?.language).toBe('en');
    expect(json.conversation_config.agent?.prompt?.llm).toBe('gpt-5.5');
    expect(json.conversation_config.agent?.first_message).toMatch(/How can I help you today\?/);
    expect(json.tags).toEqual(['parley']);
    expect(result.filename).toBe('customer-support-agent.elevenlabs.json');
  });
});

describe('ElevenLabs export: mapping rules', () => {
  it('sends POST inputs as a request body with nested objects and arrays, and DELETE inputs as query params', () => {
    const { json } = exportEl(restaurantSession());
    expect(parseWithElevenLabsSdk(json).ok).toBe(true);
    const [create, cancel] = tools(json);
    const body = create?.api_schema.request_body_schema;
    expect(body?.type).toBe('object');
    expect(Object.keys(body?.properties ?? {}).sort()).toEqual(['guest', 'party_size', 'requests', 'time']);
    expect(body?.required).toEqual(['party_size', 'time', 'guest']);
    expect(create?.api_schema.path_params_schema).toEqual({ restaurant_id: { type: 'string', description: 'Which restaurant of the group.' } });
    expect(create?.api_schema.request_headers).toEqual({ 'X-API-Key': { secret_id: 'BOOKING_KEY' } });
    expect(cancel?.api_schema.query_params_schema?.properties.reason?.enum).toEqual(['changed_plans', 'illness', 'other']);
    expect(cancel?.api_schema.request_headers).toBeUndefined();
  });

  it('generates a description for every undescribed property and reports it', () => {
    const { result, json } = exportEl(restaurantSession());
    const time = tools(json)[0]?.api_schema.request_body_schema?.properties?.time as { description?: string };
    expect(time.description).toBe('The time.');
    expect(result.losses).toContainEqual({ path: 'tools[0].input_schema.properties.time', message: expect.stringContaining('has no description') });
    expect(result.losses).toContainEqual({ path: 'tools[0].input_schema.properties.party_size', message: expect.stringContaining('minimum') });
  });

  it('adds a URL placeholder missing from the input schema as a string path parameter', () => {
    const spec = customerSupportSession().spec;
    spec.tools[0]!.input_schema = f({ type: 'object', properties: {} });
    const { result, json } = exportEl(sessionWith(spec, 'x agent'));
    expect(tools(json)[0]?.api_schema.path_params_schema?.order_id).toEqual({ type: 'string', description: 'The order id.' });
    expect(result.losses.some((l) => /\{order_id\}/.test(l.message))).toBe(true);
  });

  it('sends object-valued GET inputs as JSON-encoded strings with a loss line', () => {
    const spec = customerSupportSession().spec;
    spec.tools[0]!.input_schema = f({
      type: 'object',
      properties: { order_id: { type: 'string', description: 'Id.' }, filter: { type: 'object', description: 'Filter.', properties: {} } },
    });
    const { result, json } = exportEl(sessionWith(spec, 'x agent'));
    expect(parseWithElevenLabsSdk(json).ok).toBe(true);
    expect(tools(json)[0]?.api_schema.query_params_schema?.properties.filter).toEqual({ type: 'string', description: 'Filter. (JSON-encoded object)' });
    expect(result.losses.some((l) => /JSON-encoded string/.test(l.message))).toBe(true);
  });

  it('maps an unknown model to the documented default with a loss line', () => {
    const { result, json } = exportEl(customerSupportSession(), 'llama3.1:8b');
    expect(json.conversation_config.agent?.prompt?.llm).toBe('gpt-5.5');
    expect(result.losses.some((l) => /llama3\.1:8b/.test(l.message))).toBe(true);
  });

  it('maps a dated Anthropic id to its ElevenLabs name', () => {
    expect(exportEl(customerSupportSession(), 'claude-sonnet-4-5-20250929').json.conversation_config.agent?.prompt?.llm).toBe('claude-sonnet-4-5');
  });

  it('regenerates a generated prompt when the spec was edited after FINALIZING', () => {
    const session = customerSupportSession();
    session.spec.goals = f('Help customers book repairs', USER_EDIT);
    const prompt = exportEl(session).json.conversation_config.agent?.prompt?.prompt ?? '';
    expect(prompt).toContain('Help customers book repairs');
    expect(prompt).not.toContain('track orders');
  });

  it('keeps a prompt the user wrote, adding a tool-use section only for rules it lacks', () => {
    const session = customerSupportSession();
    session.spec.system_prompt = f('You are the support line of Acme. Keep answers short and kind.', USER_EDIT);
    const prompt = exportEl(session).json.conversation_config.agent?.prompt?.prompt ?? '';
    expect(prompt.startsWith('You are the support line of Acme. Keep answers short and kind.\n\n# Tool use\n- get_order_status.')).toBe(true);
    expect(prompt).toContain('Call it when: The customer asks where their order is');
    expect(prompt).toContain('If it fails: Apologise');
    // Exporting the exported prompt again adds nothing.
    session.spec.system_prompt = f(prompt, USER_EDIT);
    expect(exportEl(session).json.conversation_config.agent?.prompt?.prompt).toBe(prompt);
  });

  it('exports no tools when the user said the agent needs none', () => {
    const session = customerSupportSession();
    session.spec.use_tools = f(false);
    const document = buildElevenLabsAgent(session).document;
    expect(document.conversation_config.agent?.prompt?.tools).toBeUndefined();
    expect(parseWithElevenLabsSdk(document).ok).toBe(true);
  });

  it('renames tools that ElevenLabs would refuse and reports it', () => {
    const session = customerSupportSession();
    session.spec.tools[0]!.name = f('Bestellstatus prüfen');
    const { result, json } = exportEl(session);
    expect(tools(json)[0]?.name).toBe('Bestellstatus_prufen');
    expect(result.losses.some((l) => l.path === 'tools[0].name')).toBe(true);
  });
});
