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
  it('writes every section from the spec', () => {
    const { systemPrompt, firstMessage } = generateAgentPrompt(spec);
    const headings = systemPrompt.split('\n').filter((l) => l.startsWith('# '));
    expect(headings).toEqual(['# Role', '# Goals', '# Tone and voice style', '# Tools', '# Guardrails', '# Closing']);
    expect(systemPrompt).toContain('You are a customer support agent');
    expect(systemPrompt).toContain('Help customers track orders and handle returns.');
    expect(systemPrompt).toContain('Be friendly and empathetic.');
    expect(systemPrompt).toContain('## get_order_status');
    expect(systemPrompt).toContain('Call it when: the caller asks about an order.');
    expect(systemPrompt).toContain('If it fails or returns nothing: Apologise and offer a human.');
    expect(systemPrompt).toContain('order_id (string, required): The order number');
    expect(firstMessage).toContain('customer support agent');
    expect(generateAgentPrompt(spec)).toEqual({ systemPrompt, firstMessage });
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
