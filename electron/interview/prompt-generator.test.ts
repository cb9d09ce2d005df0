import { describe, expect, it } from 'vitest';
import { emptySpec, type AgentSpec } from '../../shared/spec';
import { buildWorkflow, generateAgentPrompt, workflowSummary } from './prompt-generator';
import { stageSystemPrompt } from './prompts';
import { titleFor } from './fields';
import { completeTool, f } from '../../tests/support/spec-fixtures';

const spec: AgentSpec = {
  ...emptySpec(),
  agent_type: f('customer support agent'),
  goals: f('Help customers track orders and handle returns'),
  tone: f('Friendly and empathetic'),
  use_tools: f(true),
  tools: [completeTool('get_order_status')],
};

describe('prompt generator', () => {
  it('follows the prompting guide: personality, environment, tone, goal as steps, guardrails, tools, speaking', () => {
    const { systemPrompt, firstMessage } = generateAgentPrompt(spec);
    const headings = systemPrompt.split('\n').filter((l) => l.startsWith('# '));
    expect(headings).toEqual(['# Personality', '# Environment', '# Tone', '# Goal', '# Guardrails', '# Tools', '# Speaking numbers, dates and e-mail addresses']);
    expect(systemPrompt).toContain('You are the customer support agent.');
    expect(systemPrompt).toContain('You are friendly and empathetic.');
    expect(systemPrompt).toMatch(/You are an AI voice assistant\. If anyone asks whether they are talking to a person, say honestly/);
    expect(systemPrompt).toContain('You answer phone calls.');
    expect(systemPrompt).toMatch(/# Goal\n1\. Greet the caller[^\n]*\n2\. Work out which of these they want:\n {3}- Help customers track orders and handle returns\.\n3\./);
    expect(systemPrompt).toContain('## get_order_status');
    expect(systemPrompt).toContain('Use it when: the caller asks about an order.');
    expect(systemPrompt).toContain('Before using it, ask the caller for: order id (The order number).');
    expect(systemPrompt).toContain('If it fails or finds nothing: Apologise.');
    // The voice model needs no URLs or HTTP verbs, and this design has no transfer target.
    expect(systemPrompt).not.toMatch(/https?:\/\/|\bGET\b/);
    expect(systemPrompt).not.toMatch(/offer a human|transfer the call as/i);
    expect(systemPrompt).toContain('You cannot transfer calls.');
    // No tool deals in dates here, so no clock; no card numbers for an order line.
    expect(systemPrompt).not.toContain('{{system__time}}');
    expect(systemPrompt).not.toMatch(/card number/);
    expect(firstMessage).toContain('customer support agent');
    expect(generateAgentPrompt(spec)).toEqual({ systemPrompt, firstMessage });
  });

  it('derives guardrails from the domain and gives the current time when a tool takes a date', () => {
    const pharmacy: AgentSpec = {
      ...spec,
      agent_type: f('pharmacy refill line'),
      goals: f('Look up prescriptions'),
      tools: [{ ...completeTool('lookup_prescription'), input_schema: f({ type: 'object', properties: { rx_number: { type: 'string' }, date_of_birth: { type: 'string', format: 'date' } }, required: ['rx_number', 'date_of_birth'] }) }],
    };
    const prompt = generateAgentPrompt(pharmacy).systemPrompt;
    expect(prompt).toContain('Do not give medical advice');
    expect(prompt).not.toMatch(/card number/);
    expect(prompt).toContain('{{system__time}}');
    const bank = generateAgentPrompt({ ...spec, agent_type: f('card services agent'), goals: f('Lock lost cards; tell members their balance') }).systemPrompt;
    expect(bank).toContain('Do not give financial or investment advice.');
    expect(bank).toContain('Never ask for or read back a full card number');
    expect(bank).not.toContain('medical');
    const law = generateAgentPrompt({ ...spec, agent_type: f('law firm intake line') }).systemPrompt;
    expect(law).toContain('Do not give legal advice');
  });

  it('promises a transfer only when the design has a number for it', () => {
    const withTransfer = { ...spec, transfers: [{ phone_number: f('+15035550199'), condition: f('If someone asks about side effects') }] } as AgentSpec;
    const prompt = generateAgentPrompt(withTransfer).systemPrompt;
    expect(prompt).toContain('# Transfers\nTransfer the call when:\n- If someone asks about side effects.');
    expect(prompt).not.toContain('You cannot transfer calls.');
    const noNumber = { ...spec, transfers: [{ condition: f('If someone asks about side effects') }] } as AgentSpec;
    expect(generateAgentPrompt(noNumber).systemPrompt).toContain('You cannot transfer calls.');
    const promised = { ...spec, tools: [{ ...completeTool('get_order_status'), error_handling: f('Apologise and offer to transfer them to a human agent') }] };
    expect(generateAgentPrompt(promised).systemPrompt).toContain('If it fails or finds nothing: Apologise.');
  });

  it('writes the headings and fixed lines in the agent language', () => {
    const headingsFor = (language: string) =>
      generateAgentPrompt({ ...spec, language: f(language) })
        .systemPrompt.split('\n')
        .filter((l) => l.startsWith('# '));
    expect(headingsFor('es')).toEqual(['# Personalidad', '# Entorno', '# Tono', '# Objetivo', '# Límites', '# Herramientas', '# Cómo decir números, fechas y correos electrónicos']);
    expect(headingsFor('de')[0]).toBe('# Persönlichkeit');
    expect(headingsFor('fr')[0]).toBe('# Personnalité');
    expect(headingsFor('pt-BR')[0]).toBe('# Personalidade');
    expect(headingsFor('it')[0]).toBe('# Personalità');
    expect(headingsFor('nl')[0]).toBe('# Personality');
    expect(generateAgentPrompt({ ...spec, language: f('es') }).systemPrompt).toContain('Eres un asistente de voz con inteligencia artificial.');
  });

  it('says there are no tools when none are wanted, and keeps a locked first message', () => {
    const noTools: AgentSpec = { ...spec, use_tools: f(false), first_message: f('Dental office, how can I help?', { locked: true }) };
    const { systemPrompt, firstMessage } = generateAgentPrompt(noTools);
    expect(systemPrompt).toContain('You have no tools.');
    expect(systemPrompt).not.toContain('get_order_status');
    expect(firstMessage).toBe('Dental office, how can I help?');
  });

  it('describes the workflow from greeting to closing', () => {
    expect(buildWorkflow(spec).map((s) => s.kind)).toEqual(['greeting', 'intents', 'tool', 'failure', 'closing']);
    const summary = workflowSummary(spec);
    expect(summary).toContain('• Goals: Help customers track orders and handle returns');
    expect(summary).toContain('it calls get_order_status (GET https://api.example.com/orders/{order_id})');
  });
});

describe('stage system prompt', () => {
  it('names the stage, the output format and the current spec, with locks marked', () => {
    const prompt = stageSystemPrompt('COLLECTING_BASICS', { ...spec, tone: f('Calm', { locked: true }) }, 'goals', 0.6);
    expect(prompt).toContain('Current stage: COLLECTING_BASICS');
    expect(prompt).toContain('ONE missing field at a time');
    expect(prompt).toContain('threshold (0.6)');
    expect(prompt).toContain('"tone":{"value":"Calm","locked":true}');
    expect(prompt).toContain('You last asked about: goals.');
  });
});

describe('workflow wording', () => {
  it('does not put "When" before a trigger that already says when ("When as soon as…")', () => {
    const tool = (trigger: string) => ({ ...completeTool('lookup'), trigger: f(trigger) });
    const detail = (trigger: string) => buildWorkflow({ ...spec, tools: [tool(trigger)] }).find((s) => s.kind === 'tool')!.detail;
    expect(detail('As soon as the caller gives a name.')).toMatch(/^As soon as the caller gives a name, it calls lookup/);
    expect(detail('After the patient is looked up')).toMatch(/^After the patient is looked up, it calls/);
    expect(detail('When the caller asks about an order')).toMatch(/^When the caller asks about an order, it calls/);
    expect(detail('The caller asks about an order')).toMatch(/^When the caller asks about an order, it calls/);
  });
});

describe('session titles', () => {
  it('uses the agent type as said, without tacking "agent" on to a name', () => {
    expect(titleFor('reservations for Trattoria Roma')).toBe('Reservations for Trattoria Roma');
    expect(titleFor('customer support agent')).toBe('Customer support agent');
    expect(titleFor('  ')).toBe('New agent');
  });
});
