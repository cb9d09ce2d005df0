import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { SessionUpdateEvent, RealtimeFunctionTool } from 'openai/resources/realtime/realtime';
import { exportSession } from './index';
import { customerSupportSession, f, restaurantSession } from '../../tests/support/export/sessions';
import { expectedCustomerSupportRealtime } from '../../tests/support/export/openai-realtime.expected';
import type { VapiAssistant } from './vapi';

function realtime(session = customerSupportSession()) {
  const result = exportSession(session, 'openai-realtime', { model: 'gpt-5.5' });
  return { result, event: JSON.parse(result.content) as SessionUpdateEvent };
}

function functionTools(event: SessionUpdateEvent): RealtimeFunctionTool[] {
  const session = event.session;
  return session.type === 'realtime' ? ((session.tools ?? []) as RealtimeFunctionTool[]) : [];
}

describe('OpenAI Realtime export', () => {
  it('matches the SDK-typed fixture', () => {
    const { event } = realtime();
    const instructions = event.session.type === 'realtime' ? (event.session.instructions ?? '') : '';
    expect(event).toEqual(JSON.parse(JSON.stringify(expectedCustomerSupportRealtime(instructions))));
    expect(instructions).toContain('Help customers track orders and handle returns');
    expect(instructions).toContain('# Opening line\nWhen the call starts, say: "Hi, thanks for calling Acme Shop!');
  });

  it('gives tools parameters that are valid JSON Schema and accept/reject arguments as the spec says', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    for (const session of [customerSupportSession(), restaurantSession()]) {
      for (const tool of functionTools(realtime(session).event)) {
        expect(ajv.validateSchema(tool.parameters as object), tool.name).toBe(true);
        ajv.compile(tool.parameters as object);
      }
    }
    const [create] = functionTools(realtime(restaurantSession()).event);
    const validate = ajv.compile(create!.parameters as object);
    expect(validate({ restaurant_id: 'r1', party_size: 2, time: '2026-12-01T19:00:00Z', guest: { name: 'Ana' } })).toBe(true);
    expect(validate({ restaurant_id: 'r1', party_size: 0, time: 'x', guest: { name: 'Ana' } })).toBe(false);
    expect(validate({ restaurant_id: 'r1', party_size: 2, time: 'x' })).toBe(false);
  });

  it('reports what Realtime cannot do: the HTTP call, the first message, the model', () => {
    const { result } = realtime();
    const text = result.losses.map((l) => l.message).join('\n');
    expect(text).toMatch(/your code must call GET https:\/\/api\.example\.com\/orders\/\{order_id\}/);
    expect(text).toMatch(/response\.create/);
    expect(text).toMatch(/"gpt-5\.5" is not a Realtime model/);
  });
});

describe('Vapi export', () => {
  it('puts the prompt in model.messages, the greeting in firstMessage and tools as function tools with server.url', () => {
    const result = exportSession(customerSupportSession(), 'vapi', { model: 'claude-sonnet-5-5' });
    const assistant = JSON.parse(result.content) as VapiAssistant;
    expect(assistant.name).toBe('Customer support agent');
    expect(assistant.firstMessage).toMatch(/How can I help you today\?/);
    expect(assistant.model.provider).toBe('anthropic');
    expect(assistant.model.messages[0]?.role).toBe('system');
    expect(assistant.model.messages[0]?.content).toContain('Friendly and empathetic'.toLowerCase());
    expect(assistant.model.tools?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_order_status', parameters: { required: ['order_id'] } },
      server: { url: 'https://tools.acme-shop.example.com/vapi' },
    });
    expect(assistant.endCallFunctionEnabled).toBe(true);
    expect(result.losses.some((l) => l.path === 'tool_server_url' && /your tool server \(https:\/\/tools\.acme-shop\.example\.com\/vapi\), not to the APIs/.test(l.message))).toBe(true);
  });

  it('never points server.url at the API a tool wraps; without a tool server URL it leaves server out and says why', () => {
    const session = customerSupportSession();
    delete session.spec.tool_server_url;
    const result = exportSession(session, 'vapi');
    const assistant = JSON.parse(result.content) as VapiAssistant;
    expect(assistant.model.tools?.[0]?.server).toBeUndefined();
    expect(result.content).not.toContain('"url": "https://api.example.com');
    expect(result.warnings.some((w) => w.rule === 'tool-server-missing')).toBe(true);
    expect(result.losses.some((l) => l.path === 'tool_server_url' && /no tool server URL is set/.test(l.message))).toBe(true);
  });

  it('uses the agent\'s own temperature', () => {
    const session = customerSupportSession();
    session.spec.temperature = f(0.4);
    expect((JSON.parse(exportSession(session, 'vapi').content) as VapiAssistant).model.temperature).toBe(0.4);
  });
});

describe('Markdown export', () => {
  it('documents goals, tone, workflow, each tool as a table and the prompt', () => {
    const result = exportSession(restaurantSession(), 'markdown');
    const md = result.content;
    expect(result.filename).toBe('la-tasca-reservations.md');
    expect(md).toMatch(/^# La Tasca reservations\n/);
    expect(md).toContain('## Goals\n\nBook, change and cancel table reservations');
    expect(md).toContain('| Tone | Warm and concise |');
    expect(md).toMatch(/## Workflow\n\n1\. \*\*Greeting\*\*/);
    expect(md).toContain('### create_reservation');
    expect(md).toContain('| `party_size` | integer | yes | Number of guests. |');
    expect(md).toContain('| Authentication | API key in the X-API-Key header (secret: BOOKING_KEY) |');
    expect(md).toContain('```text\nEres la asistente de reservas');
    expect(md.endsWith('```\n')).toBe(true);
  });
});
