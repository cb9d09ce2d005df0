import { describe, expect, it } from 'vitest';
import { exportSession } from './index';
import { buildElevenLabsAgent, type ElevenLabsAgentBody, type ElevenLabsWebhookTool } from './elevenlabs';
import { parseWithElevenLabsSdk } from '../../tests/support/export/elevenlabs-schema';
import { customerSupportSession, f, restaurantSession, sessionWith, surveySession } from '../../tests/support/export/sessions';
import { USER_EDIT } from '../../shared/spec';
import type { Session } from '../../shared/session';
import type { ExportResult } from './types';

interface Project {
  result: ExportResult;
  /** The agent config (agent_configs/<slug>.json). */
  json: ElevenLabsAgentBody;
  /** tool_configs/*.json in tools.json order. */
  toolConfigs: ElevenLabsWebhookTool[];
  file: (path: string) => string;
}

function exportEl(session: Session, model = 'gpt-5.5'): Project {
  const result = exportSession(session, 'elevenlabs', { model });
  const files = new Map((result.files ?? []).map((x) => [x.path, x.content]));
  const file = (path: string) => {
    const content = files.get(path);
    if (content === undefined) throw new Error(`no ${path} in the project`);
    return content;
  };
  const toolList = (JSON.parse(file('tools.json')) as { tools: Array<{ config: string }> }).tools;
  return {
    result,
    json: JSON.parse(result.content) as ElevenLabsAgentBody,
    toolConfigs: toolList.map((t) => JSON.parse(file(t.config)) as ElevenLabsWebhookTool),
    file,
  };
}

function tools(project: Project): ElevenLabsWebhookTool[] {
  return project.toolConfigs;
}

function prompt(json: ElevenLabsAgentBody) {
  return json.conversation_config.agent?.prompt;
}

