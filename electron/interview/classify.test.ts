import { describe, expect, it } from 'vitest';
import { emptySpec, type AgentSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import { classify } from './classify';
import { findCue, fold, leadingCue, wholeCue } from './lexicon';
import { f } from '../../tests/support/spec-fixtures';

const tools: AgentSpec = {
  ...emptySpec(),
  agent_type: f('pharmacy line'),
  tone: f('warm'),
  tools: [{ name: f('lookup_prescription') }, { name: f('refill_prescription') }],
};

function kind(text: string, stage: Stage = 'CONFIGURING_TOOLS', awaiting: string | null = 'tools[1].auth', spec: AgentSpec = tools) {
  return classify(text, { stage, spec, awaiting });
}

describe('classify', () => {
  it.each([
    ['actually make it POST', 'correction'],
    ['change the tone to relaxed', 'correction'],
    ['no wait, POST', 'correction'],
    ['the second tool should be GET', 'correction'],
    ["PATCH - no wait, it's definitely POST", 'answer'],
    ['go back, change the tone — relaxed and friendly', 'go_back'],
    ['Can we go back and change the tone?', 'go_back'],
    ['go back to tools', 'go_back'],
    ['remove the refill tool', 'tool_op'],
    ['rename lookup_prescription to find_rx', 'tool_op'],
    ['move the refill tool first', 'tool_op'],
    ['undo that', 'undo'],
    ["I don't know yet, what do you suggest?", 'suggest'],
    ['what would you recommend?', 'suggest'],
    ["not sure yet, I'll ask our developer", 'dont_know'],
    ['keine Ahnung', 'dont_know'],
    ['skip for now', 'skip'],
    ['überspringen', 'skip'],
    ['What do you mean by that?', 'question'],
    ['what is a bearer token', 'question'],
    ['tell me a joke', 'off_topic'],
    ['thanks!', 'off_topic'],
    ['Bearer token in the Authorization header', 'answer'],
    ["If they don't know the rx number, ask for their date of birth", 'answer'],
    ['When the caller asks where their order is', 'answer'],
  ])('%j is %s', (text, expected) => {
    expect(kind(text).kind).toBe(expected);
  });

  it('reads the target and the value of a go-back', () => {
    expect(kind('go back, change the tone — relaxed and friendly')).toMatchObject({ target: 'tone', body: 'relaxed and friendly' });
    expect(kind('Wait, go back, change the tone - calm and clear')).toMatchObject({ target: 'tone', body: 'calm and clear' });
    expect(kind('Can we go back and change the tone?')).toMatchObject({ target: 'tone', body: '' });
    expect(kind('go back to the tools please')).toMatchObject({ target: 'tools please' });
  });

  it('resolves tool operations to tool indexes', () => {
    expect(kind('remove the refill tool')).toMatchObject({ ops: [{ op: 'remove', tool: 1 }] });
    expect(kind('delete lookup_prescription')).toMatchObject({ ops: [{ op: 'remove', tool: 0 }] });
    expect(kind('rename the refill tool to request_refill')).toMatchObject({ ops: [{ op: 'rename', tool: 1, name: 'request_refill' }] });
    expect(kind('move the refill tool first')).toMatchObject({ ops: [{ op: 'move', tool: 1, position: 0 }] });
    expect(kind('remove the shipping tool')).toMatchObject({ kind: 'tool_op', ops: [], unresolved: 'shipping' });
  });

  it('makes a conditional approval a change request', () => {
    expect(kind('Approve, as long as the knowledge base is included', 'REVIEWING_WORKFLOW', 'workflow_approved')).toMatchObject({
      kind: 'conditional_approval',
      condition: 'as long as the knowledge base is included',
    });
    expect(kind('Looks good, approve', 'REVIEWING_WORKFLOW', 'workflow_approved').kind).toBe('answer');
    expect(kind('aprobado, pero cambia el tono', 'REVIEWING_WORKFLOW', 'workflow_approved').kind).toBe('conditional_approval');
  });

  it('accepts a proposal only when there is one', () => {
    const proposed: AgentSpec = { ...emptySpec(), candidates: { tone: { value: 'warm', confidence: 0.5, source: 'x' } } };
    expect(kind('use your suggestion', 'COLLECTING_BASICS', 'tone', proposed).kind).toBe('accept_suggestion');
    expect(kind('Sí', 'COLLECTING_BASICS', 'tone', proposed).kind).toBe('accept_suggestion');
    expect(kind('use your suggestion', 'COLLECTING_BASICS', 'tone', emptySpec()).kind).not.toBe('accept_suggestion');
  });
});

describe('lexicon', () => {
  it('folds case and accents', () => {
    expect(fold('  ¿Qué  SUGIERES? ')).toBe('que sugieres?');
    expect(fold('Nicht nötig – danke')).toBe('nicht notig - danke');
  });

  it.each([
    ['Sí', 'yes', 'es'],
    ['Ja, er soll Termine buchen', 'yes', 'de'],
    ['Oui, bien sûr', 'yes', 'fr'],
    ['Sim, pode ser', 'yes', 'pt'],
    ['Sì, certo', 'yes', 'es'],
    ['Nein, keine Werkzeuge', 'no', 'de'],
    ['Non merci', 'no', 'fr'],
    ['Não, obrigado', 'no', 'pt'],
  ] as const)('%j opens with %s (%s)', (text, cue, lang) => {
    const m = leadingCue(text, cue);
    expect(m?.langs).toContain(lang);
  });

  it('reads approval, "no more", go back and skip in six languages', () => {
    for (const t of ['approved', 'aprobado', 'genehmigt', 'approuvé', 'aprovado', 'approvato']) expect(findCue(t, 'approve'), t).not.toBeNull();
    for (const t of ['no more tools', 'ninguna más', 'keine weiteren', "c'est tout", 'só isso', "nient'altro"]) expect(leadingCue(t, 'no_more'), t).not.toBeNull();
    for (const t of ['go back to the tone', 'volvamos al tono', 'zurück zum Ton', 'revenons au ton', 'voltar ao tom', 'torniamo al tono']) expect(leadingCue(t, 'go_back'), t).not.toBeNull();
    for (const t of ['skip', 'saltar', 'überspringen', 'passer', 'pular', 'saltare']) expect(wholeCue(t, 'skip'), t).not.toBeNull();
  });
});
