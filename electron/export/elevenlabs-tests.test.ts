import { describe, expect, it } from 'vitest';
import type { Session } from '../../shared/session';
import { customerSupportSession } from '../../tests/support/export/sessions';
import { parseTestWithElevenLabsSdk } from '../../tests/support/export/elevenlabs-schema';
import { simulate } from '../simulate/run';
import { buildElevenLabsProject } from './elevenlabs-project';
import { linkToolIds } from './elevenlabs-link';
import { agentTests } from './elevenlabs-tests';

async function simulated(): Promise<Session> {
  const session = customerSupportSession();
  const run = await simulate({ spec: session.spec, sessionId: session.id, runId: 'run-1', at: '2026-11-29T00:00:00.000Z' });
  return { ...session, simulations: [run] };
}

describe('ElevenLabs agent tests from simulated calls', () => {
  it('one test per scenario (a failing tool left out), each accepted by the SDK’s strict create-test schema', async () => {
    const tests = agentTests(await simulated());
    expect(tests.map((t) => [t.config, t.type])).toEqual([
      ['test_configs/knows-get-order-status.json', 'tool'],
      ['test_configs/wants-human.json', 'tool'],
      ['test_configs/guardrail-scope.json', 'llm'],
      ['test_configs/doesnt-know-get-order-status.json', 'tool'],
    ]);
    for (const t of tests) expect([t.config, parseTestWithElevenLabsSdk(t.body)]).toEqual([t.config, expect.objectContaining({ ok: true })]);
    const knows = tests[0]!.body;
    expect(knows.tool_call_parameters).toEqual({
      referenced_tool: { id: 'get_order_status', type: 'webhook' },
      parameters: [{ path: 'order_id', eval: { type: 'exact', expected_value: 'A1234' } }],
      verify_absence: false,
    });
    const history = knows.chat_history as Array<{ role: string; message: string }>;
    expect(history.at(-1)).toMatchObject({ role: 'user', message: "Sure, it's A1234." });
    expect(tests[1]!.body.tool_call_parameters).toMatchObject({ referenced_tool: { id: 'transfer_to_number', type: 'system' } });
    expect(tests[3]!.body.tool_call_parameters).toMatchObject({ verify_absence: true });
  });

  it('the strict schema can fail: an unknown key or a tool test with a success condition is refused', async () => {
    const [knows] = agentTests(await simulated());
    expect(parseTestWithElevenLabsSdk({ ...knows!.body, surprise: 1 }).ok).toBe(false);
    expect(parseTestWithElevenLabsSdk({ ...knows!.body, success_condition: 'x' }).ok).toBe(false);
  });

  it('the exported project lists them in tests.json; without a run it stays empty; the link step puts tool ids into tool tests', async () => {
    const session = await simulated();
    const files = new Map(buildElevenLabsProject(session).files.map((f) => [f.path, f.content]));
    expect(JSON.parse(files.get('tests.json')!)).toEqual({
      tests: [
        { type: 'tool', config: 'test_configs/knows-get-order-status.json' },
        { type: 'tool', config: 'test_configs/wants-human.json' },
        { type: 'llm', config: 'test_configs/guardrail-scope.json' },
        { type: 'tool', config: 'test_configs/doesnt-know-get-order-status.json' },
      ],
    });
    expect(files.get('README.md')).toContain('elevenlabs tests push');
    expect(JSON.parse(new Map(buildElevenLabsProject(customerSupportSession()).files.map((f) => [f.path, f.content])).get('tests.json')!)).toEqual({ tests: [] });

    files.set('tools.json', JSON.stringify({ tools: [{ type: 'webhook', config: 'tool_configs/get_order_status.json', id: 'tool_42' }] }));
    files.set('tests.json', JSON.stringify({ tests: [...JSON.parse(files.get('tests.json')!).tests.map((t: object, i: number) => (i === 0 ? { ...t, id: 'test_1' } : t))] }));
    const linked = linkToolIds(files);
    const tests = linked.files.filter((f) => f.path.startsWith('test_configs/'));
    expect(tests.map((f) => f.path)).toEqual(['test_configs/knows-get-order-status.json', 'test_configs/doesnt-know-get-order-status.json']);
    expect(JSON.parse(tests[0]!.content).tool_call_parameters.referenced_tool).toEqual({ id: 'tool_42', type: 'webhook' });
    // Re-export into the deployed project keeps the test ids.
    const again = new Map(buildElevenLabsProject(session, {}, files).files.map((f) => [f.path, f.content]));
    expect(JSON.parse(again.get('tests.json')!).tests[0]).toEqual({ type: 'tool', config: 'test_configs/knows-get-order-status.json', id: 'test_1' });
    expect(JSON.parse(again.get('test_configs/knows-get-order-status.json')!).tool_call_parameters.referenced_tool).toEqual({ id: 'tool_42', type: 'webhook' });
  });
});