describe('ElevenLabs export: the product brief example', () => {
  const project = exportEl(customerSupportSession());
  const { result, json } = project;

  it('is accepted by the official SDK schema with unknown keys rejected', () => {
    const parsed = parseWithElevenLabsSdk(json);
    expect(parsed.errors ?? []).toEqual([]);
    expect(parsed.ok).toBe(true);
  });

  it('makes get_order_status a GET webhook with order_id as a path parameter', () => {
    const [tool] = tools(project);
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
    expect(prompt.toLowerCase()).toContain('the customer asks where their order is or wants its delivery status');
    // This design has a transfer number, so the error handling's transfer is a promise the agent can keep.
    expect(prompt).toContain('Apologise, say the order system is not answering, and offer to transfer the caller to a human agent');
    expect(prompt).toContain('# Transfers');
  });

  it('repeats trigger and error handling in the tool description', () => {
    const description = tools(project)[0]?.description ?? '';
    expect(description).toContain('Looks up the current status of an order.');
    expect(description).toContain('When to use: The customer asks where their order is');
    expect(description).toContain('On failure: Apologise');
  });

  it('reads the auth header from a workspace environment variable by label, never a value, and says to create it', () => {
    expect(tools(project)[0]?.api_schema.request_headers).toEqual({ Authorization: { env_var_label: 'ORDERS_API_TOKEN' } });
    expect(result.losses.some((l) => l.path === 'tools[0].auth' && /secret environment variable labelled "ORDERS_API_TOKEN".*"Bearer "/.test(l.message))).toBe(true);
    const readme = project.file('README.md');
    expect(readme).toContain('| `ORDERS_API_TOKEN` | "Bearer " followed by the access token');
    expect(readme).toContain(`elevenlabs environment-variables create --json '{"type":"secret","label":"ORDERS_API_TOKEN"`);
  });

  it('lists the tool by name in prompt.tool_ids and never writes prompt.tools', () => {
    expect(prompt(json)?.tool_ids).toEqual(['get_order_status']);
    expect(prompt(json)).not.toHaveProperty('tools');
    for (const file of result.files ?? []) expect(file.content).not.toMatch(/"tools":\s*\[\s*\{\s*"api_schema"/);
  });

  it('carries name, language code, llm, first message and the parley tag', () => {
    expect(json.name).toBe('Customer support agent');
    expect(json.conversation_config.agent?.language).toBe('en');
    expect(json.conversation_config.agent?.prompt?.llm).toBe('gpt-5.5');
    expect(json.conversation_config.agent?.first_message).toBe('Hi, thanks for calling Acme Shop! How can I help you today?');
    expect(json.tags).toEqual(['parley']);
    expect(result.filename).toBe('customer-support-agent-elevenlabs');
  });
});

describe('ElevenLabs export: mapping rules', () => {
  it('sends POST inputs as a request body with nested objects and arrays, and DELETE inputs as query params', () => {
    const project = exportEl(restaurantSession());
    expect(parseWithElevenLabsSdk(project.json).ok).toBe(true);
    const [create, cancel] = tools(project);
    const body = create?.api_schema.request_body_schema;
    expect(body?.type).toBe('object');
    expect(Object.keys(body?.properties ?? {}).sort()).toEqual(['guest', 'party_size', 'requests', 'time']);
    expect(body?.required).toEqual(['party_size', 'time', 'guest']);
    expect(create?.api_schema.path_params_schema).toEqual({ restaurant_id: { type: 'string', description: 'Which restaurant of the group.' } });
    expect(create?.api_schema.request_headers).toEqual({ 'X-API-Key': { env_var_label: 'BOOKING_KEY' } });
    expect(cancel?.api_schema.query_params_schema?.properties.reason?.enum).toEqual(['changed_plans', 'illness', 'other']);
    expect(cancel?.api_schema.request_headers).toBeUndefined();
  });

  it('generates a description for every undescribed property and reports it', () => {
    const project = exportEl(restaurantSession());
    const { result } = project;
    const time = tools(project)[0]?.api_schema.request_body_schema?.properties?.time as { description?: string };
    expect(time.description).toBe('The time.');
    expect(result.losses).toContainEqual({ path: 'tools[0].input_schema.properties.time', message: expect.stringContaining('has no description') });
    expect(result.losses).toContainEqual({ path: 'tools[0].input_schema.properties.party_size', message: expect.stringContaining('minimum') });
  });

  it('adds a URL placeholder missing from the input schema as a string path parameter', () => {
    const spec = customerSupportSession().spec;
    spec.tools[0]!.input_schema = f({ type: 'object', properties: {} });
    const project = exportEl(sessionWith(spec, 'x agent'));
    const { result } = project;
    expect(tools(project)[0]?.api_schema.path_params_schema?.order_id).toEqual({ type: 'string', description: 'The order id.' });
    expect(result.losses.some((l) => /\{order_id\}/.test(l.message))).toBe(true);
  });

  it('sends object-valued GET inputs as JSON-encoded strings with a loss line', () => {
    const spec = customerSupportSession().spec;
    spec.tools[0]!.input_schema = f({
      type: 'object',
      properties: { order_id: { type: 'string', description: 'Id.' }, filter: { type: 'object', description: 'Filter.', properties: {} } },
    });
    const project = exportEl(sessionWith(spec, 'x agent'));
    const { result } = project;
    expect(parseWithElevenLabsSdk(project.json).ok).toBe(true);
    expect(tools(project)[0]?.api_schema.query_params_schema?.properties.filter).toEqual({ type: 'string', description: 'Filter. (JSON-encoded object)' });
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
    expect(document.conversation_config.agent?.prompt?.tool_ids).toEqual([]);
    expect(parseWithElevenLabsSdk(document).ok).toBe(true);
  });

  it('renames tools that ElevenLabs would refuse and reports it', () => {
    const session = customerSupportSession();
    session.spec.tools[0]!.name = f('Bestellstatus prüfen');
    const project = exportEl(session);
    const { result } = project;
    expect(tools(project)[0]?.name).toBe('Bestellstatus_prufen');
    expect(project.file('tool_configs/Bestellstatus_prufen.json')).toContain('"name": "Bestellstatus_prufen"');
    expect(prompt(project.json)?.tool_ids).toEqual(['Bestellstatus_prufen']);
    expect(result.losses.some((l) => l.path === 'tools[0].name')).toBe(true);
  });
});

describe('ElevenLabs export: a complete agent', () => {
  it('always gives the agent end_call, with the design\'s hang-up conditions as its description', () => {
    const builtIns = prompt(exportEl(customerSupportSession()).json)?.built_in_tools;
    expect(builtIns?.end_call).toEqual({
      type: 'system',
      name: 'end_call',
      description: 'The customer has no more questions and says goodbye',
      params: { system_tool_type: 'end_call' },
    });
    const session = customerSupportSession();
    delete session.spec.end_call_conditions;
    expect(prompt(exportEl(session).json)?.built_in_tools?.end_call).toMatchObject({ description: '', params: { system_tool_type: 'end_call' } });
  });

  it('turns transfers into transfer_to_number with E.164 numbers; a warm transfer becomes a conference with a loss line', () => {
    const project = exportEl(restaurantSession());
    expect(prompt(project.json)?.built_in_tools?.transfer_to_number).toEqual({
      type: 'system',
      name: 'transfer_to_number',
      description: '',
      params: {
        system_tool_type: 'transfer_to_number',
        enable_client_message: true,
        transfers: [
          {
            transfer_destination: { type: 'phone', phone_number: '+34912345678' },
            condition: 'El cliente quiere hablar con el restaurante o reservar para más de diez personas',
            transfer_type: 'conference',
          },
        ],
      },
    });
    expect(project.result.losses.some((l) => l.path === 'transfers[0].transfer_type')).toBe(true);
    const cold = restaurantSession();
    cold.spec.transfers![0]!.transfer_type = f('cold' as const);
    expect(JSON.stringify(prompt(exportEl(cold).json)?.built_in_tools?.transfer_to_number)).toContain('"transfer_type":"blind"');
  });

  it('refuses a transfer number that is not E.164, and one without a number', () => {
    const session = restaurantSession();
    session.spec.transfers![0]!.phone_number = f('912 345 678');
    expect(() => exportSession(session, 'elevenlabs')).toThrow(/transfers\[0\]\.phone_number: "912 345 678" is not a phone number in international \(E\.164\) form/);
    delete session.spec.transfers![0]!.phone_number;
    expect(() => exportSession(session, 'elevenlabs')).toThrow(/transfers\[0\]\.phone_number: Transfer 1 has no phone number/);
  });

  it('gives no transfer tool, and no transfer promise, when the design has no transfer', () => {
    const { json } = exportEl(surveySession());
    expect(prompt(json)?.built_in_tools?.transfer_to_number).toBeUndefined();
    expect(prompt(json)?.prompt).toContain('You cannot transfer calls.');
    expect(prompt(json)?.prompt).not.toMatch(/transfer (?:you|them|the caller)/i);
  });

  it('adds language_detection and a language preset per extra language, and the multilingual voice model', () => {
    const session = customerSupportSession();
    session.spec.additional_languages = f(['es', 'fr-FR']);
    const { json, result } = exportEl(session);
    expect(prompt(json)?.built_in_tools?.language_detection).toEqual({ type: 'system', name: 'language_detection', description: '', params: { system_tool_type: 'language_detection' } });
    expect(json.conversation_config.language_presets).toEqual({
      es: { overrides: { agent: { first_message: '¡Hola, gracias por llamar a Acme Shop! ¿En qué puedo ayudarle?', language: 'es' } } },
      fr: { overrides: { agent: { first_message: "Bonjour, merci d'avoir appelé Acme Shop ! Comment puis-je vous aider ?", language: 'fr' } } },
    });
    expect(json.conversation_config.tts?.model_id).toBe('eleven_flash_v2_5');
    expect(parseWithElevenLabsSdk(json).errors ?? []).toEqual([]);
    expect(result.losses.some((l) => l.path === 'additional_languages')).toBe(true);
    expect(prompt(exportEl(customerSupportSession()).json)?.built_in_tools?.language_detection).toBeUndefined();
  });

  it('gives outbound agents voicemail_detection (with the message to leave) and an outbound greeting; inbound agents none', () => {
    const { json } = exportEl(surveySession());
    expect(prompt(json)?.built_in_tools?.voicemail_detection).toEqual({
      type: 'system',
      name: 'voicemail_detection',
      description: '',
      params: { system_tool_type: 'voicemail_detection', voicemail_message: expect.stringContaining('short survey') },
    });
    expect(json.conversation_config.agent?.first_message).toBe('Hi, this is the virtual assistant of Northwind Energy. Do you have a minute to talk?');
    const hangUp = surveySession();
    hangUp.spec.voicemail = f({ action: 'hang_up' as const });
    expect(prompt(exportEl(hangUp).json)?.built_in_tools?.voicemail_detection?.params).toEqual({ system_tool_type: 'voicemail_detection' });
    expect(prompt(exportEl(customerSupportSession()).json)?.built_in_tools?.voicemail_detection).toBeUndefined();
  });

  it('sets language and the matching TTS model: eleven_flash_v2 for English, eleven_flash_v2_5 otherwise', () => {
    const english = exportEl(customerSupportSession()).json;
    expect(english.conversation_config.agent?.language).toBe('en');
    expect(english.conversation_config.tts).toEqual({ model_id: 'eleven_flash_v2', voice_id: 'cjVigY5qzO86Huf0OWal' });
    const spanish = exportEl(restaurantSession()).json;
    expect(spanish.conversation_config.agent?.language).toBe('es');
    expect(spanish.conversation_config.tts?.model_id).toBe('eleven_flash_v2_5');
    const session = restaurantSession();
    session.spec.voice_id = f('EXAVITQu4vr4xnSDxMaL', USER_EDIT);
    expect(exportEl(session).json.conversation_config.tts?.voice_id).toBe('EXAVITQu4vr4xnSDxMaL');
  });

  it('greets in the agent\'s language when no first message is written, and uses the written one when it is', () => {
    expect(exportEl(restaurantSession()).json.conversation_config.agent?.first_message).toBe('¡Hola, gracias por llamar a La Tasca! ¿En qué puedo ayudarle?');
    const session = restaurantSession();
    session.spec.first_message = f('La Tasca, dígame.', USER_EDIT);
    expect(exportEl(session).json.conversation_config.agent?.first_message).toBe('La Tasca, dígame.');
    const german = customerSupportSession();
    german.spec.language = f('de');
    german.spec.call_direction = f('outbound' as const);
    delete german.spec.first_message;
    expect(exportEl(german).json.conversation_config.agent?.first_message).toBe('Hallo, hier ist der virtuelle Assistent von Acme Shop. Haben Sie kurz Zeit?');
  });

  it('gives the prompt {{system__time}} and prompt.timezone when a tool takes a date or time, once', () => {
    const { json } = exportEl(restaurantSession());
    expect(prompt(json)?.timezone).toBe('Europe/Madrid');
    expect(prompt(json)?.prompt).toContain('The current date and time is {{system__time}}.');
    const again = restaurantSession();
    again.spec.system_prompt = f(prompt(json)?.prompt ?? '', USER_EDIT);
    expect(prompt(exportEl(again).json)?.prompt).toBe(prompt(json)?.prompt);
    expect(prompt(exportEl(customerSupportSession()).json)?.prompt).not.toContain('{{system__time}}');
    const noZone = restaurantSession();
    delete noZone.spec.timezone;
    const project = exportEl(noZone);
    expect(prompt(project.json)?.timezone).toBeUndefined();
    expect(project.result.losses.some((l) => l.path === 'timezone')).toBe(true);
  });

  it('runs on the agent\'s own LLM and temperature (default 0), not the interviewer\'s', () => {
    expect(prompt(exportEl(customerSupportSession()).json)?.temperature).toBe(0);
    const session = customerSupportSession();
    session.spec.llm = f('claude-sonnet-4-5');
    session.spec.temperature = f(0.3);
    const json = exportEl(session, 'gpt-5.5').json;
    expect(prompt(json)?.llm).toBe('claude-sonnet-4-5');
    expect(prompt(json)?.temperature).toBe(0.3);
  });

  it('writes data collection and evaluation criteria into platform_settings', () => {
    const { json } = exportEl(surveySession());
    expect(json.platform_settings).toEqual({
      data_collection: {
        visit_rating: { type: 'integer', description: 'The rating from 1 to 5 the customer gave the visit.' },
        would_recommend: { type: 'boolean', description: 'Whether the customer would recommend Northwind Energy.' },
      },
      evaluation: { criteria: [{ id: 'survey_completed', name: 'Survey completed', type: 'prompt', conversation_goal_prompt: 'Did the customer answer all three questions?' }] },
    });
    const session = restaurantSession();
    expect(exportEl(session).json.platform_settings).toBeUndefined();
  });

  it('lists knowledge-base sources in the README and knowledge_base.json', () => {
    const project = exportEl(restaurantSession());
    expect(project.file('README.md')).toContain('- Web page: https://latasca.example.com/carta (“Carta”)');
    expect(JSON.parse(project.file('knowledge_base.json'))).toEqual({ documents: [{ type: 'url', url: 'https://latasca.example.com/carta', name: 'Carta' }] });
  });

  it('elevenlabs-agent writes the agent config alone, naming its tools, with a loss line saying to create them first', () => {
    const result = exportSession(customerSupportSession(), 'elevenlabs-agent', { model: 'gpt-5.5' });
    expect(result.filename).toBe('customer-support-agent.elevenlabs.json');
    expect(result.files).toBeUndefined();
    const json = JSON.parse(result.content) as ElevenLabsAgentBody;
    expect(json).toEqual(exportEl(customerSupportSession()).json);
    expect(result.losses.some((l) => l.path === 'tools' && /tool_ids holds the tool names get_order_status/.test(l.message))).toBe(true);
  });
});
