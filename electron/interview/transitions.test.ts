import { describe, expect, it } from 'vitest';
import { STAGES, type Stage } from '../../shared/stages';
import { emptySpec, type AgentSpec } from '../../shared/spec';
import { decideTransition, deriveFacts, runTransitions, type StageFacts } from './transitions';
import { completeTool, f } from '../../tests/support/spec-fixtures';

const base: StageFacts = {
  exchanged: false,
  missingBasics: ['agent_type', 'goals', 'tone'],
  parked: [],
  useTools: null,
  completeTools: 0,
  incompleteTools: 0,
  toolsDone: false,
  approved: false,
  promptsReady: false,
};

/** Every stage × every condition the rules look at, with the stage the rules must choose. */
const TABLE: Array<[Stage, Partial<StageFacts>, Stage, string]> = [
  ['INITIAL', {}, 'INITIAL', 'stay'],
  ['INITIAL', { exchanged: true }, 'COLLECTING_BASICS', 'initial.exchanged'],
  ['COLLECTING_BASICS', {}, 'COLLECTING_BASICS', 'stay'],
  ['COLLECTING_BASICS', { missingBasics: ['tone'] }, 'COLLECTING_BASICS', 'stay'],
  ['COLLECTING_BASICS', { missingBasics: [] }, 'EXPLORING_TOOLS', 'basics.complete'],
  ['EXPLORING_TOOLS', { missingBasics: [] }, 'EXPLORING_TOOLS', 'stay'],
  ['EXPLORING_TOOLS', { missingBasics: [], useTools: true }, 'CONFIGURING_TOOLS', 'explore.yes'],
  ['EXPLORING_TOOLS', { missingBasics: [], useTools: false }, 'REVIEWING_WORKFLOW', 'explore.no'],
  ['CONFIGURING_TOOLS', { useTools: true }, 'CONFIGURING_TOOLS', 'stay'],
  ['CONFIGURING_TOOLS', { useTools: true, toolsDone: true }, 'CONFIGURING_TOOLS', 'stay'],
  ['CONFIGURING_TOOLS', { useTools: true, incompleteTools: 1 }, 'CONFIGURING_TOOLS', 'stay'],
  ['CONFIGURING_TOOLS', { useTools: true, completeTools: 1 }, 'CONFIGURING_TOOLS', 'stay'],
  ['CONFIGURING_TOOLS', { useTools: true, completeTools: 1, incompleteTools: 1, toolsDone: true }, 'CONFIGURING_TOOLS', 'stay'],
  ['CONFIGURING_TOOLS', { useTools: true, completeTools: 1, toolsDone: true }, 'REVIEWING_WORKFLOW', 'configure.done'],
  ['CONFIGURING_TOOLS', { useTools: false }, 'REVIEWING_WORKFLOW', 'configure.no-tools'],
  ['REVIEWING_WORKFLOW', {}, 'REVIEWING_WORKFLOW', 'stay'],
  ['REVIEWING_WORKFLOW', { approved: true }, 'FINALIZING', 'review.approved'],
  ['FINALIZING', {}, 'FINALIZING', 'stay'],
  ['FINALIZING', { promptsReady: true }, 'COMPLETED', 'finalize.ready'],
  ['COMPLETED', { promptsReady: true, approved: true }, 'COMPLETED', 'stay'],
];

describe('decideTransition', () => {
  it.each(TABLE)('%s with %j → %s (%s)', (stage, facts, to, rule) => {
    const t = decideTransition(stage, { ...base, ...facts });
    expect(t.to).toBe(to);
    expect(t.rule).toBe(rule);
    expect(t.from).toBe(stage);
  });

  it('covers every stage', () => {
    expect(new Set(TABLE.map((row) => row[0]))).toEqual(new Set(STAGES));
  });

  it('lets the rules overrule a model that claims the stage is complete', () => {
    const t = decideTransition('COLLECTING_BASICS', { ...base, missingBasics: ['tone'] }, { stage_complete: true });
    expect(t.to).toBe('COLLECTING_BASICS');
    expect(t.rule).toBe('stay.overruled');
    expect(t.reason).toContain('tone');
  });

  it('moves forward on the facts even when the model did not propose it', () => {
    expect(decideTransition('COLLECTING_BASICS', { ...base, missingBasics: [] }, { stage_complete: false }).to).toBe('EXPLORING_TOOLS');
  });

  it.each(STAGES.flatMap((from) => STAGES.map((to) => [from, to] as const)))('jump from %s to %s only goes back', (from, to) => {
    const facts: StageFacts = { ...base, missingBasics: [], useTools: true, completeTools: 1, toolsDone: true, approved: true, promptsReady: true };
    const t = decideTransition(from, facts, { goBackTo: to });
    const earlier = STAGES.indexOf(to) < STAGES.indexOf(from) && to !== 'INITIAL';
    if (earlier) {
      expect(t).toMatchObject({ to, rule: 'jump-back' });
    } else {
      expect(t.rule).not.toBe('jump-back');
    }
  });
});

describe('deriveFacts', () => {
  it('reads the stage conditions from the spec', () => {
    const spec: AgentSpec = {
      ...emptySpec(),
      agent_type: f('support agent'),
      goals: f('track orders'),
      use_tools: f(true),
      tools: [completeTool('get_order_status'), { name: f('create_return') }],
      tools_done: f(true),
    };
    expect(deriveFacts(spec, true)).toEqual({
      exchanged: true,
      missingBasics: ['tone'],
      parked: [],
      useTools: true,
      completeTools: 1,
      incompleteTools: 1,
      toolsDone: true,
      approved: false,
      promptsReady: false,
    });
  });
});

describe('runTransitions', () => {
  it('carries one rich message through several stages and stops before FINALIZING work', () => {
    const spec: AgentSpec = {
      ...emptySpec(),
      agent_type: f('support agent'),
      goals: f('track orders'),
      tone: f('friendly'),
      use_tools: f(false),
    };
    const run = runTransitions('INITIAL', spec, {});
    expect(run.steps.map((s) => s.to)).toEqual(['COLLECTING_BASICS', 'EXPLORING_TOOLS', 'REVIEWING_WORKFLOW']);
    expect(run.stage).toBe('REVIEWING_WORKFLOW');
    const approved = runTransitions('REVIEWING_WORKFLOW', { ...spec, workflow_approved: f(true), system_prompt: f('old'), first_message: f('hi') }, {});
    expect(approved.stage).toBe('FINALIZING');
  });

  it('stops at the stage the user jumped back to', () => {
    const spec: AgentSpec = { ...emptySpec(), agent_type: f('a'), goals: f('b'), tone: f('c'), use_tools: f(false) };
    const run = runTransitions('REVIEWING_WORKFLOW', spec, { goBackTo: 'COLLECTING_BASICS' });
    expect(run.stage).toBe('COLLECTING_BASICS');
    expect(run.steps).toHaveLength(1);
  });
});
