import { describe, expect, it } from 'vitest';
import type { AgentSpec } from '../../shared/spec';
import { compareRuns, SimulationRun } from '../../shared/simulation';
import { customerSupportSpec, f } from '../../tests/support/export/sessions';
import { pharmacySpec } from '../../tests/support/simulate-designs';
import { simulate } from './run';
import { agentUnderTest, designFindings } from './design';
import { proposePersonas } from './personas';

const SESSION = '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f';
const run = (spec: AgentSpec, extra: Partial<Parameters<typeof simulate>[0]> = {}) => simulate({ spec, sessionId: SESSION, runId: 'run-1', at: '2026-11-29T00:00:00.000Z', ...extra });
const scenario = (r: SimulationRun, name: RegExp) => r.scenarios.find((s) => name.test(s.persona.name))!;

/** The brief's design with its prompt edited by hand: `edit` rewrites the generated prompt. */
function withPrompt(edit: (prompt: string) => string): AgentSpec {
  const spec = customerSupportSpec();
  return { ...spec, system_prompt: f(edit(spec.system_prompt!.value), 'user-edit') };
}

describe('offline simulation of the brief’s order-status design', () => {
  it('passes every proposed scenario, and the run validates as stored', async () => {
    const r = await run(customerSupportSpec());
    expect(r.scenarios.map((s) => s.persona.name)).toEqual(['Knows the order number', 'Wants a human', 'Goes off topic', 'get_order_status fails', "Doesn't know the order number"]);
    expect(r.scenarios.filter((s) => !s.passed).map((s) => `${s.persona.name}: ${s.summary}`)).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(`${r.passed} of ${r.total}`).toBe('5 of 5');
    expect(SimulationRun.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
    const knows = scenario(r, /knows the order number/i);
    expect(knows.toolCalls.map((c) => [c.tool, c.args])).toEqual([['get_order_status', { order_id: 'A1234' }], ['end_call', { reason: 'the caller said goodbye' }]]);
  });

  it('is deterministic: the same design gives the same run', async () => {
    expect(await run(customerSupportSpec())).toEqual(await run(customerSupportSpec()));
  });

  it('removing the trigger’s input from the prompt fails “knows the order number”, saying why', async () => {
    const spec = withPrompt((p) => p.replace(/^Before using it, ask the caller for:.*$/m, 'Before using it, nothing needs to be asked.'));
    const r = await run(spec);
    const knows = scenario(r, /knows the order number/i);
    expect(knows.passed).toBe(false);
    expect(knows.summary).toMatch(/get_order_status was called without the order number \(order_id\): the prompt's get_order_status section never tells the agent to ask for it/);
    expect(r.findings).toContain('get_order_status needs order number (order_id), but the prompt never tells the agent to ask the caller for it.');
    expect(compareRuns(r, await run(customerSupportSpec()))).toBe(`${r.passed} of 5 passed → 5 of 5 passed`);
  });

  it('a transfer promised with no number fails “wants a human”', async () => {
    const spec = customerSupportSpec();
    spec.transfers = [{ condition: f('The customer asks for a person') }];
    const r = await run(spec);
    const human = scenario(r, /wants a human/i);
    expect(human.passed).toBe(false);
    expect(human.summary).toMatch(/transfer 1 has no phone number, so the call could not be transferred\. Add a number \(transfers\[0\]\.phone_number\)/);
    expect(r.findings).toContain('Transfer 1 ("The customer asks for a person") has no phone number: the agent cannot make it.');
  });

  it('a prompt edited to promise a transfer the design cannot make fails too', async () => {
    const spec = customerSupportSpec();
    spec.transfers = [];
    spec.system_prompt = f(`${spec.system_prompt!.value}\nIf the caller wants a person, transfer them to the shop manager.`, 'user-edit');
    const human = scenario(await run(spec), /wants a human/i);
    expect(human.passed).toBe(false);
    expect(human.summary).toMatch(/the prompt promises a transfer, but the design has no number/);
  });

  it('goals that promise a transfer the design has no number for fail “wants a human”', async () => {
    const spec = customerSupportSpec();
    spec.transfers = [];
    spec.goals = f('Help customers track orders, or put them through to a manager');
    delete spec.system_prompt;
    const r = await run(spec);
    expect(scenario(r, /wants a human/i).summary).toMatch(/The caller asked for a person, but the design has no transfer number/);
    expect(r.findings).toContain('The goals promise a transfer ("Help customers track orders, or put them through to a manager"), but the design has no transfer number.');
  });

  it('a design without transfers passes “wants a human” by saying so honestly', async () => {
    const spec = customerSupportSpec();
    spec.transfers = [];
    delete spec.system_prompt;
    const human = scenario(await run(spec), /wants a human/i);
    expect(human.criteria.map((c) => [c.id, c.passed])).toEqual([['transfer', true], ['polite_end', true]]);
  });

  it('a trigger no persona line reaches is reported, and its scenario fails', async () => {
    const agent = agentUnderTest(customerSupportSpec());
    const personas = proposePersonas(agent, 1).map((p) => ({ ...p, lines: ['Hello, I would like to buy a gift card.'] }));
    const r = await run(customerSupportSpec(), { personas });
    expect(r.scenarios[0]!.passed).toBe(false);
    expect(r.scenarios[0]!.summary).toMatch(/No line of this caller reaches get_order_status's trigger/);
    expect(r.findings).toEqual([expect.stringMatching(/No persona line reaches get_order_status's trigger/)]);
  });

  it('a prompt without the guardrail lets the off-topic caller through', async () => {
    const r = await run(withPrompt((p) => p.replace(/^- Stay on the topics above.*$/m, '')));
    expect(scenario(r, /off topic/i).summary).toMatch(/the prompt has no stay-on-topic guardrail/);
  });

  it('a recorded example answers instead of the schema', async () => {
    const r = await run(customerSupportSpec(), { count: 1, examples: () => [{ status: 'delivered', eta: 'yesterday' }] });
    expect(r.scenarios[0]!.transcript.map((m) => m.text).join('\n')).toContain('status delivered, eta yesterday');
  });

  it('finds no holes in the generated prompt of a fresh design', () => {
    const spec = customerSupportSpec();
    delete spec.system_prompt;
    expect(designFindings(agentUnderTest(spec))).toEqual([]);
  });

  it('a three-tool design: every proposed scenario passes, each tool asked for all its required inputs first', async () => {
    const r = await run(pharmacySpec(), { count: 12 });
    expect(r.total).toBe(11);
    expect(r.scenarios.filter((s) => !s.passed).map((s) => `${s.persona.name}: ${s.summary}`)).toEqual([]);
    const refill = scenario(r, /knows the prescription number/i);
    expect(refill.toolCalls[0]).toMatchObject({ tool: 'request_refill', args: { rx_number: 'RX4471', date_of_birth: '1984-03-12' }, outcome: 'ok' });
    expect(scenario(r, /medical advice/i).criteria.find((c) => c.id === 'guardrail')?.passed).toBe(true);
    expect(scenario(r, /refill_status fails/i).toolCalls.find((c) => c.tool === 'refill_status')?.outcome).toBe('empty');
  });
});
