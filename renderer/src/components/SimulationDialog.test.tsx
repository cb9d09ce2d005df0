import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { SimulationDialog } from './SimulationDialog';
import { fakeParley, makeSession } from '../test/fakeParley';
import type { Persona, ScenarioResult, SimulationRun } from '../../../shared/simulation';

const A = '00000000-0000-4000-8000-00000000000a';
afterEach(cleanup);

const knows: Persona = { id: 'knows-lookup', name: 'Knows the order number', kind: 'knows', tool: 'lookup', description: 'Has the number.', lines: ['Hi, where is my order?'], knows: { order_id: 'A1' } };
const human: Persona = { id: 'wants-human', name: 'Wants a human', kind: 'wants_human', description: 'Asks for a person.', lines: ['Can I speak to a person?'], knows: {} };

function scenario(persona: Persona, passed: boolean, reason: string): ScenarioResult {
  return {
    persona,
    transcript: [
      { role: 'agent', text: 'Hi, thanks for calling!' },
      { role: 'caller', text: persona.lines[0]! },
      { role: 'agent', text: passed ? 'Here is what I found.' : "I'm sorry, I can't transfer calls." },
    ],
    toolCalls: [],
    criteria: [{ id: 'transfer', label: 'the call is transferred when the transfer condition happens', passed, reason }],
    passed,
    summary: passed ? '' : reason,
  };
}

function run(id: string, scenarios: ScenarioResult[], designHash = 'h1'): SimulationRun {
  return { id, sessionId: A, at: '2026-11-29T00:00:00.000Z', mode: 'offline', designHash, scenarios, passed: scenarios.filter((s) => s.passed).length, total: scenarios.length, findings: [], inputTokens: 0, outputTokens: 0 };
}

describe('SimulationDialog', () => {
  it('shows who runs the calls, streams them, then explains a failed scenario and shows its transcript', async () => {
    const previous = run('r0', [scenario(knows, false, 'x'), scenario(human, false, 'y')], 'h0');
    const f = fakeParley([makeSession({ id: A, stage: 'REVIEWING_WORKFLOW', simulations: [previous] })]);
    const done = run('r1', [scenario(knows, true, 'ok'), scenario(human, false, 'The design says to transfer, but transfer 1 has no phone number.')]);
    let finish: (r: SimulationRun) => void = () => {};
    f.handlers['simulate:personas'] = () => ({ personas: [knows, human] });
    f.handlers['simulate:estimate'] = () => ({ mode: 'offline', provider: 'offline', model: 'guided-interviewer', personas: 2, calls: 0, costUsd: 0 });
    f.handlers['simulate:run'] = () => new Promise((resolve) => (finish = resolve));
    render(<SimulationDialog api={f.api} session={f.sessions.get(A)!} onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Simulated calls' });
    expect(await within(dialog).findByText(/Runs offline: scripted callers/)).toBeTruthy();
    // The stored run is shown first; the callers can be edited before running.
    expect(within(dialog).getByRole('status').textContent).toContain('0 of 2 passed');
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'What caller 2 says first' }), { target: { value: 'Put me through to someone, please.' } });

    fireEvent.click(within(dialog).getByRole('button', { name: 'Run simulation' }));
    await act(async () => {
      f.emit('simulate:event', { type: 'message', runId: 'r1', sessionId: A, scenario: 'wants-human', message: { role: 'agent', text: 'Hi, thanks for calling!' } });
      f.emit('simulate:event', { type: 'delta', runId: 'r1', sessionId: A, scenario: 'wants-human', role: 'caller', text: 'Put me through' });
    });
    const liveCalls = within(dialog).getByRole('region', { name: 'Calls in progress' });
    expect(liveCalls.textContent).toContain('Caller: Put me through');
    expect(f.callsTo('simulate:run')[0]!.input).toMatchObject({ personas: [knows, { ...human, lines: ['Put me through to someone, please.'] }] });

    await act(async () => finish(done));
    expect(within(dialog).getByRole('status').textContent).toContain('0 of 2 passed → 1 of 2 passed (design changed since)');
    const failed = within(dialog).getByRole('listitem', { name: 'Wants a human' });
    expect(failed.textContent).toContain('Failed');
    expect(failed.textContent).toContain('Why it failed: The design says to transfer, but transfer 1 has no phone number.');
    // A failed scenario opens with its verdict and transcript; a passed one on demand.
    expect(within(failed).getByRole('list', { name: 'Verdict: Wants a human' }).textContent).toContain('(not met)');
    expect(within(failed).getByRole('region', { name: 'Transcript: Wants a human' }).textContent).toContain("Agent: I'm sorry, I can't transfer calls.");
    const passed = within(dialog).getByRole('listitem', { name: 'Knows the order number' });
    expect(within(passed).queryByRole('region')).toBeNull();
    fireEvent.click(within(passed).getByRole('button', { name: 'Read transcript: Knows the order number' }));
    expect(within(passed).getByRole('region', { name: 'Transcript: Knows the order number' }).textContent).toContain('Caller: Hi, where is my order?');
  });
});
