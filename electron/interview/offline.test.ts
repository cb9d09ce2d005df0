import { describe, expect, it } from 'vitest';
import { emptySpec, type AgentSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import type { TurnRequest } from '../llm/types';
import { createOfflineProvider, interview, OFFLINE_NOTE } from './offline';
import { completeTool, f } from '../../tests/support/spec-fixtures';

function request(stage: Stage, awaiting: string | null, text: string, spec: AgentSpec = emptySpec()): TurnRequest {
  return { stage, system: '', messages: [{ role: 'user', text }], spec, awaiting, temperature: 0.7, maxTokens: 1000 };
}

const basics: AgentSpec = { ...emptySpec(), agent_type: f('customer support agent'), goals: f('Track orders'), tone: f('Friendly') };
const withTool = (tool = {}): AgentSpec => ({ ...basics, use_tools: f(true), tools: [{ name: f('get_order_status'), ...tool }] });

describe('offline provider', () => {
  it('is named offline / guided-interviewer and streams its reply in word groups', async () => {
    const provider = createOfflineProvider();
    expect([provider.name, provider.model]).toEqual(['offline', 'guided-interviewer']);
    const deltas: string[] = [];
    const out = await provider.generateTurn(request('INITIAL', 'agent_type', 'I want to build a customer support agent'), {
      onDelta: (d) => deltas.push(d),
    });
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe(out.result.reply);
    expect(out.result.extracted).toMatchObject({ agent_type: { value: 'customer support agent' } });
    expect(out.result.extracted.agent_type?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(out.result.awaiting).toBe('goals');
    expect(out.result.reply).toContain(OFFLINE_NOTE);
    expect(out.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it('stops streaming when the signal aborts', async () => {
    const controller = new AbortController();
    const deltas: string[] = [];
    const turn = createOfflineProvider().generateTurn(request('INITIAL', 'agent_type', 'a customer support agent'), {
      signal: controller.signal,
      onDelta: (d) => {
        deltas.push(d);
        controller.abort();
      },
    });
    await expect(turn).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(deltas).toHaveLength(1);
    const already = new AbortController();
    already.abort();
    await expect(createOfflineProvider().generateTurn(request('INITIAL', 'agent_type', 'x'), { signal: already.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('is deterministic', () => {
    const r = request('COLLECTING_BASICS', 'goals', 'Help customers track orders', { ...emptySpec(), agent_type: f('support agent') });
    expect(interview(r)).toEqual(interview(r));
  });
});

describe('offline interview answers', () => {
  it.each([
    ['Yes, I want to integrate our order API', true],
    ['yep', true],
    ['sure thing', true],
    ['No', false],
    ['nope, no tools', false],
    ["it doesn't need tools", false],
  ])('reads %j as use_tools = %s', (text, value) => {
    const r = interview(request('EXPLORING_TOOLS', 'use_tools', text, basics));
    expect(r.extracted.use_tools).toEqual({ value, confidence: 0.95 });
    expect(r.awaiting).toBe(value ? 'tools[0].name' : 'workflow_approved');
    expect(r.stage_complete).toBe(true);
  });

  it('asks again when a yes/no answer is unclear', () => {
    const r = interview(request('EXPLORING_TOOLS', 'use_tools', 'it depends', basics));
    expect(r.extracted).toEqual({});
    expect(r.awaiting).toBe('use_tools');
    expect(r.reply).toMatch(/^Please answer yes or no\./);
  });

  it('parses methods and refuses unsupported ones', () => {
    const spec = withTool({ purpose: f('x'), endpoint: f('https://api.example.com/orders/{order_id}') });
    expect(interview(request('CONFIGURING_TOOLS', 'tools[0].method', "it's a post request", spec)).extracted['tools[0].method']?.value).toBe('POST');
    const head = interview(request('CONFIGURING_TOOLS', 'tools[0].method', 'HEAD', spec));
    expect(head.extracted).toEqual({});
    expect(head.reply).toContain("HEAD isn't supported");
    expect(head.awaiting).toBe('tools[0].method');
  });

  it('takes a URL with a method, and refuses a relative one precisely', () => {
    const spec = withTool({ purpose: f('x') });
    const both = interview(request('CONFIGURING_TOOLS', 'tools[0].endpoint', 'GET https://api.example.com/orders/{order_id}.', spec));
    expect(both.extracted['tools[0].endpoint']?.value).toBe('https://api.example.com/orders/{order_id}');
    expect(both.extracted['tools[0].method']?.value).toBe('GET');
    expect(both.awaiting).toBe('tools[0].auth');
    const relative = interview(request('CONFIGURING_TOOLS', 'tools[0].endpoint', 'it is /orders/{order_id}', spec));
    expect(relative.extracted).toEqual({});
    expect(relative.reply).toContain('"/orders/{order_id}" is a relative URL');
  });

  it('parses JSON Schemas and simple parameter lists, refusing invalid ones', () => {
    const spec = withTool({ purpose: f('x'), endpoint: f('https://api.example.com/orders/{order_id}'), method: f('GET' as const), auth: f({ type: 'none' as const }) });
    const simple = interview(request('CONFIGURING_TOOLS', 'tools[0].input_schema', 'order_id: string, include_items: boolean optional', spec));
    expect(simple.extracted['tools[0].input_schema']?.value).toEqual({
      type: 'object',
      properties: { order_id: { type: 'string' }, include_items: { type: 'boolean' } },
      required: ['order_id'],
    });
    const invalid = interview(request('CONFIGURING_TOOLS', 'tools[0].input_schema', '{"type":"object","properties":{"order_id":{"type":"text"}}}', spec));
    expect(invalid.extracted).toEqual({});
    expect(invalid.reply).toContain('is not valid: at properties.order_id.type');
    expect(invalid.awaiting).toBe('tools[0].input_schema');
  });

  it('understands "no more tools", another tool, and approval', () => {
    const spec: AgentSpec = { ...basics, use_tools: f(true), tools: [completeTool('get_order_status')] };
    const done = interview(request('CONFIGURING_TOOLS', 'tools_done', "No more tools, that's all", spec));
    expect(done.intent.no_more_tools).toBe(true);
    expect(done.awaiting).toBe('workflow_approved');
    const another = interview(request('CONFIGURING_TOOLS', 'tools_done', 'yes, one more', spec));
    expect(another.awaiting).toBe('tools[1].name');
    const named = interview(request('CONFIGURING_TOOLS', 'tools_done', 'add create_return', spec));
    expect(named.extracted['tools[1].name']?.value).toBe('create_return');
    expect(named.awaiting).toBe('tools[1].purpose');

    const review: AgentSpec = { ...spec, tools_done: f(true) };
    const approve = interview(request('REVIEWING_WORKFLOW', 'workflow_approved', 'Looks good, approve', review));
    expect(approve.intent.approve).toBe(true);
    const notYet = interview(request('REVIEWING_WORKFLOW', 'workflow_approved', "that doesn't look right", review));
    expect(notYet.intent.approve).toBeUndefined();
    expect(notYet.awaiting).toBe('workflow_approved');
  });

  it('understands "go back to …" and field edits', () => {
    const spec: AgentSpec = { ...basics, use_tools: f(true), tools: [completeTool('get_order_status')], tools_done: f(true) };
    const back = interview(request('REVIEWING_WORKFLOW', 'workflow_approved', 'Go back to tools please', spec));
    expect(back.intent.go_back_to).toBe('CONFIGURING_TOOLS');
    expect(back.awaiting).toBe('tools_done');
    const unknown = interview(request('REVIEWING_WORKFLOW', 'workflow_approved', 'go back to lunch', spec));
    expect(unknown.intent.go_back_to).toBeUndefined();
    expect(unknown.reply).toContain('"basics", "tools" or "review"');
    const edit = interview(request('REVIEWING_WORKFLOW', 'workflow_approved', 'change the method to POST', spec));
    expect(edit.extracted['tools[0].method']?.value).toBe('POST');
  });

  it('leaves a locked field alone and says so', () => {
    const spec: AgentSpec = { ...basics, tone: f('Formal', { locked: true, source: 'user-edit' }) };
    const r = interview(request('EXPLORING_TOOLS', 'use_tools', 'tone: casual', spec));
    expect(r.extracted).toEqual({});
    expect(r.reply).toContain('tone is locked');
  });

  it('reads the cases the issue measured the old interviewer on', () => {
    const tooled: AgentSpec = { ...basics, use_tools: f(true), tools: [completeTool('lookup_outage')] };
    // "That's it, but remember …" ends the tools; it is not a new tool.
    const done = interview(request('CONFIGURING_TOOLS', 'tools_done', "That's it, but remember lookup_outage must also transfer upset callers", tooled));
    expect(done.intent.no_more_tools).toBe(true);
    expect(Object.keys(done.extracted).some((k) => k.startsWith('tools[1]'))).toBe(false);
    const only = interview(request('CONFIGURING_TOOLS', 'tools_done', "No, that's the only tool", tooled));
    expect(only.intent.no_more_tools).toBe(true);
    expect(JSON.stringify(only.extracted)).not.toContain('no_thats_the_only_tool');
    // A dictated first message is kept, not answered with "Got it." and thrown away.
    const greeting = interview(request('COLLECTING_BASICS', 'tone', 'first message: Thanks for calling Greenleaf, how can I help?', { ...emptySpec(), agent_type: f('pharmacy line'), goals: f('Refills') }));
    expect(greeting.extracted.first_message?.value).toBe('Thanks for calling Greenleaf, how can I help?');
    expect(greeting.extracted.tone).toBeUndefined();
    // Non-answers shift nothing: "not sure yet" is not a value of the field asked.
    const unsure = interview(request('CONFIGURING_TOOLS', 'tools[0].output_schema', "not sure yet, I'll ask our developer", { ...tooled, tools: [{ name: f('lookup_outage') }] }));
    expect(unsure.kind).toBe('dont_know');
    expect(unsure.extracted).toEqual({});
    expect(unsure.suggestion?.field).toBe('tools[0].output_schema');
    // "I don't know yet, what do you suggest?" is a request for a proposal, not a property named "I".
    const suggest = interview(request('CONFIGURING_TOOLS', 'tools[0].input_schema', "I don't know yet, what do you suggest?", { ...tooled, tools: [{ name: f('lookup_outage'), endpoint: f('https://x.example/outages/{zip}') }] }));
    expect(suggest.kind).toBe('suggest');
    expect(suggest.suggestion?.value).toMatchObject({ properties: { zip: { type: 'string' } } });
  });

  it('answers a question with an explanation and an off-topic message by steering back', () => {
    const question = interview(request('CONFIGURING_TOOLS', 'tools[0].auth', 'What do you mean by that?', { ...basics, tools: [{ name: f('lookup_order') }] }));
    expect(question.kind).toBe('question');
    expect(question.reply).toMatch(/How lookup_order.s API checks that the call is allowed/);
    expect(question.extracted).toEqual({});
    const chat = interview(request('COLLECTING_BASICS', 'goals', 'tell me a joke', { ...emptySpec(), agent_type: f('booking line') }));
    expect(chat.kind).toBe('off_topic');
    expect(chat.reply).toMatch(/^Let's stay with your agent\. What should your booking line achieve/);
  });
});
