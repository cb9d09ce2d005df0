import { describe, expect, it } from 'vitest';
import { customerSupportSpec } from '../../tests/support/export/sessions';
import { scriptedProvider } from '../../tests/support/spec-fixtures';
import { agentUnderTest } from './design';
import { llmSides, parseAgentReply, parseJudgeReply } from './llm';
import { simulate } from './run';
import { proposePersonas } from './personas';
import { recordedExamplesOnTool } from './tool-responses';
import { MAX_SIM_MESSAGES, MAX_SIM_TEXT, SimulationRun } from '../../shared/simulation';

describe('the model-driven sides', () => {
  it('reads what the agent says and the tool it calls', () => {
    expect(parseAgentReply('One moment.\nCALL get_order_status {"order_id": "A1"}')).toEqual([{ say: 'One moment.' }, { call: 'get_order_status', args: { order_id: 'A1' } }]);
    expect(parseAgentReply('CALL end_call')).toEqual([{ call: 'end_call', args: {} }]);
    expect(parseAgentReply('CALL lookup {not json}')).toEqual([{ call: 'lookup', args: {} }]);
    expect(parseAgentReply('I will call you back.')).toEqual([{ say: 'I will call you back.' }]);
  });

  it('reads the judge’s verdict lines', () => {
    const v = parseJudgeReply('Here you go:\nPASS polite_end: said goodbye\nFAIL guardrail - gave a dosage\nnoise');
    expect([...v.entries()]).toEqual([
      ['polite_end', { passed: true, reason: 'said goodbye' }],
      ['guardrail', { passed: false, reason: 'gave a dosage' }],
    ]);
  });

  it('the judge decides only what a reading of the call decides; tool calls stay facts of the call record', async () => {
    const spec = customerSupportSpec();
    const agent = agentUnderTest(spec);
    const [knows] = proposePersonas(agent, 1);
    const provider = scriptedProvider([
      { reply: 'Hi, where is my order?' },
      { reply: 'Sure. Thank you for calling, goodbye!\nCALL end_call {}' },
      { reply: 'PASS tool_called: it was fine\nFAIL polite_end: it hung up on the caller' },
    ]);
    const usage: number[] = [];
    const run = await simulate({
      spec,
      sessionId: '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f',
      runId: 'r',
      at: 'now',
      personas: [knows!],
      mode: 'llm',
      sides: llmSides({ provider, agent, spec, stage: 'COMPLETED', temperature: 0, maxTokens: 500, onUsage: (u) => usage.push(u.inputTokens) }),
    });
    const criteria = Object.fromEntries(run.scenarios[0]!.criteria.map((c) => [c.id, [c.passed, c.reason]]));
    expect(criteria.tool_called).toEqual([false, "The caller's need reached get_order_status's trigger, but the agent never called it."]);
    expect(criteria.polite_end).toEqual([false, 'it hung up on the caller']);
    expect(usage).toEqual([100, 100, 100]);
    // The agent model got its own prompt plus how to call tools; the caller model its persona.
    expect(provider.requests[1]!.system).toContain(agent.prompt);
    expect(provider.requests[1]!.system).toContain('- get_order_status(order_id: order number)');
    expect(provider.requests[0]!.system).toContain(knows!.description);
    expect(provider.requests[0]!.messages).toEqual([{ role: 'user', text: agent.firstMessage }]);
  });
});

describe('a model that never stops', () => {
  it('is cut off within the bounds a stored run has: the call ends as too long, the run still validates', async () => {
    const spec = customerSupportSpec();
    const agent = agentUnderTest(spec);
    const [knows] = proposePersonas(agent, 1);
    const huge = 'blah '.repeat(2000);
    // Every caller turn is long; every agent turn calls the tool three times.
    const provider = scriptedProvider(
      Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? { reply: huge } : { reply: `${huge}\n${'CALL get_order_status {"order_id": "A1"}\n'.repeat(3)}` })),
    );
    const run = await simulate({ spec, sessionId: '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f', runId: 'r', at: 'now', personas: [knows!], mode: 'llm', sides: llmSides({ provider, agent, spec, stage: 'COMPLETED', temperature: 0, maxTokens: 500 }) });
    const s = run.scenarios[0]!;
    expect(s.transcript.length).toBeLessThanOrEqual(MAX_SIM_MESSAGES);
    expect(Math.max(...s.transcript.map((m) => m.text.length))).toBeLessThanOrEqual(MAX_SIM_TEXT);
    expect(s.criteria.find((c) => c.id === 'polite_end')).toMatchObject({ passed: false, reason: expect.stringMatching(/never ended/) });
    expect(SimulationRun.safeParse(run).success).toBe(true);
  });
});

describe('recorded examples on a tool', () => {
  it('answers with the bodies of the 2xx test-fires the workbench saved on the tool, JSON parsed', () => {
    const tool = agentUnderTest(customerSupportSpec()).tools[0]!;
    const exchange = (status: number, body: string, truncated = false) => ({
      at: '2026-11-29T10:00:00.000Z',
      input: { order_id: 'A1' },
      request: { method: 'GET' as const, url: 'https://api.example.com/orders/A1', headers: {} },
      response: { status, headers: {}, body, truncated, latency_ms: 12 },
    });
    const withExamples = (examples: ReturnType<typeof exchange>[]) => ({ ...tool, spec: { ...tool.spec, workbench: { examples } } });
    expect(recordedExamplesOnTool(tool)).toBeUndefined();
    expect(recordedExamplesOnTool(withExamples([exchange(200, '{"status":"shipped"}'), exchange(404, '{"error":"no order"}'), exchange(200, 'plain text'), exchange(200, '{"cut', true)]))).toEqual([
      { status: 'shipped' },
      'plain text',
    ]);
    expect(recordedExamplesOnTool(withExamples([exchange(500, 'boom')]))).toBeUndefined();
  });
});
